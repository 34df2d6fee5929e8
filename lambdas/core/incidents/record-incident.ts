import { monotonicFactory } from 'ulid';
import { type Escalation, escalationOf } from '../escalation';
import type { PublishedEvent } from '../events';
import {
  type AuditEntry,
  type EventLog,
  type EventPublisher,
  NotFoundError,
  type RegisterStore,
} from '../ports';
import { type ReportTotals, recordIncidentTotals } from '../reports/totals';
import { type Instant, toInstant } from '../time';
import { parseOrThrow, ValidationError } from '../validation';
import { incidentEvents } from './effects';
import {
  callerKeys,
  type Incident,
  incidentIdForKey,
  incidentInputSchema,
  incidentSubjectOf,
  newIncident,
} from './incident';
import type { IncidentStore } from './ports';
import { type NextStep, suggestNextStep } from './suggest';

export interface IncidentDeps {
  incidents: IncidentStore;
  register: Pick<RegisterStore, 'loadCustomer' | 'findCustomersByIdentities'>;
  events: EventPublisher;
  /** Where published events are kept for GET /admin/events. */
  eventLog: Pick<EventLog, 'recordEvent'>;
  now?: () => Instant;
  newId?: () => string;
  /** Ids and outcomes only (P7). */
  log?: { warn(message: string, fields: Record<string, unknown>): void };
  /** 13.1: the monitoring totals, counted once per incident (by the request that created it). */
  reportTotals?: Pick<ReportTotals, 'add'>;
}

export interface RecordedIncident {
  incident: Incident;
  /** True when the same Idempotency-Key was sent before: nothing new was recorded (P6). */
  replayed: boolean;
  /** The customer's escalation now, when the incident is on one. */
  escalation?: Escalation;
  /** What the console suggests next (P2: a person decides). */
  suggestion: NextStep;
  warnings: string[];
}

/**
 * The incident is kept but its events could not be published: the managers have not been told yet.
 * Sending the request again with the same Idempotency-Key publishes them (and records nothing twice).
 */
export class IncidentNotPublishedError extends Error {
  override name = 'IncidentNotPublishedError';
  constructor(
    readonly incidentId: string,
    options: { cause: unknown },
  ) {
    super(`incident ${incidentId} is recorded, but the managers could not be told yet`, options);
  }
}

/** A request repeated within this long of now may still be told apart from a future date typed by mistake. */
const clockSkewMs = 5 * 60_000;
const ulid = monotonicFactory();

/**
 * Records an incident (5.4.2, 5.7, 5.8, 3.3, 6.1, 3.2.5) as a file note on the customer, or on a
 * person not in the register by the phone, email or name and postcode given (they join the customer
 * when registered, core/history.ts). Then the managers are told at once (IncidentRecorded) and a
 * threat of harm raises an urgent safeguarding concern. Exactly once (P6): with an Idempotency-Key,
 * a repeat returns the incident recorded the first time and finishes whatever that one left undone.
 */
export async function recordIncident(
  body: unknown,
  actor: string,
  options: { idempotencyKey?: string },
  deps: IncidentDeps,
): Promise<RecordedIncident> {
  const input = parseOrThrow(incidentInputSchema, body);
  const now = (deps.now ?? (() => toInstant(new Date())))();
  const warnings: string[] = [];
  const filing = await filingOf(input, deps, warnings);
  const id = options.idempotencyKey
    ? incidentIdForKey(options.idempotencyKey)
    : (deps.newId ?? (() => `inc_${ulid()}`))();
  const fresh = newIncident(input, { id, ...filing }, now, actor);
  if (Date.parse(fresh.at) > Date.parse(now) + clockSkewMs) {
    throw new ValidationError([{ field: 'at', problem: 'must not be in the future' }]);
  }
  const created = await deps.incidents.create(fresh);
  // 13.1: only the request that created the incident counts it (P6); a failure is a warning in the log.
  if (created && deps.reportTotals)
    await recordIncidentTotals(fresh, deps.reportTotals).catch((error: unknown) =>
      deps.log?.warn('report totals not updated', {
        incidentId: id,
        error: error instanceof Error ? error.name : 'unknown',
      }),
    );
  const incident = created ? fresh : await deps.incidents.load(id);
  if (!incident) throw new Error(`incident ${id} was stored but cannot be read`);
  if (!incident.publishedAt) await completeEffects(incident, now, deps);

  const record = incident.customerId ? await deps.register.loadCustomer(incident.customerId) : undefined;
  const escalation = record ? escalationOf(record.steps, record.restrictions, now) : undefined;
  return {
    incident,
    replayed: !created,
    ...(escalation ? { escalation } : {}),
    suggestion: suggestNextStep(incident, escalation),
    warnings,
  };
}

