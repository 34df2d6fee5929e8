import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';
import { detailTypes, type PublishedEvent, type ReviewDueDetail, type ReviewStage } from './events';
import { londonDay } from './frequency';
import type { ClaimResult, ContactLog, EventLog, EventPublisher, Mailer } from './ports';
import { type Restriction, restrictionCatalogue } from './restriction';
import { defaultTimeZone, formatForPeople, type Instant, toInstant } from './time';

/**
 * The daily review (10.1, 10.2): which restrictions in the register are due for review soon, overdue,
 * or have ended; one event per restriction and stage, and one digest a day for the managers. It only
 * reports: restrictions end by themselves at `endsAt` (P5), and reviewing, extending or lifting one is a
 * person's decision (P2).
 */

export type { ReviewStage } from './events';

/** A review is `due-soon` from this many London calendar days before `reviewAt`. */
export const reviewNoticeDays = 14;
/**
 * An ended restriction is reported if it ended at most this many days ago. Reported once (a marker),
 * so this only keeps a first run on an old register from reporting years of history, and bounds how
 * long markers must be kept.
 */
export const endedReportDays = 30;
/** Markers outlive the dates they were computed from by more than any reporting window, then TTL removes them. */
const markerKeepDays = 400;
const dayMs = 86_400_000;

/** What the review reads of a restriction: ids and dates, never the reason (P7). */
export type ReviewRestriction = Pick<
  Restriction,
  'id' | 'customerId' | 'type' | 'startsAt' | 'endsAt' | 'reviewAt' | 'liftedAt'
>;

export interface ReviewItem {
  restriction: ReviewRestriction;
  stage: ReviewStage;
  /** The date the stage was computed from: `reviewAt` (due-soon, overdue) or `endsAt` (ended). */
  basis: Instant;
  /** `<restrictionId>#<stage>#<basis>`: an extended or re-reviewed restriction gets a new key. */
  reviewKey: string;
  daysUntilReview?: number;
  daysOverdue?: number;
}

/** The moment a review becomes due soon: `reviewAt` less 14 calendar days in London (BST and GMT alike). */
export function dueSoonFrom(reviewAt: Instant, timeZone: string = defaultTimeZone): Instant {
  return toInstant(addDays(new TZDate(Date.parse(reviewAt), timeZone), -reviewNoticeDays));
}

/** Whole calendar days in London from the day of `from` to the day of `to` (negative if `to` is earlier). */
export function londonDaysBetween(from: Instant, to: Instant): number {
  const utcMidnight = (day: string) => Date.parse(`${day}T00:00:00Z`);
  return Math.round((utcMidnight(londonDay(to)) - utcMidnight(londonDay(from))) / dayMs);
}

/**
 * The review stage of a restriction at `now`, or undefined when nothing is due. Half-open like
 * `restrictionStatus`: ended from `endsAt`, overdue from `reviewAt`, due soon from 14 days before
 * `reviewAt` — or before `endsAt` when it ends first, so that managers can decide whether to extend
 * it (10.1) before it lapses. Lifted restrictions are never reviewed; ended ones only within
 * `endedReportDays`.
 */
export function reviewStageOf(restriction: ReviewRestriction, now: Instant): ReviewStage | undefined {
  if (restriction.liftedAt !== undefined && restriction.liftedAt <= now) return undefined;
  if (restriction.endsAt <= now) {
    return Date.parse(now) - Date.parse(restriction.endsAt) < endedReportDays * dayMs ? 'ended' : undefined;
  }
  if (restriction.reviewAt <= now) return 'overdue';
  if (dueSoonFrom(reviewBy(restriction)) <= now) return 'due-soon';
  return undefined;
}

/** When the review must happen by: its date, or the end when that comes first. */
const reviewBy = (restriction: ReviewRestriction): Instant =>
  [restriction.endsAt, restriction.reviewAt].sort()[0] as Instant;

const stageOrder: Record<ReviewStage, number> = { overdue: 0, 'due-soon': 1, ended: 2 };

