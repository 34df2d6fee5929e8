import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../lambdas/core/alert-outcomes';
import {
  adviseWithinWorkingDays,
  attentionOf,
  attentionSummary,
  workingDaysBetween,
} from '../../lambdas/core/attention';
import type { AdjustmentConflict } from '../../lambdas/core/conflicts';
import type { FrequencyAlertDetail } from '../../lambdas/core/events';
import { parseRegisterDate } from '../../lambdas/core/time';
import { aCustomer, aRestriction } from '../helpers/register-fixtures';

const day = (date: string, edge: 'start' | 'end' = 'start') => parseRegisterDate(date, edge) as string;
// Wednesday 10 June 2026, 10:00 in London (BST).
const now = '2026-06-10T09:00:00.000Z';

describe('workingDaysBetween: Monday to Friday in London', () => {
  it('counts the working days after the first day up to today', () => {
    expect(workingDaysBetween('2026-06-10T08:00:00.000Z', now)).toBe(0); // the same day
    expect(workingDaysBetween(day('2026-06-09'), now)).toBe(1);
    expect(workingDaysBetween(day('2026-06-05'), now)).toBe(3); // Fri → Mon, Tue, Wed
    expect(workingDaysBetween(day('2026-06-06'), now)).toBe(3); // a Saturday start: the same
    expect(workingDaysBetween(day('2026-06-03'), now)).toBe(5);
  });

  it('reads days in London: 23:30 BST on Friday is still Friday', () => {
    expect(workingDaysBetween('2026-06-05T22:30:00.000Z', now)).toBe(3);
  });

  it('leaves out the holidays it is given', () => {
    expect(workingDaysBetween(day('2026-06-05'), now, ['2026-06-08'])).toBe(2);
  });
});

const alice = aCustomer({ id: 'cus_alice', name: 'Alice Able' });
const bob = aCustomer({ id: 'cus_bob', name: 'Bob Baker' });
const customers = [alice, bob];
const officer = { namedOfficer: 'officer@council.example' } as const;

