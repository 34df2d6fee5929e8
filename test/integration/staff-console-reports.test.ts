import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleUnderTest, htmlOf, startConsole, textOf, visit } from '../helpers/console-pages';
import { pdfText } from '../helpers/pdf-text';
import { seededPersonalData, seedReportHistory } from '../helpers/report-history';

let c: ConsoleUnderTest;
const period = 'from-day=1&from-month=10&from-year=2026&to-day=31&to-month=12&to-year=2026';

beforeAll(async () => {
  c = await startConsole('2027-01-10T12:00:00.000Z');
  await seedReportHistory(c.table);
});
afterAll(() => c?.stop());

describe('the Reports page (13.1)', () => {
  it('shows a manager the last full quarter: each chart beside a table of the same figures', async () => {
    const response = await visit(c.deps, 'service-manager', 'GET', '/staff/reports');
    expect(response).toMatchObject({ kind: 'page', status: 200 });
    const html = htmlOf(response);
    const text = textOf(html);
    expect(text).toContain('1 October 2026 to 31 December 2026');
    expect(text).toMatch(/All contacts 6/);
    expect(text).toMatch(/Never advised 1/);
    expect(text).toMatch(/Done late 1/);
    expect(html).toContain('role="img"');
    expect(html).toMatch(
      /<title id="contacts-by-channel-chart-title">Contacts by channel \(4\.2\.12\): Email 4, Web form 2/,
    );
    expect(html).toContain('name="from-day"');
    expect(html).toContain(`href="/staff/reports?${period.replaceAll('&', '&amp;')}&amp;format=csv"`);
    for (const secret of Object.values(seededPersonalData).flat()) expect(html).not.toContain(secret);
  });

  it('lets a senior manager download the same figures as CSV and PDF', async () => {
    const csv = await visit(c.deps, 'senior-manager', 'GET', `/staff/reports?${period}&format=csv`);
    expect(csv).toMatchObject({ kind: 'file', contentType: 'text/csv; charset=utf-8' });
    expect(String((csv as { body: string }).body)).toContain('Contacts by channel,4.2.12,All contacts,6');
    const pdf = await visit(c.deps, 'senior-manager', 'GET', `/staff/reports?${period}&format=pdf`);
    expect(pdf).toMatchObject({ kind: 'file', contentType: 'application/pdf' });
    const { text } = await pdfText(new Uint8Array((pdf as { body: Buffer }).body));
    expect(text).toMatch(/All contacts\s*6/);
  });

  it('refuses an officer (403)', async () => {
    expect(await visit(c.deps, 'officer', 'GET', '/staff/reports')).toMatchObject({ status: 403 });
  });

  it('names the date that is wrong', async () => {
    const response = await visit(
      c.deps,
      'service-manager',
      'GET',
      '/staff/reports?from-day=1&from-month=12&from-year=2026&to-day=1&to-month=11&to-year=2026',
    );
    expect(response).toMatchObject({ status: 400 });
    const text = textOf(htmlOf(response));
    expect(text).toContain('There is a problem');
    expect(text).toContain('End date must not be before from');
    const bad = await visit(
      c.deps,
      'service-manager',
      'GET',
      '/staff/reports?from-day=31&from-month=2&from-year=2026',
    );
    expect(bad).toMatchObject({ status: 400 });
    expect(textOf(htmlOf(bad))).toContain('Start date is not a real date');
  });
});
