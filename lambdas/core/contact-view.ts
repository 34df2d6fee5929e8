import { z } from 'zod';
import type { ContactRecord, ContactRoute } from './contact';
import { type ContactLog, NotFoundError, type RegisterStore } from './ports';
import type { ReaderNote, Reason } from './screen';
import type { RecordableSignals } from './signals';
import { parseOrThrow } from './validation';

/** Crockford base32 as references use it (core/reference.ts): no I, L, O or U. */
const referenceBody = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/**
 * A contact reference however a person reads it out or types it: `cs 7k3f 9q2m xw`, `CS7K3F9Q2MXW`
 * and `CS-7K3F-9Q2M-XW` are the same; as Crockford decoding does, `O` is read as 0 and `I`, `L` as 1.
 * Returns `CS-XXXX-XXXX-XX`, or undefined when the text is not shaped like a reference.
 */
export function normaliseReference(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '');
  if (!compact.startsWith('CS')) return undefined;
  const body = compact.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!referenceBody.test(body)) return undefined;
  return `CS-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;
}

/** A contact reference in a path or query: errors name the field `reference`. */
export const contactReferenceSchema = z.strictObject({
  reference: z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const reference = normaliseReference(value);
      if (!reference) {
        ctx.addIssue({ code: 'custom', message: 'must be a contact reference such as CS-7K3F-9Q2M-XW' });
        return z.NEVER;
      }
      return reference;
    }),
});
export type ContactReferenceInput = z.input<typeof contactReferenceSchema>;

/**
 * One screened contact as staff see it (P3): the decision with its reasons and clauses, the route
 * and who it went to, when, and the customers it was matched to, by name. Never the body or
 * subject: the store does not hold them (P7).
 */
export interface ContactView {
  reference: string;
  /** `forwarded` once delivered; `processing` while an attempt holds it (no decision yet). */
  status: string;
  channel?: string;
  receivedAt?: string;
  processedAt?: string;
  route?: ContactRoute;
  recipients: string[];
  copyTo: string[];
  reasons: Reason[];
  notes: ReaderNote[];
  /** The register customers the contact was matched to; `name` is absent if one is no longer there. */
  customers: { id: string; name?: string }[];
  appliedRestrictionIds: string[];
  topic?: NonNullable<ContactRecord['topic']>;
  counts?: NonNullable<ContactRecord['counts']>;
  senderVerified?: boolean;
  acknowledgement?: ContactRecord['acknowledgement'];
  problems: string[];
  originalAttached?: boolean;
  /** When the record is removed (P7: retention from configuration). */
  retainUntil?: string;
  /** A contact staff recorded (a call, a visit, a letter, social media): their note of it, for staff (P7). */
  recorded?: {
    summary: string;
    recordedBy: string;
    caller?: { name?: string; phone?: string; email?: string; postcode?: string };
    caseReference?: string;
    topic?: string;
  };
  /** The content signals its words raised, without the words (absent if they were not scored). */
  signals?: RecordableSignals;
}

export interface ContactReadDeps {
  contacts: Pick<ContactLog, 'loadContactRecords'>;
  store: Pick<RegisterStore, 'loadCustomer'>;
}

const list = <T>(value: unknown) => (Array.isArray(value) ? (value as T[]) : []);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The stored record as a view: only the fields the page shows, whatever else the record holds. */
export function contactViewOf(
  record: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
): ContactView {
  const customerIds = list<string>(record.customerIds);
  return {
    reference: String(record.reference),
    status: text(record.status) ?? 'unknown',
    ...optional('channel', text(record.channel)),
    ...optional('receivedAt', text(record.receivedAt)),
    ...optional('processedAt', text(record.processedAt)),
    ...optional('route', text(record.route) as ContactRoute | undefined),
    recipients: list<string>(record.recipients),
    copyTo: list<string>(record.copyTo),
    reasons: list<Reason>(record.reasons),
    notes: list<ReaderNote>(record.notes),
    customers: customerIds.map((id) => ({ id, ...optional('name', names.get(id)) })),
    appliedRestrictionIds: list<string>(record.appliedRestrictionIds),
    ...optional('topic', record.topic as ContactView['topic']),
    ...optional('counts', record.counts as ContactView['counts']),
    ...optional(
      'senderVerified',
      typeof record.senderVerified === 'boolean' ? record.senderVerified : undefined,
    ),
    ...optional('acknowledgement', record.acknowledgement as ContactView['acknowledgement']),
    problems: list<string>(record.problems),
    ...optional(
      'originalAttached',
      typeof record.originalAttached === 'boolean' ? record.originalAttached : undefined,
    ),
    ...optional('retainUntil', text(record.retainUntil)),
    ...optional('recorded', recordedOf(record.recorded)),
    ...optional('signals', signalsOf(record.signals)),
  };
}

/** The staff note of a recorded contact, without the answer and fingerprint kept beside it. */
function recordedOf(value: unknown): ContactView['recorded'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const recorded = value as Record<string, unknown>;
  const summary = text(recorded.summary);
  if (summary === undefined) return undefined;
  return {
    summary,
    recordedBy: text(recorded.recordedBy) ?? 'unknown',
    ...optional('caller', recorded.caller as NonNullable<ContactView['recorded']>['caller']),
    ...optional('caseReference', text(recorded.caseReference)),
    ...optional('topic', text(recorded.topic)),
  };
}

/** The stored signals, if they have the shape recordableSignals gives. */
function signalsOf(value: unknown): RecordableSignals | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { detectorVersion, flags } = value as Record<string, unknown>;
  if (typeof detectorVersion !== 'string' || !Array.isArray(flags)) return undefined;
  return {
    detectorVersion,
    flags: flags.map((flag: RecordableSignals['flags'][number]) => ({
      category: flag.category,
      confidence: Number(flag.confidence),
      clauses: list<string>(flag.clauses),
      evidence: list<RecordableSignals['flags'][number]['evidence'][number]>(flag.evidence),
    })),
  };
}

/** The names of these register customers, by id (those no longer in the register are missing). */
export async function customerNamesOf(
  customerIds: readonly string[],
  store: Pick<RegisterStore, 'loadCustomer'>,
): Promise<Map<string, string>> {
  const records = await Promise.all([...new Set(customerIds)].map((id) => store.loadCustomer(id)));
  return new Map(records.flatMap((record) => (record ? [[record.customer.id, record.customer.name]] : [])));
}

/**
 * A screened contact by its reference (GET /admin/contacts/{reference}, the console's contact page):
 * the stored record's decision, reasons with clauses, route, channel and time, and its customers.
 * One read of the record, then one per matched customer for their names.
 */
export async function readContact(reference: string, deps: ContactReadDeps): Promise<ContactView> {
  const { reference: wanted } = parseOrThrow(contactReferenceSchema, { reference });
  const [record] = await deps.contacts.loadContactRecords([wanted]);
  if (!record) throw new NotFoundError(`no contact ${wanted} (contacts are kept for the retention period)`);
  const names = await customerNamesOf(list<string>(record.customerIds), deps.store);
  return contactViewOf({ reference: wanted, ...record }, names);
}
