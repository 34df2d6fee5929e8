import type { ContactRecord } from './contact';
import type { Customer } from './customer';
import type { EscalationStep } from './escalation';
import type { PublishedEvent } from './events';
import type { FormSubmission } from './form';
import type { CountInput, FrequencyState } from './frequency';
import type { IdentityKey, IdentityKind } from './identity';
import type { MailParseError, ParsedInboundMail } from './inbound-mail';
import type { IncidentJoin } from './incidents/ports';
import type { Letter, LetterKind } from './letters';
import type { Restriction } from './restriction';
import type { Instant } from './time';

/** One append-only entry of the audit trail (12.1): who did what, when and why. */
export interface AuditEntry {
  id: string;
  customerId: string;
  at: Instant;
  actor: string;
  action: AuditAction;
  /** The customer, restriction or letter the change is about. */
  subjectId: string;
  why?: string;
  /** What changed: each field's value before and after (absent before means it was added). */
  changes?: Record<string, { from?: unknown; to?: unknown }>;
}

export type AuditAction =
  | 'customer-registered'
  | 'customer-changed'
  | 'escalation-recorded'
  | 'restriction-imposed'
  | 'restriction-lifted'
  | 'restriction-extended'
  | 'restriction-reviewed'
  | 'restriction-advised'
  | 'conflicts-acknowledged'
  | 'letter-generated'
  | 'alert-outcome-recorded'
  | 'incident-recorded'
  | 'incidents-joined'
  | 'step-letter-drafted'
  | 'step-letter-changed'
  | 'step-letter-sent';

/** One contact as listed in a customer's contact log: the decision, never the body or subject (P7). */
export interface ContactLogEntry {
  reference: string;
  customerId: string;
  channel: string;
  receivedAt: string;
  route: string;
  reasons: { code: string; clause?: string }[];
  appliedRestrictionIds: string[];
  topic?: { key: string; label: string; how: string };
  senderVerified: boolean;
  /** A contact staff recorded (a call, a visit, a letter): their summary of it, for staff only (P7). */
  summary?: string;
  recordedBy?: string;
  /** The content-signal categories its words were flagged with (3.1, 3.2.5, 3.3, 3.2.8), if any. */
  signalCategories?: string[];
}

/**
 * The contact log by customer (GET /admin/contacts, subject access) and the retention of contact
 * records (P7: the period comes from configuration; DynamoDB TTL is only a backstop in AWS).
 */
export interface ContactLog {
  /** The customer's contacts, newest first. */
  listContactsOfCustomer(customerId: string, limit: number): Promise<ContactLogEntry[]>;
  /** Removes contact records (and their log entries) whose retention ended before `now`; returns how many. */
  removeExpired(now: string): Promise<number>;
  /** The stored records of these contacts (subject access): decisions and delivery, never bodies. */
  loadContactRecords(references: readonly string[]): Promise<Record<string, unknown>[]>;
}

export interface CustomerRecord {
  customer: Customer;
  restrictions: Restriction[];
  /** Escalation steps (7.2). */
  steps: EscalationStep[];
}

/** An informing letter (8.1) as it was generated: kept unchanged, so what was sent can be shown. */
export interface StoredLetter {
  id: string;
  /** "Our reference" as the letter prints it (`LT-7K3F-9Q2M`); the register finds the letter by it too. */
  reference: string;
  /** 8.1: false when the customer had no postal address when it was written; it must go another way. */
  postable: boolean;
  customerId: string;
  restrictionId: string;
  kind: LetterKind;
  subject: string;
  createdAt: Instant;
  createdBy: string;
  html: string;
  text: string;
  pdf: Uint8Array;
}

export type LetterSummary = Omit<StoredLetter, 'html' | 'text' | 'pdf'>;

/**
 * One change to a customer's part of the register, applied as a unit. `expectedVersion` is the
 * customer's version the change was decided on: if another change landed meanwhile, nothing is
 * written (ConflictError), so two managers cannot both act on a stale view.
 */
export interface RegisterChange {
  customerId: string;
  expectedVersion: number;
  at: Instant;
  profile?: { before: Customer; after: Customer };
  identities?: { add: IdentityKey[]; remove: IdentityKey[] };
  newRestriction?: Restriction;
  restriction?: { before: Restriction; after: Restriction };
  step?: EscalationStep;
  letter?: StoredLetter;
  audit: AuditEntry[];
}

