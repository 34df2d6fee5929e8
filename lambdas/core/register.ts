import { ulid } from 'ulid';
import { type Customer, customerInputSchema } from './customer';
import { identityKeysOf } from './identity';
import { type AuditEntry, ConflictError, NotFoundError, type RegisterStore } from './ports';
import {
  type Restriction,
  type RestrictionStatus,
  restrictionInputSchema,
  restrictionStatus,
} from './restriction';
import { type ContactToScreen, type RegisterMatch, type ScreeningDecision, screenContact } from './screen';
import { type Instant, toInstant } from './time';
import { parseOrThrow } from './validation';

export interface RegisterDeps {
  store: RegisterStore;
  now?: () => Instant;
  newId?: (prefix: 'cus' | 'res' | 'aud') => string;
}

const defaultNow = () => toInstant(new Date());
const defaultNewId = (prefix: string) => `${prefix}_${ulid()}`;

/** The longest list of candidate customers a single contact is screened against (guards the hot path). */
const maxCandidates = 10;

/**
 * Registers a customer (12.1.1). Identities another customer already holds are accepted but
 * reported as warnings: the person may be registered twice, which a manager should resolve.
 */
export async function registerCustomer(body: unknown, actor: string, deps: RegisterDeps) {
  const input = parseOrThrow(customerInputSchema, body);
  const now = (deps.now ?? defaultNow)();
  const newId = deps.newId ?? defaultNewId;
  const customer: Customer = { ...input, id: newId('cus'), createdAt: now, createdBy: actor };
  const shared = await deps.store.findCustomersByIdentities(identityKeysOf(customer));
  const warnings = [...shared.entries()].map(
    ([otherId, kinds]) =>
      `customer ${otherId} already has the same ${kinds.join(' and ')}; is this the same person?`,
  );
  await deps.store.saveNewCustomer(
    customer,
    auditOf(customer.id, 'customer-registered', customer.id, actor, now, newId),
  );
  return { customer, warnings };
}

/**
 * Records a restriction a person decided (P2, 7.3, 8.2). The customer must exist, and a
 * restriction of the same type (and topic) whose period overlaps is refused as a duplicate.
 */
export async function imposeRestriction(body: unknown, actor: string, deps: RegisterDeps) {
  const input = parseOrThrow(restrictionInputSchema, body);
  const now = (deps.now ?? defaultNow)();
  const newId = deps.newId ?? defaultNewId;
  const record = await deps.store.loadCustomer(input.customerId);
  if (!record) throw new NotFoundError(`customerId: no customer ${input.customerId} in the register`);
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
      `restriction ${clash.id} of type ${clash.type} already covers part of this period; change or lift it instead`,
    );
  }
  const restriction: Restriction = { ...input, id: newId('res'), createdAt: now, createdBy: actor };
  await deps.store.saveNewRestriction(
    restriction,
    auditOf(restriction.customerId, 'restriction-imposed', restriction.id, actor, now, newId, input.reason),
  );
  return { restriction, status: restrictionStatus(restriction, now) };
}

const sameTopic = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function auditOf(
  customerId: string,
  action: AuditEntry['action'],
  subjectId: string,
  actor: string,
  at: Instant,
  newId: (prefix: 'aud') => string,
  why?: string,
): AuditEntry {
  return { id: newId('aud'), customerId, action, subjectId, actor, at, ...(why ? { why } : {}) };
}

export type RegisterRow = Restriction & { status: RestrictionStatus };

/** The register (10.2) with each restriction's status derived from the clock now (P5). */
export async function readRegister(deps: RegisterDeps): Promise<RegisterRow[]> {
  const now = (deps.now ?? defaultNow)();
  const restrictions = await deps.store.listRestrictions();
  return restrictions.map((restriction) => ({ ...restriction, status: restrictionStatus(restriction, now) }));
}

export async function readCustomer(customerId: string, deps: RegisterDeps) {
  const now = (deps.now ?? defaultNow)();
  const record = await deps.store.loadCustomer(customerId);
  if (!record) throw new NotFoundError(`no customer ${customerId} in the register`);
  return {
    ...record.customer,
    restrictions: record.restrictions.map((r) => ({ ...r, status: restrictionStatus(r, now) })),
  };
}

/**
 * Screens a contact against the register: one identity lookup, then one read per matched
 * customer of the restrictions in force now, then the pure decision.
 */
export async function screenAgainstRegister(
  contact: ContactToScreen,
  deps: RegisterDeps & { serviceInbox: string },
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
