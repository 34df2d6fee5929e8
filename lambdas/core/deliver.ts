import { runClaimedOnce } from './claimed-once';
import {
  type ContactOutcome,
  type ContactRecord,
  type MailVerdicts,
  renderSummary,
  type ScreenedContact,
  unscreenedOutcome,
} from './contact';
import {
  type HeldClaim,
  heldClaimOn,
  recordAndLog,
  repeatAfterLapseProblem,
  runHoldingClaim,
} from './contact-claim';
import { detailTypes, type RestrictedRoutedDetail, type ScreeningFailedDetail } from './events';
import { type ContactToCount, type CountOutcome, countContact, type FrequencyThresholds } from './frequency';
import { londonDay } from './london-day';
import type { MailboxMap } from './mailboxes';
import type {
  AlertClaims,
  ContactCounts,
  ContactLedger,
  EventLog,
  EventPublisher,
  Mailer,
  OutboundNotice,
} from './ports';
import { type ScreeningRegister, screenAgainstRegister } from './register';
import { type ReportTotals, recordContactTotals } from './reports/totals';
import type { ContactToScreen } from './screen';
import { publishContentConcerns } from './signal-events';
import {
  type ContentScorer,
  contentSignalsOf,
  inProcessContentScorer,
  recordableSignals,
  scoredTextOf,
} from './signals';
import type { CouncilDetails } from './templates';
import type { Instant } from './time';

/**
 * What every channel shares once it knows what a contact is: the exactly-once claim, screening
 * that fails open, the forward with its summary, the automatic reply and the contact record.
 */
export interface DeliverySettings {
  serviceInbox: string;
  /** Where unrestricted mail to each public address goes (MAILBOXES, core/mailboxes.ts). */
  mailboxes?: MailboxMap;
  /** The council's mail domains: their addresses that the map does not name go to the service inbox. */
  councilDomains?: readonly string[];
  /** The staff console's address: the forward links to the contact and its customers there. */
  consoleUrl?: string;
  retentionDays: number;
  council: CouncilDetails;
  /** How long a claim on a contact holds before another attempt may take it over. */
  leaseSeconds: number;
  /** SAFEGUARDING_GUIDANCE: the council's safeguarding steps, carried by SafeguardingConcernRaised. */
  safeguardingGuidance?: string;
}

export interface DeliveryDeps {
  /** Screening reads the register only. */
  register: ScreeningRegister;
  mailer: Mailer;
  ledger: ContactLedger;
  counts: ContactCounts;
  alertClaims: AlertClaims;
  events: EventPublisher;
  /** Where published (and unpublishable) events are recorded for the admin API. */
  eventLog: Pick<EventLog, 'recordEvent'>;
  /** Monitoring totals (13.1); absent, contacts are not counted for reports. */
  reportTotals?: Pick<ReportTotals, 'add'>;
  thresholds: FrequencyThresholds;
  now: () => Instant;
  settings: DeliverySettings;
  /** Scores the contact's words (content signals); the in-process detector when not given. */
  contentScorer?: ContentScorer;
  /** Reports a failure that was handled (fail-open); ids only, never content (P7). */
  onHandledFailure?: (what: string, error: unknown) => void;
}

/**
 * Another attempt holds this contact's lease now; failing makes the platform retry later. The
 * lease is chosen to have lapsed by then (P6): an email's lease (45 s) outlives the inbound
 * function's timeout (30 s), so no running attempt loses it, and is shorter than the delay
 * before Lambda's first retry of a failed asynchronous invocation (about a minute), so the
 * retried event finds the holder either finished ('duplicate') or gone (it takes the lease over
 * and its forward says it may be a repeat). The form worker's lease (30 s, timeout 20 s) lapses
 * likewise before SQS shows the message again (visibility timeout 120 s).
 */
export class ContactBusyError extends Error {
  override name = 'ContactBusyError';
}

export const addSeconds = (instant: Instant, seconds: number) =>
  new Date(Date.parse(instant) + seconds * 1000).toISOString();

export const repeatUncheckedProblem =
  'Whether this contact was already delivered could not be checked: if it arrives twice, the second is a repeat.';

/** What delivering one contact produced: the channel's answer, and the record that completes the claim. */
export interface Delivered<T> {
  result: T;
  record: ContactRecord;
}

