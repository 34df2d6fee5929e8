import { escalationStageTitles } from './escalation';
import { restrictionCatalogue } from './restriction';
import type { Acknowledgement, Channel, ReaderNote, Reason, Route, ScreeningDecision } from './screen';
import { type ContentSignals, type RecordableSignals, renderSignalLines } from './signals';
import { formatForPeople, type Instant } from './time';
import type { Topic } from './topic';

/** `unscreened`: screening could not be done; the contact went to the service inbox anyway (P1). */
export type ContactRoute = Route | 'unscreened';

/** SES's verdict statuses, and `UNKNOWN`: the event had none, or one we do not know (AWS adds values). */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED' | 'UNKNOWN';

export interface MailVerdicts {
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
  spam: VerdictStatus;
  virus: VerdictStatus;
}

/** The outcome of screening one contact: the decision, or why there is none. */
export interface ContactOutcome extends Omit<ScreeningDecision, 'route'> {
  route: ContactRoute;
}

/**
 * A contact delivered without screening, for one reason given (P3), to these mailboxes: matched to
 * no customer, restricting no one, and answered by nothing (P8).
 */
export function notScreenedOutcome(
  route: ContactRoute,
  recipients: readonly string[],
  reason: ContactOutcome['reasons'][number],
): ContactOutcome {
  return {
    route,
    recipients: [...recipients],
    copyTo: [],
    reasons: [reason],
    notes: [],
    customerIds: [],
    appliedRestrictionIds: [],
    acknowledgement: 'none',
  };
}

/**
 * P1 and 9.1: when screening fails, the contact is not held back. It goes to the service inbox,
 * marked unscreened, with the reason, so a person screens it by hand.
 */
export function unscreenedOutcome(serviceInbox: string, why: string): ContactOutcome {
  return notScreenedOutcome('unscreened', [serviceInbox], {
    code: 'unscreened',
    clause: '9.1',
    text: `Not screened: ${why}. It is delivered to the service inbox so that nothing is lost; check the register by hand before replying.`,
  });
}

/**
 * Whether the sender's address is verified (SES verdicts): unverified when DMARC fails, or when
 * SPF and DKIM both fail, or when SES gave no verdict we know for one of them (the contact is
 * still screened; it only gets no automatic reply). GRAY (not checked, e.g. locally) is not a failure.
 */
export function senderVerification(verdicts: Pick<MailVerdicts, 'spf' | 'dkim' | 'dmarc'>): {
  verified: boolean;
  why?: string;
} {
  if (verdicts.dmarc === 'FAIL') return { verified: false, why: 'DMARC failed' };
  if (verdicts.spf === 'FAIL' && verdicts.dkim === 'FAIL')
    return { verified: false, why: 'SPF and DKIM both failed' };
  const unknown = (['spf', 'dkim', 'dmarc'] as const).filter((check) => verdicts[check] === 'UNKNOWN');
  if (unknown.length > 0)
    return {
      verified: false,
      why: `SES gave no ${unknown.map((check) => check.toUpperCase()).join(' or ')} verdict`,
    };
  return { verified: true };
}

/** What the forwarded summary and the contact record are made from. No message body. */
export interface ScreenedContact {
  reference: string;
  channel: Channel;
  receivedAt: Instant;
  outcome: ContactOutcome;
  sender: { addresses: string[]; verified: boolean; why?: string };
  /** The council addresses it was sent to (email): where the customer wrote to, whatever the route. */
  sentTo?: readonly string[];
  subject?: string;
  problems: string[];
  acknowledgementSent: { kind: Acknowledgement; sent: boolean; why?: string };
  /** How often this sender has been in touch (4.2.7, 4.2.8, 4.2.12), one line each. */
  frequency?: string[];
  /**
   * The content signals of its words, and the text scored (subject, blank line, body) so that the
   * summary can say where the evidence is. Never stored: the record keeps recordableSignals (P7).
   */
  content?: { signals: ContentSignals; text: string };
  /** The original message (email); a web-form submission has none, its text follows the summary. */
  original?: { sizeBytes: number; attached: boolean; keptAt?: string; why?: string };
}

const routeLabels: Record<ContactRoute, string> = {
  service: 'service inbox',
  'named-officer': 'named officer',
  'designated-reader': 'designated reader',
  unscreened: 'UNSCREENED (service inbox)',
};

const line = (reason: Reason | ReaderNote) =>
  `- ${'clause' in reason && reason.clause ? `[${reason.clause}] ` : ''}${reason.text}`;

/**
 * The plain-text screening summary at the top of every forwarded contact (P3): reference,
 * route, reasons with clause numbers, notes for the reader, warnings about the sender.
 */
