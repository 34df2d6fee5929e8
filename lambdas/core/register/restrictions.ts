import { adjustmentConflicts } from '../conflicts';
import type { Customer } from '../customer';
import { wasWarned } from '../escalation';
import type { LetterKind } from '../letters';
import {
  type AuditAction,
  ConflictError,
  NotFoundError,
  type RegisterChange,
  type StoredLetter,
} from '../ports';
import {
  type Restriction,
  restrictionInputSchema,
  restrictionStatus,
  unacknowledgedConflicts,
} from '../restriction';
import type { Instant } from '../time';
import { parseOrThrow, ValidationError } from '../validation';
import { auditOf, diff, withoutUndefined } from './audit';
import { clock, ids, type RegisterChangeDeps, type RegisterDeps } from './context';
import { letterAudit, noPostalAddressWarning, summaryOf, writeLetter } from './informing-letters';

/**
 * Records a restriction a person decided (P2, 7.3, 8.2) and writes the informing letter (8.1).
 * The customer must exist; a restriction of the same type (and topic) whose period overlaps is
 * refused as a duplicate; without a recorded warning (7.2.1) a reason is required (8.3); clashes
 * with reasonable adjustments are saved with a warning until acknowledged.
 */
export async function imposeRestriction(body: unknown, actor: string, deps: RegisterChangeDeps) {
  const { acknowledgeConflicts, ...input } = parseOrThrow(restrictionInputSchema, body);
  const now = clock(deps);
  const newId = ids(deps);
  const record = await deps.store.loadCustomer(input.customerId);
  if (!record) throw new NotFoundError(`customerId: no customer ${input.customerId} in the register`);
  if (!wasWarned(record.steps) && !input.withoutWarningReason) {
    throw new ValidationError([
      {
        field: 'withoutWarningReason',
        problem:
          'no warning (7.2.1) or written notice (7.2.2) is recorded for this customer; record one first (POST /admin/customers/{id}/escalation) or give the reason for restricting without warning (e.g. threats, 8.3)',
      },
    ]);
  }
  const clash = record.restrictions.find(
    (existing) =>
      existing.type === input.type &&
      (existing.type !== 'topic-no-reply' ||
        input.type !== 'topic-no-reply' ||
        sameTopic(existing.topic, input.topic)) &&
      existing.liftedAt === undefined &&
      existing.startsAt < input.endsAt &&
      input.startsAt < existing.endsAt,
  );
  if (clash) {
    throw new ConflictError(
      `restriction ${clash.id} of type ${clash.type} already covers part of this period; extend or lift it instead`,
    );
  }
  const conflicts = adjustmentConflicts(input, record.customer);
  const restriction: Restriction = {
    ...input,
    id: newId('res'),
    createdAt: now,
    createdBy: actor,
    ...(conflicts.length > 0 ? { conflicts } : {}),
    ...(conflicts.length > 0 && acknowledgeConflicts
      ? { conflictsAcknowledged: { by: input.decidedBy, at: now, reason: 'acknowledged when imposed' } }
      : {}),
  };
  const letter = await writeLetter('restriction-imposed', record.customer, restriction, actor, now, deps);
  await deps.store.applyChange({
    customerId: record.customer.id,
    expectedVersion: record.customer.version ?? 0,
    at: now,
    newRestriction: restriction,
    letter,
    audit: [
      auditOf(record.customer.id, 'restriction-imposed', restriction.id, actor, now, newId, input.reason, {
        restriction: { to: withoutUndefined(restriction) },
      }),
      letterAudit(letter, actor, now, newId),
    ],
  });
  return withLetter(present(restriction, now), letter, record.customer);
}

/** A restriction with what a reader needs: its status now and any warnings to act on. */
export function present(restriction: Restriction, now: Instant) {
  const conflicts = unacknowledgedConflicts(restriction);
  return {
    ...restriction,
    status: restrictionStatus(restriction, now),
    warnings: conflicts.map(
      (conflict) =>
        `${conflict.warning} (acknowledge: POST /admin/restrictions/${restriction.id}/acknowledge-conflicts)`,
    ),
  };
}

/** A restriction and the letter its change wrote (8.1), with a warning when the letter cannot be posted. */
function withLetter(restriction: ReturnType<typeof present>, letter: StoredLetter, customer: Customer) {
  const unpostable = noPostalAddressWarning(customer, letter);
  return {
    ...restriction,
    warnings: [...restriction.warnings, ...(unpostable ? [unpostable] : [])],
    letter: summaryOf(letter),
  };
}

/**
 * A restriction with its customer, from one read of the customer's part of the register: the
 * restriction a change is decided on is the one of the version the change is applied to.
 */
async function loadRestrictionOrThrow(restrictionId: string, deps: RegisterDeps) {
  const customerId = await deps.store.customerHolding(restrictionId);
  const record = customerId ? await deps.store.loadCustomer(customerId) : undefined;
  const restriction = record?.restrictions.find((r) => r.id === restrictionId);
  if (!record || !restriction) throw new NotFoundError(`no restriction ${restrictionId} in the register`);
  return { restriction, record };
}

export async function readRestriction(restrictionId: string, deps: RegisterDeps) {
  const { restriction } = await loadRestrictionOrThrow(restrictionId, deps);
  return present(restriction, clock(deps));
}

/** A change to a restriction: the restriction after it, the audited action and why, and the letter it needs (8.1). */
export interface RestrictionDecision {
  after: Restriction;
  action: AuditAction;
  why?: string;
  letter?: LetterKind;
}

/**
 * Changes a restriction already in the register: the change is decided on what was read, applied
 * only if nothing changed meanwhile, audited field by field and, where 8.1 asks, written to the
 * customer in a letter.
 */
export async function changeRestriction(
  restrictionId: string,
  actor: string,
  deps: RegisterDeps & Partial<RegisterChangeDeps>,
  decide: (restriction: Restriction, now: Instant) => RestrictionDecision,
) {
  const now = clock(deps);
  const newId = ids(deps);
  const { restriction: before, record } = await loadRestrictionOrThrow(restrictionId, deps);
  const { after, action, why, letter: letterKind } = decide(before, now);
  const letter =
    letterKind && deps.letters && deps.council
      ? await writeLetter(letterKind, record.customer, after, actor, now, deps as RegisterChangeDeps, before)
      : undefined;
  const change: RegisterChange = {
    customerId: before.customerId,
    expectedVersion: record.customer.version ?? 0,
    at: now,
    restriction: { before, after },
    audit: [
      auditOf(before.customerId, action, before.id, actor, now, newId, why, diff(before, after)),
      ...(letter ? [letterAudit(letter, actor, now, newId)] : []),
    ],
    ...(letter ? { letter } : {}),
  };
  await deps.store.applyChange(change);
  return letter ? withLetter(present(after, now), letter, record.customer) : present(after, now);
}

/** Topics are compared as staff type them, ignoring case and surrounding spaces. */
const sameTopic = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
