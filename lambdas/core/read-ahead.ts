import type { DeliveryDeps } from './deliver';
import { type FrequencyState, senderSubjectId } from './frequency';

/**
 * The frequency counts read ahead (4.2.7): counting needs the state of whoever the contact is
 * counted for (core/frequency.ts, frequencySubject), and who that is is known early — the sender,
 * before screening; the one register customer they match, as soon as the identity lookup answers.
 * So the read runs beside the identity lookup (the sender's state) or beside the read of the
 * customer's restrictions (the customer's), instead of after screening; counting then takes the
 * state already read. Each state is read once and used once; a state read but not needed (a
 * restricted customer's contact does not use the sender's) costs one small read. The count itself
 * is the same atomic write as before, so reading a moment earlier changes nothing under concurrency.
 */
export function readingAhead<D extends DeliveryDeps>(deps: D, senderIdentity: string | undefined): D {
  const ahead = new Map<string, Promise<FrequencyState>>();
  const readAhead = (subjectId: string) => {
    if (ahead.has(subjectId)) return;
    const read = deps.counts.read(subjectId);
    // Never used (another subject was counted): its failure is nobody's concern.
    read.catch(() => undefined);
    ahead.set(subjectId, read);
  };
  if (senderIdentity) readAhead(senderSubjectId(senderIdentity));
  return {
    ...deps,
    register: {
      findCustomersByIdentities: async (identities) => {
        const found = await deps.register.findCustomersByIdentities(identities);
        // One customer matched: the contact is counted for them (frequencySubject).
        const [only] = found.keys();
        if (found.size === 1 && only) readAhead(only);
        return found;
      },
      loadCustomer: (customerId: string) => deps.register.loadCustomer(customerId),
    },
    counts: {
      read: (subjectId) => {
        const read = ahead.get(subjectId);
        if (!read) return deps.counts.read(subjectId);
        ahead.delete(subjectId);
        return read;
      },
      count: (input) => deps.counts.count(input),
    },
  };
}