/**
 * Runs `work` once per contact reference (P6). A reference already delivered returns 'duplicate';
 * one whose lease another attempt holds throws ContactBusyError (see there why the retry finds it
 * lapsed). If the ledger cannot be reached at all, the work still runs (P1) with `claimed` false.
 * A failure before the forward gives the claim up so that the retry can take it at once.
 *
 * The order that keeps a sent forward from being sent again: the forward; the acknowledgement
 * (never throws); then, together, the claim finished with the contact record in one conditional
 * write (retried briefly, never throws: forwardContact does this the moment it has sent), the
 * contact log entries and the events, whose failures are reported, not thrown. A claim taken
 * over from an attempt that did not finish makes the forward say it may be a repeat.
 *
 * With oncePerContactAfter, `prepare` (reads only: the stored message, the register) starts at the
 * same time as the claim, and `work` gets its result: neither needs the other's answer. If the contact is a duplicate or
 * busy, what it read is simply not used; nothing is written before the claim is known.
 */
export function oncePerContact<T>(
  reference: string,
  deps: OnceDeps,
  work: (claimed: boolean) => Promise<Delivered<T>>,
): Promise<T | 'duplicate'> {
  return oncePerContactAfter(reference, deps, undefined, (claimed) => work(claimed));
}

type OnceDeps = Pick<DeliveryDeps, 'ledger' | 'now' | 'settings' | 'onHandledFailure' | 'reportTotals'>;

/** As oncePerContact, with `prepare` (reads only) run beside the claim and handed to `work`. */
export async function oncePerContactAfter<T, P>(
  reference: string,
  deps: OnceDeps,
  prepare: (() => Promise<P>) | undefined,
  work: (claimed: boolean, prepared: P) => Promise<Delivered<T>>,
): Promise<T | 'duplicate'> {
  const startedAt = deps.now();
  const held: HeldClaim = { reference, claimed: false, finish: 'pending' };
  const preparing = prepare?.();
  // Not read at all when the claim says duplicate or busy: its failure is then nobody's concern.
  preparing?.catch(() => undefined);
  const once = await runClaimedOnce<Delivered<T>>(
    {
      claim: async () => {
        const claim = await deps.ledger.claim(
          reference,
          startedAt,
          addSeconds(startedAt, deps.settings.leaseSeconds),
        );
        if (typeof claim === 'string') return claim;
        held.lapsedAttemptAt = claim.lapsedAttemptAt;
        return 'claimed';
      },
      release: () => deps.ledger.release(reference),
      complete: async ({ record }) => {
        // Work that made no forward through forwardContact is recorded (and logged) here, and
        // counted for reports (13.1) once it is recorded; forwardContact counts its own.
        if (held.finish === 'pending') {
          await recordAndLog(record, held, deps);
          if ((held.finish as HeldClaim['finish']) === 'recorded') await countForReports(record, deps);
        }
      },
    },
    (claimed) => {
      held.claimed = claimed;
      return runHoldingClaim(held, async () => work(claimed, (await preparing) as P));
    },
    {
      busy: () => new ContactBusyError(`contact ${reference} is being processed by another attempt`),
      onClaimFailed: (error) => deps.onHandledFailure?.('claim', error),
      onCompleteFailed: (error) => deps.onHandledFailure?.('contact log', error),
    },
  );
  return once.status === 'already-done' ? 'duplicate' : once.result.result;
}

/** Screens against the register; if the register cannot be reached, the contact goes unscreened (P1). */
export async function screenOrFailOpen(
  contact: ContactToScreen,
  deps: DeliveryDeps,
): Promise<ContactOutcome> {
  try {
    return await screenAgainstRegister(contact, {
      store: deps.register,
      now: deps.now,
      serviceInbox: deps.settings.serviceInbox,
      ...(deps.settings.mailboxes ? { mailboxes: deps.settings.mailboxes } : {}),
      ...(deps.settings.councilDomains ? { councilDomains: deps.settings.councilDomains } : {}),
    });
  } catch (error) {
    deps.onHandledFailure?.('screen', error);
    return unscreenedOutcome(deps.settings.serviceInbox, 'the restriction register could not be reached');
  }
}

export interface AcknowledgementPlan {
  summary: ScreenedContact['acknowledgementSent'];
  send?: OutboundNotice;
  /** The day whose allowance the reply took (P8), handed back if the contact cannot be forwarded. */
  allowanceDay?: string;
}

/**
 * Plans an automatic reply to `to`, at most one per address per day (P8): takes the day's
 * allowance, or plans none if it is used up or cannot be checked.
 */
export async function planAutoReply(
  notice: Omit<OutboundNotice, 'to'>,
  to: string,
  kind: ScreenedContact['acknowledgementSent']['kind'],
  deps: DeliveryDeps,
): Promise<AcknowledgementPlan> {
  const now = deps.now();
  const day = londonDay(now);
  const allowed = await deps.ledger
    .takeAutoReplyAllowance(to, day, addSeconds(now, 2 * 24 * 3600))
    .catch((error: unknown) => {
      deps.onHandledFailure?.('auto-reply allowance', error);
      return false;
    });
  if (!allowed) {
    return {
      summary: { kind, sent: false, why: 'an automatic reply already went to this address today (P8)' },
    };
  }
  return { summary: { kind, sent: true }, send: { ...notice, to }, allowanceDay: day };
}