/**
 * The restriction register, as the core needs it. The DynamoDB adapter implements it; unit
 * tests may hand in a fake. Every method is one round trip unless it says otherwise.
 */
export interface RegisterStore {
  /** Which customers hold any of these identities, and by which kinds. One request. */
  findCustomersByIdentities(keys: readonly IdentityKey[]): Promise<Map<string, IdentityKind[]>>;
  /**
   * A customer with all their restrictions and escalation steps, whatever their dates (the core
   * decides what applies now, P5). One request.
   */
  loadCustomer(customerId: string): Promise<CustomerRecord | undefined>;
  /** Stores a new customer and indexes their identities. Fails with ConflictError if the id exists. */
  saveNewCustomer(customer: Customer, audit: AuditEntry): Promise<void>;
  /**
   * Applies a change with its audit entries, all or nothing: without transactions, each write is
   * conditional and a failure takes back what was written before it.
   */
  applyChange(change: RegisterChange): Promise<void>;
  /** Every restriction in the register, ordered by review date. */
  listRestrictions(): Promise<Restriction[]>;
  /** The customer who holds a restriction or letter, found by its id alone. One request. */
  customerHolding(id: string): Promise<string | undefined>;
  /** Every customer, oldest first. */
  listCustomers(): Promise<Customer[]>;
  /** A customer's letters, oldest first: summaries, or with their HTML, text and PDF. One query. */
  listLetters(customerId: string): Promise<LetterSummary[]>;
  listLetters(customerId: string, options: { content: true }): Promise<StoredLetter[]>;
  /** A letter by its id or by its reference. */
  loadLetter(idOrReference: string): Promise<StoredLetter | undefined>;
  /** The customer's audit trail, oldest first. */
  listAudit(customerId: string): Promise<AuditEntry[]>;
}

