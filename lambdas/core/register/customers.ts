import { type Customer, customerInputSchema, customerPatchSchema, editableFields } from '../customer';
import { type JoinedHistory, joinEarlierHistory } from '../history';
import { type IdentityKey, identityKeysOf } from '../identity';
import { parseOrThrow } from '../validation';
import { auditOf, diff } from './audit';
import { clock, ids, loadOrThrow, type RegisterDeps } from './context';

/** Customers in the register (12.1.1): registering one and changing their details, with their identities. */

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
  const history = await joinHistory(customer.id, identityKeysOf(customer), warnings, deps);
  return { customer, warnings, ...(history ? { history } : {}) };
}

/**
 * The contacts made from these identities before the customer held them join the customer's
 * history. The change is saved already: a failure is a warning, and saving the identity again
 * (remove it, add it back) joins them then.
 */
async function joinHistory(
  customerId: string,
  identities: readonly IdentityKey[],
  warnings: string[],
  deps: RegisterDeps,
): Promise<JoinedHistory | undefined> {
  if (!deps.history || identities.length === 0) return undefined;
  try {
    return await joinEarlierHistory(customerId, identities, deps.history);
  } catch {
    warnings.push(
      'The contacts made from these details before they were in the register could not be joined to the customer now; the counts start again until they are.',
    );
    return undefined;
  }
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
  const added = [...keysAfter].filter(([k]) => !keysBefore.has(k)).map(([, v]) => v);
  await deps.store.applyChange({
    customerId,
    expectedVersion: before.version ?? 0,
    at: now,
    profile: { before, after },
    identities: {
      add: added,
      remove: [...keysBefore].filter(([k]) => !keysAfter.has(k)).map(([, v]) => v),
    },
    audit: [auditOf(customerId, 'customer-changed', customerId, actor, now, ids(deps), why, changes)],
  });
  const warnings = await sharedIdentityWarnings(after, deps);
  const history = await joinHistory(customerId, added, warnings, deps);
  return { customer: after, warnings, ...(history ? { history } : {}) };
}