/** Every restriction with something due at `now`: overdue first, then due soon, then ended; earliest first. */
export function classifyForReview(restrictions: readonly ReviewRestriction[], now: Instant): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const restriction of restrictions) {
    const stage = reviewStageOf(restriction, now);
    if (!stage) continue;
    const basis =
      stage === 'ended'
        ? restriction.endsAt
        : stage === 'due-soon'
          ? reviewBy(restriction)
          : restriction.reviewAt;
    items.push({
      restriction,
      stage,
      basis,
      reviewKey: `${restriction.id}#${stage}#${basis}`,
      ...(stage === 'due-soon' ? { daysUntilReview: londonDaysBetween(now, basis) } : {}),
      ...(stage === 'overdue' ? { daysOverdue: londonDaysBetween(restriction.reviewAt, now) } : {}),
    });
  }
  return items.sort(
    (a, b) =>
      stageOrder[a.stage] - stageOrder[b.stage] ||
      a.basis.localeCompare(b.basis) ||
      a.restriction.id.localeCompare(b.restriction.id),
  );
}

/** The RestrictionReviewDue event of an item: ids, type, clause and dates; no names or reasons (P7). */
export function reviewDueEvent(item: ReviewItem, now: Instant): PublishedEvent<ReviewDueDetail> {
  const { restriction } = item;
  return {
    detailType: detailTypes.reviewDue,
    detail: {
      reviewKey: item.reviewKey,
      restrictionId: restriction.id,
      customerId: restriction.customerId,
      type: restriction.type,
      clause: restrictionCatalogue[restriction.type].clause,
      stage: item.stage,
      reviewAt: restriction.reviewAt,
      endsAt: restriction.endsAt,
      ...(item.daysUntilReview === undefined ? {} : { daysUntilReview: item.daysUntilReview }),
      ...(item.daysOverdue === undefined ? {} : { daysOverdue: item.daysOverdue }),
      asOf: now,
    },
    resources: [restriction.id, restriction.customerId],
  };
}

// --- The managers' digest ---------------------------------------------------------------------------

export interface DigestEntry {
  item: ReviewItem;
  /** The customer's name from the register (managers may read it in their own mail; never logged). */
  customerName?: string;
  /** Not in any digest before this one. */
  isNew: boolean;
}

export interface ReviewDigest {
  subject: string;
  text: string;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const londonDate = (instant: Instant) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: defaultTimeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(instant));

function whenDue(entry: DigestEntry): string {
  const { item } = entry;
  const at = formatForPeople(item.restriction.reviewAt);
  if (item.stage === 'due-soon') {
    const days = item.daysUntilReview ?? 0;
    return `Review due:      ${at} (${days === 0 ? 'today' : `in ${plural(days, 'day')}`})`;
  }
  if (item.stage === 'overdue') {
    const days = item.daysOverdue ?? 0;
    return `Review was due:  ${at} (${days === 0 ? 'today' : `${plural(days, 'day')} ago`})`;
  }
  return `Review date was: ${at}`;
}

function describeEntry(entry: DigestEntry): string[] {
  const { restriction, stage } = entry.item;
  const { clause, title } = restrictionCatalogue[restriction.type];
  const who = entry.customerName
    ? `${entry.customerName} (customer ${restriction.customerId})`
    : `customer ${restriction.customerId} (no longer in the register)`;
  return [
    `  ${entry.isNew ? 'NEW ' : '    '} ${who}`,
    `       [${clause}] ${title} — restriction ${restriction.id}`,
    `       ${whenDue(entry)}`,
    stage === 'ended'
      ? `       Ended:           ${formatForPeople(restriction.endsAt)}`
      : `       Ends:            ${formatForPeople(restriction.endsAt)}`,
  ];
}

const sectionTitles: Record<ReviewStage, string> = {
  overdue: 'Reviews overdue',
  'due-soon': `Reviews due within ${reviewNoticeDays} days`,
  ended: 'Ended since the last digest',
};

