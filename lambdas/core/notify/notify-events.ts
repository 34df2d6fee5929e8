import { z } from 'zod';
import {
  detailTypes,
  eventBridgeEnvelopeSchema,
  frequencyAlertDetailSchema,
  incidentRecordedDetailSchema,
  restrictedRoutedDetailSchema,
} from '../events';

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

export const incidentRecordedEventSchema = envelopeOf(detailTypes.incident, incidentRecordedDetailSchema);

export type IncidentRecordedEvent = z.infer<typeof incidentRecordedEventSchema>;
export type FrequencyAlertEvent = z.infer<typeof frequencyAlertEventSchema>;
export type RestrictedRoutedEvent = z.infer<typeof restrictedRoutedEventSchema>;
export type ConcernEvent =
  | z.infer<typeof abusiveContentEventSchema>
  | z.infer<typeof safeguardingConcernEventSchema>;
export type NotifyEvent = FrequencyAlertEvent | RestrictedRoutedEvent | ConcernEvent | IncidentRecordedEvent;

/** The schema of each detail type managers are told about. */
export const notifyEventSchemas = {
  [detailTypes.frequency]: frequencyAlertEventSchema,
  [detailTypes.restrictedRouted]: restrictedRoutedEventSchema,
  [detailTypes.abusive]: abusiveContentEventSchema,
  [detailTypes.safeguarding]: safeguardingConcernEventSchema,
  [detailTypes.incident]: incidentRecordedEventSchema,
} as const;