export function renderSummary(contact: ScreenedContact, consoleUrl?: string): string {
  const { outcome } = contact;
  const out: string[] = [];
  out.push(`Contact screening — ${contact.reference}`);
  out.push('');
  // Flags at the very top: the reader sees them before anything else (3.3, 5.8).
  const flagLines = renderSignalLines(contact.content?.signals, contact.content?.text);
  if (flagLines.length > 0) out.push(...flagLines, '');
  out.push(`Route:     ${routeLabels[outcome.route]} → ${outcome.recipients.join(', ')}`);
  if (outcome.copyTo.length > 0) out.push(`Copy to:   ${outcome.copyTo.join(', ')}`);
  out.push(
    `Received:  ${formatForPeople(contact.receivedAt)} by ${contact.channel === 'email' ? 'email' : 'the web form'}`,
  );
  out.push(`From:      ${contact.sender.addresses.join(', ') || '(no sender address)'}`);
  if (contact.sentTo && contact.sentTo.length > 0) out.push(`Sent to:   ${contact.sentTo.join(', ')}`);
  if (!contact.sender.verified) {
    out.push('');
    out.push(
      `WARNING: the sender's address is not verified (${contact.sender.why ?? 'checks failed'}). It may be forged: do not treat it as proof of who wrote, and do not disclose anything on the strength of it.`,
    );
  }
  out.push('');
  out.push('Why');
  out.push(...outcome.reasons.map(line));
  // The decision first, then whom it is about: what the reply must respect and where they stand (7.2).
  if ((outcome.customers ?? []).length > 0) out.push('');
  for (const customer of outcome.customers ?? []) {
    out.push(`Customer:  ${customer.name} (${customer.id})`);
    if (customer.reasonableAdjustments)
      out.push(`           Reasonable adjustments: ${customer.reasonableAdjustments}`);
    if (customer.vulnerability) out.push(`           Vulnerability: ${customer.vulnerability}`);
    if (customer.escalation) {
      const { title, clause } = escalationStageTitles[customer.escalation.stage];
      out.push(`           Escalation: ${title}${clause ? ` (${clause})` : ''}`);
    }
    for (const coming of customer.scheduled ?? [])
      out.push(
        `           Starts ${formatForPeople(coming.startsAt)}: ${restrictionCatalogue[coming.type].title} (${coming.clause}, ${coming.restrictionId})`,
      );
  }
  if (outcome.notes.length > 0) {
    out.push('');
    out.push('For the reader: restrictions in force for this customer');
    out.push(...outcome.notes.map(line));
  }
  if (contact.frequency && contact.frequency.length > 0) {
    out.push('');
    out.push('Contact frequency');
    out.push(...contact.frequency.map((text) => `- ${text}`));
  }
  if (contact.problems.length > 0) {
    out.push('');
    out.push('About the message');
    out.push(...contact.problems.map((problem) => `- ${problem}`));
  }
  out.push('');
  const ack = contact.acknowledgementSent;
  out.push(
    `Acknowledgement: ${
      ack.sent
        ? ack.kind === 'email-not-accepted'
          ? 'notice sent to the registered address that email is not accepted and how to write instead (7.3.2)'
          : 'the standard acknowledgement was sent'
        : `none sent${ack.why ? ` (${ack.why})` : ''}`
    }.`,
  );
  if (contact.original) {
    out.push(
      contact.original.attached
        ? 'The original message is attached unchanged.'
        : `The original message is not attached (${contact.original.why ?? 'see below'}); it is kept at ${contact.original.keptAt ?? 'the mail store'}.`,
    );
  }
  if (consoleUrl) {
    // The console's stable addresses (DESIGN.md): the officer opens the contact and the customer there.
    const base = `${new URL(consoleUrl).origin}/staff`;
    out.push('');
    out.push('In the staff console');
    out.push(`- this contact: ${base}/contacts/${encodeURIComponent(contact.reference)}`);
    for (const id of outcome.customerIds)
      out.push(`- the customer: ${base}/customers/${encodeURIComponent(id)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * What is stored of each contact: the decision and how it was delivered, never the body or
 * subject, nor the registered address a notice went to (P7).
 */
export interface ContactRecord
  extends Omit<ContactOutcome, 'acknowledgement' | 'restrictionNotice' | 'customers'> {
  reference: string;
  channel: Channel;
  /** The channel's own id (SES message id, form idempotency key). */
  sourceId: string;
  receivedAt: Instant;
  processedAt: Instant;
  senderVerified: boolean;
  verdicts?: MailVerdicts;
  acknowledgement: ScreenedContact['acknowledgementSent'];
  originalAttached: boolean;
  sizeBytes: number;
  problems: string[];
  /** What the contact is about, and how that was decided (4.2.7). */
  topic?: Topic;
  counts?: { topic: number; allTopics: number; channels: number };
  /** A contact from no register customer: the sender it was counted for (`snd_…`, a hash, never an address). */
  senderId?: string;
  /** Content signals found in its words, without the words (absent if they were not scored). */
  signals?: RecordableSignals;
  /** When DynamoDB TTL may remove the record (P7: retention from configuration). */
  expiresAt: Instant;
}
