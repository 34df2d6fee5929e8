import {
  DataSet,
  englishDataset,
  englishRecommendedTransformers,
  parseRawPattern,
  RegExpMatcher,
} from 'obscenity';
import {
  addedWords,
  baseWordDecisions,
  type WordWeight,
  wordWeightConfidence,
} from './lexicon/offensive-words';
import type { RawEvidence } from './match-phrases';

type WordMetadata = { originalWord: string };

/**
 * obscenity collapses repeated letters in the text before matching ("off" becomes "of"; b, e, o,
 * l, s and g may stay doubled), but not in patterns: ours are collapsed the same way here, so the
 * data can spell words as they are written.
 */
const keptDoubled = new Set(['b', 'e', 'o', 'l', 's', 'g']);
const collapseLikeTheMatcher = (pattern: string) =>
  pattern.replace(/([a-z])\1+/g, (run, ch: string) =>
    ch.repeat(keptDoubled.has(ch) ? Math.min(run.length, 2) : 1),
  );

export interface OffensiveWordMatcher {
  dataset: DataSet<WordMetadata>;
  matcher: RegExpMatcher;
  weights: ReadonlyMap<string, WordWeight>;
}

/**
 * obscenity's English dataset tuned for British usage (3.1): base words dropped or weighted as
 * offensive-words.ts decides, British words and masked spellings added, whitelisted terms kept.
 */
export function buildOffensiveWordMatcher(whitelist: readonly string[]): OffensiveWordMatcher {
  const weights = new Map<string, WordWeight>();
  for (const [word, decision] of Object.entries(baseWordDecisions)) {
    if (typeof decision === 'string') weights.set(word, decision);
  }
  const dataset = new DataSet<WordMetadata>()
    .addAll(englishDataset as DataSet<WordMetadata>)
    .removePhrasesIf((phrase) => !weights.has(phrase.metadata?.originalWord ?? ''));
  // An added word of the same name as a base word adds patterns beside it, with its own weight.
  for (const added of addedWords) {
    const id =
      weights.has(added.word) && weights.get(added.word) !== added.weight ? `${added.word}+` : added.word;
    weights.set(id, added.weight);
    dataset.addPhrase((phrase) => {
      phrase.setMetadata({ originalWord: id });
      for (const pattern of added.patterns)
        phrase.addPattern(parseRawPattern(collapseLikeTheMatcher(pattern)));
      return phrase;
    });
  }
  const built = dataset.build();
  const matcher = new RegExpMatcher({
    blacklistedTerms: built.blacklistedTerms,
    whitelistedTerms: [...(built.whitelistedTerms ?? []), ...whitelist],
    ...englishRecommendedTransformers,
  });
  return { dataset, matcher, weights };
}

export function matchOffensiveWords(scored: string, words: OffensiveWordMatcher): RawEvidence[] {
  return words.matcher.getAllMatches(scored, true).map((match) => {
    const word = words.dataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord ?? 'unknown';
    const weight = words.weights.get(word) ?? 'moderate';
    return {
      // Named by weight, not by word: a record or a console never spells out a slur.
      ruleId: `offensive.${weight}-word`,
      category: 'offensive' as const,
      confidence: wordWeightConfidence[weight],
      start: match.startIndex,
      // obscenity's end index is inclusive.
      end: match.endIndex + 1,
    };
  });
}
