import { monotonicFactory } from 'ulid';
import { z } from 'zod';
import { escalationOf, escalationStepInputSchema } from './escalation';
import type { FrequencyAlertDetail } from './events';
import { type AuditEntry, ConflictError, NotFoundError, type RegisterStore } from './ports';
import { type RegisterDeps, recordEscalationStep } from './register';
import { type Instant, toInstant } from './time';
import { parseOrThrow, ValidationError } from './validation';

/**
 * What a manager decided about a frequency alert (4.2.7, 4.2.8, 4.2.12). The system only counts and
 * alerts; a person looks at the pattern and decides (P2). Recording the outcome closes the alert.
 * One rule per outcome (STYLE 9): its clause, its title, and the escalation step it also records.
 */
export const alertOutcomeRules = {
  'no-action': { clause: undefined, title: 'No action needed', step: undefined },
  // 7.2.1: the customer is contacted and asked to moderate their behaviour.
  'customer-contacted': {
    clause: '7.2.1',
    title: 'Customer contacted and asked to moderate their contact',
    step: undefined,
  },
  // 7.2.1: the contact explained what may follow, so it is the warning of staged escalation.
  'warning-given': { clause: '7.2.1', title: 'Warning given', step: 'warning-given' },
} as const;
export type AlertOutcomeKind = keyof typeof alertOutcomeRules;
export const alertOutcomeKinds = Object.keys(alertOutcomeRules) as [AlertOutcomeKind, ...AlertOutcomeKind[]];

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

/** POST /admin/alerts/{id}/outcome, and the console's outcome form (the same field names). */
export const alertOutcomeInputSchema = z
  .strictObject({
    outcome: z.enum(alertOutcomeKinds, { error: `must be one of: ${alertOutcomeKinds.join(', ')}` }),
    note: text(4000).optional(),
    /** The person who decided (the console sends the signed-in person's name); the actor otherwise. */
    recordedBy: text(200).optional(),
    /** 7.2.1: how the customer was told (phone, letter, email, in-person); required for a warning. */
    how: escalationStepInputSchema.shape.how,
  })
  .superRefine((input, ctx) => {
    if (input.outcome === 'warning-given' && !input.how) {
      ctx.addIssue({
        code: 'custom',
        path: ['how'],
        message: 'say how the customer was warned: phone, letter, email or in-person (7.2.1)',
      });
    }
  });
export type AlertOutcomeInput = z.infer<typeof alertOutcomeInputSchema>;