describe('attentionOf: what the Home page lists', () => {
  it('reviews overdue and due soon (10.1), not ended ones, with names', () => {
    const overdue = aRestriction(
      { type: 'single-named-officer', ...officer, customerId: alice.id, reviewAt: '2026-06-01' },
      { customerAdvisedAt: day('2026-01-02'), servicesAdvisedAt: day('2026-01-02') },
    );
    const dueSoon = aRestriction({
      type: 'witness-required',
      customerId: bob.id,
      reviewAt: '2026-06-20',
    });
    const ended = aRestriction({
      type: 'witness-required',
      customerId: bob.id,
      startsAt: '2026-01-01',
      endsAt: '2026-06-01',
    });
    const summary = attentionOf({ restrictions: [overdue, dueSoon, ended], customers, alerts: [] }, now);
    expect(summary.reviewsOverdue).toEqual([
      expect.objectContaining({
        restrictionId: overdue.id,
        customerId: alice.id,
        customerName: 'Alice Able',
        clause: '10.1',
        restrictionClause: '7.3.4',
        stage: 'overdue',
        daysOverdue: 9,
      }),
    ]);
    expect(summary.reviewsDueSoon.map((r) => [r.restrictionId, r.daysUntilReview])).toEqual([
      [dueSoon.id, 10],
    ]);
  });

  it('restrictions starting or ending within the next 7 London days; an end as its last day', () => {
    const starting = aRestriction({
      type: 'witness-required',
      customerId: alice.id,
      startsAt: '2026-06-17',
      endsAt: '2026-12-31',
    });
    const tooLate = aRestriction({
      type: 'witness-required',
      customerId: alice.id,
      startsAt: '2026-06-18',
      endsAt: '2026-12-31',
    });
    // Ends "on 17 June": it applies until the end of that day.
    const ending = aRestriction({
      type: 'witness-required',
      customerId: bob.id,
      startsAt: '2026-01-01',
      endsAt: '2026-06-17',
    });
    const lifted = aRestriction(
      { type: 'witness-required', customerId: bob.id, startsAt: '2026-01-01', endsAt: '2026-06-12' },
      { liftedAt: day('2026-05-01'), liftedBy: 'x', liftReason: 'y' },
    );
    const summary = attentionOf(
      { restrictions: [starting, tooLate, ending, lifted], customers, alerts: [] },
      now,
    );
    expect(summary.startingSoon.map((r) => [r.restrictionId, r.day, r.inDays, r.clause])).toEqual([
      [starting.id, '2026-06-17', 7, '12.1.2'],
    ]);
    expect(summary.endingSoon.map((r) => [r.restrictionId, r.day, r.inDays, r.clause])).toEqual([
      [ending.id, '2026-06-17', 7, '10.1'],
    ]);
  });

  it('unacknowledged clashes with reasonable adjustments, and only those', () => {
    const conflict: AdjustmentConflict = {
      channel: 'email',
      adjustment: 'Written replies by email',
      restrictionType: 'no-email-letter-only',
      clause: '7.3.2',
      warning: 'clashes with the email adjustment',
    };
    const open = aRestriction(
      { type: 'no-email-letter-only', customerId: alice.id },
      { conflicts: [conflict] },
    );
    const accepted = aRestriction(
      { type: 'no-email-letter-only', customerId: bob.id },
      { conflicts: [conflict], conflictsAcknowledged: { by: 'M', at: now, reason: 'r' } },
    );
    const summary = attentionOf({ restrictions: [open, accepted], customers, alerts: [] }, now);
    expect(summary.unacknowledgedConflicts).toEqual([
      expect.objectContaining({ restrictionId: open.id, customerName: 'Alice Able', conflicts: [conflict] }),
    ]);
  });

  it('restrictions not yet advised (12.1.4), with working days since imposed or last extended', () => {
    const recent = aRestriction(
      { type: 'witness-required', customerId: alice.id },
      { createdAt: day('2026-06-08'), servicesAdvisedAt: day('2026-06-08') },
    );
    const late = aRestriction(
      { type: 'witness-required', customerId: bob.id },
      { createdAt: day('2026-06-01') },
    );
    const extended = aRestriction(
      { type: 'witness-required', customerId: bob.id, startsAt: '2026-01-01', endsAt: '2027-01-31' },
      {
        createdAt: day('2026-01-01'),
        servicesAdvisedAt: day('2026-01-02'),
        extensions: [
          { at: day('2026-06-09'), by: 'M', reason: 'r', previousEndsAt: now, previousReviewAt: now },
        ],
      },
    );
    const advised = aRestriction(
      { type: 'witness-required', customerId: alice.id },
      { customerAdvisedAt: day('2026-01-02'), servicesAdvisedAt: day('2026-01-02') },
    );
    const summary = attentionOf(
      { restrictions: [recent, late, extended, advised], customers, alerts: [] },
      now,
    );
    expect(
      summary.notAdvised.map((r) => [
        r.restrictionId,
        r.notAdvised,
        r.because,
        r.workingDaysSince,
        r.overdue,
      ]),
    ).toEqual([
      [late.id, ['customer', 'services'], 'imposed', 7, true],
      [recent.id, ['customer'], 'imposed', 2, false],
      [extended.id, ['customer'], 'extended', 1, false],
    ]);
    expect(adviseWithinWorkingDays).toBe(5);
  });

  it('open alerts only, with the customer name and the alert clause', () => {
    const detail = (alertId: string): FrequencyAlertDetail => ({
      alertId,
      subject: { kind: 'customer', customerId: alice.id },
      window: 'channels',
      clause: '4.2.12',
      count: 3,
      threshold: 3,
      windowDays: 7,
      channels: ['email', 'web-form', 'telephone'],
      firstContactAt: now,
      lastContactAt: now,
      contactReferences: [],
    });
    const view = (alertId: string, state: 'open' | 'closed'): AlertView => ({
      alertId,
      at: now,
      detailType: 'ContactFrequencyThresholdExceeded',
      detail: detail(alertId),
      status: 'published',
      customerId: alice.id,
      state,
    });
    const summary = attentionOf(
      { restrictions: [], customers, alerts: [view('alr_open', 'open'), view('alr_done', 'closed')] },
      now,
    );
    expect(summary.openAlerts).toEqual([
      expect.objectContaining({ alertId: 'alr_open', customerName: 'Alice Able', clause: '4.2.12' }),
    ]);
  });
});

describe('attentionSummary', () => {
  it('reads the register once, the recent alerts and their outcomes, and lists the open ones by name', async () => {
    const reads: string[] = [];
    const read = <T>(what: string, value: T) => {
      reads.push(what);
      return value;
    };
    const raised = {
      at: now,
      detailType: 'ContactFrequencyThresholdExceeded',
      status: 'published',
      detail: { alertId: 'alr_1', subject: { kind: 'customer', customerId: bob.id }, clause: '4.2.7' },
    };
    const summary = await attentionSummary(
      {
        store: {
          listRestrictions: async () => read('restrictions', []),
          listCustomers: async () => read('customers', customers),
        },
        alerts: {
          listAlerts: async () => read('alerts', [raised, { ...raised, detail: { alertId: 'alr_2' } }]),
        },
        outcomes: {
          loadOutcomes: async () => read('outcomes', new Map([['alr_2', { outcome: 'no-action' } as never]])),
        },
      },
      now,
    );
    expect(summary.openAlerts.map((a) => [a.alertId, a.customerName, a.clause])).toEqual([
      ['alr_1', 'Bob Baker', '4.2.7'],
    ]);
    expect(reads.sort()).toEqual(['alerts', 'customers', 'outcomes', 'restrictions']);
  });
});
