import { type AlertView, alertOutcomeKinds, alertOutcomeRules } from '../alert-outcomes';
import { workingDaysBetween } from '../attention';
import type { EscalationStep } from '../escalation';
import { londonDay } from '../london-day';
import type { CustomerRecord } from '../ports';
import {
  type Restriction,
  type RestrictionType,
  restrictionCatalogue,
  restrictionStatus,
  restrictionTypes,
} from '../restriction';
import type { Instant } from '../time';
import { monthsOf, type ReportPeriod, within } from './period';
import { type DayTotals, incidentKinds, reportChannels, reportRoutes, totalNames } from './totals';

/** 8.1, 12.1.4: the customer is told in writing within this many working days of a restriction. */
export const adviseWithinWorkingDays = 5;

type Counts<K extends string> = Record<K, number>;
const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Counts<K>;

export interface MonthTrend {
  month: string;
  contacts: number;
  restrictedContacts: number;
  imposed: number;
  extended: number;
  lifted: number;
  ended: number;
  warnings: number;
  writtenNotices: number;
  alertsRaised: number;
  incidents: number;
}

type ChangeCounts = { imposed: number; extended: number; lifted: number; ended: number };

/**
 * The monitoring report (13.1) for a period: counts and rates only. It holds no name, address,
 * customer or restriction id, and no message text — only channels, routes, types and clauses.
 */
export interface MonitoringReport {
  period: ReportPeriod;
  generatedAt: Instant;
  notes: string[];
  contacts: {
    total: number;
    byChannel: Counts<(typeof reportChannels)[number]>;
    byRoute: Counts<(typeof reportRoutes)[number]>;
    /** 7.3: contacts from customers under a restriction, and where they went. */
    fromRestricted: { total: number; byRoute: Counts<(typeof reportRoutes)[number]> };
  };
  alerts: { raised: number; open: number; byOutcome: Counts<(typeof alertOutcomeKinds)[number]> };
  incidents: { recorded: boolean; total: number; byKind: Counts<(typeof incidentKinds)[number]> };
  /** 7.2.1 warnings, 7.2.2 written notices. */
  escalation: { concernsRaised: number; warnings: number; writtenNotices: number };
  restrictions: ChangeCounts & {
    byType: Record<RestrictionType, ChangeCounts>;
    /** Restrictions imposed per 1,000 contacts in the period; null without contacts. */
    imposedPerThousandContacts: number | null;
  };
  /** 10.1: reviews (kept or extended) done by their due day, after it, and reviews overdue now. */
  reviews: { onTime: number; late: number; overdueNow: number };
  /** 8.1, 12.1.4: of the restrictions imposed in the period, when the customer was advised. */
  advice: { imposed: number; withinFiveWorkingDays: number; later: number; neverAdvised: number };
  /** Clashes with reasonable adjustments found on restrictions imposed in the period, and their wait. */
  conflicts: {
    restrictionsWithClashes: number;
    acknowledged: number;
    unacknowledgedNow: number;
    /** Calendar days from imposing to acknowledging (acknowledged ones): median and longest. */
    waitDaysMedian: number | null;
    waitDaysLongest: number | null;
  };
  months: MonthTrend[];
}

export interface ReportInput {
  period: ReportPeriod;
  now: Instant;
  customers: CustomerRecord[];
  days: Map<string, DayTotals>;
  alerts: AlertView[];
  incidentsRecorded: boolean;
  holidays: readonly string[];
}

const dayMs = 86_400_000;
const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** When a restriction ended by its period (not lifted before): its end, if that has come. */
function endedAt(r: Restriction, now: Instant): Instant | undefined {
  if (r.endsAt > now) return undefined;
  if (r.liftedAt && r.liftedAt < r.endsAt) return undefined;
  return new Date(Date.parse(r.endsAt) - 1).toISOString();
}

