import { describe, expect, it } from 'vitest';
import { adjustmentConflicts } from '../../lambdas/core/conflicts';
import { type EscalationStep, escalationOf, stepProblem, wasWarned } from '../../lambdas/core/escalation';
import { diff } from '../../lambdas/core/register';
import { csvCell, registerCsv, registerRows } from '../../lambdas/core/register-view';
import { aCustomer, aRestriction } from '../helpers/register-fixtures';

const step = (kind: EscalationStep['step'], recordedAt: string, at = recordedAt): EscalationStep => ({
  id: `esc_${recordedAt}`,
  customerId: 'cus_1',
  step: kind,
  clause: '7.2',
  at,
  by: 'Manager',
  recordedAt,
  recordedBy: 'manager',
});

describe('staged escalation (7.2)', () => {
  const now = '2026-06-01T12:00:00.000Z';

  it('stands at the furthest step recorded since the last restriction, whatever dates the steps carry', () => {
    const steps = [
      step('concern-raised', '2026-01-01T00:00:00.000Z'),
      // recorded later, but dated earlier (the warning was given by phone and noted afterwards)
      step('warning-given', '2026-02-01T00:00:00.000Z', '2025-12-20T00:00:00.000Z'),
    ];
    const escalation = escalationOf(steps, [], now);
    expect(escalation.stage).toBe('warning-given');
    expect(escalation.history.map((h) => h.stage)).toEqual(['warning-given', 'concern-raised']);
  });

  it('is restricted while a restriction is in force or scheduled, and 8.2 while all contact is refused', () => {
    const inForce = aRestriction(
      { type: 'witness-required' },
      { startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' },
    );
    expect(escalationOf([], [inForce], now).stage).toBe('restricted');
    const refused = aRestriction(
      { type: 'all-contact-refused', designatedReader: 'r@council.example', seniorApprover: 'Director' },
      { startsAt: '2026-07-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' },
    );
    expect(escalationOf([], [inForce, refused], now).stage).toBe('all-contact-refused');
    const ended = aRestriction(
      { type: 'witness-required' },
      {
        startsAt: '2025-01-01T00:00:00.000Z',
        endsAt: '2025-06-01T00:00:00.000Z',
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    );
    expect(escalationOf([step('warning-given', '2024-12-01T00:00:00.000Z')], [ended], now).stage).toBe(
      'none',
    );
  });

  it('goes forward, may repeat a step, and needs a reason to leave one out', () => {
    const at = (stage: 'none' | 'concern-raised' | 'warning-given' | 'restricted') => ({
      stage,
      history: [],
    });
    expect(
      stepProblem({ step: 'warning-given', by: 'm', how: 'email' }, at('concern-raised')),
    ).toBeUndefined();
    expect(
      stepProblem({ step: 'warning-given', by: 'm', how: 'email' }, at('warning-given')),
    ).toBeUndefined();
    expect(stepProblem({ step: 'concern-raised', by: 'm' }, at('warning-given'))).toMatchObject({
      conflict: true,
    });
    expect(stepProblem({ step: 'written-notice', by: 'm', how: 'letter' }, at('none'))).toMatchObject({
      field: 'skipReason',
    });
    expect(
      stepProblem(
        { step: 'written-notice', by: 'm', how: 'letter', skipReason: 'threats (8.3)' },
        at('none'),
      ),
    ).toBeUndefined();
    expect(stepProblem({ step: 'concern-raised', by: 'm' }, at('restricted'))).toBeUndefined();
    expect(wasWarned([step('concern-raised', now)])).toBe(false);
    expect(wasWarned([step('written-notice', now)])).toBe(true);
  });
});

describe('clashes with reasonable adjustments', () => {
  const customer = {
    adjustments: [
      { channel: 'email' as const, detail: 'Prefers email (dyslexia)' },
      { channel: 'home-visit' as const },
    ],
  };

  it('flags a restriction that takes away the way an adjustment relies on, and nothing else', () => {
    const letters = aRestriction({ type: 'no-email-letter-only' });
    expect(adjustmentConflicts(letters, customer)).toEqual([
      expect.objectContaining({ channel: 'email', clause: '7.3.2', adjustment: 'Prefers email (dyslexia)' }),
    ]);
    expect(
      adjustmentConflicts(aRestriction({ type: 'home-visits-paired', homeVisits: 'paired-only' }), customer),
    ).toEqual([]);
    expect(
      adjustmentConflicts(aRestriction({ type: 'home-visits-paired', homeVisits: 'refused' }), customer),
    ).toHaveLength(1);
    expect(
      adjustmentConflicts(
        aRestriction({ type: 'single-named-officer', namedOfficer: 'o@council.example' }),
        customer,
      ),
    ).toEqual([]);
    const refused = aRestriction({
      type: 'all-contact-refused',
      designatedReader: 'r@council.example',
      seniorApprover: 'D',
    });
    expect(adjustmentConflicts(refused, customer).map((c) => c.channel)).toEqual(['email', 'home-visit']);
    expect(adjustmentConflicts(letters, {})).toEqual([]);
  });
});

describe('the register as CSV', () => {
  it('neutralises formulas and quotes what needs quoting (RFC 4180)', () => {
    expect(csvCell('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(csvCell('+44 7700 900123')).toBe("'+44 7700 900123");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(undefined)).toBe('');
  });

  it('has one row per restriction with the 12.1 fields', () => {
    const customer = aCustomer({ name: 'Alex Example', address: '1 Sample Street' });
    const restriction = aRestriction({ type: 'witness-required', customerId: customer.id });
    const rows = registerRows(
      [restriction],
      new Map([[customer.id, customer]]),
      { status: 'all' },
      '2026-06-01T00:00:00.000Z',
    );
    const [header, line] = registerCsv(rows).trim().split('\r\n');
    expect(header?.split(',')).toEqual(
      expect.arrayContaining([
        'name',
        'address',
        'startsAt',
        'endsAt',
        'restriction',
        'customerAdvisedAt',
        'servicesAdvisedAt',
        'measuresWhenContactNecessary',
        'decidedBy',
        'reason',
        'reviewAt',
      ]),
    );
    expect(line).toContain('Alex Example');
    expect(line).toContain('7.3.6');
    expect(line).toContain('active');
  });
});

describe('the audit trail’s "what changed"', () => {
  it('names each field that changed, with its value before and after', () => {
    expect(diff({ a: 1, b: [1], c: 'x' }, { a: 1, b: [1, 2], d: true })).toEqual({
      b: { from: [1], to: [1, 2] },
      c: { from: 'x' },
      d: { to: true },
    });
  });
});
