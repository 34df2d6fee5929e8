import { mayAutoReply } from './auto-reply';
import {
  type ContactOutcome,
  type MailVerdicts,
  notScreenedOutcome,
  type ScreenedContact,
  senderVerification,
  unscreenedOutcome,
} from './contact';
import {
  type AcknowledgementPlan,
  countOrReport,
  type Delivered,
  type DeliveryDeps,
  type DeliverySettings,
  forwardContact,
  oncePerContactAfter,
  planAutoReply,
  repeatUncheckedProblem,
  scoreContentOrReport,
  screenOrFailOpen,
} from './deliver';
import { normaliseEmail } from './identity';
import type { ParsedInboundMail } from './inbound-mail';
import { deliveringMailboxes } from './mailboxes';
import type { InboundMailSource } from './ports';
import { readingAhead } from './read-ahead';
import { contactReference } from './reference';
import { emailNotAcceptedNotice, standardAcknowledgement } from './templates';
import type { Instant } from './time';

export { ContactBusyError } from './deliver';

/** What the handler takes from one SES receipt record (the event carries no body). */
export interface InboundMailEvent {
  messageId: string;
  receivedAt: Instant;
  /** The envelope sender (MAIL FROM); empty for bounces. */
  envelopeSender?: string;
  /** The council mailboxes it was sent to (the receipt's recipients): each is a channel (4.2.12). */
  recipients?: readonly string[];
  verdicts: MailVerdicts;
  /**
   * Set when the receipt record could not be read beyond its message id (what was wrong): the
   * stored message is forwarded unscreened, so that it still reaches a person (P1).
   */
  unreadableReceipt?: string;
}

export interface InboundSettings extends DeliverySettings {
  councilDomains: readonly string[];
  /** SCREENING_FROM: a message from it bearing our mark, DMARC passing, is our own forward come back. */
  screeningFrom?: string;
  sendAcknowledgements: boolean;
  maxAttachedOriginalBytes: number;
  /** Case references in subjects and bodies, e.g. `CMP-12345`. */
  caseReferencePattern: RegExp;
}

export interface InboundDeps extends DeliveryDeps {
  source: InboundMailSource;
  settings: InboundSettings;
}

export type InboundResult =
  | {
      status: 'forwarded';
      reference: string;
      route: ContactOutcome['route'];
      acknowledged: boolean;
      /** Frequency alerts this message raised (4.2.7, 4.2.12), for monitoring. */
      alertsRaised: number;
    }
  | { status: 'duplicate'; reference: string };

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
 * screening, the message still goes to a human mailbox (P1); only a failure to *send* (or to
 * read the stored message) fails the invocation, so that the platform retries and, in the end,
 * keeps the event on its failure queue.
 */
export async function processInboundMail(event: InboundMailEvent, deps: InboundDeps): Promise<InboundResult> {
  const reference = contactReference('email', event.messageId);
  const virus = event.verdicts.virus === 'FAIL';
  // One read of the stored message, parsed as it streams and kept whole when small enough to
  // attach; beside the claim, as neither needs the other's answer.
  const read = () => deps.source.read(event.messageId, virus ? 0 : deps.settings.maxAttachedOriginalBytes);
  const result = await oncePerContactAfter(reference, deps, read, (claimed, stored) =>
    screenAndForward(event, reference, claimed, stored, deps),
  );
  return result === 'duplicate' ? { status: 'duplicate', reference } : result;
}

