import { identityKeysOf } from '../identity';
import type { RegisterStore } from '../ports';
import {
  type ContactToScreen,
  type RegisterMatch,
  type ScreeningDecision,
  type ScreeningOptions,
  screenContact,
} from '../screen';
import type { Instant } from '../time';
import { defaultNow } from './context';

/** The longest list of candidate customers a single contact is screened against (guards the hot path). */
const maxCandidates = 10;

/** The register as screening reads it: identities and each matched customer's restrictions in force. */
export type ScreeningRegister = Pick<RegisterStore, 'findCustomersByIdentities' | 'loadCustomer'>;

/**
 * The register customers a contact's identities match, each with their restrictions and escalation
 * steps (the core decides what applies when, P5): one identity lookup, then one read per customer.
 */
export async function findRegisterMatches(
  contact: ContactToScreen,
  store: ScreeningRegister,
): Promise<RegisterMatch[]> {
  const found = await store.findCustomersByIdentities(identityKeysOf(contact));
  const candidates = [...found.entries()].slice(0, maxCandidates);
  const records = await Promise.all(
    candidates.map(async ([customerId, matchedBy]): Promise<RegisterMatch | undefined> => {
      const record = await store.loadCustomer(customerId);
      return (
        record && {
          customer: record.customer,
          matchedBy,
          restrictions: record.restrictions,
          steps: record.steps,
        }
      );
    }),
  );
  return records.filter((match): match is RegisterMatch => match !== undefined);
}

/**
 * Screens a contact against the register: one identity lookup, then one read per matched
 * customer (restrictions and escalation steps), then the pure decision.
 */
export async function screenAgainstRegister(
  contact: ContactToScreen,
  deps: { store: ScreeningRegister; now?: () => Instant } & ScreeningOptions,
): Promise<ScreeningDecision> {
  const now = (deps.now ?? defaultNow)();
  const matches = await findRegisterMatches(contact, deps.store);
  const { store: _store, now: _now, ...options } = deps;
  return screenContact(contact, { matches }, now, options);
}
