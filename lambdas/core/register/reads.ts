import { escalationOf } from '../escalation';
import { identityKeysOf } from '../identity';
import { type CustomerRecord, NotFoundError } from '../ports';
import { normaliseLetterReference } from '../reference';
import type { Restriction, RestrictionStatus } from '../restriction';
import { clock, loadOrThrow, type RegisterDeps } from './context';
import { letterLinks } from './informing-letters';
import { present } from './restrictions';

/** Reading the register (10.2, 12.1): restrictions with their status now, customers, audit trail, letters. */

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

/** A letter by its id or by the reference it prints, however that was typed (`lt 7k3f 9q2m`). */
export async function readLetter(idOrReference: string, deps: RegisterDeps) {
  const letter = await deps.store.loadLetter(normaliseLetterReference(idOrReference) ?? idOrReference);
  if (!letter) throw new NotFoundError(`no letter ${idOrReference}`);
  return letter;
}

export async function listLetters(customerId: string, deps: RegisterDeps) {
  await loadOrThrow(customerId, deps);
  return (await deps.store.listLetters(customerId)).map((letter) => ({
    ...letter,
    links: letterLinks(letter.id),
  }));
}