/** The daily digest for the managers: what is overdue, due soon and newly ended, and what to do (10.1). */
export function composeReviewDigest(entries: readonly DigestEntry[], now: Instant): ReviewDigest {
  const byStage = (stage: ReviewStage) => entries.filter((entry) => entry.item.stage === stage);
  const counts = (['overdue', 'due-soon', 'ended'] as const)
    .map((stage) => [stage, byStage(stage).length] as const)
    .filter(([, count]) => count > 0)
    .map(([stage, count]) =>
      stage === 'overdue'
        ? `${count} overdue`
        : stage === 'due-soon'
          ? `${count} due within ${reviewNoticeDays} days`
          : `${count} ended`,
    );
  const newCount = entries.filter((entry) => entry.isNew).length;
  const lines = [
    `Restriction reviews — ${londonDate(now)}`,
    '',
    'Policy 10.1: the service manager reviews the status of each restricted customer; the review',
    'date is in the register (10.2). Below is every restriction whose review is overdue or due',
    `within ${reviewNoticeDays} days, and every restriction that has ended since the last digest.`,
    newCount > 0
      ? `NEW marks what is new since the last digest (${newCount}).`
      : 'Nothing is new since the last digest.',
  ];
  for (const stage of ['overdue', 'due-soon', 'ended'] as const) {
    const section = byStage(stage);
    if (section.length === 0) continue;
    lines.push('', `${sectionTitles[stage]} (${section.length})`);
    for (const entry of section) lines.push(...describeEntry(entry), '');
    lines.pop();
  }
  lines.push(
    '',
    'What to do (policy 10.1)',
    'For each restriction whose review is due, the service manager reviews it and records the outcome',
    'in the register:',
    '  - extend it, if the contact has continued and the restriction is still needed: give the new end',
    '    date and the reason, and advise the customer of the extension;',
    '  - lift it, if it is no longer needed, with the reason; or',
    '  - record the review, if it stays as it is, with the next review date.',
    'An ended restriction no longer applies: it stopped at its end date by itself. Nothing needs doing',
    'unless a new restriction is needed, which is a decision for a person (7.2, 8.2).',
    '',
    'This digest changes nothing in the register. The restriction ids above are in GET /admin/register.',
  );
  return {
    subject: `Restriction reviews: ${counts.join(', ')}${newCount > 0 ? ` (${newCount} new)` : ''}`,
    text: lines.join('\n'),
  };
}

// --- The use case --------------------------------------------------------------------------------------

/** The register as the review reads it. */
export interface ReviewRegister {
  /** Every restriction in the register (ids and dates). */
  listRestrictionsForReview(): Promise<ReviewRestriction[]>;
  /** The names of these customers, by id; a customer no longer in the register is missing. */
  customerNames(customerIds: readonly string[]): Promise<Map<string, string>>;
}

/** The review's once-only markers (P6). */
export interface ReviewLedger {
  /**
   * Marks a restriction as found in a stage, once (a conditional put): `isNew` when this call made the
   * marker, and when the marker was first made.
   */
  markStage(
    reviewKey: string,
    now: Instant,
    expiresAt: Instant,
  ): Promise<{ isNew: boolean; firstSeenAt: Instant }>;
  /** Removes a marker whose event could not be published, so that the next run publishes it. */
  unmarkStage(reviewKey: string): Promise<void>;
  /** When the last digest went to every manager. */
  lastDigestSentAt(): Promise<Instant | undefined>;
  /** Remembers that the digest composed at `at` went to every manager (never moves back). */
  recordDigestSent(at: Instant): Promise<void>;
  /** The day's digest to one manager, leased so that it is sent once however often the job runs. */
  claimDigest(
    day: string,
    recipient: string,
    now: Instant,
    leaseUntil: Instant,
    expiresAt: Instant,
  ): Promise<ClaimResult>;
  completeDigest(day: string, recipient: string, messageId: string, at: Instant): Promise<void>;
  /** Gives the claim up after a failed send, so that a retry sends it. */
  releaseDigest(day: string, recipient: string): Promise<void>;
}

