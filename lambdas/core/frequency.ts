import { createHash, randomUUID } from 'node:crypto';
import { channelInWords } from './channels';
import type { FrequencyAlertDetail, FrequencySubject, FrequencyWindow, PublishedEvent } from './events';
import { detailTypes } from './events';
import { dayBefore, londonDay } from './london-day';
import type { AlertClaims, ContactCounts, EventLog, EventPublisher } from './ports';
import type { Instant } from './time';
import { decideTopic, type Topic } from './topic';

/**
 * Contact frequency (4.2.7, 4.2.8, 4.2.12): every contact is counted for its sender — a register
 * customer, or anyone else by address — per topic, across topics and across channels, over
 * rolling windows of whole days (Europe/London). Crossing a threshold raises one alert.
 */
export interface FrequencyThresholds {
  topic: { count: number; days: number };
  allTopics: { count: number; days: number };
  channels: { count: number; days: number };
}

export const defaultThresholds: FrequencyThresholds = {
  topic: { count: 5, days: 7 },
  allTopics: { count: 15, days: 30 },
  channels: { count: 3, days: 7 },
};

/** One counted contact: its reference, when it arrived and through which channel. */
export interface CountedContact {
  reference: string;
  at: Instant;
  channel: string;
}

/** What counting one contact writes (see ContactCounts.count). */
export interface CountInput {
  subjectId: string;
  /** For a sender not in the register: their address, so that managers can be told who (never in events). */
  senderIdentity?: string;
  day: string;
  topic: Topic & { fingerprint?: string };
  contact: CountedContact;
  /** Beyond this many contacts a day on one topic, only the number is kept (bounded item size). */
  overflow: boolean;
  /** The state as last read: what is older than `oldestDay` in it is dropped in the same write. */
  known: FrequencyState;
  oldestDay: string;
  expiresAt: Instant;
}

/** What the store holds for a sender: per day and topic, the contacts counted (bounded per day). */
export interface FrequencyState {
  /** day (YYYY-MM-DD) → topic key → contacts; plus how many more were counted beyond the cap. */
  days: Map<string, Map<string, { contacts: CountedContact[]; overflow: number }>>;
  topics: Map<
    string,
    { key: string; label: string; how: Topic['how']; fingerprint?: string; lastDay: string }
  >;
}

export const emptyState = (): FrequencyState => ({ days: new Map(), topics: new Map() });

export { dayBefore, londonDay };

/** Who is counted: the register customer if the contact was matched to exactly one, else the sender. */
export function frequencySubject(
  customerIds: readonly string[],
  senderIdentity: string | undefined,
): { subject: FrequencySubject; id: string; senderIdentity?: string } | undefined {
  if (customerIds.length === 1)
    return { subject: { kind: 'customer', customerId: customerIds[0]! }, id: customerIds[0]! };
  if (!senderIdentity) return undefined;
  const senderId = senderSubjectId(senderIdentity);
  return { subject: { kind: 'sender', senderId }, id: senderId, senderIdentity };
}

/**
 * Whom a sender not in the register is counted as: a hash of their normalised email or phone
 * (the same normalisation as the register's identities), so that their history can join a
 * customer's when they are registered (core/history.ts).
 */
export function senderSubjectId(normalisedIdentity: string): string {
  return `snd_${createHash('sha256').update(normalisedIdentity).digest('hex').slice(0, 24)}`;
}

interface WindowView {
  count: number;
  contacts: CountedContact[];
  channels: string[];
}

function view(state: FrequencyState, day: string, days: number, topicKey?: string): WindowView {
  const contacts: CountedContact[] = [];
  let count = 0;
  for (let i = 0; i < days; i++) {
    const topics = state.days.get(dayBefore(day, i));
    if (!topics) continue;
    for (const [key, entry] of topics) {
      if (topicKey !== undefined && key !== topicKey) continue;
      contacts.push(...entry.contacts);
      count += entry.contacts.length + entry.overflow;
    }
  }
  contacts.sort((a, b) => a.at.localeCompare(b.at));
  return { count, contacts, channels: [...new Set(contacts.map((c) => c.channel))].sort() };
}

export interface FrequencyCounts {
  topic: WindowView;
  allTopics: WindowView;
  channels: WindowView;
}

export function countsOf(
  state: FrequencyState,
  day: string,
  topicKey: string,
  thresholds: FrequencyThresholds,
): FrequencyCounts {
  return {
    topic: view(state, day, thresholds.topic.days, topicKey),
    allTopics: view(state, day, thresholds.allTopics.days),
    channels: view(state, day, thresholds.channels.days),
  };
}

