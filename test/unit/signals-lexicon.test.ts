import { type EnglishProfaneWord, englishDataset, RegExpMatcher } from 'obscenity';
import { describe, expect, it } from 'vitest';
import {
  lexicon,
  lexiconFingerprint,
  lexiconFingerprints,
  lexiconVersion,
} from '../../lambdas/core/signals/lexicon';
import { macros } from '../../lambdas/core/signals/lexicon/macros';
import { addedWords, baseWordDecisions } from '../../lambdas/core/signals/lexicon/offensive-words';
import {
  buildOffensiveWordMatcher,
  matchOffensiveWords,
} from '../../lambdas/core/signals/match-offensive-words';
import { compileRules, expandMacros } from '../../lambdas/core/signals/match-phrases';

describe('the offensive-word lexicon', () => {
  it("decides every word of obscenity's English dataset: kept with a weight, or dropped with a reason", () => {
    const baseWords = new Set<string>();
    const built = englishDataset.build();
    const matcher = new RegExpMatcher({ blacklistedTerms: built.blacklistedTerms });
    expect(matcher).toBeDefined();
    for (const term of built.blacklistedTerms) {
      const word = englishDataset.getPayloadWithPhraseMetadata({
        termId: term.id,
        startIndex: 0,
        endIndex: 0,
        matchLength: 0,
      }).phraseMetadata?.originalWord as EnglishProfaneWord;
      baseWords.add(word);
    }
    expect([...baseWords].filter((w) => !(w in baseWordDecisions))).toEqual([]);
    expect(Object.keys(baseWordDecisions).filter((w) => !baseWords.has(w))).toEqual([]);
  });

  it('matches each added word as it is spelt', () => {
    const words = buildOffensiveWordMatcher(lexicon.whitelistedTerms);
    const missed = addedWords.filter((w) => matchOffensiveWords(`you ${w.word} here`, words).length === 0);
    expect(missed.map((w) => w.word)).toEqual([]);
  });

  it('lets whitelisted British words through', () => {
    const words = buildOffensiveWordMatcher(lexicon.whitelistedTerms);
    for (const text of ['Penistone', 'the cockpit', 'a blue tit', 'Mr Dickson', 'flame retardant', 'cumin']) {
      expect(matchOffensiveWords(text, words), text).toEqual([]);
    }
  });
});

describe('the phrase rules', () => {
  it('compile, with unique ids and confidences between 0 and 1', () => {
    const compiled = compileRules(lexicon.phraseRules, lexicon.macros);
    expect(compiled).toHaveLength(lexicon.phraseRules.length);
    const ids = lexicon.phraseRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of lexicon.phraseRules) {
      expect(rule.id.startsWith(`${rule.category}.`) || rule.category === 'offensive', rule.id).toBe(true);
      expect(rule.confidence).toBeGreaterThan(0);
      expect(rule.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a pattern that names an unknown group', () => {
    expect(() => expandMacros('{I_WILL} {NOT_A_GROUP}', macros)).toThrow(/unknown macro \{NOT_A_GROUP\}/);
  });
});

describe('the lexicon version', () => {
  it('is the one recorded for the data as it stands: change the data, name a new version', () => {
    expect(lexiconFingerprints[lexiconVersion]).toBe(lexiconFingerprint());
    const recorded = Object.values(lexiconFingerprints);
    expect(new Set(recorded).size).toBe(recorded.length);
  });

  it('changes its fingerprint with any change to a pattern', () => {
    const changed = { ...lexicon, macros: { ...lexicon.macros, YOU: '(?:you|thee)' } };
    expect(lexiconFingerprint(changed)).not.toBe(lexiconFingerprint());
  });
});
