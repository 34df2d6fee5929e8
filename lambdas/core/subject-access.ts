import { escalationOf } from './escalation';
import type { IncidentStore } from './incidents/ports';
import type { ContactCounts, ContactLog, EventLog, RegisterStore } from './ports';
import { NotFoundError } from './ports';
import { present } from './register';
import type { StepLetterStore } from './step-letters/ports';
import type { StepLetter } from './step-letters/step-letter';
import type { Instant } from './time';

export interface SubjectAccessDeps {
  store: RegisterStore;
  contacts: Pick<ContactLog, 'listContactsOfCustomer' | 'loadContactRecords'>;
  counts: Pick<ContactCounts, 'read'>;
  alerts: Pick<EventLog, 'listAlerts'>;
  /** Incidents filed on the customer, joined ones too (5.4.2, 5.7): with what happened, as recorded. */
  incidents?: Pick<IncidentStore, 'listOfCustomer'>;
  /** The letters before a restriction (7.2.1, 7.2.2, 5.9), drafts and as sent. */
  stepLetters?: Pick<StepLetterStore, 'listOfCustomer'>;
  now: () => Instant;
}

/** No customer has more contacts than this kept within a retention period; beyond it, say so. */
const maxContacts = 10_000;

/**
 * Everything the register holds about one person (P7, 12.1; a subject access request): their
 * details, escalation, restrictions with their history, letters as generated, the audit trail,
 * the contact log, frequency counts and alerts, incidents and the letters before a restriction. Only what is keyed to this customer is read, so
 * nothing of anyone else is included.
 */
export async function exportCustomer(customerId: string, actor: string, deps: SubjectAccessDeps) {
  const now = deps.now();
  const record = await deps.store.loadCustomer(customerId);
  if (!record) throw new NotFoundError(`no customer ${customerId} in the register`);
  const [storedLetters, audit, contacts, frequency, alerts, incidents, stepLetters] = await Promise.all([
    deps.store.listLetters(customerId, { content: true }),
    deps.store.listAudit(customerId),
    deps.contacts.listContactsOfCustomer(customerId, maxContacts),
    deps.counts.read(customerId),
    deps.alerts.listAlerts({ customerId, limit: 1000 }),
    deps.incidents?.listOfCustomer(customerId) ?? Promise.resolve([]),
    (deps.stepLetters?.listOfCustomer(customerId, { content: true }) ?? Promise.resolve([])) as Promise<
      StepLetter[]
    >,
  ]);
  const contactRecords = await deps.contacts.loadContactRecords(contacts.map((entry) => entry.reference));
  const letters = storedLetters.map(({ pdf, ...letter }) => ({
    ...letter,
    pdfBase64: Buffer.from(pdf).toString('base64'),
  }));
  return {
    exportedAt: now,
    exportedBy: actor,
    customer: record.customer,
    escalation: escalationOf(record.steps, record.restrictions, now),
    escalationSteps: record.steps,
    restrictions: record.restrictions.map((r) => present(r, now)),
    letters,
    auditTrail: audit,
    contacts,
    // The full record of each contact: route, recipients, reasons, verification, acknowledgement.
    // Emails themselves stay in the raw-mail store under their SES message id (`sourceId`) for the
    // raw-mail retention period; web-form text is not kept after it is forwarded.
    contactRecords,
    frequency: {
      days: Object.fromEntries([...frequency.days].map(([day, topics]) => [day, Object.fromEntries(topics)])),
      topics: Object.fromEntries(frequency.topics),
    },
    alerts,
    incidents,
    stepLetters: stepLetters.map(({ pdf, ...letter }) => ({
      ...letter,
      ...(pdf ? { pdfBase64: Buffer.from(pdf).toString('base64') } : {}),
    })),
  };
}
