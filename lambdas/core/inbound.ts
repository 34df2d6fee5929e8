import { mayAutoReply } from './auto-reply';
import {
  type ContactOutcome,
  type ContactRecord,
  type MailVerdicts,
  renderSummary,
  type ScreenedContact,
  senderVerification,
  unscreenedOutcome,
} from './contact';
import { MailParseError, type ParsedInboundMail } from './inbound-mail';
import type { ContactLedger, InboundMailSource, Mailer, OutboundNotice, RegisterStore } from './ports';
import { contactReference } from './reference';
import { screenAgainstRegister } from './register';
import { type CouncilDetails, emailNotAcceptedNotice, standardAcknowledgement } from './templates';
import type { Instant } from './time';

/** What the handler takes from one SES receipt record (the event carries no body). */
export interface InboundMailEvent {
  messageId: string;
  receivedAt: Instant;
  /** The envelope sender (MAIL FROM); empty for bounces. */
  envelopeSender?: string;
  verdicts: MailVerdicts;
}

export interface InboundSettings {
  serviceInbox: string;
  councilDomains: readonly string[];
  sendAcknowledgements: boolean;
  maxAttachedOriginalBytes: number;
  retentionDays: number;
  council: CouncilDetails;
  /** How long a claim on a contact holds before another attempt may take it over. */
  leaseSeconds: number;
  /** Case references in subjects and bodies, e.g. `CMP-12345`. */
  caseReferencePattern: RegExp;
}

export interface InboundDeps {
  source: InboundMailSource;
  register: RegisterStore;
  mailer: Mailer;
  ledger: ContactLedger;
  now: () => Instant;
  settings: InboundSettings;
  /** Reports a failure that was handled (fail-open); ids only, never content (P7). */
  onHandledFailure?: (what: string, error: unknown) => void;
}

export type InboundResult =
  | { status: 'forwarded'; reference: string; route: ContactOutcome['route']; acknowledged: boolean }
  | { status: 'duplicate'; reference: string };

/** Another attempt is processing this contact now; failing makes the platform retry later. */
export class ContactBusyError extends Error {
  override name = 'ContactBusyError';
}

const addSeconds = (instant: Instant, seconds: number) =>
  new Date(Date.parse(instant) + seconds * 1000).toISOString();
const londonDay = (instant: Instant) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));

export function findCaseReferences(texts: readonly (string | undefined)[], pattern: RegExp): string[] {
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  const found = new Set<string>();
  for (const text of texts)
    for (const match of (text ?? '').matchAll(global)) found.add(match[0].toUpperCase());
  return [...found].slice(0, 20);
}

/**
 * Screens and forwards one inbound email, exactly once (P6): a conditional claim per message
 * id; a repeated event for a message already forwarded changes nothing. Whatever fails in
 * screening, the message still goes to a human mailbox (P1); only a failure to *send* fails the
 * invocation, so that the platform retries and, in the end, keeps the event on its failure queue.
 */
export async function processInboundMail(event: InboundMailEvent, deps: InboundDeps): Promise<InboundResult> {
  const { settings, ledger } = deps;
  const reference = contactReference('email', event.messageId);
  const startedAt = deps.now();
  let claimed = true;
  try {
    const claim = await ledger.claim(reference, startedAt, addSeconds(startedAt, settings.leaseSeconds));
    if (claim === 'already-done') return { status: 'duplicate', reference };
    if (claim === 'in-progress')
      throw new ContactBusyError(`contact ${reference} is being processed by another attempt`);
  } catch (error) {
    if (error instanceof ContactBusyError) throw error;
    // The table cannot be reached: deliver anyway (P1), and say that duplicates could not be checked.
    deps.onHandledFailure?.('claim', error);
    claimed = false;
  }

  try {
    return await screenAndForward(event, reference, claimed, deps);
  } catch (error) {
    if (claimed) await ledger.release(reference).catch(() => undefined);
    throw error;
  }
}

