import type { ContactRecord } from '../contact';
import { type LondonDay, londonDay } from '../london-day';

/**
 * Running totals for monitoring (13.1): one item per London day, each total an attribute that
 * one atomic ADD counts. Never a personal detail: only channels, routes and kinds.
 */
export const reportChannels = [
  'email',
  'web-form',
  'telephone',
  'in-person',
  'letter',
  'social-media',
] as const;
export const reportRoutes = ['service', 'named-officer', 'designated-reader', 'unscreened'] as const;
export const incidentKinds = [
  'call-terminated',
  'meeting-ended',
  'abusive-correspondence',
  'threat-to-staff',
  'violence',
  'threat-of-self-harm',
] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** The attribute of each total: `contacts`, `contacts_email`, `route_named-officer`, `restricted_…`, `incident_…`. */
export const totalNames = {
  contacts: 'contacts',
  channel: (channel: string) => `contacts_${channel}`,
  route: (route: string) => `route_${route}`,
  restricted: (route: string) => `restricted_${route}`,
  incident: (kind: string) => `incident_${kind}`,
} as const;

/** Every total a day item may hold (the reader projects only these). */
export const allTotalNames: readonly string[] = [
  totalNames.contacts,
  totalNames.restricted('all'),
  ...reportChannels.map(totalNames.channel),
  ...reportRoutes.map(totalNames.route),
  ...reportRoutes.map(totalNames.restricted),
  ...incidentKinds.map(totalNames.incident),
];

export type DayTotals = Record<string, number>;

/** Per-day running totals (a DynamoDB item per day: lambdas/adapters/dynamodb/report-totals.ts). */
export interface ReportTotals {
  /**
   * Adds one to each named total of the London day. One request (an atomic ADD). With `onceKey`
   * (a contact's reference), a second add under the same key adds nothing.
   */
  add(day: LondonDay, names: readonly string[], onceKey?: string): Promise<void>;
  /** The totals of each London day from `from` to `to` inclusive (days with none are missing). */
  read(from: LondonDay, to: LondonDay): Promise<Map<LondonDay, DayTotals>>;
}

/** The totals one contact adds: its channel, its route, and where a restricted customer's contact went. */
export function contactTotalNames(
  record: Pick<ContactRecord, 'channel' | 'route' | 'appliedRestrictionIds'>,
) {
  const names = [totalNames.contacts, totalNames.channel(record.channel), totalNames.route(record.route)];
  if (record.appliedRestrictionIds.length > 0)
    names.push(totalNames.restricted('all'), totalNames.restricted(record.route));
  return names;
}

/**
 * Counts a finished contact in the monitoring totals (13.1). Call it once per contact: where the
 * exactly-once claim was finished by this attempt (P6), so a redelivered contact is not counted again.
 */
export async function recordContactTotals(
  record: Pick<ContactRecord, 'reference' | 'channel' | 'route' | 'appliedRestrictionIds' | 'receivedAt'>,
  totals: Pick<ReportTotals, 'add'>,
): Promise<void> {
  await totals.add(londonDay(record.receivedAt), contactTotalNames(record), record.reference);
}

/** Counts a recorded incident (5.4.2, 5.7) by kind; for the incidents store to call once per incident. */
export async function recordIncidentTotals(
  incident: { kind: IncidentKind; at: string },
  totals: Pick<ReportTotals, 'add'>,
): Promise<void> {
  await totals.add(londonDay(incident.at), [totalNames.incident(incident.kind)]);
}
