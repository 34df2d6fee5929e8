import {
  detailTypes,
  type IncidentRecordedDetail,
  incidentRecordedDetailSchema,
  type PublishedEvent,
  type SafeguardingConcernDetail,
  safeguardingConcernDetailSchema,
} from '../events';
import type { Incident } from './incident';
import { ruleOf } from './kinds';

/**
 * What recording an incident sets going (kinds.ts says which apply): IncidentRecorded for the
 * managers, at once (5.4.2, 5.7, 5.8); for threats of harm, SafeguardingConcernRaised marked urgent
 * (3.2.5, 3.3, 6.1). Ids, kind, severity and yes-or-no answers only: never `what`, names or
 * addresses (P7). Each detail is checked against its schema before it goes.
 */
export function incidentEvents(incident: Incident): PublishedEvent[] {
  const rule = ruleOf(incident.kind);
  const answers = (
    ['warningGiven', 'policeInformed', 'emergencyServices', 'staffProtectionReferral'] as const
  )
    .filter((key) => incident[key] !== undefined)
    .map((key) => [key, incident[key]] as const);
  const recorded: IncidentRecordedDetail = incidentRecordedDetailSchema.parse({
    incidentId: incident.id,
    kind: incident.kind,
    severity: incident.severity,
    clauses: incident.clauses,
    channel: incident.channel,
    at: incident.at,
    ...(incident.customerId ? { customerId: incident.customerId } : {}),
    ...Object.fromEntries(answers),
  });
  const resources = [incident.id, ...(incident.customerId ? [incident.customerId] : [])];
  const events: PublishedEvent[] = [{ detailType: detailTypes.incident, detail: recorded, resources }];
  if (rule.safeguarding) {
    const concern: SafeguardingConcernDetail = safeguardingConcernDetailSchema.parse({
      incidentId: incident.id,
      ...(incident.customerId ? { customerId: incident.customerId } : {}),
      categories: [...rule.safeguarding],
      urgent: true,
      source: 'incident',
      clauses: [...rule.clauses],
    }) as SafeguardingConcernDetail;
    events.push({ detailType: detailTypes.safeguarding, detail: concern, resources });
  }
  return events;
}
