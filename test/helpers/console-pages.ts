import { DynamoAlertOutcomeStore } from '../../lambdas/adapters/dynamodb/alert-outcome-store';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoIncidentStore } from '../../lambdas/adapters/dynamodb/incident-store';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../../lambdas/adapters/dynamodb/report-totals';
import { DynamoStepLetterStore } from '../../lambdas/adapters/dynamodb/step-letter-store';
import { renderLetterPdf } from '../../lambdas/adapters/pdf/letter-pdf';
import { detailTypes, type FrequencyAlertDetail, type PublishedEvent } from '../../lambdas/core/events';
import type { RegisterChangeDeps } from '../../lambdas/core/register';
import { may, type StaffRole } from '../../lambdas/core/staff-roles';
import type { AlertView, ConsoleDeps, ContactView } from '../../lambdas/staff-console/pages/deps';
import { consolePages } from '../../lambdas/staff-console/pages/index';
import type { ConsoleRequest, ConsoleResponse } from '../../lambdas/staff-console/types';
import { consoleUseCases } from '../../lambdas/staff-console/use-cases';
import { recordingDeps } from '../../lambdas/wiring/recording';
import { startTestTable, type TestTable } from './dynalite';
import { testClients, testConfig } from './lambda-config';
import { changeDeps, testCouncil } from './register-fixtures';

/** Incidents and the letters before a restriction on the same table; events kept in `published`. */
export function incidentStoresOn(table: TestTable, now: () => string, published: PublishedEvent[]) {
  const store = new DynamoRegisterStore(table.documentClient, table.tableName);
  const incidentStore = new DynamoIncidentStore(table.documentClient, table.tableName);
  return {
    incidents: {
      incidents: incidentStore,
      register: store,
      events: { publish: async (events: PublishedEvent[]) => void published.push(...events) },
      eventLog: new DynamoEventLog(table.documentClient, table.tableName),
      reportTotals: new DynamoReportTotals(table.documentClient, table.tableName),
      now,
    },
    stepLetters: {
      letters: new DynamoStepLetterStore(table.documentClient, table.tableName),
      register: store,
      incidents: incidentStore,
      renderer: { pdf: renderLetterPdf },
      council: testCouncil,
      now,
    },
  };
}

/**
 * The console's pages on a dynalite register with the real core use cases. The use cases being
 * written beside the console (search, contact by reference, attention, alert outcomes) are small
 * stand-ins here over the same register, so the pages can be driven as the shell drives them.
 */
export interface ConsoleUnderTest {
  table: TestTable;
  deps: ConsoleDeps;
  register: RegisterChangeDeps;
  /** Moves the clock every part reads. */
  setNow(instant: string): void;
  contacts: Map<string, ContactView>;
  /** The alerts recorded with `recordAlert`, for tests to find their ids. */
  alerts: AlertView[];
  /** The events put on the bus (incidents): an in-memory publisher stands in for EventBridge. */
  published: PublishedEvent[];
  /** Records a frequency alert in the event log, as the frequency counter does when one is raised. */
  recordAlert(alert: AlertView): Promise<void>;
  stop(): Promise<void>;
}

/** Recording contacts (4.2.7) on the same table, with the console's clock; events go nowhere. */
function recordingOn(table: TestTable, now: () => string) {
  const config = testConfig({ DYNAMODB_ENDPOINT: table.endpoint, TABLE_NAME: table.tableName });
  return {
    ...recordingDeps(config, testClients(config)),
    events: { publish: async () => undefined },
    now,
  };
}

/**
 * The console's pages on a dynalite register with the real use cases (`consoleUseCases`: the core's
 * search, contact by reference, attention and alert outcomes over the DynamoDB stores), so the pages
 * can be driven as the shell drives them.
 */