export interface ReviewLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface ReviewDeps {
  register: ReviewRegister;
  ledger: ReviewLedger;
  events: EventPublisher;
  /** Where published events are recorded for GET /admin/events. */
  eventLog: Pick<EventLog, 'recordEvent'>;
  mailer: Pick<Mailer, 'notify'>;
  /** Retention of contact records (P7), run by the same daily job. */
  contactLog: Pick<ContactLog, 'removeExpired'>;
  settings: { managers: readonly string[] };
  now: () => Instant;
  log?: ReviewLog;
}

export type DigestOutcome = 'sent' | 'already-sent' | 'nothing-due' | 'no-managers' | 'failed';

/** What a run did: ids and counts only (it is logged). */
export interface ReviewSummary {
  asOf: Instant;
  /** The London day the digest is for. */
  day: string;
  /** Restrictions listed, per stage (ended: newly ended only). */
  stages: Record<ReviewStage, number>;
  /** Restrictions that entered a stage since the last run. */
  newInStage: number;
  eventsPublished: number;
  eventsFailed: number;
  digest: DigestOutcome;
  /** Managers mailed by this run. */
  digestsSent: number;
  /** Contact records removed by retention; undefined when retention failed. */
  contactsRemoved?: number;
}

/** Part of the run failed after the rest was done: the invocation fails, so that it is retried and alarmed on. */
export class ReviewIncompleteError extends Error {
  override name = 'ReviewIncompleteError';
  constructor(
    readonly summary: ReviewSummary,
    readonly failures: readonly string[],
  ) {
    super(`the daily review did not finish: ${failures.join(', ')} failed`);
  }
}

/** A digest takes seconds to send; a retry after a crash takes over after this. */
const digestLeaseMs = 60_000;
const digestMarkerDays = 90;
/** Markers are written a few at a time: hundreds of restrictions, not millions. */
const markConcurrency = 8;

const addMs = (instant: Instant, ms: number) => new Date(Date.parse(instant) + ms).toISOString();
const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/**
 * The daily review job (10.1): classify the register at `now`, publish RestrictionReviewDue once per
 * restriction, stage and date, mail the day's digest to each manager once, and remove contact records
 * whose retention ended (P7). A part that fails does not stop the others; the run then throws
 * ReviewIncompleteError so that it is retried: what was done is not done again.
 */