/** An outcome as stored: written once per alert (a second is refused), never changed. */
export const alertOutcomeSchema = z.object({
  alertId: z.string(),
  outcome: z.enum(alertOutcomeKinds),
  clause: z.string().optional(),
  note: z.string().optional(),
  how: z.string().optional(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  /** Who made the request (the console: name and subject; scripts: the IAM principal). */
  actor: z.string(),
  customerId: z.string().optional(),
  /** When the alert was raised. */
  alertAt: z.string(),
  /** Whether the warning was recorded as an escalation step on the customer (7.2.1). */
  escalationStepRecorded: z.boolean(),
});
export type AlertOutcome = z.infer<typeof alertOutcomeSchema>;

export const alertStates = ['open', 'closed'] as const;
export type AlertState = (typeof alertStates)[number];

/** GET /admin/alerts and the console's alert list: by customer, by state, newest first. */
export const alertListQuerySchema = z.strictObject({
  customerId: z.string().min(1).max(100).optional(),
  state: z.enum(alertStates, { error: 'must be open or closed' }).optional(),
  /** How many recent alerts to read (1–500, default 100); a bad number reads the default. */
  limit: z
    .union([z.string(), z.number()])
    .optional()
    .transform((value) => Math.min(500, Math.max(1, Number(value ?? 100) || 100))),
});
export type AlertListQuery = z.input<typeof alertListQuerySchema>;

/** A recorded alert event as the event log keeps it. */
export interface RecordedAlert {
  at: string;
  detailType: string;
  detail: unknown;
  /** Whether it reached the bus: `published` or `failed`. */
  status: string;
  /** When the store removes the event (epoch seconds, TTL), if it says. */
  expiresAt?: number;
}

/** The frequency alerts recorded (the event log: DynamoFrequencyStore.listAlerts). */
export interface AlertLog {
  listAlerts(options: { customerId?: string; limit: number }): Promise<RecordedAlert[]>;
}

/** Outcomes of alerts, and the one alert an outcome is recorded for. */
export interface AlertOutcomeStore {
  /** The recorded alert with this `alertId`, if it is still kept. */
  findAlert(alertId: string): Promise<RecordedAlert | undefined>;
  /** Stores the outcome unless the alert has one (conditional put): false when it had. Kept as long as the alert. */
  saveOutcome(outcome: AlertOutcome, alert: RecordedAlert): Promise<boolean>;
  /** Takes an outcome back when what it also records could not be written. */
  removeOutcome(alertId: string): Promise<void>;
  /** The outcomes of these alerts, by alert id (those without one are missing). */
  loadOutcomes(alertIds: readonly string[]): Promise<Map<string, AlertOutcome>>;
}

/** An alert with its outcome: `open` until a manager records one, then `closed`. */
export interface AlertView {
  alertId: string;
  at: string;
  detailType: string;
  detail: FrequencyAlertDetail;
  /** Whether it reached the bus (`published`, `failed`); see `state` for whether it is dealt with. */
  status: string;
  /** The register customer it is about; absent for a sender not in the register. */
  customerId?: string;
  customerName?: string;
  state: AlertState;
  outcome?: AlertOutcome;
}

/** Joins an alert with its outcome (and its customer's name). Undefined for an event without an alert id. Pure. */
export function alertViewOf(
  alert: RecordedAlert,
  outcome: AlertOutcome | undefined,
  names: ReadonlyMap<string, string> = new Map(),
): AlertView | undefined {
  const detail = alert.detail as FrequencyAlertDetail | undefined;
  if (typeof detail?.alertId !== 'string') return undefined;
  const customerId = detail.subject?.kind === 'customer' ? detail.subject.customerId : undefined;
  const name = customerId ? names.get(customerId) : undefined;
  return {
    alertId: detail.alertId,
    at: alert.at,
    detailType: alert.detailType,
    detail,
    status: alert.status,
    ...(customerId ? { customerId } : {}),
    ...(name ? { customerName: name } : {}),
    state: outcome ? 'closed' : 'open',
    ...(outcome ? { outcome } : {}),
  };
}

export interface AlertReadDeps {
  alerts: AlertLog;
  outcomes: Pick<AlertOutcomeStore, 'loadOutcomes'>;
  /** With it, each alert carries its customer's name (the console shows names to staff). */
  store?: Pick<RegisterStore, 'listCustomers'>;
}

/**
 * Recent frequency alerts with their outcomes, newest first: the `limit` most recent are read, then
 * filtered by `state`. The event log keeps alerts 90 days; the audit trail keeps outcomes for good.
 */
export async function listAlertsWithOutcomes(query: unknown, deps: AlertReadDeps): Promise<AlertView[]> {
  const { customerId, state, limit } = parseOrThrow(alertListQuerySchema, query ?? {});
  const [alerts, customers] = await Promise.all([
    deps.alerts.listAlerts({ ...(customerId ? { customerId } : {}), limit }),
    deps.store ? deps.store.listCustomers() : Promise.resolve([]),
  ]);
  const ids = alerts.flatMap((alert) => {
    const id = (alert.detail as { alertId?: unknown } | undefined)?.alertId;
    return typeof id === 'string' ? [id] : [];
  });
  const outcomes = await deps.outcomes.loadOutcomes(ids);
  const names = new Map(customers.map((customer) => [customer.id, customer.name]));
  return alerts
    .flatMap((alert) => {
      const view = alertViewOf(alert, undefined, names);
      return view ? [alertViewOf(alert, outcomes.get(view.alertId), names) as AlertView] : [];
    })
    .filter((view) => state === undefined || view.state === state);
}

export interface AlertDetailDeps {
  outcomes: Pick<AlertOutcomeStore, 'findAlert' | 'loadOutcomes'>;
  store: Pick<RegisterStore, 'loadCustomer'>;
}

async function loadAlertOrThrow(alertId: string, deps: AlertDetailDeps) {
  const alert = await deps.outcomes.findAlert(alertId);
  const view = alert && alertViewOf(alert, undefined);
  if (!alert || !view) throw new NotFoundError(`no alert ${alertId} (alerts are kept 90 days)`);
  const record = view.customerId ? await deps.store.loadCustomer(view.customerId) : undefined;
  return { alert, view, record };
}

const namesOf = (record: { customer: { id: string; name: string } } | undefined) =>
  new Map(record ? [[record.customer.id, record.customer.name]] : []);

/** One alert with its outcome and its customer's name (the console's alert page, GET /admin/alerts/{id}). */
export async function readAlert(alertId: string, deps: AlertDetailDeps): Promise<AlertView> {
  const { alert, record } = await loadAlertOrThrow(alertId, deps);
  const outcome = (await deps.outcomes.loadOutcomes([alertId])).get(alertId);
  return alertViewOf(alert, outcome, namesOf(record)) as AlertView;
}

export interface AlertOutcomeDeps {
  /** The register: the warning is recorded there as an escalation step, and every outcome audited. */
  register: RegisterDeps;
  outcomes: AlertOutcomeStore;
}

const ulid = monotonicFactory();
const defaultNow = () => toInstant(new Date());

/**
 * Records a manager's outcome for an alert, which closes it (POST /admin/alerts/{id}/outcome).
 * Written once: a second outcome for the same alert is refused (409). `warning-given` also records
 * the escalation step on the customer (7.2.1), as POST /admin/customers/{id}/escalation does; every
 * outcome about a register customer is written to their audit trail (12.1). If the step or the
 * audit entry cannot be written, the outcome is taken back and the alert stays open.
 */
export async function recordAlertOutcome(
  alertId: string,
  body: unknown,
  actor: string,
  deps: AlertOutcomeDeps,
) {
  const input = parseOrThrow(alertOutcomeInputSchema, body);
  const rule = alertOutcomeRules[input.outcome];
  const register = deps.register;
  const clock = register.now ?? defaultNow;
  const now = clock();
  const { alert, view, record } = await loadAlertOrThrow(alertId, {
    outcomes: deps.outcomes,
    store: register.store,
  });
  if (rule.step && !record) {
    throw new ValidationError([
      {
        field: 'outcome',
        problem: view.customerId
          ? `customer ${view.customerId} is no longer in the register; a warning cannot be recorded on them`
          : 'this alert is about a sender who is not in the register: register them first, then record the warning on the customer (7.2.1)',
      },
    ]);
  }
  const recordedBy = input.recordedBy ?? actor;
  const outcome: AlertOutcome = {
    alertId: view.alertId,
    outcome: input.outcome,
    ...(rule.clause ? { clause: rule.clause } : {}),
    ...(input.note ? { note: input.note } : {}),
    ...(input.how ? { how: input.how } : {}),
    recordedBy,
    recordedAt: now,
    actor,
    ...(record ? { customerId: record.customer.id } : {}),
    alertAt: alert.at,
    escalationStepRecorded: rule.step !== undefined,
  };
  if (!(await deps.outcomes.saveOutcome(outcome, alert))) {
    const existing = (await deps.outcomes.loadOutcomes([view.alertId])).get(view.alertId);
    throw new ConflictError(
      `alert ${view.alertId} is already closed${existing ? `: "${existing.outcome}" was recorded by ${existing.recordedBy} at ${existing.recordedAt}` : ''}`,
    );
  }
  try {
    const escalation =
      rule.step && record
        ? await recordEscalationStep(
            record.customer.id,
            {
              step: rule.step,
              how: input.how,
              by: recordedBy,
              note: `After frequency alert ${view.alertId} (${view.detail.clause})${input.note ? `: ${input.note}` : ''}`,
              // The alert is the concern (7.2): a warning straight after it leaves no step out unexplained.
              ...(escalationOf(record.steps, record.restrictions, now).stage === 'none'
                ? { skipReason: `the concern was raised by frequency alert ${view.alertId}` }
                : {}),
            },
            actor,
            register,
          )
        : undefined;
    // Stamped when written, so that it follows the step's own entry in the trail.
    if (record) await appendAudit(auditOfOutcome(outcome, clock(), register), register);
    return {
      ...(alertViewOf(alert, outcome, namesOf(record)) as AlertView),
      ...(escalation ? { escalation } : {}),
    };
  } catch (error) {
    // A warning recorded before a failed audit entry stays recorded (with its own audit entry);
    // the alert reopens so that the outcome can be recorded again.
    await deps.outcomes.removeOutcome(view.alertId).catch(() => undefined);
    throw error;
  }
}

function auditOfOutcome(outcome: AlertOutcome, at: Instant, deps: RegisterDeps): AuditEntry {
  return {
    id: deps.newId ? deps.newId('aud') : `aud_${ulid()}`,
    customerId: outcome.customerId ?? '',
    at,
    actor: outcome.actor,
    action: 'alert-outcome-recorded',
    subjectId: outcome.alertId,
    ...(outcome.note ? { why: outcome.note } : {}),
    changes: {
      outcome: { to: outcome.outcome },
      recordedBy: { to: outcome.recordedBy },
      ...(outcome.how ? { how: { to: outcome.how } } : {}),
      ...(outcome.escalationStepRecorded ? { escalationStep: { to: 'warning-given' } } : {}),
    },
  };
}

/**
 * An audit entry on its own, through the register's one way of writing (applyChange, 12.1). It moves
 * the customer's version on, so it is retried on the version read again if another change landed.
 */
async function appendAudit(entry: AuditEntry, deps: RegisterDeps, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const record = await deps.store.loadCustomer(entry.customerId);
    if (!record) throw new NotFoundError(`no customer ${entry.customerId} in the register`);
    try {
      await deps.store.applyChange({
        customerId: entry.customerId,
        expectedVersion: record.customer.version ?? 0,
        at: entry.at,
        audit: [entry],
      });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
}