/** On whom the incident is filed: the customer given, the one customer the caller's identities name, or the identities. */
async function filingOf(
  input: ReturnType<typeof incidentInputSchema.parse>,
  deps: IncidentDeps,
  warnings: string[],
): Promise<{ customerId?: string; subjects: string[] }> {
  if (input.customerId) {
    const record = await deps.register.loadCustomer(input.customerId);
    if (!record) throw new NotFoundError(`no customer ${input.customerId} in the register`);
    return { customerId: record.customer.id, subjects: [record.customer.id] };
  }
  const keys = callerKeys(input.caller ?? {});
  const holders = [...(await deps.register.findCustomersByIdentities(keys)).keys()];
  if (holders.length === 1) return { customerId: holders[0]!, subjects: [holders[0]!] };
  if (holders.length > 1) {
    warnings.push(
      `The caller's details match ${holders.length} customers (${holders.join(', ')}); the incident is filed on the details given. Record it on the right customer's page if you know who it was.`,
    );
  }
  return { subjects: keys.map(incidentSubjectOf) };
}

/** Files the note, publishes its events and marks them published: each step safe to repeat. */
async function completeEffects(incident: Incident, now: Instant, deps: IncidentDeps): Promise<void> {
  await deps.incidents.file(
    incident,
    incident.customerId ? incidentAudit(incident, incident.customerId) : undefined,
  );
  await publishOrExplain(incident, now, deps);
  await deps.incidents.markPublished(incident.id, now);
}

async function publishAll(events: PublishedEvent[], now: Instant, deps: IncidentDeps) {
  let status: 'published' | 'failed' = 'published';
  let failure: unknown;
  try {
    await deps.events.publish(events);
  } catch (error) {
    status = 'failed';
    failure = error;
  }
  for (const event of events) {
    await deps.eventLog.recordEvent(event, now, status).catch((error: unknown) =>
      deps.log?.warn('incident event not recorded', {
        detailType: event.detailType,
        error: error instanceof Error ? error.name : 'unknown',
      }),
    );
  }
  // Not published: the request fails, and sending it again (same Idempotency-Key) publishes them.
  if (failure) throw failure;
}

async function publishOrExplain(incident: Incident, now: Instant, deps: IncidentDeps) {
  try {
    await publishAll(incidentEvents(incident), now, deps);
  } catch (error) {
    throw new IncidentNotPublishedError(incident.id, { cause: error });
  }
}

/** The audit entry (12.1) of an incident on a customer: its id follows the incident's, so filing twice keeps one. */
export function incidentAudit(
  incident: Incident,
  customerId: string,
  action: 'incident-recorded' | 'incidents-joined' = 'incident-recorded',
): AuditEntry {
  return {
    id: `aud_${incident.id}${action === 'incidents-joined' ? '_joined' : ''}`,
    customerId,
    action,
    subjectId: incident.id,
    actor: incident.actor,
    at: action === 'incident-recorded' ? incident.recordedAt : toInstant(new Date()),
    changes: {
      kind: { to: incident.kind },
      severity: { to: incident.severity },
      channel: { to: incident.channel },
      at: { to: incident.at },
    },
  };
}
