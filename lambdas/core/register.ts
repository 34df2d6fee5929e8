import { monotonicFactory } from 'ulid';
import { adjustmentConflicts } from './conflicts';
import { type Customer, customerInputSchema, customerPatchSchema, editableFields } from './customer';
import { escalationOf, escalationStepInputSchema, newStep, stepProblem, wasWarned } from './escalation';
import { identityKeysOf } from './identity';
import { composeLetter, type LetterInput, type LetterKind, letterText, renderLetterHtml } from './letters';
import {
  type AuditAction,
  type AuditEntry,
  ConflictError,
  type CustomerRecord,
  type LetterRenderer,
  NotFoundError,
  type RegisterChange,
  type RegisterStore,
  type StoredLetter,
} from './ports';
import {
  type Restriction,
  type RestrictionStatus,
  restrictionInputSchema,
  restrictionStatus,
  unacknowledgedConflicts,
} from './restriction';
import {
  acknowledgeConflictsInputSchema,
  advisedInputSchema,
  extendInputSchema,
  liftInputSchema,
  reviewInputSchema,
} from './restriction-actions';
import { type ContactToScreen, type RegisterMatch, type ScreeningDecision, screenContact } from './screen';
import { defaultReviewAt, type Instant, toInstant } from './time';
import { parseOrThrow, ValidationError } from './validation';

type IdPrefix = 'cus' | 'res' | 'aud' | 'let' | 'esc';

export interface RegisterDeps {
  store: RegisterStore;
  now?: () => Instant;
  newId?: (prefix: IdPrefix) => string;
}

/** What changing restrictions needs besides the register: letters are written whenever one is imposed, extended or lifted (8.1). */
export interface RegisterChangeDeps extends RegisterDeps {
  letters: LetterRenderer;
  council: LetterInput['council'];
}

const defaultNow = () => toInstant(new Date());
/** Monotonic: ids made in the same millisecond still sort in the order they were made (audit entries). */
const ulid = monotonicFactory();
const defaultNewId = (prefix: string) => `${prefix}_${ulid()}`;
const clock = (deps: RegisterDeps) => (deps.now ?? defaultNow)();
const ids = (deps: RegisterDeps) => deps.newId ?? defaultNewId;

/** The longest list of candidate customers a single contact is screened against (guards the hot path). */
const maxCandidates = 10;

/**
 * Registers a customer (12.1.1). Identities another customer already holds are accepted but
 * reported as warnings: the person may be registered twice, which a manager should resolve.
 */
export async function registerCustomer(body: unknown, actor: string, deps: RegisterDeps) {
  const input = parseOrThrow(customerInputSchema, body);
  const now = clock(deps);
  const newId = ids(deps);
  const customer: Customer = { ...input, id: newId('cus'), createdAt: now, createdBy: actor, version: 0 };
  const warnings = await sharedIdentityWarnings(customer, deps);
  await deps.store.saveNewCustomer(customer, {
    ...auditOf(customer.id, 'customer-registered', customer.id, actor, now, newId),
  });
  return { customer, warnings };
}

async function sharedIdentityWarnings(customer: Customer, deps: RegisterDeps) {
  const shared = await deps.store.findCustomersByIdentities(identityKeysOf(customer));
  return [...shared.entries()]
    .filter(([otherId]) => otherId !== customer.id)
    .map(
      ([otherId, kinds]) =>
        `customer ${otherId} already has the same ${kinds.join(' and ')}; is this the same person?`,
    );
}

async function loadOrThrow(customerId: string, deps: RegisterDeps): Promise<CustomerRecord> {
  const record = await deps.store.loadCustomer(customerId);
  if (!record) throw new NotFoundError(`no customer ${customerId} in the register`);
  return record;
}

/**
 * Changes a customer's details (PATCH). The whole result is validated as a registration would be;
 * identities added are indexed before the profile changes and those removed only after, so the
 * register never fails to recognise the customer in between.
 */
