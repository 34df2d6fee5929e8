import { describe, expect, it } from 'vitest';
import {
  type AlertOutcome,
  alertOutcomeInputSchema,
  alertOutcomeRules,
  alertViewOf,
  listAlertsWithOutcomes,
  type RecordedAlert,
} from '../../lambdas/core/alert-outcomes';
import { fieldProblems } from '../../lambdas/core/validation';
import { aCustomer } from '../helpers/register-fixtures';

const problemsOf = (body: unknown) => {
  const result = alertOutcomeInputSchema.safeParse(body);
  return result.success ? [] : fieldProblems(result.error);
};

describe('an alert outcome as a manager records it', () => {
  it('is one of the three outcomes, each with its clause and what else it records', () => {
    expect(alertOutcomeRules['customer-contacted'].clause).toBe('7.2.1');
    expect(alertOutcomeRules['warning-given']).toMatchObject({ clause: '7.2.1', step: 'warning-given' });
    expect(alertOutcomeRules['no-action'].step).toBeUndefined();
    expect(problemsOf({ outcome: 'ignored' })).toEqual([
      { field: 'outcome', problem: 'must be one of: no-action, customer-contacted, warning-given' },
    ]);
  });

  it('needs to say how the customer was warned (7.2.1), naming the field', () => {
    expect(problemsOf({ outcome: 'warning-given' })).toEqual([
      { field: 'how', problem: expect.stringMatching(/phone, letter, email or in-person/) },
    ]);
    expect(problemsOf({ outcome: 'warning-given', how: 'phone' })).toEqual([]);
    expect(problemsOf({ outcome: 'no-action', note: '  ' })).toEqual([
      { field: 'note', problem: 'must not be empty' },
    ]);
    expect(problemsOf({ outcome: 'no-action', closedBy: 'x' })).toEqual([
      { field: 'closedBy', problem: 'is not a known field' },
    ]);
  });
});

const recorded = (alertId: string, subject: unknown, at = '2026-06-01T10:00:00.000Z'): RecordedAlert => ({
  at,
  detailType: 'ContactFrequencyThresholdExceeded',
  status: 'published',
  detail: { alertId, subject, window: 'topic', clause: '4.2.7' },
});
const outcome = (alertId: string): AlertOutcome => ({
  alertId,
  outcome: 'no-action',
  recordedBy: 'Sam Manager',
  recordedAt: '2026-06-02T10:00:00.000Z',
  actor: 'Sam Manager (sub-1)',
  alertAt: '2026-06-01T10:00:00.000Z',
  escalationStepRecorded: false,
});

describe('alertViewOf: an alert joined with its outcome', () => {
  it('is open without an outcome and closed with one, about a customer by name', () => {
    const alert = recorded('alr_1', { kind: 'customer', customerId: 'cus_1' });
    expect(alertViewOf(alert, undefined, new Map([['cus_1', 'Pat Person']]))).toMatchObject({
      alertId: 'alr_1',
      customerId: 'cus_1',
      customerName: 'Pat Person',
      state: 'open',
      status: 'published',
    });
    expect(alertViewOf(alert, outcome('alr_1'))).toMatchObject({
      state: 'closed',
      outcome: outcome('alr_1'),
    });
  });

  it('has no customer for a sender not in the register, and skips an event without an alert id', () => {
    const view = alertViewOf(
      recorded('alr_2', { kind: 'sender', senderId: 'snd_0123456789abcdef' }),
      undefined,
    );
    expect(view?.customerId).toBeUndefined();
    expect(alertViewOf({ ...recorded('x', {}), detail: { reference: 'CS-1' } }, undefined)).toBeUndefined();
  });
});

describe('listAlertsWithOutcomes', () => {
  const alerts = [
    recorded('alr_3', { kind: 'customer', customerId: 'cus_9' }, '2026-06-03T10:00:00.000Z'),
    recorded('alr_2', { kind: 'customer', customerId: 'cus_9' }, '2026-06-02T10:00:00.000Z'),
  ];
  const asked: unknown[] = [];
  const deps = {
    alerts: {
      listAlerts: async (options: unknown) => {
        asked.push(options);
        return alerts;
      },
    },
    outcomes: { loadOutcomes: async () => new Map([['alr_2', outcome('alr_2')]]) },
    store: { listCustomers: async () => [aCustomer({ id: 'cus_9', name: 'Nina Nine' })] },
  };

  it('filters by state after reading the most recent, keeping the newest first', async () => {
    expect((await listAlertsWithOutcomes({}, deps)).map((a) => [a.alertId, a.state, a.customerName])).toEqual(
      [
        ['alr_3', 'open', 'Nina Nine'],
        ['alr_2', 'closed', 'Nina Nine'],
      ],
    );
    expect((await listAlertsWithOutcomes({ state: 'closed' }, deps)).map((a) => a.alertId)).toEqual([
      'alr_2',
    ]);
  });

  it('reads between 1 and 500 alerts, the default 100 for a limit that is not a number', async () => {
    asked.length = 0;
    await listAlertsWithOutcomes({ customerId: 'cus_9', limit: '20' }, deps);
    await listAlertsWithOutcomes({ limit: '100000' }, deps);
    await listAlertsWithOutcomes({ limit: 'many' }, deps);
    expect(asked).toEqual([{ customerId: 'cus_9', limit: 20 }, { limit: 500 }, { limit: 100 }]);
    await expect(listAlertsWithOutcomes({ state: 'done' }, deps)).rejects.toThrow(
      /state: must be open or closed/,
    );
  });
});
