import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../lambdas/core/alert-outcomes';
import type { ContactRecord } from '../../lambdas/core/contact';
import { oncePerContact } from '../../lambdas/core/deliver';
import type { ContactLedger } from '../../lambdas/core/ports';
import {
  computeReport,
  contactTotalNames,
  lastFullQuarter,
  monthsOf,
  reportPeriodOf,
} from '../../lambdas/core/reports';
import { ValidationError } from '../../lambdas/core/validation';
import { buildRequest } from '../../scripts/register/commands';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error('no ValidationError');
};

describe('the report period (13.1)', () => {
  it('defaults to the last full quarter before today in London', () => {
    expect(lastFullQuarter('2027-01-10T12:00:00Z')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    // 1 July 00:30 BST is in the third quarter; 30 June 23:30 BST still in the second.
    expect(lastFullQuarter('2026-06-30T23:30:00Z')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(lastFullQuarter('2026-06-30T22:30:00Z')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('takes from to today when only from is given', () => {
    expect(reportPeriodOf({ from: '2026-11-01' }, '2026-12-02T10:00:00Z')).toMatchObject({
      from: '2026-11-01',
      to: '2026-12-02',
      format: 'json',
    });
  });

  it('names the bad field', () => {
    expect(
      fieldOf(() => reportPeriodOf({ from: '2026-12-02', to: '2026-12-01' }, '2027-01-01T00:00:00Z')),
    ).toEqual(['to']);
    expect(
      fieldOf(() => reportPeriodOf({ from: '2024-01-01', to: '2026-01-03' }, '2027-01-01T00:00:00Z')),
    ).toEqual(['to']);
    expect(fieldOf(() => reportPeriodOf({ from: '2026-1-1' }, '2027-01-01T00:00:00Z'))).toEqual(['from']);
    expect(fieldOf(() => reportPeriodOf({ format: 'xlsx' }, '2027-01-01T00:00:00Z'))).toEqual(['format']);
  });

  it('lists the months a period touches, across a year end', () => {
    expect(monthsOf({ from: '2026-11-15', to: '2027-02-01' })).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });
});

describe('computeReport', () => {
  const period = { from: '2026-10-01', to: '2026-12-31' };
  const base = { period, now: '2027-01-10T00:00:00Z', customers: [], incidentsRecorded: false, holidays: [] };

  it('counts alerts in the period by their outcome, and those still open', () => {
    const alert = (at: string, outcome?: 'no-action' | 'warning-given') =>
      ({
        alertId: at,
        at,
        state: outcome ? 'closed' : 'open',
        ...(outcome ? { outcome: { outcome } } : {}),
      }) as unknown as AlertView;
    const report = computeReport({
      ...base,
      days: new Map(),
      alerts: [
        alert('2026-10-02T10:00:00Z', 'warning-given'),
        alert('2026-11-02T10:00:00Z'),
        alert('2026-09-30T10:00:00Z'),
      ],
    });
    expect(report.alerts).toMatchObject({
      raised: 2,
      open: 1,
      byOutcome: { 'warning-given': 1, 'no-action': 0 },
    });
    expect(report.restrictions.imposedPerThousandContacts).toBeNull();
  });

  it('counts incidents only when they are recorded, and says so otherwise', () => {
    const days = new Map([['2026-10-05', { 'incident_threat-to-staff': 2 }]]);
    expect(computeReport({ ...base, days, alerts: [] }).incidents.total).toBe(0);
    expect(computeReport({ ...base, days, alerts: [] }).notes.join(' ')).toMatch(/Incidents: not recorded/);
    const recorded = computeReport({ ...base, days, alerts: [], incidentsRecorded: true });
    expect(recorded.incidents.byKind['threat-to-staff']).toBe(2);
  });

  it("names a restricted customer's contact by where it went", () => {
    expect(
      contactTotalNames({ channel: 'email', route: 'designated-reader', appliedRestrictionIds: ['res_1'] }),
    ).toEqual([
      'contacts',
      'contacts_email',
      'route_designated-reader',
      'restricted_all',
      'restricted_designated-reader',
    ]);
  });
});

describe('counting a contact for reports once (P6)', () => {
  const record = {
    reference: 'CS-AAAA-BBBB-C1',
    channel: 'email',
    route: 'service',
    appliedRestrictionIds: [],
    receivedAt: '2026-12-02T10:00:00.000Z',
  } as unknown as ContactRecord;

  it('adds the totals when this attempt finishes the claim, and not for a redelivery', async () => {
    const finished = new Set<string>();
    const ledger = {
      claim: async (reference: string) => (finished.has(reference) ? 'already-done' : 'claimed'),
      release: async () => undefined,
      finish: async (r: ContactRecord) => {
        if (finished.has(r.reference)) return 'finished-already';
        finished.add(r.reference);
        return 'finished';
      },
      logContact: async () => undefined,
    } as unknown as ContactLedger;
    const added: string[][] = [];
    const deps = {
      ledger,
      now: () => '2026-12-02T10:00:00.000Z',
      settings: { leaseSeconds: 45 } as never,
      reportTotals: { add: async (_day: string, names: readonly string[]) => void added.push([...names]) },
    };
    const work = async () => ({ result: 'sent', record });
    expect(await oncePerContact(record.reference, deps, work)).toBe('sent');
    expect(await oncePerContact(record.reference, deps, work)).toBe('duplicate');
    expect(added).toEqual([['contacts', 'contacts_email', 'route_service']]);
  });
});

describe('npm run register -- report', () => {
  const noBody = () => {
    throw new Error('no body');
  };
  it('asks GET /admin/reports for the period and format, saving a PDF to a file', () => {
    const request = buildRequest(
      'report',
      ['--from', '2026-10-01', '--to', '2026-12-31', '--format', 'pdf', '--out', 'q.pdf'],
      noBody,
    );
    expect(request).toMatchObject({ method: 'GET', output: { raw: true, file: 'q.pdf' } });
    expect(JSON.stringify(request)).toContain('2026-10-01');
    expect(JSON.stringify(request)).toContain('pdf');
  });
  it('refuses a format it does not know, and a PDF without --out', () => {
    expect(() => buildRequest('report', ['--format', 'xml'], noBody)).toThrow(/--format/);
    expect(() => buildRequest('report', ['--format', 'pdf'], noBody)).toThrow(/--out/);
  });
});