export async function updateCustomer(customerId: string, body: unknown, actor: string, deps: RegisterDeps) {
  const patch = parseOrThrow(customerPatchSchema, body) as Record<string, unknown> & { why: string };
  const now = clock(deps);
  const record = await loadOrThrow(customerId, deps);
  const before = record.customer;
  const { why, ...fields } = patch;
  const merged: Record<string, unknown> = { ...editableFields(before), ...fields };
  for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key];
  const input = parseOrThrow(customerInputSchema, merged);
  const after: Customer = {
    ...input,
    id: before.id,
    createdAt: before.createdAt,
    createdBy: before.createdBy,
    updatedAt: now,
    version: (before.version ?? 0) + 1,
  };
  const changes = diff(editableFields(before), editableFields(after));
  if (Object.keys(changes).length === 0) return { customer: before, warnings: [] as string[] };
  const keysBefore = new Map(identityKeysOf(before).map((k) => [`${k.kind}#${k.value}`, k]));
  const keysAfter = new Map(identityKeysOf(after).map((k) => [`${k.kind}#${k.value}`, k]));
  await deps.store.applyChange({
    customerId,
    expectedVersion: before.version ?? 0,
    at: now,
    profile: { before, after },
    identities: {
      add: [...keysAfter].filter(([k]) => !keysBefore.has(k)).map(([, v]) => v),
      remove: [...keysBefore].filter(([k]) => !keysAfter.has(k)).map(([, v]) => v),
    },
    audit: [auditOf(customerId, 'customer-changed', customerId, actor, now, ids(deps), why, changes)],
  });
  return { customer: after, warnings: await sharedIdentityWarnings(after, deps) };
}

/** Records a step of staged escalation (7.2.1, 7.2.2) and answers where the customer now stands. */
export async function recordEscalationStep(
  customerId: string,
  body: unknown,
  actor: string,
  deps: RegisterDeps,
) {
  const input = parseOrThrow(escalationStepInputSchema, body);
  const now = clock(deps);
  const record = await loadOrThrow(customerId, deps);
  const problem = stepProblem(input, escalationOf(record.steps, record.restrictions, now));
  if (problem?.conflict) throw new ConflictError(`${problem.field}: ${problem.problem}`);
  if (problem) throw new ValidationError([problem]);
  const step = newStep(input, { id: ids(deps)('esc'), customerId }, now, actor);
  await deps.store.applyChange({
    customerId,
    expectedVersion: record.customer.version ?? 0,
    at: now,
    step,
    audit: [
      auditOf(customerId, 'escalation-recorded', step.id, actor, now, ids(deps), input.note, {
        step: { to: step.step },
        at: { to: step.at },
        ...(step.how ? { how: { to: step.how } } : {}),
        by: { to: step.by },
        ...(step.skipReason ? { skipReason: { to: step.skipReason } } : {}),
      }),
    ],
  });
  return escalationOf([...record.steps, step], record.restrictions, now);
}

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
  return { ...present(restriction, now), letter: summaryOf(letter) };
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

/**
 * Changes a restriction already in the register: the change is decided on what was read, applied
 * only if nothing changed meanwhile, audited field by field and, where 8.1 asks, written to the
 * customer in a letter.
 */
async function changeRestriction(
  restrictionId: string,
  actor: string,
  deps: RegisterDeps & Partial<RegisterChangeDeps>,
  decide: (
    restriction: Restriction,
    now: Instant,
  ) => { after: Restriction; action: AuditAction; why?: string; letter?: LetterKind },
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
  return { ...present(after, now), ...(letter ? { letter: summaryOf(letter) } : {}) };
}

const refuseIfOver = (restriction: Restriction, now: Instant, doing: string) => {
  const status = restrictionStatus(restriction, now);
  if (status === 'lifted')
    throw new ConflictError(`restriction ${restriction.id} was already lifted; it cannot be ${doing}`);
  if (status === 'ended') {
    throw new ConflictError(
      `restriction ${restriction.id} has ended; it cannot be ${doing} (impose a new one if it is needed)`,
    );
  }
};

/** Ends a restriction now (P2: a person decides); the customer is written to (8.1). */
export function liftRestriction(
  restrictionId: string,
  body: unknown,
  actor: string,
  deps: RegisterChangeDeps,
) {
  const input = parseOrThrow(liftInputSchema, body);
  return changeRestriction(restrictionId, actor, deps, (restriction, now) => {
    refuseIfOver(restriction, now, 'lifted');
    return {
      after: { ...restriction, liftedAt: now, liftedBy: input.decidedBy, liftReason: input.reason },
      action: 'restriction-lifted',
      why: input.reason,
      letter: 'restriction-lifted',
    };
  });
}

/** 10.1: extends the period; the customer must be advised again, so the advice date is cleared. */
export function extendRestriction(
  restrictionId: string,
  body: unknown,
  actor: string,
  deps: RegisterChangeDeps,
) {
  const input = parseOrThrow(extendInputSchema, body);
  return changeRestriction(restrictionId, actor, deps, (restriction, now) => {
    refuseIfOver(restriction, now, 'extended');
    if (input.endsAt <= restriction.endsAt) {
      throw new ValidationError([
        { field: 'endsAt', problem: `must be after the current end (${restriction.endsAt})` },
      ]);
    }
    const reviewAt = input.reviewAt ?? defaultReviewAt(now);
    if (reviewAt < now)
      throw new ValidationError([{ field: 'reviewAt', problem: 'must not be in the past' }]);
    const { customerAdvisedAt: _advised, customerAdvisedHow: _how, ...rest } = restriction;
    return {
      after: {
        ...rest,
        endsAt: input.endsAt,
        reviewAt,
        extensions: [
          ...(restriction.extensions ?? []),
          {
            at: now,
            by: input.decidedBy,
            reason: input.reason,
            previousEndsAt: restriction.endsAt,
            previousReviewAt: restriction.reviewAt,
          },
        ],
      },
      action: 'restriction-extended',
      why: input.reason,
      letter: 'restriction-extended',
    };
  });
}