/** The state with one more contact counted (as the store's atomic write makes it). */
export function withContact(
  state: FrequencyState,
  day: string,
  topic: Topic,
  contact: CountedContact,
  cap: number,
): FrequencyState {
  type DayTopics = Map<string, { contacts: CountedContact[]; overflow: number }>;
  const days = new Map<string, DayTopics>([...state.days].map(([d, topics]) => [d, new Map(topics)]));
  const topics: DayTopics = days.get(day) ?? new Map();
  const entry = topics.get(topic.key) ?? { contacts: [], overflow: 0 };
  if (!entry.contacts.some((c) => c.reference === contact.reference)) {
    topics.set(
      topic.key,
      entry.contacts.length < cap
        ? { contacts: [...entry.contacts, contact], overflow: entry.overflow }
        : { contacts: entry.contacts, overflow: entry.overflow + 1 },
    );
  }
  days.set(day, topics);
  return { days, topics: state.topics };
}

const ordinal = (n: number) => {
  const suffix =
    n % 100 >= 11 && n % 100 <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
};

const channelLabel = channelInWords;

/** The lines the forwarded summary shows, e.g. "5th contact on CMP-12345 in 7 days". */
export function summaryLines(
  counts: FrequencyCounts,
  topic: Topic,
  thresholds: FrequencyThresholds,
): string[] {
  return [
    `${ordinal(counts.topic.count)} contact on ${topic.label} in ${thresholds.topic.days} days (alert at ${thresholds.topic.count}).`,
    `${counts.allTopics.count} contact${counts.allTopics.count === 1 ? '' : 's'} on all topics in ${thresholds.allTopics.days} days (alert at ${thresholds.allTopics.count}).`,
    `Channels in ${thresholds.channels.days} days: ${counts.channels.channels.map(channelLabel).join(', ') || 'none'}.`,
  ];
}

const windows: {
  window: FrequencyWindow;
  clause: FrequencyAlertDetail['clause'];
  key: keyof FrequencyThresholds;
}[] = [
  { window: 'topic', clause: '4.2.7', key: 'topic' },
  { window: 'all-topics', clause: '4.2.8', key: 'allTopics' },
  { window: 'channels', clause: '4.2.12', key: 'channels' },
];

/**
 * The thresholds this contact crossed: those below their threshold before it and at or above
 * it after. The store's write is atomic, so under concurrency exactly one contact sees each crossing.
 */
export function crossedThresholds(
  before: FrequencyCounts,
  after: FrequencyCounts,
  subject: FrequencySubject,
  topic: Topic,
  thresholds: FrequencyThresholds,
  newId: () => string,
): (PublishedEvent<FrequencyAlertDetail> & { window: FrequencyWindow; topicKey?: string; days: number })[] {
  const crossed = [];
  for (const { window, clause, key } of windows) {
    const threshold = thresholds[key].count;
    const measure = (counts: FrequencyCounts) =>
      window === 'channels' ? counts.channels.channels.length : counts[key].count;
    if (!(measure(before) < threshold && measure(after) >= threshold)) continue;
    const windowView = after[key];
    const contacts = windowView.contacts;
    const detail: FrequencyAlertDetail = {
      alertId: newId(),
      subject,
      window,
      clause,
      ...(window === 'topic' ? { topic: { key: topic.key, label: topic.label, how: topic.how } } : {}),
      count: measure(after),
      threshold,
      windowDays: thresholds[key].days,
      totalInWindow: after.allTopics.count,
      channels: windowView.channels,
      firstContactAt: contacts[0]?.at ?? new Date(0).toISOString(),
      lastContactAt: contacts.at(-1)?.at ?? new Date(0).toISOString(),
      contactReferences: contacts.slice(-100).map((c) => c.reference),
    };
    crossed.push({
      detailType: detailTypes.frequency,
      detail,
      resources: [subject.kind === 'customer' ? subject.customerId : subject.senderId],
      window,
      ...(window === 'topic' ? { topicKey: topic.key } : {}),
      days: thresholds[key].days,
    });
  }
  return crossed;
}

/** Past this many contacts on one topic in one day, only the number is kept. */
export const contactsKeptPerDayAndTopic = 200;

export interface CountingDeps {
  counts: ContactCounts;
  alertClaims: AlertClaims;
  events: EventPublisher;
  /** Where each alert is recorded, published or not, for the admin API and the console. */
  eventLog: Pick<EventLog, 'recordEvent'>;
  thresholds: FrequencyThresholds;
  now: () => Instant;
  newId?: () => string;
  onHandledFailure?: (what: string, error: unknown) => void;
}

