import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { call, type HttpHandler, httpEvent } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { pdfText } from '../helpers/pdf-text';
import { seededPersonalData, seedReportHistory } from '../helpers/report-history';

const token = 'report-test-token';
const now = '2027-01-10T12:00:00.000Z';
let table: TestTable;
let handler: HttpHandler;

const get = (query: string) =>
  call(handler, httpEvent('GET', '/admin/reports', { query, headers: { authorization: `Bearer ${token}` } }));

beforeAll(async () => {
  table = await startTestTable();
  const config = testConfig({
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    ADMIN_TOKEN: token,
  });
  const deps = adminApiDeps(config, testClients(config));
  handler = createAdminApiHandler({ ...deps, now: () => now });
  await seedReportHistory(table);
});
afterAll(() => table?.stop());

describe('GET /admin/reports (13.1)', () => {
  it('gives the seeded counts for the last full quarter by default', async () => {
    const response = await get('');
    expect(response.statusCode).toBe(200);
    const report = response.json;
    expect(report.period).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(report.contacts.total).toBe(6);
    expect(report.contacts.byChannel).toMatchObject({ email: 4, 'web-form': 2, telephone: 0 });
    expect(report.contacts.byRoute).toMatchObject({ service: 5, 'named-officer': 1 });
    expect(report.contacts.fromRestricted).toMatchObject({ total: 1, byRoute: { 'named-officer': 1 } });
    expect(report.restrictions).toMatchObject({ imposed: 2, lifted: 1, extended: 0, ended: 0 });
    expect(report.restrictions.byType['single-named-officer']).toEqual({
      imposed: 1,
      extended: 0,
      lifted: 1,
      ended: 0,
    });
    expect(report.restrictions.imposedPerThousandContacts).toBe(333.3);
    expect(report.reviews).toEqual({ onTime: 0, late: 1, overdueNow: 0 });
    expect(report.advice).toEqual({ imposed: 2, withinFiveWorkingDays: 1, later: 0, neverAdvised: 1 });
    expect(report.escalation).toEqual({ concernsRaised: 0, warnings: 1, writtenNotices: 1 });
    expect(report.incidents).toMatchObject({ recorded: true, total: 0 });
    expect(report.notes.join(' ')).toMatch(/no bank holidays are configured/);
    expect(report.months.map((m: { month: string; contacts: number }) => [m.month, m.contacts])).toEqual([
      ['2026-10', 3],
      ['2026-11', 1],
      ['2026-12', 2],
    ]);
    expect(report.months[0]).toMatchObject({ imposed: 2, warnings: 1, writtenNotices: 1 });
    expect(report.months[1]).toMatchObject({ lifted: 1, restrictedContacts: 1 });
  });

  it('counts a day by London time and a month alone when asked', async () => {
    const report = (await get('from=2027-01-01&to=2027-01-31')).json;
    expect(report.contacts.total).toBe(1);
    expect(report.restrictions.imposed).toBe(0);
    expect(report.restrictions.imposedPerThousandContacts).toBe(0);
  });

  it('gives the same figures as CSV', async () => {
    const response = await get('from=2026-10-01&to=2026-12-31&format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/text\/csv/);
    const rows = String(response.body).trim().split('\r\n');
    expect(rows).toContain('Contacts by channel,4.2.12,Email,4');
    expect(rows).toContain('Contacts by channel,4.2.12,Web form,2');
    expect(rows).toContain('Contacts by channel,4.2.12,All contacts,6');
    expect(rows).toContain('"Restrictions imposed, extended, lifted and ended",7.3,Imposed,2');
    expect(rows).toContain('"Restrictions imposed, extended, lifted and ended",7.3,Lifted,1');
    expect(rows).toContain('Reviews,10.1,Done late,1');
    expect(rows).toContain(
      'Customers advised of restrictions imposed in the period,"8.1, 12.1.4",Never advised,1',
    );
    expect(rows).toContain('2026-10,3,0,2,0,0,0,1,1,0,0');
  });

  it('gives the same figures in the PDF text', async () => {
    const response = await get('from=2026-10-01&to=2026-12-31&format=pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/pdf');
    const { text } = await pdfText(new Uint8Array(Buffer.from(String(response.body), 'base64')));
    expect(text).toContain('Monitoring report 2026-10-01 to 2026-12-31');
    expect(text).toMatch(/All contacts\s*6/);
    expect(text).toMatch(/Email\s*4/);
    expect(text).toMatch(/Imposed\s*2/);
    expect(text).toMatch(/Lifted\s*1/);
    expect(text).toMatch(/Done late\s*1/);
    expect(text).toMatch(/Never advised\s*1/);
    expect(text).toMatch(/Imposed per 1,000 contacts\s*333\.3/);
  });

  it('holds no personal data in any format', async () => {
    const json = (await get('from=2026-09-01&to=2027-01-31')).body ?? '';
    const csv = (await get('from=2026-09-01&to=2027-01-31&format=csv')).body ?? '';
    const pdf = await pdfText(
      new Uint8Array(
        Buffer.from(String((await get('from=2026-09-01&to=2027-01-31&format=pdf')).body), 'base64'),
      ),
    );
    for (const text of [json, csv, pdf.text, JSON.stringify(pdf.info)])
      for (const secret of Object.values(seededPersonalData).flat()) expect(text).not.toContain(secret);
  });

  it.each([
    ['from=2026-12-01&to=2026-11-01', 'to'],
    ['from=2024-01-01&to=2026-12-31', 'to'],
    ['from=2026-13-01&to=2026-12-31', 'from'],
    ['from=01/10/2026', 'from'],
    ['from=2026-10-01&to=2026-02-30', 'to'],
    ['format=xml', 'format'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const response = await get(query);
    expect(response.statusCode).toBe(400);
    expect(response.json.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
