import { senderSubjectId } from './frequency';
import type { IdentityKey } from './identity';
import { incidentSubjectOf } from './incidents/incident';
import type { HistoryJoinStores } from './ports';

/**
 * History follows the person. Until someone is in the register their contacts are counted and
 * logged under their address or phone (frequency.ts `senderSubjectId`). When they are registered,
 * or a customer gains an identity, those earlier contacts join the customer's: the frequency
 * windows (4.2.7, 4.2.8, 4.2.12) go on from the count they had reached, and the contact log and
 * the subject-access export (12.1) show them. Names with postcodes are not counted by themselves,
 * so only email and phone identities carry contact history; incidents recorded on an unknown person
 * (incidents/) are filed under every identity they gave, and join by any of them.
 */
export interface JoinedHistory {
  /** Contacts added to the customer's frequency counts (0 if they had joined before). */
  contactsCounted: number;
  /** Contact log entries newly listed under the customer (0 if they had joined before). */
  contactsLogged: number;
  /** Incidents recorded on the person before they were registered, now filed on the customer (5.4.2, 5.7). */
  incidentsJoined?: number;
}

export async function joinEarlierHistory(
  customerId: string,
  identities: readonly IdentityKey[],
  stores: HistoryJoinStores,
): Promise<JoinedHistory> {
  const joined: JoinedHistory = { contactsCounted: 0, contactsLogged: 0 };
  const senders = new Set(
    identities.filter((key) => key.kind === 'email' || key.kind === 'phone').map((key) => key.value),
  );
  for (const identity of senders) {
    const senderId = senderSubjectId(identity);
    // The log first: a join interrupted between the two is completed by the next one (both are idempotent).
    joined.contactsLogged += await stores.log.joinEntries(senderId, customerId);
    joined.contactsCounted += await stores.counts.absorb(customerId, senderId);
  }
  // Incidents are filed under every identity, a name with a postcode too (an unknown caller may give only those).
  if (stores.incidents) {
    let incidents = 0;
    for (const key of identities)
      incidents += await stores.incidents.joinIncidents(incidentSubjectOf(key), customerId);
    if (incidents > 0) joined.incidentsJoined = incidents;
  }
  return joined;
}
