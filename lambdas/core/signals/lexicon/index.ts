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
export const lexiconVersion = '1.1.0';

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

/** FNV-1a over the data as JSON: any change to a pattern, word, weight or macro changes it. */
export function lexiconFingerprint(data: object = lexicon): string {
  const { version: _, ...content } = data as typeof lexicon;
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(content)) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The fingerprint of each released version's data. A unit test checks that the data's fingerprint
 * is the one recorded for `lexiconVersion`: change the data, and you must name a new version.
 * (1.0.0, tuned on the dev split only, was measured at commit cbbf3d6: see the evaluation history.)
 */
export const lexiconFingerprints: Readonly<Record<string, string>> = {
  '1.1.0': '60790acd',
};

export type { PhraseRule } from './phrase-rule';
