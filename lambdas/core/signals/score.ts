import { lexicon } from './lexicon';
import {
  buildOffensiveWordMatcher,
  matchOffensiveWords,
  type OffensiveWordMatcher,
} from './match-offensive-words';
import { type CompiledRule, compileRules, matchPhrases, type RawEvidence } from './match-phrases';
import { type StrippedContent, sourceOffsetOf, stripQuotedAndSignature } from './strip-quoted';
import {
  type ContentFlag,
  type ContentScorer,
  type ContentSignals,
  categoryClauses,
  type ScoreOptions,
  type SignalEvidence,
  signalCategories,
} from './types';

export const detectorVersion = `in-process/${lexicon.version}`;

const defaults = { minimumConfidence: 0.5, stripQuoted: true, maxEvidence: 5 };
/** Long enough for any letter; a longer body is scored on its first part only. */
const maxScoredChars = 100_000;

interface Detector {
  rules: CompiledRule[];
  words: OffensiveWordMatcher;
}

let detector: Detector | undefined;

/**
 * Built on first use and kept. The engine compiles a regular expression when it first runs it,
 * so each one runs once here: the cost lands when a Lambda starts (or `warmUpDetector` is called
 * at module load), not on the first contact.
 */
function detectorOnce(): Detector {
  if (!detector) {
    const rules = compileRules(lexicon.phraseRules, lexicon.macros);
    const words = buildOffensiveWordMatcher(lexicon.whitelistedTerms);
    matchPhrases('i will see you', rules);
    matchOffensiveWords('warm up', words);
    detector = { rules, words };
  }
  return detector;
}

/** Builds the detector now (call at module load in a Lambda, so the first contact is not slower). */
export function warmUpDetector(): void {
  detectorOnce();
}

/** Several pieces of evidence make a flag surer than one, never certain. */
function combinedConfidence(evidence: readonly SignalEvidence[]): number {
  const doubt = evidence.reduce((product, e) => product * (1 - e.confidence), 1);
  return Math.round(Math.min(0.99, 1 - doubt) * 100) / 100;
}

/** Overlapping evidence of one category is one piece: the surest. */
function withoutOverlaps(evidence: readonly RawEvidence[]): RawEvidence[] {
  const bySureness = [...evidence].sort((a, b) => b.confidence - a.confidence || a.start - b.start);
  const kept: RawEvidence[] = [];
  for (const e of bySureness) {
    if (!kept.some((k) => k.start < e.end && e.start < k.end)) kept.push(e);
  }
  return kept;
}

function placed(raw: RawEvidence, scored: string, stripped: StrippedContent): SignalEvidence {
  return {
    ruleId: raw.ruleId,
    phrase: scored.slice(raw.start, raw.end),
    start: raw.start,
    end: raw.end,
    sourceStart: sourceOffsetOf(stripped, raw.start),
    sourceEnd: sourceOffsetOf(stripped, raw.end),
    confidence: raw.confidence,
  };
}

function unstripped(text: string): StrippedContent {
  return { text, removed: [], segments: [{ at: 0, from: 0, length: text.length }] };
}

/**
 * Scores a contact's own words for offensive language (3.1, 3.2.1–3.2.4), threats (3.2.3, 3.3,
 * 6.1), self-harm (3.2.5) and intimidation (3.2.8). In-process, no network; never throws on text.
 * Flags are for a person to judge: they never change the route or restrict anyone (P2).
 */
export function scoreContent(text: string, options: ScoreOptions = {}): ContentSignals {
  const { minimumConfidence, stripQuoted, maxEvidence } = { ...defaults, ...options };
  const received = text.length > maxScoredChars ? text.slice(0, maxScoredChars) : text;
  const stripped = stripQuoted ? stripQuotedAndSignature(received) : unstripped(received);
  const scored = stripped.text;
  const { rules, words } = detectorOnce();
  const raw = [...matchOffensiveWords(scored, words), ...matchPhrases(scored, rules)].filter(
    (e) => e.confidence >= minimumConfidence,
  );
  const flags: ContentFlag[] = [];
  for (const category of signalCategories) {
    const found = withoutOverlaps(raw.filter((e) => e.category === category));
    if (found.length === 0) continue;
    const evidence = found.map((e) => placed(e, scored, stripped));
    flags.push({
      category,
      confidence: combinedConfidence(evidence),
      clauses: categoryClauses[category],
      evidence: evidence.slice(0, maxEvidence),
      detectorVersion,
    });
  }
  return {
    detectorVersion,
    flags,
    scoredChars: scored.length,
    strippedChars: stripped.removed.reduce((sum, part) => sum + (part.end - part.start), 0),
  };
}

/** The in-process detector behind the ContentScorer port (the default, and the one in tests). */
export function inProcessContentScorer(options: ScoreOptions = {}): ContentScorer {
  return { score: async (text) => scoreContent(text, options) };
}
