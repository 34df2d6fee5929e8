import { z } from 'zod';
import {
  detailTypes,
  eventBridgeEnvelopeSchema,
  frequencyAlertDetailSchema,
  restrictedRoutedDetailSchema,
} from '../core/events';
import { parseOrThrow, ValidationError } from '../core/validation';

/**
 * The events the NotifyManagers rule delivers (lambdas/adapters/eventbridge/rules.ts), each
 * validated as its detail type says. AbusiveContentFlagged and SafeguardingConcernRaised have no
 * detail schema yet: any JSON object is taken, and only its ids and counts are shown.
 */
const envelopeOf = <T extends string, S extends z.ZodType>(detailType: T, detail: S) =>
  eventBridgeEnvelopeSchema.extend({ 'detail-type': z.literal(detailType), detail });

const concernDetailSchema = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

export const frequencyAlertEventSchema = envelopeOf(detailTypes.frequency, frequencyAlertDetailSchema);
export const restrictedRoutedEventSchema = envelopeOf(
  detailTypes.restrictedRouted,
  restrictedRoutedDetailSchema,
);
export const abusiveContentEventSchema = envelopeOf(detailTypes.abusive, concernDetailSchema);
export const safeguardingConcernEventSchema = envelopeOf(detailTypes.safeguarding, concernDetailSchema);

export type FrequencyAlertEvent = z.infer<typeof frequencyAlertEventSchema>;
export type RestrictedRoutedEvent = z.infer<typeof restrictedRoutedEventSchema>;
export type ConcernEvent =
  | z.infer<typeof abusiveContentEventSchema>
  | z.infer<typeof safeguardingConcernEventSchema>;
export type NotifyEvent = FrequencyAlertEvent | RestrictedRoutedEvent | ConcernEvent;

const schemaByDetailType = {
  [detailTypes.frequency]: frequencyAlertEventSchema,
  [detailTypes.restrictedRouted]: restrictedRoutedEventSchema,
  [detailTypes.abusive]: abusiveContentEventSchema,
  [detailTypes.safeguarding]: safeguardingConcernEventSchema,
} as const;

/**
 * Parses what EventBridge hands the notify Lambda: the envelope first, then the detail by its
 * detail type. Throws a ValidationError naming each bad field (`detail.count: …`); the event then
 * fails, and after Lambda's retries goes to the rule's failure queue rather than being retried forever.
 */
export function parseNotifyEvent(event: unknown): NotifyEvent {
  const envelope = parseOrThrow(eventBridgeEnvelopeSchema, event);
  const detailType = envelope['detail-type'];
  if (!Object.hasOwn(schemaByDetailType, detailType)) {
    throw new ValidationError([
      {
        field: 'detail-type',
        problem: `${detailType.slice(0, 100)} is not a detail type the notify function handles (${Object.keys(schemaByDetailType).join(', ')})`,
      },
    ]);
  }
  return parseOrThrow(schemaByDetailType[detailType as keyof typeof schemaByDetailType], event);
}