async function screenAndForward(
  event: InboundMailEvent,
  reference: string,
  claimed: boolean,
  deps: InboundDeps,
): Promise<InboundResult> {
  const { settings } = deps;
  const problems: string[] = [];
  if (!claimed) {
    problems.push(
      'Whether this message was already delivered could not be checked: if it arrives twice, the second is a repeat.',
    );
  }
  let mail: ParsedInboundMail | undefined;
  try {
    mail = await deps.source.parse(event.messageId);
    problems.push(...mail.problems);
  } catch (error) {
    if (!(error instanceof MailParseError)) throw error; // the store is unreachable: retry
    problems.push(`The message could not be read as email (${error.message}).`);
    deps.onHandledFailure?.('parse', error);
  }

  const verification = senderVerification(event.verdicts);
  const envelope = event.envelopeSender && event.envelopeSender !== '<>' ? [event.envelopeSender] : [];
  const senderAddresses = [...new Set([...(mail?.from ?? []), ...(mail?.replyTo ?? []), ...envelope])];

  let outcome: ContactOutcome;
  if (!mail) {
    outcome = unscreenedOutcome(settings.serviceInbox, 'the message could not be read as email');
  } else {
    try {
      outcome = await screenAgainstRegister(
        {
          channel: 'email',
          emails: senderAddresses,
          senderVerified: verification.verified,
          subject: mail.subject,
          caseReferences: findCaseReferences([mail.subject, mail.text], settings.caseReferencePattern),
        },
        { store: deps.register, now: deps.now, serviceInbox: settings.serviceInbox },
      );
    } catch (error) {
      outcome = unscreenedOutcome(settings.serviceInbox, 'the restriction register could not be reached');
      deps.onHandledFailure?.('screen', error);
    }
  }

  const virus = event.verdicts.virus === 'FAIL';
  const spam = event.verdicts.spam === 'FAIL';
  if (spam) problems.push('SES judged this message to be spam.');
  const original = await deps.source.original(event.messageId, virus ? 0 : settings.maxAttachedOriginalBytes);
  const attached = original.bytes !== undefined;
  const originalWhy = virus
    ? 'SES found a virus in it: open it only with IT'
    : `too large to attach: ${(original.sizeBytes / 1024 / 1024).toFixed(1)} MB`;

  const acknowledgement = await decideAcknowledgement(
    outcome,
    mail,
    event,
    verification.verified,
    reference,
    deps,
  );

  const now = deps.now();
  const screened: ScreenedContact = {
    reference,
    channel: 'email',
    receivedAt: event.receivedAt,
    outcome,
    sender: {
      addresses: senderAddresses,
      verified: verification.verified,
      ...(verification.why ? { why: verification.why } : {}),
    },
    ...(mail?.subject ? { subject: mail.subject } : {}),
    problems,
    acknowledgementSent: acknowledgement.summary,
    original: {
      sizeBytes: original.sizeBytes,
      attached,
      ...(attached ? {} : { why: originalWhy, keptAt: original.location }),
    },
  };
  const replyTo = mail?.replyTo[0] ?? mail?.from[0] ?? envelope[0];
  await deps.mailer.forward({
    reference,
    route: outcome.route,
    to: outcome.recipients,
    cc: outcome.copyTo,
    ...(replyTo ? { replyTo } : {}),
    subject: `[${outcome.route === 'unscreened' ? 'UNSCREENED ' : ''}${reference}] ${mail?.subject || '(no subject)'}`,
    summary: renderSummary(screened),
    ...(original.bytes ? { original: original.bytes } : {}),
  });

  let acknowledged = false;
  if (acknowledgement.send) {
    try {
      await deps.mailer.notify(acknowledgement.send);
      acknowledged = true;
    } catch (error) {
      // The contact itself has been delivered; a missing courtesy reply is reported, not retried.
      deps.onHandledFailure?.('acknowledge', error);
    }
  }

  const { acknowledgement: _kind, restrictionNotice: _notice, ...decision } = outcome;
  const record: ContactRecord = {
    ...decision,
    reference,
    channel: 'email',
    sourceId: event.messageId,
    receivedAt: event.receivedAt,
    processedAt: now,
    senderVerified: verification.verified,
    verdicts: event.verdicts,
    acknowledgement: { ...acknowledgement.summary, sent: acknowledged },
    originalAttached: attached,
    sizeBytes: original.sizeBytes,
    problems,
    expiresAt: addSeconds(now, settings.retentionDays * 24 * 3600),
  };
  try {
    await deps.ledger.complete(record);
  } catch (error) {
    // The contact has been delivered: failing now would make the retry deliver it twice (P6).
    deps.onHandledFailure?.('record', error);
  }
  return { status: 'forwarded', reference, route: outcome.route, acknowledged };
}

async function decideAcknowledgement(
  outcome: ContactOutcome,
  mail: ParsedInboundMail | undefined,
  event: InboundMailEvent,
  verified: boolean,
  reference: string,
  deps: InboundDeps,
): Promise<{ summary: ScreenedContact['acknowledgementSent']; send?: OutboundNotice }> {
  const { settings } = deps;
  const kind = outcome.acknowledgement;
  const none = (why: string) => ({ summary: { kind, sent: false, why } });
  if (outcome.route === 'unscreened' || !mail) return none('not screened');
  if (kind === 'none') {
    const clause = outcome.reasons.find(
      (r) => r.code === 'all-contact-refused' || r.code === 'topic-no-reply',
    )?.clause;
    return none(`no reply is given${clause ? ` (${clause})` : ''}`);
  }
  if (kind === 'standard' && !settings.sendAcknowledgements) return none('acknowledgements are switched off');
  const check = mayAutoReply(mail, event.envelopeSender, {
    councilDomains: settings.councilDomains,
    spam: event.verdicts.spam === 'FAIL',
    virus: event.verdicts.virus === 'FAIL',
  });
  if (!check.allowed) return none(`no automatic reply to this message: ${check.reason}`);
  // Backscatter: never answer a forged address.
  if (!verified) return none("the sender's address is not verified");

  const to =
    kind === 'email-not-accepted' ? outcome.restrictionNotice?.to : (mail.replyTo[0] ?? mail.from[0]);
  if (!to)
    return none(
      kind === 'email-not-accepted' ? 'no registered email address for the notice' : 'no address to reply to',
    );
  const now = deps.now();
  const allowed = await deps.ledger.takeAutoReplyAllowance(
    to,
    londonDay(now),
    addSeconds(now, 2 * 24 * 3600),
  );
  if (!allowed) return none('an automatic reply already went to this address today (P8)');

  const text =
    kind === 'email-not-accepted'
      ? emailNotAcceptedNotice(settings.council, reference, outcome.restrictionNotice?.writeTo)
      : standardAcknowledgement(settings.council, reference);
  return {
    summary: { kind, sent: true },
    send: { reference, to, ...text, ...(mail.messageIdHeader ? { inReplyTo: mail.messageIdHeader } : {}) },
  };
}