export async function runReview(deps: ReviewDeps): Promise<ReviewSummary> {
  const now = deps.now();
  const day = londonDay(now);
  const failures: string[] = [];
  const items = classifyForReview(await deps.register.listRestrictionsForReview(), now);
  const lastDigest = await deps.ledger.lastDigestSentAt();

  let eventsPublished = 0;
  let eventsFailed = 0;
  const entries: DigestEntry[] = [];
  const marks = await mapLimited(items, markConcurrency, async (item) => {
    // The later of the two dates (ISO instants compare as strings).
    const keepUntil = [item.restriction.endsAt, item.basis].sort()[1] ?? item.basis;
    const mark = await deps.ledger.markStage(item.reviewKey, now, addMs(keepUntil, markerKeepDays * dayMs));
    if (mark.isNew) {
      const event = reviewDueEvent(item, now);
      let status: 'published' | 'failed' = 'published';
      try {
        await deps.events.publish([event]);
        eventsPublished++;
      } catch (error) {
        status = 'failed';
        eventsFailed++;
        deps.log?.warn('review event not published; its marker is removed so that a retry publishes it', {
          restrictionId: item.restriction.id,
          stage: item.stage,
          error: errorName(error),
        });
        await deps.ledger.unmarkStage(item.reviewKey).catch(() => undefined);
      }
      await deps.eventLog.recordEvent(event, now, status).catch((error: unknown) => {
        deps.log?.warn('review event not recorded', {
          restrictionId: item.restriction.id,
          error: errorName(error),
        });
      });
    }
    return mark;
  });
  items.forEach((item, i) => {
    const mark = marks[i]!;
    const isNew = lastDigest === undefined || mark.firstSeenAt > lastDigest;
    // Ended restrictions are reported once: in the first digest after they ended.
    if (item.stage !== 'ended' || isNew) entries.push({ item, isNew });
  });
  if (eventsFailed > 0) failures.push('events');

  const stages: Record<ReviewStage, number> = { 'due-soon': 0, overdue: 0, ended: 0 };
  for (const entry of entries) stages[entry.item.stage]++;
  const summary: ReviewSummary = {
    asOf: now,
    day,
    stages,
    newInStage: marks.filter((mark) => mark.isNew).length,
    eventsPublished,
    eventsFailed,
    digest: 'nothing-due',
    digestsSent: 0,
  };

  if (entries.length > 0) {
    const managers = deps.settings.managers.filter(
      (manager, i, all) => all.findIndex((other) => other.toLowerCase() === manager.toLowerCase()) === i,
    );
    if (managers.length === 0) {
      summary.digest = 'no-managers';
      deps.log?.warn('no managers to send the review digest to: MANAGERS is empty', { day });
    } else {
      const names = await deps.register.customerNames([
        ...new Set(entries.map((entry) => entry.item.restriction.customerId)),
      ]);
      const digest = composeReviewDigest(
        entries.map((entry) => {
          const name = names.get(entry.item.restriction.customerId);
          return name === undefined ? entry : { ...entry, customerName: name };
        }),
        now,
      );
      const outcomes = await Promise.allSettled(
        managers.map((manager) => sendDigestOnce(day, manager, digest, deps, now)),
      );
      summary.digestsSent = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'sent').length;
      const failed = outcomes.filter((o) => o.status === 'rejected');
      if (failed.length > 0) {
        summary.digest = 'failed';
        failures.push('digest');
        deps.log?.warn('review digest not sent to every manager; a retry sends the rest', {
          day,
          sent: summary.digestsSent,
          failed: failed.length,
          errors: [...new Set(failed.map((o) => errorName(o.reason)))].join(', '),
        });
      } else {
        summary.digest = summary.digestsSent > 0 ? 'sent' : 'already-sent';
        if (summary.digestsSent > 0) {
          await deps.ledger.recordDigestSent(now).catch((error: unknown) => {
            deps.log?.warn('review digest sent but not recorded as sent', { day, error: errorName(error) });
          });
        }
      }
    }
  }

  try {
    summary.contactsRemoved = await deps.contactLog.removeExpired(now);
  } catch (error) {
    failures.push('retention');
    deps.log?.warn('contact records whose retention ended were not all removed', { error: errorName(error) });
  }

  if (failures.length > 0) throw new ReviewIncompleteError(summary, failures);
  return summary;
}

async function sendDigestOnce(
  day: string,
  manager: string,
  digest: ReviewDigest,
  deps: ReviewDeps,
  now: Instant,
): Promise<'sent' | 'already-sent'> {
  const claim = await deps.ledger.claimDigest(
    day,
    manager,
    now,
    addMs(now, digestLeaseMs),
    addMs(now, digestMarkerDays * dayMs),
  );
  if (claim === 'already-done') return 'already-sent';
  if (claim === 'in-progress') throw new Error('another run is sending this digest');
  let messageId: string;
  try {
    // A report, not an answer to anyone's message (RFC 3834).
    messageId = await deps.mailer.notify({
      reference: `review-${day}`,
      to: manager,
      subject: digest.subject,
      text: digest.text,
      autoSubmitted: 'auto-generated',
    });
  } catch (error) {
    await deps.ledger.releaseDigest(day, manager).catch(() => undefined);
    throw error;
  }
  await deps.ledger.completeDigest(day, manager, messageId, deps.now()).catch((error: unknown) => {
    deps.log?.warn('review digest sent but not marked as sent', { day, error: errorName(error) });
  });
  return 'sent';
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