/**
 * Counts the contact for frequency alerts (4.2.7); if counting fails the contact is still
 * delivered, and the summary says it was not counted (P1).
 */
export async function countOrReport(
  contact: ContactToCount,
  problems: string[],
  deps: DeliveryDeps,
): Promise<CountOutcome | undefined> {
  try {
    return await countContact(contact, deps);
  } catch (error) {
    deps.onHandledFailure?.('count', error);
    problems.push('This contact could not be counted for frequency alerts.');
    return undefined;
  }
}

const defaultContentScorer = inProcessContentScorer();

/**
 * Scores the contact's subject and body for content signals (3.1, 3.2.5, 3.3, 3.2.8), failing
 * open: if the scorer fails or is slow the contact goes on with no flags and the problem says so
 * (P1). Flags never change the route or restrict anyone (P2).
 */
export async function scoreContentOrReport(
  subject: string | undefined,
  body: string | undefined,
  problems: string[],
  deps: Pick<DeliveryDeps, 'contentScorer' | 'onHandledFailure'>,
): Promise<ScreenedContact['content']> {
  const text = scoredTextOf(subject, body);
  const scored = await contentSignalsOf(text, deps.contentScorer ?? defaultContentScorer, {
    ...(deps.onHandledFailure ? { onHandledFailure: deps.onHandledFailure } : {}),
  });
  if (scored.problem) problems.push(scored.problem);
  return scored.signals ? { signals: scored.signals, text } : undefined;
}

export interface ContactToDeliver {
  screened: ScreenedContact;
  frequency?: CountOutcome | undefined;
  sourceId: string;
  verdicts?: MailVerdicts;
  replyTo?: string;
  /** Text after the summary (the web form's submission, as inert text). */
  appendix?: string;
  original?: Uint8Array;
  acknowledgement: AcknowledgementPlan;
}

/**
 * Forwards the contact with its summary to the routed mailboxes (a failure here throws, so the
 * platform retries), sends the automatic reply if one is planned (a failure is reported, not
 * retried), then at once records the contact as forwarded (inside oncePerContact: it finishes
 * the claim with the record), writes its log entries and publishes its events, together. Once
 * the forward is sent nothing throws: a retry would forward it twice (P6).
 */
export async function forwardContact(
  contact: ContactToDeliver,
  deps: DeliveryDeps,
): Promise<{ acknowledged: boolean; record: ContactRecord }> {
  const { outcome, reference } = contact.screened;
  const claim = heldClaimOn(reference);
  const screened: ScreenedContact = claim?.lapsedAttemptAt
    ? {
        ...contact.screened,
        problems: [...contact.screened.problems, repeatAfterLapseProblem(claim.lapsedAttemptAt)],
      }
    : contact.screened;
  const summary = renderSummary(screened, deps.settings.consoleUrl);
  const forward = deps.mailer.forward({
    reference,
    route: outcome.route,
    to: outcome.recipients,
    cc: outcome.copyTo,
    ...(contact.replyTo ? { replyTo: contact.replyTo } : {}),
    subject: `[${outcome.route === 'unscreened' ? 'UNSCREENED ' : ''}${reference}] ${screened.subject || '(no subject)'}`,
    summary: contact.appendix ? `${summary}\n${contact.appendix}` : summary,
    ...(contact.original ? { original: contact.original } : {}),
  });
  try {
    await forward;
  } catch (error) {
    // The retry must be able to send the reply that this attempt took the allowance for.
    const { send, allowanceDay } = contact.acknowledgement;
    if (send && allowanceDay)
      await deps.ledger.releaseAutoReplyAllowance(send.to, allowanceDay).catch(() => undefined);
    throw error;
  }

  let acknowledged = false;
  if (contact.acknowledgement.send) {
    try {
      await deps.mailer.notify(contact.acknowledgement.send);
      acknowledged = true;
    } catch (error) {
      deps.onHandledFailure?.('acknowledge', error);
    }
  }

  const record = contactRecordOf({ ...contact, screened }, acknowledged, deps);
  // The record, the log entries and the events at the same time: none needs another's answer.
  // Exactly once still (P6): a redelivery after the record is written is a 'duplicate' and does
  // nothing. An attempt that dies after publishing but before its record leaves the claim
  // `processing`; the retry after the lease takes it over, forwards again (saying it may be a
  // repeat) and publishes again: the events are published at least once, never lost — with the
  // record first, a death between the two lost them — and the copy is one more of the duplicates
  // EventBridge itself may deliver, which the consumers absorb: notify tells each manager of a
  // routed contact once (its `routed:<reference>` marker, core/notify/notify-managers.ts); the
  // alarm topic may repeat a ContactScreeningFailed naming the same reference. Log entries are
  // written under the same keys again (harmless), and taken back if no record was written.
  await Promise.all([
    claim ? recordAndLog(record, claim, deps) : undefined,
    publishDeliveryEvents(screened, deps),
    // 13.1: counted once by its reference (the day's totals keep the references they counted).
    countForReports(record, deps),
    // Their own claim per contact and type keeps them once (signal-events.ts).
    publishContentConcerns(
      {
        reference,
        customerIds: outcome.customerIds,
        channel: screened.channel,
        receivedAt: screened.receivedAt,
      },
      screened.content?.signals,
      deps,
    ),
  ]);
  return { acknowledged, record };
}