/** 10.1: the review kept the restriction as it is; the next review date is set. */
export function recordReview(restrictionId: string, body: unknown, actor: string, deps: RegisterDeps) {
  const input = parseOrThrow(reviewInputSchema, body);
  return changeRestriction(restrictionId, actor, deps, (restriction, now) => {
    refuseIfOver(restriction, now, 'reviewed');
    if (input.nextReviewAt <= now) {
      throw new ValidationError([{ field: 'nextReviewAt', problem: 'must be in the future' }]);
    }
    return {
      after: {
        ...restriction,
        reviewAt: input.nextReviewAt,
        reviews: [
          ...(restriction.reviews ?? []),
          {
            at: now,
            by: input.reviewedBy,
            notes: input.notes,
            nextReviewAt: input.nextReviewAt,
            previousReviewAt: restriction.reviewAt,
          },
        ],
      },
      action: 'restriction-reviewed',
      why: input.notes,
    };
  });
}

/** 12.1.4: records when the customer and the services were advised (sending letters stays a human act). */
export function recordAdvised(restrictionId: string, body: unknown, actor: string, deps: RegisterDeps) {
  const input = parseOrThrow(advisedInputSchema, body);
  return changeRestriction(restrictionId, actor, deps, (restriction) => ({
    after: {
      ...restriction,
      ...(input.customerAdvisedAt ? { customerAdvisedAt: input.customerAdvisedAt } : {}),
      ...(input.servicesAdvisedAt ? { servicesAdvisedAt: input.servicesAdvisedAt } : {}),
      ...(input.how ? { customerAdvisedHow: input.how } : {}),
    },
    action: 'restriction-advised',
  }));
}

/** A manager accepts the clashes with reasonable adjustments, with a reason; the warning goes. */
export function acknowledgeConflicts(
  restrictionId: string,
  body: unknown,
  actor: string,
  deps: RegisterDeps,
) {
  const input = parseOrThrow(acknowledgeConflictsInputSchema, body);
  return changeRestriction(restrictionId, actor, deps, (restriction, now) => {
    if ((restriction.conflicts ?? []).length === 0) {
      throw new ConflictError(
        `restriction ${restriction.id} has no clashes with reasonable adjustments to acknowledge`,
      );
    }
    if (restriction.conflictsAcknowledged) {
      throw new ConflictError(`the clashes of restriction ${restriction.id} were already acknowledged`);
    }
    return {
      after: {
        ...restriction,
        conflictsAcknowledged: { by: input.by ?? actor, at: now, reason: input.reason },
      },
      action: 'conflicts-acknowledged',
      why: input.reason,
    };
  });
}

async function writeLetter(
  kind: LetterKind,
  customer: Customer,
  restriction: Restriction,
  actor: string,
  now: Instant,
  deps: RegisterChangeDeps,
  before?: Restriction,
): Promise<StoredLetter> {
  const letterId = ids(deps)('let');
  const letter = composeLetter({
    kind,
    letterId,
    date: now,
    council: deps.council,
    customer: {
      name: customer.name,
      ...(customer.address ? { address: customer.address } : {}),
      ...(customer.postcode ? { postcode: customer.postcode } : {}),
    },
    restriction,
    ...(kind === 'restriction-extended' && before
      ? { previous: { endsAt: before.endsAt, reviewAt: before.reviewAt } }
      : {}),
    ...(kind === 'restriction-lifted' && restriction.liftedAt
      ? { lift: { at: restriction.liftedAt, reason: restriction.liftReason ?? '' } }
      : {}),
    signedBy: kind === 'restriction-lifted' ? (restriction.liftedBy ?? actor) : restriction.decidedBy,
  });
  return {
    id: letterId,
    customerId: customer.id,
    restrictionId: restriction.id,
    kind,
    subject: letter.subject,
    createdAt: now,
    createdBy: actor,
    html: renderLetterHtml(letter),
    text: letterText(letter),
    pdf: await deps.letters.pdf(letter),
  };
}

