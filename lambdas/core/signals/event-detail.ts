import { z } from 'zod';
import { type ContentSignals, type SignalCategory, signalCategories } from './types';

/**
 * What AbusiveContentFlagged and SafeguardingConcernRaised carry of the signals: the categories
 * and how sure each is, never the text or the evidence phrases (P7). The publisher adds the
 * contact's reference and the customer id.
 */
export const signalEventDetailSchema = z.object({
  categories: z.array(z.enum(signalCategories)).min(1).max(signalCategories.length),
  confidence: z.partialRecord(z.enum(signalCategories), z.number().min(0).max(1)),
});
export type SignalEventDetail = z.infer<typeof signalEventDetailSchema>;

/** The categories that are a safeguarding matter at once (3.2.5 self-harm; 3.3 and 6.1 threats). */
export const safeguardingCategories: readonly SignalCategory[] = ['threat', 'self-harm'];

/** The event detail for these flags, or undefined when there are none. */
export function signalEventDetailOf(signals: ContentSignals): SignalEventDetail | undefined {
  if (signals.flags.length === 0) return undefined;
  return {
    categories: signals.flags.map((f) => f.category),
    confidence: Object.fromEntries(signals.flags.map((f) => [f.category, f.confidence])),
  };
}

/**
 * The categories a service manager reviews as abusive correspondence (5.8): AbusiveContentFlagged.
 * Self-harm alone is not abuse: it is a safeguarding matter only (3.2.5).
 */
export const abusiveCategories: readonly SignalCategory[] = ['offensive', 'threat', 'intimidation'];

/** True when the flags call for SafeguardingConcernRaised (urgent), not only the managers' review (5.8). */
export function needsSafeguarding(signals: ContentSignals): boolean {
  return signals.flags.some((f) => safeguardingCategories.includes(f.category));
}

/**
 * What the contact record and the staff console may keep of the signals without the words:
 * categories, confidence, clauses, the rules that matched and where (offsets into the body kept
 * with the contact), and the detector version.
 */
export function recordableSignals(signals: ContentSignals) {
  return {
    detectorVersion: signals.detectorVersion,
    flags: signals.flags.map((f) => ({
      category: f.category,
      confidence: f.confidence,
      clauses: [...f.clauses],
      evidence: f.evidence.map((e) => ({
        ruleId: e.ruleId,
        sourceStart: e.sourceStart,
        sourceEnd: e.sourceEnd,
      })),
    })),
  };
}
export type RecordableSignals = ReturnType<typeof recordableSignals>;
