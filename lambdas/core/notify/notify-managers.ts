import { runClaimedOnce } from '../claimed-once';
import { detailTypes, type FrequencyAlertDetail } from '../events';
import { mailboxHash } from '../identity';
import type { ClaimResult, Mailer, RegisterStore } from '../ports';
import { restrictionApplies, restrictionStatus } from '../restriction';
import type { Instant } from '../time';
import { concernMessage } from './concern-message';
import { type IncidentPerson, incidentMessage } from './incident-message';
import {
  type AlertPerson,
  frequencyAlertMessage,
  type ManagerMessage,
  restrictedRoutedMessage,
} from './messages';
import type { NotifyEvent } from './notify-events';

/** Where the address of a sender who is not in the register is kept: with their frequency counts. */
export interface SenderDirectory {
  /** The address (or other identity) counted under this sender id, if it is kept. One request. */
  senderAddress(senderId: string): Promise<string | undefined>;
}

/**
 * One marker per notice and recipient, so that a notice goes to each manager once however often
 * EventBridge and Lambda deliver the event (P6). A claim is leased: if the sender dies before
 * completing, the lease lapses and a retry sends it.
 */
export interface NoticeLedger {
  claim(key: string, now: Instant, leaseUntil: Instant, expiresAt: Instant): Promise<ClaimResult>;
  complete(key: string, messageId: string, at: Instant): Promise<void>;
  /** Gives a claim up after a failed send, so that the retry can take it at once. */
  release(key: string): Promise<void>;
}

export interface NotifyLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface NotifyDeps {
  register: Pick<RegisterStore, 'loadCustomer'>;
  senders: SenderDirectory;
  mailer: Pick<Mailer, 'notify'>;
  notices: NoticeLedger;
  settings: {
    /** MANAGERS: each gets their own copy of every notice. */
    managers: readonly string[];
    /** NOTIFY_RESTRICTED_ROUTED: whether RestrictedContactRouted is mailed at all. */
    notifyRestrictedRouted: boolean;
    /** SAFEGUARDING_GUIDANCE: the steps shown in an urgent concern that carries none of its own. */
    safeguardingGuidance?: string;
  };
  now: () => Instant;
  log: NotifyLog;
}

export type NotifyResult =
  | { status: 'sent'; noticeKey: string; sent: number; alreadySent: number }
  | { status: 'ignored'; noticeKey: string; reason: 'restricted-routed-off' }
  | { status: 'no-managers'; noticeKey: string };

/** A notice another invocation is sending right now: fail, so that Lambda retries after its lease. */
export class NoticeInProgressError extends Error {
  override name = 'NoticeInProgressError';
}

/** A send takes seconds; the lease is shorter than Lambda's first retry (about a minute). */
const leaseMs = 30_000;
/** Markers outlive every counting window and cooldown (at most 60 days), then TTL removes them. */
const markerDays = 90;