async function screenAndForward(
  event: InboundMailEvent,
  reference: string,
  claimed: boolean,
  stored: Awaited<ReturnType<InboundMailSource['read']>>,
  deps: InboundDeps,
): Promise<Delivered<InboundResult>> {
  const { settings } = deps;
  const problems: string[] = claimed ? [] : [repeatUncheckedProblem];
  const virus = event.verdicts.virus === 'FAIL';
  const mail = stored.mail;
  if (mail) problems.push(...mail.problems);
  if (stored.unreadable) {
    problems.push(`The message could not be read as email (${stored.unreadable.message}).`);
    deps.onHandledFailure?.('parse', stored.unreadable);
  }

  const verification = senderVerification(event.verdicts);
  const envelope = event.envelopeSender && event.envelopeSender !== '<>' ? [event.envelopeSender] : [];
  const senderAddresses = [...new Set([...(mail?.from ?? []), ...(mail?.replyTo ?? []), ...envelope])];
  const senderIdentity = senderAddresses.map(normaliseEmail).find(Boolean);
  // The sender's counts are read beside the identity lookup, a matched customer's beside their restrictions.
  const reading = readingAhead(deps, senderIdentity);

  const caseReferences = mail
    ? findCaseReferences([mail.subject, mail.text], settings.caseReferencePattern)
    : [];
  if (event.unreadableReceipt)
    problems.push(
      `The SES receipt for this message could not be read (${event.unreadableReceipt}): its verdicts and recipients are unknown, and its time is when it was processed.`,
    );
  const ownForward = mail && isOwnForward(mail, event, settings);
  const outcome = event.unreadableReceipt
    ? unscreenedOutcome(settings.serviceInbox, 'the SES receipt for this message could not be read')
    : ownForward
      ? alreadyScreenedOutcome(ownForward, event.recipients ?? [], settings)
      : mail
        ? await screenOrFailOpen(
            {
              channel: 'email',
              emails: senderAddresses,
              sentTo: event.recipients ?? [],
              senderVerified: verification.verified,
              subject: mail.subject,
              caseReferences,
            },
            reading,
          )
        : unscreenedOutcome(settings.serviceInbox, 'the message could not be read as email');
  // Our own forward, back (a mail-flow rule looped it): counted and answered the first time only.
  // Counting and the automatic reply's allowance do not depend on each other: both at once.
  const [frequency, acknowledgement] = await Promise.all([
    ownForward
      ? undefined
      : countOrReport(
          {
            reference,
            receivedAt: event.receivedAt,
            channel: `email:${[...(event.recipients ?? [])].sort()[0]?.toLowerCase() ?? 'unknown'}`,
            customerIds: outcome.customerIds,
            senderIdentity,
            caseReferences,
            subject: mail?.subject,
            text: mail?.text ?? '',
          },
          problems,
          reading,
        ),
    planAcknowledgement(outcome, mail, event, verification.verified, reference, deps),
  ]);

  // 3.1, 3.2.5, 3.3: the sender's own words are scored (not our forward come back: it quotes flags).
  const content =
    mail && !ownForward ? await scoreContentOrReport(mail.subject, mail.text, problems, deps) : undefined;
  if (event.verdicts.spam === 'FAIL') problems.push('SES judged this message to be spam.');
  const original = stored;
  const attached = original.bytes !== undefined;
  const originalWhy = virus
    ? 'SES found a virus in it: open it only with IT'
    : `too large to attach: ${(original.sizeBytes / 1024 / 1024).toFixed(1)} MB`;

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
    ...(event.recipients?.length ? { sentTo: event.recipients } : {}),
    ...(mail?.subject ? { subject: mail.subject } : {}),
    problems,
    acknowledgementSent: acknowledgement.summary,
    ...(frequency ? { frequency: frequency.lines } : {}),
    ...(content ? { content } : {}),
    original: {
      sizeBytes: original.sizeBytes,
      attached,
      ...(attached ? {} : { why: originalWhy, keptAt: original.location }),
    },
  };
  const replyTo = mail?.replyTo[0] ?? mail?.from[0] ?? envelope[0];
  const { acknowledged, record } = await forwardContact(
    {
      screened,
      sourceId: event.messageId,
      verdicts: event.verdicts,
      ...(replyTo ? { replyTo } : {}),
      ...(original.bytes ? { original: original.bytes } : {}),
      ...(mail && !virus ? { appendix: renderMessageText(mail) } : {}),
      acknowledgement,
      frequency,
    },
    deps,
  );
  return {
    result: {
      status: 'forwarded',
      reference,
      route: outcome.route,
      acknowledged,
      alertsRaised: frequency?.alerts.length ?? 0,
    },
    record,
  };
}