const summaryOf = ({ html: _h, text: _t, pdf: _p, ...summary }: StoredLetter) => ({
  ...summary,
  links: { html: `/admin/letters/${summary.id}?format=html`, pdf: `/admin/letters/${summary.id}?format=pdf` },
});

const letterAudit = (letter: StoredLetter, actor: string, at: Instant, newId: (p: 'aud') => string) =>
  auditOf(letter.customerId, 'letter-generated', letter.id, actor, at, newId, undefined, {
    kind: { to: letter.kind },
    restrictionId: { to: letter.restrictionId },
  });

const sameTopic = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function auditOf(
  customerId: string,
  action: AuditAction,
  subjectId: string,
  actor: string,
  at: Instant,
  newId: (prefix: 'aud') => string,
  why?: string,
  changes?: AuditEntry['changes'],
): AuditEntry {
  return {
    id: newId('aud'),
    customerId,
    action,
    subjectId,
    actor,
    at,
    ...(why ? { why } : {}),
    ...(changes && Object.keys(changes).length > 0 ? { changes } : {}),
  };
}

const withoutUndefined = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as T;

/** Field by field, what a change did (the audit trail's "what changed"). */
export function diff(before: object, after: object): NonNullable<AuditEntry['changes']> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: NonNullable<AuditEntry['changes']> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    changes[key] = {
      ...(a[key] !== undefined ? { from: a[key] } : {}),
      ...(b[key] !== undefined ? { to: b[key] } : {}),
    };
  }
  return changes;
}

export type RegisterRow = Restriction & { status: RestrictionStatus };

/** The register (10.2) with each restriction's status derived from the clock now (P5). */
export async function readRegister(deps: RegisterDeps): Promise<RegisterRow[]> {
  const now = clock(deps);
  const restrictions = await deps.store.listRestrictions();
  return restrictions.map((restriction) => present(restriction, now));
}

/** A customer with their restrictions (each with its status) and where they stand in escalation (7.2). */
export async function readCustomer(customerId: string, deps: RegisterDeps) {
  const now = clock(deps);
  const record = await loadOrThrow(customerId, deps);
  return {
    ...record.customer,
    restrictions: record.restrictions.map((r) => present(r, now)),
    escalation: escalationOf(record.steps, record.restrictions, now),
  };
}

/** Customers, all or those holding an email or phone (normalised as screening does). */
export async function listCustomers(filter: { email?: string; phone?: string }, deps: RegisterDeps) {
  if (filter.email || filter.phone) {
    const found = await deps.store.findCustomersByIdentities(
      identityKeysOf({
        ...(filter.email ? { emails: [filter.email] } : {}),
        ...(filter.phone ? { phones: [filter.phone] } : {}),
      }),
    );
    const records = await Promise.all([...found.keys()].map((id) => deps.store.loadCustomer(id)));
    return records.filter((r): r is CustomerRecord => r !== undefined).map((r) => r.customer);
  }
  return deps.store.listCustomers();
}

export async function readAudit(customerId: string, deps: RegisterDeps) {
  await loadOrThrow(customerId, deps);
  return deps.store.listAudit(customerId);
}

export async function readLetter(letterId: string, deps: RegisterDeps) {
  const letter = await deps.store.loadLetter(letterId);
  if (!letter) throw new NotFoundError(`no letter ${letterId}`);
  return letter;
}

export async function listLetters(customerId: string, deps: RegisterDeps) {
  await loadOrThrow(customerId, deps);
  return (await deps.store.listLetters(customerId)).map((letter) => ({
    ...letter,
    links: { html: `/admin/letters/${letter.id}?format=html`, pdf: `/admin/letters/${letter.id}?format=pdf` },
  }));
}

/**
 * Screens a contact against the register: one identity lookup, then one read per matched
 * customer of the restrictions in force now, then the pure decision.
 */
export type ScreeningRegister = Pick<RegisterStore, 'findCustomersByIdentities' | 'loadCustomer'>;

export async function screenAgainstRegister(
  contact: ContactToScreen,
  deps: { store: ScreeningRegister; now?: () => Instant; serviceInbox: string },
): Promise<ScreeningDecision> {
  const now = (deps.now ?? defaultNow)();
  const found = await deps.store.findCustomersByIdentities(identityKeysOf(contact));
  const candidates = [...found.entries()].slice(0, maxCandidates);
  const records = await Promise.all(
    candidates.map(async ([customerId, matchedBy]): Promise<RegisterMatch | undefined> => {
      const record = await deps.store.loadCustomer(customerId, { inForceAt: now });
      return record && { customer: record.customer, matchedBy, restrictions: record.restrictions };
    }),
  );
  const matches = records.filter((match): match is RegisterMatch => match !== undefined);
  return screenContact(contact, { matches }, now, { serviceInbox: deps.serviceInbox });
}
