import { runClaimedOnce } from '../claimed-once';
import { londonDay } from '../london-day';
import type { ClaimResult, ContactLog, EventLog, EventPublisher, Mailer } from '../ports';
import type { Instant } from '../time';
import { composeReviewDigest, type DigestEntry, type ReviewDigest } from './digest';
import { classifyForReview, dayMs, type ReviewRestriction, type ReviewStage, reviewDueEvent } from './stages';

/** Markers outlive the dates they were computed from by more than any reporting window, then TTL removes them. */
const markerKeepDays = 400;

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
  const once = await runClaimedOnce<string>(
    {
      claim: () =>
        deps.ledger.claimDigest(
          day,
          manager,
          now,
          addMs(now, digestLeaseMs),
          addMs(now, digestMarkerDays * dayMs),
        ),
      release: () => deps.ledger.releaseDigest(day, manager),
      complete: (messageId) => deps.ledger.completeDigest(day, manager, messageId, deps.now()),
    },
    // A report, not an answer to anyone's message (RFC 3834).
    () =>
      deps.mailer.notify({
        reference: `review-${day}`,
        to: manager,
        subject: digest.subject,
        text: digest.text,
        autoSubmitted: 'auto-generated',
      }),
    {
      busy: () => new Error('another run is sending this digest'),
      onCompleteFailed: (error) =>
        deps.log?.warn('review digest sent but not marked as sent', { day, error: errorName(error) }),
    },
  );
  return once.status === 'done' ? 'sent' : 'already-sent';
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
