import type { SignalCategory } from '../types';

/**
 * One phrase rule: a regular-expression source over normalised text (see macros.ts), the
 * category it signals and how sure a match makes us. A rule is data: the engine reads these
 * fields and nothing else.
 */
export interface PhraseRule {
  /** Stable id, shown with the evidence (`threat.violence-to-person`). */
  id: string;
  category: SignalCategory;
  confidence: number;
  pattern: string;
  /** The rule does not apply when the sentence around the match matches this (same syntax). */
  unless?: string;
  /** A negation in the three words before the match ("not", "never", "n't") cancels it. */
  negatable?: boolean;
  /**
   * Cancelled inside double quotes after a reporting verb ("he said "I'll kill you""): the
   * writer reports someone else's words. Default true.
   */
  cancelledWhenReported?: boolean;
}