/** Counts the contact in the monitoring totals (13.1); idempotent by reference; a failure is reported. */
async function countForReports(
  record: ContactRecord,
  deps: Pick<DeliveryDeps, 'reportTotals' | 'onHandledFailure'>,
) {
  if (!deps.reportTotals) return;
  await recordContactTotals(record, deps.reportTotals).catch((error: unknown) =>
    deps.onHandledFailure?.('report totals', error),
  );
}

/** Operators hear of an unscreened contact, managers of a restricted one routed; failures are reported. */
async function publishDeliveryEvents(screened: ScreenedContact, deps: DeliveryDeps): Promise<void> {
  const { outcome, reference } = screened;
  if (outcome.route === 'unscreened') {
    // Operators are alerted (the stack routes this event to the alarm topic); the contact is delivered already.
    const failed: ScreeningFailedDetail = {
      reference,
      channel: screened.channel,
      reasons: outcome.reasons.map((r) => r.code),
      receivedAt: screened.receivedAt,
    };
    const event = { detailType: detailTypes.failed, detail: failed };
    const status = await deps.events.publish([event]).then(
      () => 'published' as const,
      (error: unknown) => {
        deps.onHandledFailure?.('publish screening failed', error);
        return 'failed' as const;
      },
    );
    await deps.eventLog
      .recordEvent(event, deps.now(), status)
      .catch((error: unknown) => deps.onHandledFailure?.('event log', error));
  }
  if (outcome.route === 'named-officer' || outcome.route === 'designated-reader') {
    const detail: RestrictedRoutedDetail = {
      reference,
      customerIds: outcome.customerIds,
      route: outcome.route,
      appliedRestrictionIds: outcome.appliedRestrictionIds,
      clauses: [...new Set(outcome.reasons.flatMap((r) => (r.clause ? [r.clause] : [])))],
      channel: screened.channel,
      receivedAt: screened.receivedAt,
    };
    await deps.events
      .publish([{ detailType: detailTypes.restrictedRouted, detail, resources: outcome.customerIds }])
      .catch((error: unknown) => deps.onHandledFailure?.('publish routed', error));
  }
}

/** What is kept of the delivered contact (P7: the decision, never the body). */
function contactRecordOf(
  contact: ContactToDeliver,
  acknowledged: boolean,
  deps: DeliveryDeps,
): ContactRecord {
  const { screened } = contact;
  const now = deps.now();
  const {
    acknowledgement: _kind,
    restrictionNotice: _notice,
    customers: _who,
    ...decision
  } = screened.outcome;
  return {
    ...decision,
    reference: screened.reference,
    channel: screened.channel,
    sourceId: contact.sourceId,
    receivedAt: screened.receivedAt,
    processedAt: now,
    senderVerified: screened.sender.verified,
    ...(contact.verdicts ? { verdicts: contact.verdicts } : {}),
    acknowledgement: { ...contact.acknowledgement.summary, sent: acknowledged },
    originalAttached: screened.original?.attached ?? false,
    sizeBytes: screened.original?.sizeBytes ?? contact.appendix?.length ?? 0,
    problems: screened.problems,
    // The flags without the words (P7): categories, confidence, clauses, where, detector version.
    ...(screened.content ? { signals: recordableSignals(screened.content.signals) } : {}),
    ...(contact.frequency ? { topic: contact.frequency.topic, counts: contact.frequency.counts } : {}),
    // Counted for a sender not in the register: their contacts join the customer's when they are registered.
    ...(contact.frequency?.subjectId.startsWith('snd_') ? { senderId: contact.frequency.subjectId } : {}),
    expiresAt: addSeconds(now, deps.settings.retentionDays * 24 * 3600),
  };
}
