import { monotonicFactory } from 'ulid';
import type { LetterInput } from '../letters';
import {
  type CustomerRecord,
  type HistoryJoinStores,
  type LetterRenderer,
  NotFoundError,
  type RegisterStore,
} from '../ports';
import { type Instant, toInstant } from '../time';

export type IdPrefix = 'cus' | 'res' | 'aud' | 'let' | 'esc';

/** What every register use case needs: the store, and a clock and ids that tests can fix. */
export interface RegisterDeps {
  store: RegisterStore;
  now?: () => Instant;
  newId?: (prefix: IdPrefix) => string;
  /** Given, a sender's earlier contacts join the customer's history when they gain the identity (core/history.ts). */
  history?: HistoryJoinStores;
}

/** What changing restrictions needs besides the register: letters are written whenever one is imposed, extended or lifted (8.1). */
export interface RegisterChangeDeps extends RegisterDeps {
  letters: LetterRenderer;
  council: LetterInput['council'];
}

export const defaultNow = () => toInstant(new Date());
/** Monotonic: ids made in the same millisecond still sort in the order they were made (audit entries). */
const ulid = monotonicFactory();
const defaultNewId = (prefix: string) => `${prefix}_${ulid()}`;
export const clock = (deps: RegisterDeps) => (deps.now ?? defaultNow)();
export const ids = (deps: RegisterDeps) => deps.newId ?? defaultNewId;

/** The customer's part of the register, or 404. */
export async function loadOrThrow(customerId: string, deps: RegisterDeps): Promise<CustomerRecord> {
  const record = await deps.store.loadCustomer(customerId);
  if (!record) throw new NotFoundError(`no customer ${customerId} in the register`);
  return record;
}
