import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportTotals } from '../../lambdas/adapters/dynamodb/report-totals';
import { recordContactTotals, recordIncidentTotals } from '../../lambdas/core/reports';
import { startTestTable, type TestTable } from '../helpers/dynalite';

let table: TestTable;
let totals: DynamoReportTotals;

beforeAll(async () => {
  table = await startTestTable();
  totals = new DynamoReportTotals(table.documentClient, table.tableName);
});
afterAll(() => table?.stop());

describe('DynamoReportTotals (13.1)', () => {
  it('adds concurrently without losing a count, by London day, and reads across months', async () => {
    let n = 0;
    const contact = (receivedAt: string, reference = `CS-TOTALS-${++n}`) =>
      recordContactTotals(
        { reference, channel: 'web-form', route: 'service', appliedRestrictionIds: [], receivedAt },
        totals,
      );
    // 23:30 UTC on 31 July is 1 August in London (BST).
    await Promise.all(Array.from({ length: 20 }, () => contact('2026-07-31T23:30:00.000Z')));
    // The same contact counted again (a retry, a redelivery) adds nothing (P6).
    await Promise.all([
      contact('2026-07-31T23:30:00.000Z', 'CS-TOTALS-1'),
      contact('2026-07-31T23:30:00.000Z', 'CS-TOTALS-2'),
    ]);
    await contact('2026-07-31T12:00:00.000Z');
    await recordIncidentTotals({ kind: 'violence', at: '2026-09-01T10:00:00.000Z' }, totals);
    const days = await totals.read('2026-07-01', '2026-09-30');
    expect(days.get('2026-08-01')).toEqual({ contacts: 20, 'contacts_web-form': 20, route_service: 20 });
    expect(days.get('2026-07-31')).toMatchObject({ contacts: 1 });
    expect(days.get('2026-09-01')).toEqual({ incident_violence: 1 });
    expect([...(await totals.read('2026-08-02', '2026-08-31')).keys()]).toEqual([]);
  });

  it('reads only the days asked for at either end of a month', async () => {
    const days = await totals.read('2026-07-31', '2026-07-31');
    expect([...days.keys()]).toEqual(['2026-07-31']);
  });
});