/** Renders an informing letter as PDF (an adapter: pdfkit). */
export interface LetterRenderer {
  pdf(letter: Letter): Promise<Uint8Array>;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** The raw inbound message, where the SES receipt rule's S3 action put it. */
export interface InboundMailSource {
  /**
   * Reads the stored message once (streaming): what could be parsed of it, or why it could not be
   * read as mail at all; its raw bytes when it is at most `maxBytes` (to attach); where it is kept.
   * Throws only when the store itself fails (then the invocation is retried).
   */
  read(
    messageId: string,
    maxBytes: number,
  ): Promise<{
    mail?: ParsedInboundMail;
    unreadable?: MailParseError;
    bytes?: Uint8Array;
    sizeBytes: number;
    location: string;
  }>;
}

export interface OutboundForward {
  reference: string;
  route: string;
  to: string[];
  cc: string[];
  /** The original sender, so that "reply" in the reader's mail program goes to them. */
  replyTo?: string;
  subject: string;
  summary: string;
  /** The original message, attached unchanged as message/rfc822. */
  original?: Uint8Array;
}

export interface OutboundNotice {
  reference: string;
  to: string;
  subject: string;
  text: string;
  /** The Message-ID being answered, for In-Reply-To/References. */
  inReplyTo?: string;
  /** RFC 3834: `auto-replied` for an answer to a message (default), `auto-generated` for a report. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
}

/** Sends mail as the council's screening address (SES). Throws when SES refuses, so the event is retried. */
export interface Mailer {
  forward(message: OutboundForward): Promise<string>;
  notify(message: OutboundNotice): Promise<string>;
}

export type ClaimResult = 'claimed' | 'already-done' | 'in-progress';

/**
 * A claim that took over a lapsed lease: the attempt that claimed the contact at `lapsedAttemptAt`
 * neither finished it nor gave it up, so it may have forwarded it already (P6).
 */
export interface ClaimTakenOver {
  status: 'taken-over';
  lapsedAttemptAt: string;
}

/**
 * Contact records and the markers that make processing exactly-once (P6): a claim per contact,
 * taken with a conditional write, and an allowance per recipient per day for automatic replies (P8).
 */
export interface ContactLedger {
  claim(reference: string, now: string, leaseUntil: string): Promise<ClaimResult | ClaimTakenOver>;
  /** Gives a claim up after a failure, so that the retry can take it at once. */
  release(reference: string): Promise<void>;
  /**
   * Records the contact as forwarded: the claim finished with its record, in one conditional
   * write. 'finished-already' when another attempt finished it first.
   */
  finish(record: ContactRecord): Promise<'finished' | 'finished-already'>;
  /** Writes the contact's log entries under its customers; beside `finish` (core/contact-claim.ts). */
  logContact(record: ContactRecord): Promise<void>;
  /** Removes the entries `logContact` wrote, when the record beside them could not be written. */
  unlogContact(record: ContactRecord): Promise<void>;
  /** True once per recipient per day: the caller may send one automatic reply. */
  takeAutoReplyAllowance(recipient: string, day: string, expiresAt: string): Promise<boolean>;
  /** Hands an allowance back when the reply it was taken for could not be sent with its contact. */
  releaseAutoReplyAllowance(recipient: string, day: string): Promise<void>;
}

/** Counts hits per key in fixed windows (service protection, not the policy's frequency counting). */
export interface RateLimiter {
  /** Counts one hit; returns the count in the current window, including this one. */
  hit(key: string, windowStart: string, expiresAt: string): Promise<number>;
}

/** Puts events on the custom bus. Retries entries the bus did not take; throws if some never go. */
export interface EventPublisher {
  publish(events: readonly PublishedEvent[]): Promise<void>;
}

/** The frequency counts of each sender (4.2.7, 4.2.12; lambdas/core/frequency.ts). */
export interface ContactCounts {
  /** The sender's recent counts and topics. One request. */
  read(subjectId: string): Promise<FrequencyState>;
  /**
   * Counts one contact, atomically and once (the same contact again changes nothing). Returns
   * the state just before this write, which tells exactly which threshold this contact crossed.
   * One request.
   */
  count(input: CountInput): Promise<FrequencyState>;
}

/** The cooldown of frequency alerts: a threshold crossed again within its window alerts once (P6). */
export interface AlertClaims {
  /** Takes the alert for a sender, window and topic unless one was raised before `now` within its cooldown. */
  claim(alertKey: string, now: string, cooldownUntil: string): Promise<boolean>;
}

/** An event as the event log keeps it. */
export interface RecordedEvent {
  at: string;
  detailType: string;
  detail: unknown;
  status: string;
}

/** The events put on the bus (or that could not be), kept for the admin API and the console. */
export interface EventLog {
  /** Keeps a published (or unpublishable) event. */
  recordEvent(event: PublishedEvent, at: string, status: 'published' | 'failed'): Promise<void>;
  /** The most recent recorded events, newest first. */
  listEvents(limit: number): Promise<RecordedEvent[]>;
  /** Recorded frequency alerts, newest first; with `customerId`, only those about that customer. */
  listAlerts(options: { customerId?: string; limit: number }): Promise<RecordedEvent[]>;
}

/**
 * A contact-form submission as the endpoint accepted it (validated, named by its reference), for
 * screening afterwards. `version` lets a later format be told apart from this one.
 */
export interface QueuedSubmission {
  version: 1;
  reference: string;
  /** The form's own id of the contact (Idempotency-Key, or the same fields within the window). */
  sourceId: string;
  receivedAt: Instant;
  form: FormSubmission;
}

/**
 * Where the form's endpoint accepts submissions durably (SQS in AWS, the local asynchronous invoker
 * locally). Resolves once the submission is kept; rejects when it could not be, and then nothing was
 * accepted (the person is told it was not sent).
 */
export interface SubmissionQueue {
  enqueue(submission: QueuedSubmission): Promise<void>;
}

/**
 * The stores that let a sender's earlier contacts join a customer's history (core/history.ts).
 * Both joins are safe to repeat: the second time changes nothing and returns 0.
 */
export interface HistoryJoinStores {
  /** Adds the sender's frequency counts to the customer's, once; returns how many contacts joined. */
  counts: { absorb(customerId: string, senderId: string): Promise<number> };
  /** Copies the sender's contact log entries under the customer; returns how many were copied. */
  log: { joinEntries(senderId: string, customerId: string): Promise<number> };
  /** Files incidents recorded under the person's phone, email or name and postcode on the customer. */
  incidents?: IncidentJoin;
}
