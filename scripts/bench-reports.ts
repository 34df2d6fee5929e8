import type http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertOutcomeStore } from '../lambdas/adapters/dynamodb/alert-outcome-store';
import { DynamoEventLog } from '../lambdas/adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../lambdas/adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../lambdas/adapters/dynamodb/report-totals';
import { reportResponse } from '../lambdas/admin-api/report-routes';
import { createTable } from '../local/create-table';
import { seedReportScale } from './bench/report-scale';

/**
 * Times the monitoring report (13.1) over a year of 100,000 contacts and 500 restrictions in
 * dynalite: `npx tsx scripts/bench-reports.ts [--format json|csv|pdf]` prints
 * `{ contacts, restrictions, ms }` (ms: the whole GET /admin/reports answer, reading included).
 */
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { createTableMs?: number }) => http.Server;

export async function benchReports(format = 'json') {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = 'contact-screening';
  try {
    await createTable(client, tableName);
    const seeded = await seedReportScale(documents, tableName, { from: '2026-01-01' });
    const eventLog = new DynamoEventLog(documents, tableName);
    const deps = {
      report: {
        store: new DynamoRegisterStore(documents, tableName),
        totals: new DynamoReportTotals(documents, tableName),
        alerts: eventLog,
        outcomes: new DynamoAlertOutcomeStore(documents, tableName),
      },
      now: () => '2027-01-10T12:00:00.000Z',
    };
    const started = performance.now();
    const response = await reportResponse({ from: '2026-01-01', to: '2026-12-31', format }, deps);
    const ms = Math.round(performance.now() - started);
    if (response.statusCode !== 200) throw new Error(`report answered ${response.statusCode}`);
    // The figures must be the seeded ones, or the time means nothing.
    if (format === 'json') {
      const report = JSON.parse(String(response.body));
      if (report.contacts.total !== seeded.contacts || report.restrictions.imposed !== seeded.restrictions)
        throw new Error(
          `report counted ${report.contacts.total} contacts, ${report.restrictions.imposed} restrictions`,
        );
    }
    return { contacts: seeded.contacts, restrictions: seeded.restrictions, ms };
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--format');
  benchReports(at > 0 ? process.argv[at + 1] : 'json').then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
