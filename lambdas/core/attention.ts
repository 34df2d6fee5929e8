import {
  type AlertLog,
  type AlertOutcomeStore,
  type AlertView,
  listAlertsWithOutcomes,
} from './alert-outcomes';
import type { AdjustmentConflict } from './conflicts';
import type { Customer } from './customer';
import { londonDay } from './frequency';
import type { RegisterStore } from './ports';
import {
  type Restriction,
  type RestrictionType,
  restrictionCatalogue,
  restrictionStatus,
  unacknowledgedConflicts,
} from './restriction';
import { classifyForReview, londonDaysBetween } from './review';
import type { Instant } from './time';

/**
 * What needs attention (the console's Home page, GET /admin/attention): new frequency alerts, reviews
 * due and overdue (10.1), restrictions starting or ending within a week, clashes with reasonable
 * adjustments not yet acknowledged, and restrictions whose customer or services have not been advised
 * (12.1.4). Everything is derived from the clock at `now` (P5); nothing here changes the register.
 */

/** "This week": London calendar days from today. */
export const comingDays = 7;
/**
 * Working days within which the customer should be told of a restriction in writing (8.1). The policy
 * names no number; this is the council's practice, flagged on the Home page once passed.
 */
export const adviseWithinWorkingDays = 5;
/** How many recent alerts the Home page looks through for open ones. */
const recentAlerts = 500;

/** What every restriction item carries: ids, the customer by name, the type and why it is listed. */
export interface RestrictionItem {
  restrictionId: string;
  customerId: string;
  /** Absent if the customer is no longer in the register. */
  customerName?: string;
  type: RestrictionType;
  title: string;
  /** The clause of the restriction's type (7.3.x, 8.2). */
  restrictionClause: string;
  /** The clause that makes the item need attention. */
  clause: string;
  startsAt: Instant;
  endsAt: Instant;
  reviewAt: Instant;
}

export interface ReviewAttention extends RestrictionItem {
  stage: 'due-soon' | 'overdue';
  daysUntilReview?: number;
  daysOverdue?: number;
}

export interface PeriodAttention extends RestrictionItem {
  /** The London day it starts on, or its last day (an end is shown as its last day). */
  day: string;
  /** London days from today to that day (0: today). */
  inDays: number;
}

export interface ConflictAttention extends RestrictionItem {
  conflicts: AdjustmentConflict[];
}

export interface AdviceAttention extends RestrictionItem {
  /** Who has not been advised yet (12.1.4). */
  notAdvised: ('customer' | 'services')[];
  /** Since when advice is awaited: when it was imposed, or last extended (extending clears the customer's). */
  since: Instant;
  because: 'imposed' | 'extended';
  /** Working days (Monday to Friday, London, less holidays) from that day to today. */
  workingDaysSince: number;
  /** More than `adviseWithinWorkingDays` working days have passed (8.1). */
  overdue: boolean;
}

export interface AlertAttention extends AlertView {
  clause: string;
}

export interface AttentionSummary {
  asOf: Instant;
  openAlerts: AlertAttention[];
  reviewsOverdue: ReviewAttention[];
  reviewsDueSoon: ReviewAttention[];
  startingSoon: PeriodAttention[];
  endingSoon: PeriodAttention[];
  unacknowledgedConflicts: ConflictAttention[];
  notAdvised: AdviceAttention[];
}

export interface AttentionDeps {
  store: Pick<RegisterStore, 'listRestrictions' | 'listCustomers'>;
  alerts: AlertLog;
  outcomes: Pick<AlertOutcomeStore, 'loadOutcomes'>;
  /** Days besides weekends that are not working days (bank holidays), as London days `YYYY-MM-DD`. */
  holidays?: readonly string[];
}

const dayMs = 86_400_000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + dayMs).toISOString().slice(0, 10);
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());

/** Working days after the London day of `from` up to and including the day of `to` (0 on the same day). Pure. */
export function workingDaysBetween(from: Instant, to: Instant, holidays: readonly string[] = []): number {
  const last = londonDay(to);
  const off = new Set(holidays);
  let count = 0;
  for (let day = nextDay(londonDay(from)); day <= last; day = nextDay(day)) {
    if (!isWeekend(day) && !off.has(day)) count++;
  }
  return count;
}

/** Still to do something about: not lifted, not ended. */
const current = (restriction: Restriction, now: Instant) =>
  ['scheduled', 'active', 'review-overdue'].includes(restrictionStatus(restriction, now));

/** The moment before an exclusive end: the restriction's last day is that moment's London day. */
const lastMoment = (endsAt: Instant) => new Date(Date.parse(endsAt) - 1).toISOString();