export interface ContactToCount {
  reference: string;
  receivedAt: Instant;
  /** `email:<council mailbox it was sent to>`, `web-form`, or a channel staff record (`telephone`, …). */
  channel: string;
  customerIds: readonly string[];
  /** The sender's normalised email (or phone), for senders not in the register. */
  senderIdentity?: string | undefined;
  caseReferences: readonly string[];
  formTopic?: string | undefined;
  subject?: string | undefined;
  /** Text for the fingerprint only; never stored. */
  text: string;
}

export interface CountOutcome {
  /** Whom the contact was counted for: a customer id, or a sender's `snd_` id. */
  subjectId: string;
  topic: Topic;
  lines: string[];
  counts: { topic: number; allTopics: number; channels: number };
  alerts: FrequencyWindow[];
}

/**
 * Counts one contact: one read (the sender's state, for the topic) and one atomic write; then,
 * for each threshold this contact crossed, one alert unless the same alert was raised within its
 * window (the cooldown). A failure to publish is reported and recorded; it never loses the contact.
 */
export async function countContact(
  contact: ContactToCount,
  deps: CountingDeps,
): Promise<CountOutcome | undefined> {
  const who = frequencySubject(contact.customerIds, contact.senderIdentity);
  if (!who) return undefined;
  const { thresholds } = deps;
  const day = londonDay(contact.receivedAt);
  const longest = Math.max(thresholds.topic.days, thresholds.allTopics.days, thresholds.channels.days);
  const oldestDay = dayBefore(day, longest - 1);

  const known = await deps.counts.read(who.id);
  const recentTopics = [...known.topics.values()].filter((t) => t.lastDay >= oldestDay);
  const topic = decideTopic(
    {
      caseReferences: contact.caseReferences,
      formTopic: contact.formTopic,
      subject: contact.subject,
      text: contact.text,
      reference: contact.reference,
      receivedAt: contact.receivedAt,
    },
    recentTopics,
  );
  const counted = { reference: contact.reference, at: contact.receivedAt, channel: contact.channel };
  const kept = known.days.get(day)?.get(topic.key)?.contacts.length ?? 0;
  const before = await deps.counts.count({
    subjectId: who.id,
    ...(who.senderIdentity ? { senderIdentity: who.senderIdentity } : {}),
    day,
    topic,
    contact: counted,
    overflow: kept >= contactsKeptPerDayAndTopic,
    known,
    oldestDay,
    expiresAt: new Date(Date.parse(contact.receivedAt) + (longest + 1) * 24 * 3600 * 1000).toISOString(),
  });
  const after = withContact(before, day, topic, counted, contactsKeptPerDayAndTopic);
  const beforeCounts = countsOf(before, day, topic.key, thresholds);
  const afterCounts = countsOf(after, day, topic.key, thresholds);

  const newId = deps.newId ?? (() => `alr_${randomUUID().replaceAll('-', '').slice(0, 20)}`);
  const alerts: FrequencyWindow[] = [];
  for (const alert of crossedThresholds(beforeCounts, afterCounts, who.subject, topic, thresholds, newId)) {
    const now = deps.now();
    const cooldownUntil = new Date(Date.parse(now) + alert.days * 24 * 3600 * 1000).toISOString();
    const alertKey = `${who.id}#${alert.window}#${alert.topicKey ?? 'any'}`;
    const claimed = await deps.alertClaims.claim(alertKey, now, cooldownUntil).catch((error: unknown) => {
      deps.onHandledFailure?.('alert cooldown', error);
      return false;
    });
    if (!claimed) continue;
    const event = {
      detailType: alert.detailType,
      detail: alert.detail,
      ...(alert.resources ? { resources: alert.resources } : {}),
    };
    let status: 'published' | 'failed' = 'published';
    try {
      await deps.events.publish([event]);
      alerts.push(alert.window);
    } catch (error) {
      status = 'failed';
      deps.onHandledFailure?.('publish alert', error);
    }
    await deps.eventLog
      .recordEvent(event, now, status)
      .catch((error: unknown) => deps.onHandledFailure?.('record event', error));
  }
  return {
    subjectId: who.id,
    topic,
    lines: summaryLines(afterCounts, topic, thresholds),
    counts: {
      topic: afterCounts.topic.count,
      allTopics: afterCounts.allTopics.count,
      channels: afterCounts.channels.channels.length,
    },
    alerts,
  };
}
