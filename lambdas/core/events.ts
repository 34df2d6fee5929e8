import { z } from 'zod';
import { channels } from './channels';
import { incidentKinds, incidentSeverities } from './incidents/kinds';
import { signalCategories } from './signals/types';

/** Every event this system publishes has this source, on its one custom bus. */
export const eventSource = 'contact-screening';

export const detailTypes = {
  frequency: 'ContactFrequencyThresholdExceeded',
  restrictedRouted: 'RestrictedContactRouted',
  abusive: 'AbusiveContentFlagged',
  safeguarding: 'SafeguardingConcernRaised',
  reviewDue: 'RestrictionReviewDue',
  failed: 'ContactScreeningFailed',
  incident: 'IncidentRecorded',
} as const;

export type DetailType = (typeof detailTypes)[keyof typeof detailTypes];

/**
 * Who a frequency alert is about: a register customer, or a sender who is not in the register,
 * by an opaque id (the address is kept with the counts, never in the event: P7).
 */
export const frequencySubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer'), customerId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('sender'), senderId: z.string().regex(/^snd_[0-9a-f]{16,64}$/) }),
]);
export type FrequencySubject = z.infer<typeof frequencySubjectSchema>;

/** 4.2.7 (one topic), 4.2.8 (many contacts across topics), 4.2.12 (through many channels). */
export const frequencyWindowSchema = z.enum(['topic', 'all-topics', 'channels']);
export type FrequencyWindow = z.infer<typeof frequencyWindowSchema>;

const instant = z.iso.datetime({ offset: true });

/** The detail of ContactFrequencyThresholdExceeded: ids and counts, never message bodies (P7). */
export const frequencyAlertDetailSchema = z.object({
  alertId: z.string().min(1).max(100),
  subject: frequencySubjectSchema,
  window: frequencyWindowSchema,
  /** The policy clause the pattern illustrates. */
  clause: z.enum(['4.2.7', '4.2.8', '4.2.12']),
  topic: z
    .object({ key: z.string().max(300), label: z.string().max(300), how: z.string().max(50) })
    .optional(),
  count: z.number().int().nonnegative(),
  threshold: z.number().int().positive(),
  windowDays: z.number().int().positive(),
  /** Contacts on all topics in the longer window, for context. */
  totalInWindow: z.number().int().nonnegative().optional(),
  channels: z.array(z.string().max(300)).max(50),
  firstContactAt: instant,
  lastContactAt: instant,
  contactReferences: z.array(z.string().max(40)).max(100),
});
export type FrequencyAlertDetail = z.infer<typeof frequencyAlertDetailSchema>;

/** The detail of RestrictedContactRouted (optional, see NOTIFY_RESTRICTED_ROUTED). */
export const restrictedRoutedDetailSchema = z.object({
  reference: z.string().max(40),
  customerIds: z.array(z.string().max(100)).max(10),
  route: z.string().max(40),
  appliedRestrictionIds: z.array(z.string().max(100)).max(20),
  clauses: z.array(z.string().max(10)).max(20),
  channel: z.enum(channels),
  receivedAt: instant,
});
export type RestrictedRoutedDetail = z.infer<typeof restrictedRoutedDetailSchema>;

/** The detail of ContactScreeningFailed: a contact went to the service inbox unscreened (P1). */
export const screeningFailedDetailSchema = z.object({
  reference: z.string().max(40),
  channel: z.enum(channels),
  /** The reason codes of the decision (e.g. `unscreened`), never the text of the contact. */
  reasons: z.array(z.string().max(60)).max(20),
  receivedAt: instant,
});
export type ScreeningFailedDetail = z.infer<typeof screeningFailedDetailSchema>;

/**
 * The detail of AbusiveContentFlagged and SafeguardingConcernRaised, for a contact whose words
 * were flagged (`source: content-signal`) or an incident staff recorded (`source: incident`).
 * Ids, categories and confidence only: never the contact's text or the evidence phrases (P7).
 * `guidance` is the council's own safeguarding steps (SAFEGUARDING_GUIDANCE), not anyone's words.
 */