export async function startConsole(now = '2026-06-01T09:00:00.000Z'): Promise<ConsoleUnderTest> {
  const table = await startTestTable();
  let clock = now;
  const store = new DynamoRegisterStore(table.documentClient, table.tableName);
  const register = changeDeps({ store, now: () => clock });
  const eventLog = new DynamoEventLog(table.documentClient, table.tableName);
  const alerts: AlertView[] = [];
  const published: PublishedEvent[] = [];
  const deps = consoleUseCases({
    register,
    contacts: new DynamoContactLog(table.documentClient, table.tableName),
    alerts: eventLog,
    outcomes: new DynamoAlertOutcomeStore(table.documentClient, table.tableName),
    ...incidentStoresOn(table, () => clock, published),
    totals: new DynamoReportTotals(table.documentClient, table.tableName),
    incidentsRecorded: true,
    now: () => new Date(clock),
    recording: recordingOn(table, () => clock),
  });
  return {
    table,
    deps,
    register,
    setNow: (instant) => {
      clock = instant;
    },
    contacts: new Map(),
    alerts,
    published,
    async recordAlert(alert) {
      const { raisedAt, status: _status, customerName: _name, outcome: _outcome, ...detail } = alert;
      await eventLog.recordEvent({ detailType: detailTypes.frequency, detail }, raisedAt, 'published');
      alerts.push(alert);
    },
    stop: () => table.stop(),
  };
}

/** A frequency alert as the stand-in store keeps it. */
export function anAlert(
  customerId: string,
  customerName: string,
  overrides: Partial<AlertView> = {},
): AlertView {
  const detail: FrequencyAlertDetail = {
    alertId: `alr_${Math.random().toString(16).slice(2, 10)}`,
    subject: { kind: 'customer', customerId },
    window: 'topic',
    clause: '4.2.7',
    topic: { key: 'cmp-12345', label: 'CMP-12345', how: 'case-reference' },
    count: 12,
    threshold: 10,
    windowDays: 7,
    channels: ['email', 'web-form'],
    firstContactAt: '2026-05-26T08:00:00.000Z',
    lastContactAt: '2026-05-31T18:00:00.000Z',
    contactReferences: ['CS-0001', 'CS-0002'],
  };
  return { ...detail, raisedAt: '2026-05-31T18:00:01.000Z', status: 'open', customerName, ...overrides };
}

const people: Record<StaffRole, { name: string; email: string }> = {
  officer: { name: 'Olive Officer', email: 'officer@council.example' },
  'service-manager': { name: 'Sam Manager', email: 'manager@council.example' },
  'senior-manager': { name: 'Sue Senior', email: 'senior@council.example' },
};

/** Matches an Express-style pattern (`/staff/customers/:id`) against a path. */
function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_all, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = path.match(new RegExp(`^${source}$`));
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
}

/**
 * Calls the console as the shell does: finds the page for the method and address, answers 403
 * when the role lacks the page's permission, else hands the page a parsed, CSRF-checked request.
 */
export async function visit(
  deps: ConsoleDeps,
  role: StaffRole,
  method: 'GET' | 'POST',
  url: string,
  form: ConsoleRequest['form'] = {},
): Promise<ConsoleResponse & { html?: string }> {
  const { pathname, searchParams } = new URL(url, 'http://console.test');
  for (const page of consolePages) {
    if (page.method !== method) continue;
    const params = matchPattern(page.pattern, pathname);
    if (!params) continue;
    const person = people[role];
    const request: ConsoleRequest = {
      method,
      path: pathname,
      params,
      query: Object.fromEntries(searchParams),
      form: method === 'POST' ? { csrfToken: 'test-csrf-token', ...form } : {},
      user: { subject: `sub-${role}`, name: person.name, email: person.email, roles: [role] },
      csrfToken: 'test-csrf-token',
      actor: `${person.name} (sub-${role})`,
      cspNonce: 'test-nonce',
      councilName: 'Example Borough Council',
    };
    if (!may(request.user.roles, page.permission))
      return { kind: 'page', status: 403, html: 'forbidden by the shell' };
    return page.handle(request, deps);
  }
  throw new Error(`no console page for ${method} ${url}`);
}

/** The page's HTML, failing when the answer was not a page. */
export function htmlOf(response: ConsoleResponse): string {
  if (response.kind !== 'page') throw new Error(`expected a page, got ${response.kind}`);
  return response.html;
}

/** The visible text of a page, tags removed and whitespace folded, for assertions about wording. */
export const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
