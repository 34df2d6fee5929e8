import {
  type AbusiveContentDetail,
  type ContentConcernDetail,
  detailTypes,
  type PublishedEvent,
  type SafeguardingConcernDetail,
} from './events';
import type { AlertClaims, EventLog, EventPublisher } from './ports';
import type { Channel } from './screen';
import { abusiveCategories, type ContentSignals, safeguardingCategories } from './signals';
import type { Instant } from './time';

const addSeconds = (instant: Instant, seconds: number) =>
  new Date(Date.parse(instant) + seconds * 1000).toISOString();

/** The contact the concern is about: ids only (P7). */
export interface FlaggedContact {
  reference: string;
  customerIds: readonly string[];
  /** `email`, `web-form`, or a staff-recorded channel (telephone, in-person, letter, social-media). */
  channel: Channel | (string & {});
  receivedAt: Instant;
}

export interface SignalEventDeps {
  alertClaims: AlertClaims;
  events: EventPublisher;
  eventLog: Pick<EventLog, 'recordEvent'>;
  now: () => Instant;
  settings: {
    /** Claims last as long as the contact record: a redelivery within it raises nothing again. */
    retentionDays: number;
    /** SAFEGUARDING_GUIDANCE: the council's safeguarding steps, carried by the urgent event. */
    safeguardingGuidance?: string;
  };
  onHandledFailure?: (what: string, error: unknown) => void;
}

/**
 * The events these flags raise: SafeguardingConcernRaised (urgent) for threats and self-harm
 * (3.2.5, 3.3, 6.1), first; AbusiveContentFlagged for the managers' review of abusive words
 * (5.8: offensive, threats, intimidation). Each names the contact and its customers, the
 * categories and how sure each is: never the text or the evidence (P7). Flags change nothing
 * else: not the route, not any restriction (P2), and the sender is answered as anyone else.
 */
export function contentConcernEventsOf(
  contact: FlaggedContact,
  signals: ContentSignals,
  guidance?: string,
): PublishedEvent<ContentConcernDetail>[] {
  const base = (categories: readonly string[]) => {
    const flags = signals.flags.filter((f) => categories.includes(f.category));
    return {
      alertId: `contact:${contact.reference}`,
      reference: contact.reference,
      ...(contact.customerIds[0] ? { customerId: contact.customerIds[0] } : {}),
      customerIds: contact.customerIds.slice(0, 10),
      categories: flags.map((f) => f.category),
      confidence: Object.fromEntries(flags.map((f) => [f.category, f.confidence])),
      source: 'content-signal' as const,
      channel: contact.channel,
      receivedAt: contact.receivedAt,
      detectorVersion: signals.detectorVersion,
    };
  };
  const events: PublishedEvent<ContentConcernDetail>[] = [];
  const resources = contact.customerIds.length > 0 ? { resources: [...contact.customerIds] } : {};
  const safeguarding = base(safeguardingCategories);
  if (safeguarding.categories.length > 0) {
    const detail: SafeguardingConcernDetail = {
      ...safeguarding,
      urgent: true,
      ...(guidance ? { guidance } : {}),
    };
    events.push({ detailType: detailTypes.safeguarding, detail, ...resources });
  }
  const abusive = base(abusiveCategories);
  if (abusive.categories.length > 0) {
    const detail: AbusiveContentDetail = { ...abusive, urgent: false };
    events.push({ detailType: detailTypes.abusive, detail, ...resources });
  }
  return events;
}

/**
 * Publishes the concerns of a flagged contact once each (P6): a claim per contact and detail type
 * in the alert-claims store, held for the contact's retention. If the store cannot be reached the
 * concern is published anyway (a safeguarding concern missed is worse than one told twice; the
 * notify function mails each `alertId` once regardless). Each publication is recorded in the
 * event log, published or failed; nothing here throws: the contact is delivered already.
 */
export async function publishContentConcerns(
  contact: FlaggedContact,
  signals: ContentSignals | undefined,
  deps: SignalEventDeps,
): Promise<string[]> {
  if (!signals || signals.flags.length === 0) return [];
  const published: string[] = [];
  for (const event of contentConcernEventsOf(contact, signals, deps.settings.safeguardingGuidance)) {
    const now = deps.now();
    const claimKey = `content#${contact.reference}#${event.detailType}`;
    const claimed = await deps.alertClaims
      .claim(claimKey, now, addSeconds(now, deps.settings.retentionDays * 24 * 3600))
      .catch((error: unknown) => {
        deps.onHandledFailure?.('content concern claim', error);
        return true;
      });
    if (!claimed) continue;
    let status: 'published' | 'failed' = 'published';
    try {
      await deps.events.publish([event]);
      published.push(event.detailType);
    } catch (error) {
      status = 'failed';
      deps.onHandledFailure?.(`publish ${event.detailType}`, error);
    }
    await deps.eventLog
      .recordEvent(event, now, status)
      .catch((error: unknown) => deps.onHandledFailure?.('event log', error));
  }
  return published;
}
