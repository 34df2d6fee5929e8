import { z } from 'zod';
import {
  abusiveContentDetailSchema,
  detailTypes,
  eventBridgeEnvelopeSchema,
  frequencyAlertDetailSchema,
  incidentRecordedDetailSchema,
  restrictedRoutedDetailSchema,
  safeguardingConcernDetailSchema,
} from '../events';

/**
 * The events the NotifyManagers rule delivers (lambdas/adapters/eventbridge/rules.ts), each
 * validated as its detail type says.
 */
const envelopeOf = <T extends string, S extends z.ZodType>(detailType: T, detail: S) =>
  eventBridgeEnvelopeSchema.extend({ 'detail-type': z.literal(detailType), detail });

export const frequencyAlertEventSchema = envelopeOf(detailTypes.frequency, frequencyAlertDetailSchema);
export const restrictedRoutedEventSchema = envelopeOf(
  detailTypes.restrictedRouted,
  restrictedRoutedDetailSchema,
);
export const abusiveContentEventSchema = envelopeOf(detailTypes.abusive, abusiveContentDetailSchema);
export const safeguardingConcernEventSchema = envelopeOf(
  detailTypes.safeguarding,
  safeguardingConcernDetailSchema,
);

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