const addMs = (instant: Instant, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

/**
 * What makes two deliveries the same notice: the alert id (the publisher may put the same alert
 * twice), the contact reference, or for concerns the event id.
 */
export function noticeKeyOf(event: NotifyEvent): string {
  switch (event['detail-type']) {
    case detailTypes.frequency:
      return `alert:${event.detail.alertId}`;
    case detailTypes.restrictedRouted:
      return `routed:${event.detail.reference}`;
    case detailTypes.incident:
      return `incident:${event.detail.incidentId}`;
    default: {
      // An incident's safeguarding concern is the same notice however often it is published (P6).
      const id = event.detail.alertId ?? event.detail.incidentId;
      return `${event['detail-type']}:${typeof id === 'string' ? id.slice(0, 100) : event.id}`;
    }
  }
}

/** The marker of one recipient: an address is recognised by its hash, not kept (P7). */
const markerKey = (noticeKey: string, recipient: string) => `${noticeKey}#${mailboxHash(recipient)}`;

/** Who a frequency alert is about, from the register or the sender's counts. */
export async function alertPerson(
  detail: FrequencyAlertDetail,
  deps: Pick<NotifyDeps, 'register' | 'senders'>,
  now: Instant,
): Promise<AlertPerson> {
  const { subject } = detail;
  if (subject.kind === 'sender') {
    const address = await deps.senders.senderAddress(subject.senderId);
    return { kind: 'sender', senderId: subject.senderId, ...(address ? { address } : {}) };
  }
  const record = await deps.register.loadCustomer(subject.customerId);
  if (!record) return { kind: 'customer', customerId: subject.customerId, inRegister: false };
  const { customer } = record;
  return {
    kind: 'customer',
    customerId: customer.id,
    inRegister: true,
    name: customer.name,
    // P5: the clock decides, on this read too.
    restrictions: record.restrictions
      .filter((restriction) => restrictionApplies(restriction, now))
      .map((restriction) => ({
        id: restriction.id,
        type: restriction.type,
        status: restrictionStatus(restriction, now),
        endsAt: restriction.endsAt,
        reviewAt: restriction.reviewAt,
      })),
    ...(customer.reasonableAdjustments ? { reasonableAdjustments: customer.reasonableAdjustments } : {}),
  };
}

async function incidentPerson(
  customerId: string | undefined,
  deps: Pick<NotifyDeps, 'register'>,
): Promise<IncidentPerson> {
  if (!customerId) return undefined;
  const record = await deps.register.loadCustomer(customerId);
  return record ? { name: record.customer.name, customerId } : undefined;
}

/**
 * Tells the managers about an event on the bus: one plain-text email to each address in MANAGERS.
 * It only informs; it never restricts anyone (P2). Each manager gets a notice once (P6); a failed
 * send fails the invocation so that Lambda retries it, and the ones already sent are not sent again.
 */
export async function notifyManagers(event: NotifyEvent, deps: NotifyDeps): Promise<NotifyResult> {
  const noticeKey = noticeKeyOf(event);
  const ids = { eventId: event.id, detailType: event['detail-type'], noticeKey };
  if (event['detail-type'] === detailTypes.restrictedRouted && !deps.settings.notifyRestrictedRouted) {
    deps.log.info('restricted contact routed: managers are not notified (NOTIFY_RESTRICTED_ROUTED off)', ids);
    return { status: 'ignored', noticeKey, reason: 'restricted-routed-off' };
  }
  if (deps.settings.managers.length === 0) {
    // The event itself is kept by the publisher's side (and visible in the admin API).
    deps.log.warn('no managers to notify: MANAGERS is empty', ids);
    return { status: 'no-managers', noticeKey };
  }

  const now = deps.now();
  let message: ManagerMessage;
  let reference: string;
  switch (event['detail-type']) {
    case detailTypes.frequency:
      message = frequencyAlertMessage(event.detail, await alertPerson(event.detail, deps, now));
      reference = event.detail.alertId.slice(0, 100);
      break;
    case detailTypes.restrictedRouted:
      message = restrictedRoutedMessage(event.detail);
      reference = event.detail.reference;
      break;
    case detailTypes.incident:
      message = incidentMessage(event.detail, await incidentPerson(event.detail.customerId, deps));
      reference = event.detail.incidentId;
      break;
    default:
      message = concernMessage(event, deps.settings.safeguardingGuidance);
      reference = (event.detail.reference ?? event.detail.incidentId ?? event.id).slice(0, 100);
  }

  // One notice per mailbox, however MANAGERS spells it (addresses compare without case here).
  const recipients = deps.settings.managers.filter(
    (manager, i, all) => all.findIndex((other) => other.toLowerCase() === manager.toLowerCase()) === i,
  );
  const outcomes = await Promise.allSettled(
    recipients.map((manager) =>
      sendOnce(markerKey(noticeKey, manager), { reference, to: manager, ...message }, deps, now),
    ),
  );
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
  const sent = outcomes.filter(
    (outcome) => outcome.status === 'fulfilled' && outcome.value === 'sent',
  ).length;
  if (failed.length > 0) {
    const names = [...new Set(failed.map((outcome) => errorName(outcome.reason)))].join(', ');
    deps.log.warn('notice not sent to every manager; the invocation fails and is retried', {
      ...ids,
      sent,
      failed: failed.length,
      errors: names,
    });
    throw failed[0]!.reason;
  }
  return { status: 'sent', noticeKey, sent, alreadySent: outcomes.length - sent };
}

async function sendOnce(
  key: string,
  notice: { reference: string; to: string; subject: string; text: string },
  deps: NotifyDeps,
  now: Instant,
): Promise<'sent' | 'already-sent'> {
  const once = await runClaimedOnce<string>(
    {
      claim: () => deps.notices.claim(key, now, addMs(now, leaseMs), addMs(now, markerDays * 86_400_000)),
      release: () => deps.notices.release(key),
      complete: (messageId) => deps.notices.complete(key, messageId, deps.now()),
    },
    // An alert is a report, not an answer to anyone's message (RFC 3834).
    () => deps.mailer.notify({ ...notice, autoSubmitted: 'auto-generated' }),
    {
      busy: () => new NoticeInProgressError('another delivery of this event is sending the same notice'),
      // Sent: failing now would send it again on the retry. A marker left leased only lets a much
      // later duplicate delivery, after the lease, send once more.
      onCompleteFailed: (error) =>
        deps.log.warn('notice sent but not marked as sent', {
          reference: notice.reference,
          error: errorName(error),
        }),
    },
  );
  return once.status === 'done' ? 'sent' : 'already-sent';
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