/** The report from what was read. Pure. */
export function computeReport(input: ReportInput): MonitoringReport {
  const { period, now } = input;
  const months = new Map(
    monthsOf(period).map((month): [string, MonthTrend] => [
      month,
      {
        month,
        contacts: 0,
        restrictedContacts: 0,
        imposed: 0,
        extended: 0,
        lifted: 0,
        ended: 0,
        warnings: 0,
        writtenNotices: 0,
        alertsRaised: 0,
        incidents: 0,
      },
    ]),
  );
  const monthOf = (at: Instant) => months.get(londonDay(at).slice(0, 7)) as MonthTrend;

  const contacts: MonitoringReport['contacts'] = {
    total: 0,
    byChannel: zeros(reportChannels),
    byRoute: zeros(reportRoutes),
    fromRestricted: { total: 0, byRoute: zeros(reportRoutes) },
  };
  const incidents: MonitoringReport['incidents'] = {
    recorded: input.incidentsRecorded,
    total: 0,
    byKind: zeros(incidentKinds),
  };
  for (const [day, totals] of input.days) {
    if (day < period.from || day > period.to) continue;
    const get = (name: string) => totals[name] ?? 0;
    const month = months.get(day.slice(0, 7)) as MonthTrend;
    contacts.total += get(totalNames.contacts);
    month.contacts += get(totalNames.contacts);
    for (const c of reportChannels) contacts.byChannel[c] += get(totalNames.channel(c));
    for (const r of reportRoutes) {
      contacts.byRoute[r] += get(totalNames.route(r));
      contacts.fromRestricted.byRoute[r] += get(totalNames.restricted(r));
    }
    contacts.fromRestricted.total += get(totalNames.restricted('all'));
    month.restrictedContacts += get(totalNames.restricted('all'));
    if (input.incidentsRecorded)
      for (const k of incidentKinds) {
        incidents.byKind[k] += get(totalNames.incident(k));
        incidents.total += get(totalNames.incident(k));
        month.incidents += get(totalNames.incident(k));
      }
  }

  const change = (): ChangeCounts => ({ imposed: 0, extended: 0, lifted: 0, ended: 0 });
  const restrictions: MonitoringReport['restrictions'] = {
    ...change(),
    byType: Object.fromEntries(restrictionTypes.map((t) => [t, change()])) as Record<
      RestrictionType,
      ChangeCounts
    >,
    imposedPerThousandContacts: null,
  };
  const count = (r: Restriction, what: keyof ChangeCounts, at: Instant) => {
    restrictions[what] += 1;
    restrictions.byType[r.type][what] += 1;
    monthOf(at)[what] += 1;
  };
  const reviews = { onTime: 0, late: 0, overdueNow: 0 };
  const advice = { imposed: 0, withinFiveWorkingDays: 0, later: 0, neverAdvised: 0 };
  const waits: number[] = [];
  const conflicts = { restrictionsWithClashes: 0, acknowledged: 0, unacknowledgedNow: 0 };
  const escalation = { concernsRaised: 0, warnings: 0, writtenNotices: 0 };

  for (const { restrictions: held, steps } of input.customers) {
    for (const step of steps as EscalationStep[]) {
      if (!within(step.at, period)) continue;
      if (step.step === 'concern-raised') escalation.concernsRaised += 1;
      if (step.step === 'warning-given') {
        escalation.warnings += 1;
        monthOf(step.at).warnings += 1;
      }
      if (step.step === 'written-notice') {
        escalation.writtenNotices += 1;
        monthOf(step.at).writtenNotices += 1;
      }
    }
    for (const r of held) {
      if (restrictionStatus(r, now) === 'review-overdue') reviews.overdueNow += 1;
      if (within(r.createdAt, period)) {
        count(r, 'imposed', r.createdAt);
        // 8.1, 12.1.4: advised in writing within five working days of the decision.
        advice.imposed += 1;
        if (!r.customerAdvisedAt) advice.neverAdvised += 1;
        else if (
          workingDaysBetween(r.createdAt, r.customerAdvisedAt, input.holidays) <= adviseWithinWorkingDays
        )
          advice.withinFiveWorkingDays += 1;
        else advice.later += 1;
        if ((r.conflicts ?? []).length > 0) {
          conflicts.restrictionsWithClashes += 1;
          if (r.conflictsAcknowledged) {
            conflicts.acknowledged += 1;
            waits.push(
              Math.floor((Date.parse(r.conflictsAcknowledged.at) - Date.parse(r.createdAt)) / dayMs),
            );
          } else conflicts.unacknowledgedNow += 1;
        }
      }
      for (const extension of r.extensions ?? [])
        if (within(extension.at, period)) count(r, 'extended', extension.at);
      if (within(r.liftedAt, period)) count(r, 'lifted', r.liftedAt as Instant);
      const ended = endedAt(r, now);
      if (within(ended, period)) count(r, 'ended', ended as Instant);
      // 10.1: a review kept or extended the restriction; on time when done by the London day it fell due.
      const done = [...(r.reviews ?? []), ...(r.extensions ?? [])];
      for (const review of done) {
        if (!within(review.at, period)) continue;
        if (londonDay(review.at) <= londonDay(review.previousReviewAt)) reviews.onTime += 1;
        else reviews.late += 1;
      }
    }
  }
  restrictions.imposedPerThousandContacts =
    contacts.total > 0 ? Math.round((restrictions.imposed / contacts.total) * 10_000) / 10 : null;

  const alerts: MonitoringReport['alerts'] = { raised: 0, open: 0, byOutcome: zeros(alertOutcomeKinds) };
  for (const alert of input.alerts) {
    if (!within(alert.at, period)) continue;
    alerts.raised += 1;
    monthOf(alert.at).alertsRaised += 1;
    if (alert.outcome) alerts.byOutcome[alert.outcome.outcome] += 1;
    else alerts.open += 1;
  }

  const notes = [
    input.holidays.length > 0
      ? 'Working days leave out weekends and the bank holidays configured.'
      : 'Working days leave out weekends only: no bank holidays are configured.',
    ...(input.incidentsRecorded ? [] : ['Incidents: not recorded by this installation; shown as 0.']),
    'Contacts are counted from running totals kept as each contact is delivered.',
  ];
  return {
    period,
    generatedAt: now,
    notes,
    contacts,
    alerts,
    incidents,
    escalation,
    restrictions,
    reviews,
    advice,
    conflicts: {
      ...conflicts,
      waitDaysMedian: median(waits),
      waitDaysLongest: waits.length ? Math.max(...waits) : null,
    },
    months: [...months.values()],
  };
}

export const outcomeTitle = (kind: (typeof alertOutcomeKinds)[number]) => alertOutcomeRules[kind].title;
export const typeTitle = (type: RestrictionType) =>
  `${restrictionCatalogue[type].title} (${restrictionCatalogue[type].clause})`;
