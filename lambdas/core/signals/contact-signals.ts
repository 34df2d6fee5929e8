import { abusiveCategories, needsSafeguarding } from './event-detail';
import type { ContentScorer, ContentSignals, SignalCategory } from './types';

/**
 * Scoring a contact's words, as every channel does it (email, the web form, a staff-recorded
 * contact's summary). Flags are for a person to judge (5.8, 5.9, 6.1): they never change the route
 * and never restrict anyone (P2). A scorer that fails or is slow means no flags and a note on the
 * forward, never a contact held back (P1).
 */

/** What scoring one contact gave: its signals, or why there are none. */
export interface ScoredContent {
  /** Absent when the words could not be scored (then `problem` says so). */
  signals?: ContentSignals;
  /** For the forward's "About the message": why the words were not checked. No text of the contact. */
  problem?: string;
}

export interface ContentSignalsOptions {
  /** How long scoring may take before the contact goes on without it (default 2 s). */
  timeoutMs?: number;
  /** Hears a failure that was handled (ids only, never content: P7). */
  onHandledFailure?: (what: string, error: unknown) => void;
}

const defaultTimeoutMs = 2_000;

export class ScoringTimeoutError extends Error {
  override name = 'ScoringTimeoutError';
}

/** The note a forward carries when its words could not be scored (P1, P3). */
export const notScoredProblem = (why: string) =>
  `Its words could not be checked for foul, threatening or self-harm language (${why}): read it with 3.1, 3.2.5 and 3.3 in mind.`;

/**
 * The text a contact is scored on: its subject, a blank line, then its body (the detector strips
 * quoted history and signatures itself). Evidence positions count from the start of this text.
 */
export function scoredTextOf(subject: string | undefined, body: string | undefined): string {
  return [subject?.trim(), body].filter((part) => part !== undefined && part !== '').join('\n\n');
}

/**
 * Scores `text` through `scorer`, failing open: an error or a timeout gives no flags and a
 * problem for the forward (P1). Never throws.
 */
export async function contentSignalsOf(
  text: string,
  scorer: ContentScorer,
  options: ContentSignalsOptions = {},
): Promise<ScoredContent> {
  if (text.trim() === '') return {};
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScoringTimeoutError(`scoring took over ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const signals = await Promise.race([Promise.resolve().then(() => scorer.score(text)), timeout]);
    return { signals };
  } catch (error) {
    options.onHandledFailure?.('score content', error);
    return {
      problem: notScoredProblem(
        error instanceof ScoringTimeoutError ? 'the check took too long' : 'the check failed',
      ),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Line and column (from 1) of an offset in `text`, for a person finding the words. */
export function lineAndColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const categoryWords: Record<SignalCategory, string> = {
  threat: 'Threat of harm',
  'self-harm': 'Risk of self-harm',
  intimidation: 'Intimidation',
  offensive: 'Offensive language',
};

/** The order a reader meets the flags in: safeguarding matters first. */
const readingOrder: readonly SignalCategory[] = ['threat', 'self-harm', 'intimidation', 'offensive'];

/** Evidence shown per flag in the forward: enough to find the words, not the whole message. */
const evidenceShown = 3;
const phraseChars = 120;

/**
 * The lines at the very top of the forward when the words were flagged: each category with its
 * clauses and confidence, the words that raised it and where they are (line and characters of
 * the subject-then-body text), and the detector version. The phrases are the customer's own
 * words, shown to the staff the contact is forwarded to; never logged or put in events (P7).
 */
export function renderSignalLines(
  signals: ContentSignals | undefined,
  scoredText: string | undefined,
): string[] {
  if (!signals || signals.flags.length === 0) return [];
  const out = [
    'CONTENT FLAGS — for a person to judge; they did not change where this contact went (P2)',
    '(Where: line 1 is the subject, the message starts on line 3; characters count from the subject.)',
  ];
  const flags = [...signals.flags].sort(
    (a, b) => readingOrder.indexOf(a.category) - readingOrder.indexOf(b.category),
  );
  for (const flag of flags) {
    out.push(
      `- ${categoryWords[flag.category]} [${flag.clauses.join(', ')}] — confidence ${flag.confidence.toFixed(2)}`,
    );
    for (const evidence of flag.evidence.slice(0, evidenceShown)) {
      const where = scoredText
        ? lineAndColumnOf(scoredText, evidence.sourceStart)
        : { line: undefined, column: undefined };
      const phrase = evidence.phrase.replace(/\s+/g, ' ').slice(0, phraseChars);
      out.push(
        `    “${phrase}” (${where.line ? `line ${where.line}, ` : ''}characters ${evidence.sourceStart}–${evidence.sourceEnd})`,
      );
    }
  }
  if (needsSafeguarding(signals))
    out.push(
      '- Safeguarding (3.2.5, 3.3, 6.1): an urgent safeguarding concern goes to the managers; follow the council’s safeguarding steps.',
    );
  if (signals.flags.some((f) => abusiveCategories.includes(f.category)))
    out.push('- The managers are told (5.8: a service manager reviews abusive correspondence).');
  out.push(
    '- The sender gets only the normal acknowledgement, if any; any warning or restriction is a person’s decision (5.8, 5.9, 7.2).',
  );
  out.push(`- Detector: ${signals.detectorVersion}`);
  return out;
}