/**
 * Our own forward come back (an Exchange rule redirected it again, docs/exchange-online.md): it
 * bears our X-Screening-Reference, is from SCREENING_FROM, and DMARC passed, so nobody else can
 * have sent it. A message merely claiming the header is screened like any other.
 */
function isOwnForward(
  mail: ParsedInboundMail,
  event: InboundMailEvent,
  settings: InboundSettings,
): string | undefined {
  if (!mail.screeningReference || !settings.screeningFrom) return undefined;
  const ours = normaliseEmail(settings.screeningFrom);
  const fromUs = mail.from.length === 1 && normaliseEmail(mail.from[0] ?? '') === ours;
  return fromUs && event.verdicts.dmarc === 'PASS' ? mail.screeningReference : undefined;
}

function alreadyScreenedOutcome(
  earlier: string,
  sentTo: readonly string[],
  settings: InboundSettings,
): ContactOutcome {
  return notScreenedOutcome('service', deliveringMailboxes(sentTo, settings), {
    code: 'already-screened',
    text: `This is a forward that screening made already (${earlier}) and that came back to it: it is delivered to the mailbox of the address it was sent to, not screened, counted or answered again.`,
  });
}

/** Past this many characters the message's text is cut; the whole message is in the attached original. */
const inlineTextChars = 50_000;

/**
 * The message itself, below the summary, so that an officer can read it without opening the
 * attachment: as plain text (the forward has no HTML part, so nothing in it can run or load), with
 * its attachments by name and size.
 */
function renderMessageText(mail: ParsedInboundMail): string {
  const text = mail.text.length > inlineTextChars ? mail.text.slice(0, inlineTextChars) : mail.text;
  const cut = mail.textTruncated || mail.text.length > inlineTextChars;
  const out = [
    'The message (as plain text; the original is attached unchanged where it could be)',
    '',
    text.trim() || '(no text)',
  ];
  if (cut) out.push('', '[… the text is cut here: read the rest in the original]');
  if (mail.attachments.length > 0) {
    out.push('', 'Attachments');
    for (const attachment of mail.attachments)
      out.push(
        `- ${attachment.filename ?? '(no name)'} (${attachment.contentType}, ${sizeInWords(attachment.size)})`,
      );
  }
  return `${out.join('\n')}\n`;
}

const sizeInWords = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** Which automatic reply this email may get, per restriction (7.3.2, 7.3.7, 8.2) and RFC 3834 (P8). */
async function planAcknowledgement(
  outcome: ContactOutcome,
  mail: ParsedInboundMail | undefined,
  event: InboundMailEvent,
  verified: boolean,
  reference: string,
  deps: InboundDeps,
): Promise<AcknowledgementPlan> {
  const { settings } = deps;
  const kind = outcome.acknowledgement;
  const none = (why: string): AcknowledgementPlan => ({ summary: { kind, sent: false, why } });
  if (outcome.route === 'unscreened' || !mail) return none('not screened');
  if (kind === 'none') {
    const clause = outcome.reasons.find(
      (r) => r.code === 'all-contact-refused' || r.code === 'topic-no-reply',
    )?.clause;
    return none(`no reply is given${clause ? ` under ${clause}` : ''}`);
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

  // 7.3.2's notice goes to the registered address only (P4); the standard reply to the sender.
  const to =
    kind === 'email-not-accepted' ? outcome.restrictionNotice?.to : (mail.replyTo[0] ?? mail.from[0]);
  if (!to)
    return none(
      kind === 'email-not-accepted' ? 'no registered email address for the notice' : 'no address to reply to',
    );
  const text =
    kind === 'email-not-accepted'
      ? emailNotAcceptedNotice(settings.council, reference, outcome.restrictionNotice?.writeTo)
      : standardAcknowledgement(settings.council, reference);
  return planAutoReply(
    { reference, ...text, ...(mail.messageIdHeader ? { inReplyTo: mail.messageIdHeader } : {}) },
    to,
    kind,
    deps,
  );
}
