import { abuseRules } from './abuse-rules';
import { intimidationRules } from './intimidation-rules';
import { macros } from './macros';
import { addedWords, baseWordDecisions, whitelistedTerms } from './offensive-words';
import type { PhraseRule } from './phrase-rule';
import { selfHarmRules } from './self-harm-rules';
import { threatRules } from './threat-rules';

/**
 * The version of the patterns and lexicons. Every flag carries it (as `in-process/<version>`), so
 * a flag can be read against the data that raised it. Change it with any change to the data: a
 * unit test compares the data's fingerprint with the one recorded for this version.
 */
export const lexiconVersion = '1.0.0';

export const phraseRules: readonly PhraseRule[] = [
  ...threatRules,
  ...intimidationRules,
  ...selfHarmRules,
  ...abuseRules,
];

export const lexicon = {
  version: lexiconVersion,
  macros,
  phraseRules,
  baseWordDecisions,
  addedWords,
  whitelistedTerms,
};

export type { PhraseRule } from './phrase-rule';