/** The attention items of a register at `now`. Pure: the use case below reads, this decides. */
export function attentionOf(
  input: {
    restrictions: readonly Restriction[];
    customers: readonly Customer[];
    alerts: readonly AlertView[];
  },
  now: Instant,
  holidays: readonly string[] = [],
): AttentionSummary {
  const names = new Map(input.customers.map((customer) => [customer.id, customer.name]));
  const item = (restriction: Restriction, clause: string): RestrictionItem => {
    const { clause: restrictionClause, title } = restrictionCatalogue[restriction.type];
    const name = names.get(restriction.customerId);
    return {
      restrictionId: restriction.id,
      customerId: restriction.customerId,
      ...(name ? { customerName: name } : {}),
      type: restriction.type,
      title,
      restrictionClause,
      clause,
      startsAt: restriction.startsAt,
      endsAt: restriction.endsAt,
      reviewAt: restriction.reviewAt,
    };
  };
  const byId = new Map(input.restrictions.map((restriction) => [restriction.id, restriction]));
  const reviews = classifyForReview(input.restrictions, now).flatMap((review): ReviewAttention[] => {
    const restriction = byId.get(review.restriction.id);
    if (!restriction || review.stage === 'ended') return [];
    return [
      {
        ...item(restriction, '10.1'),
        stage: review.stage,
        ...(review.daysUntilReview === undefined ? {} : { daysUntilReview: review.daysUntilReview }),
        ...(review.daysOverdue === undefined ? {} : { daysOverdue: review.daysOverdue }),
      },
    ];
  });
  const live = input.restrictions.filter((restriction) => current(restriction, now));
  const period = (restriction: Restriction, clause: string, at: Instant): PeriodAttention => ({
    ...item(restriction, clause),
    day: londonDay(at),
    inDays: londonDaysBetween(now, at),
  });
  const byDay = (a: PeriodAttention, b: PeriodAttention) =>
    a.day.localeCompare(b.day) || a.restrictionId.localeCompare(b.restrictionId);
  const startingSoon = live
    .filter((r) => r.startsAt > now && londonDaysBetween(now, r.startsAt) <= comingDays)
    .map((r) => period(r, '12.1.2', r.startsAt))
    .sort(byDay);
  // 10.1: an end within the week is the last chance to decide on extending it.
  const endingSoon = live
    .filter((r) => r.startsAt <= now && londonDaysBetween(now, lastMoment(r.endsAt)) <= comingDays)
    .map((r) => period(r, '10.1', lastMoment(r.endsAt)))
    .sort(byDay);
  const conflicts = live
    .filter((r) => unacknowledgedConflicts(r).length > 0)
    .map((r) => ({ ...item(r, '8.1'), conflicts: unacknowledgedConflicts(r) }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.restrictionId.localeCompare(b.restrictionId));
  const notAdvised = live
    .flatMap((r): AdviceAttention[] => {
      const missing = [
        ...(r.customerAdvisedAt ? [] : ['customer' as const]),
        ...(r.servicesAdvisedAt ? [] : ['services' as const]),
      ];
      if (missing.length === 0) return [];
      const extension = r.extensions?.at(-1);
      const since = extension?.at ?? r.createdAt;
      const workingDaysSince = workingDaysBetween(since, now, holidays);
      return [
        {
          ...item(r, '12.1.4'),
          notAdvised: missing,
          since,
          because: extension ? 'extended' : 'imposed',
          workingDaysSince,
          overdue: workingDaysSince > adviseWithinWorkingDays,
        },
      ];
    })
    .sort((a, b) => b.workingDaysSince - a.workingDaysSince || a.since.localeCompare(b.since));
  const openAlerts = input.alerts
    .filter((alert) => alert.state === 'open')
    .map((alert) => {
      const name = alert.customerId ? names.get(alert.customerId) : undefined;
      return { ...alert, ...(name ? { customerName: name } : {}), clause: alert.detail.clause };
    });
  return {
    asOf: now,
    openAlerts,
    reviewsOverdue: reviews.filter((review) => review.stage === 'overdue'),
    reviewsDueSoon: reviews.filter((review) => review.stage === 'due-soon'),
    startingSoon,
    endingSoon,
    unacknowledgedConflicts: conflicts,
    notAdvised,
  };
}

/**
 * What needs attention now: the register (two queries: restrictions and customers) and the recent
 * alerts with their outcomes, then the pure decision above.
 */
export async function attentionSummary(deps: AttentionDeps, now: Instant): Promise<AttentionSummary> {
  const [restrictions, customers, alerts] = await Promise.all([
    deps.store.listRestrictions(),
    deps.store.listCustomers(),
    // Names come from the customers read here, not from a second list.
    listAlertsWithOutcomes(
      { state: 'open', limit: recentAlerts },
      { alerts: deps.alerts, outcomes: deps.outcomes },
    ),
  ]);
  return attentionOf({ restrictions, customers, alerts }, now, deps.holidays);
}
