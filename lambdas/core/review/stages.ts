import { detailTypes, type PublishedEvent, type ReviewDueDetail, type ReviewStage } from '../events';
import { addLondonDays, londonDaysBetween } from '../london-day';
import { type Restriction, restrictionCatalogue } from '../restriction';
import type { Instant } from '../time';

/** Where each restriction stands for review (10.1): due soon, overdue or ended, counted in London days. */

export type { ReviewStage } from '../events';

/** A review is `due-soon` from this many London calendar days before `reviewAt`. */
export const reviewNoticeDays = 14;
/**
 * An ended restriction is reported if it ended at most this many days ago. Reported once (a marker),
 * so this only keeps a first run on an old register from reporting years of history, and bounds how
 * long markers must be kept.
 */
export const endedReportDays = 30;
/** A duration, not a calendar day: reporting windows and marker lifetimes. */
export const dayMs = 86_400_000;

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
export function dueSoonFrom(reviewAt: Instant): Instant {
  return addLondonDays(reviewAt, -reviewNoticeDays);
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