export const contentConcernDetailSchema = z
  .object({
    /** What makes two publications the same concern (the notify function mails each once). */
    alertId: z.string().min(1).max(100).optional(),
    reference: z.string().max(40).optional(),
    incidentId: z.string().max(100).optional(),
    /** The first customer the contact was matched to; all of them in `customerIds`. */
    customerId: z.string().max(100).optional(),
    customerIds: z.array(z.string().max(100)).max(10).optional(),
    categories: z.array(z.enum(signalCategories)).min(1).max(signalCategories.length),
    confidence: z.partialRecord(z.enum(signalCategories), z.number().min(0).max(1)).optional(),
    urgent: z.boolean(),
    source: z.enum(['content-signal', 'incident']),
    channel: z.string().max(40).optional(),
    receivedAt: instant.optional(),
    detectorVersion: z.string().max(60).optional(),
    /** The policy clauses it rests on (an incident's kind: 3.3, 6.1, 3.2.5). */
    clauses: z.array(z.string().max(10)).max(10).optional(),
    guidance: z.string().max(2000).optional(),
  })
  .refine((detail) => detail.reference !== undefined || detail.incidentId !== undefined, {
    error: 'must name the contact (reference) or the incident (incidentId)',
    path: ['reference'],
  });
export type ContentConcernDetail = z.infer<typeof contentConcernDetailSchema>;

/** AbusiveContentFlagged: for the managers' review (5.8). */
export const abusiveContentDetailSchema = contentConcernDetailSchema;
export type AbusiveContentDetail = ContentConcernDetail;

/** SafeguardingConcernRaised: always urgent (3.2.5 self-harm; 3.3 and 6.1 threats). */
export const safeguardingConcernDetailSchema = contentConcernDetailSchema.refine(
  (detail) => detail.urgent === true,
  { error: 'a safeguarding concern is always urgent', path: ['urgent'] },
);
export type SafeguardingConcernDetail = ContentConcernDetail & { urgent: true };

/** How far a restriction is in its review cycle (10.1): see lambdas/core/review/stages.ts. */
export const reviewStageSchema = z.enum(['due-soon', 'overdue', 'ended']);
export type ReviewStage = z.infer<typeof reviewStageSchema>;

/**
 * The detail of RestrictionReviewDue: a restriction newly due for review, overdue, or ended (10.1).
 * Ids, type, clause and dates only: no names, addresses or reasons (P7).
 */
export const reviewDueDetailSchema = z.object({
  /** `<restrictionId>#<stage>#<the reviewAt or endsAt it was computed from>`: one event per key. */
  reviewKey: z.string().min(1).max(300),
  restrictionId: z.string().min(1).max(100),
  customerId: z.string().min(1).max(100),
  type: z.string().min(1).max(40),
  clause: z.string().min(1).max(10),
  stage: reviewStageSchema,
  reviewAt: instant,
  endsAt: instant,
  /** Whole London days from the day of `asOf` to the review day (due-soon only). */
  daysUntilReview: z.number().int().nonnegative().optional(),
  /** Whole London days since the review day (overdue only). */
  daysOverdue: z.number().int().nonnegative().optional(),
  /** When the daily review found it. */
  asOf: instant,
});
export type ReviewDueDetail = z.infer<typeof reviewDueDetailSchema>;

/**
 * The detail of IncidentRecorded (5.4.2, 5.7, 5.8, 3.3, 6.1): ids, kind, severity, clauses and the
 * answers given (yes or no), never what happened in words, names or addresses (P7).
 */
export const incidentRecordedDetailSchema = z.strictObject({
  incidentId: z.string().min(1).max(100),
  kind: z.enum(incidentKinds),
  severity: z.enum(incidentSeverities),
  clauses: z.array(z.string().max(10)).max(10),
  channel: z.string().max(20),
  at: instant,
  /** The register customer it is filed on; absent for a person not (yet) in the register. */
  customerId: z.string().min(1).max(100).optional(),
  warningGiven: z.boolean().optional(),
  policeInformed: z.boolean().optional(),
  emergencyServices: z.boolean().optional(),
  staffProtectionReferral: z.boolean().optional(),
});
export type IncidentRecordedDetail = z.infer<typeof incidentRecordedDetailSchema>;

/** An event as this system puts it on the bus. */
export interface PublishedEvent<T = unknown> {
  detailType: DetailType;
  detail: T;
  /** Ids of what the event is about (EventBridge `resources`); no personal data. */
  resources?: string[];
}

/** The envelope EventBridge delivers to a target (Lambda), for the detail types above. */
export const eventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.literal(eventSource),
  account: z.string(),
  time: instant,
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});
