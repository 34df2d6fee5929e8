import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertOutcomeStore } from '../../lambdas/adapters/dynamodb/alert-outcome-store';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoReportTotals } from '../../lambdas/adapters/dynamodb/report-totals';
import type { PublishedEvent } from '../../lambdas/core/events';
import type { ConsoleDeps } from '../../lambdas/staff-console/pages/deps';
import { consoleUseCases } from '../../lambdas/staff-console/use-cases';
import { recordingDeps } from '../../lambdas/wiring/recording';
import {
  type ConsoleUnderTest,
  htmlOf,
  incidentStoresOn,
  startConsole,
  textOf,
  visit,
} from '../helpers/console-pages';
import { seedRegister } from '../helpers/console-seed';
import { testClients, testConfig } from '../helpers/lambda-config';

/**
 * Recording a contact in the console (4.2.7): the form on the customer page and Home's quick form
 * for someone not known, the decision page, and the contact page with its summary. The use case is
 * the real one, on dynalite.
 */
let c: ConsoleUnderTest;
let deps: ConsoleDeps;
let jordan: string;
const published: PublishedEvent[] = [];
// Tuesday 2 June 2026, 10:30 BST: inside Jordan's phone hours.
const now = '2026-06-02T09:30:00.000Z';

beforeAll(async () => {
  c = await startConsole();
  ({
    jordan: { id: jordan },
  } = await seedRegister(c));
  c.setNow(now);
  const config = testConfig({ DYNAMODB_ENDPOINT: c.table.endpoint, TABLE_NAME: c.table.tableName });
  const { documentClient, tableName } = c.table;
  deps = consoleUseCases({
    register: c.register,
    contacts: new DynamoContactLog(documentClient, tableName),
    alerts: new DynamoEventLog(documentClient, tableName),
    outcomes: new DynamoAlertOutcomeStore(documentClient, tableName),
    now: () => new Date(now),
    ...incidentStoresOn(c.table, () => now, []),
    totals: new DynamoReportTotals(c.table.documentClient, c.table.tableName),
    recording: {
      ...recordingDeps(config, testClients(config)),
      events: { publish: async (events) => void published.push(...events) },
      now: () => now,
    },
  });
});
afterAll(async () => c.stop());

const form = (fields: Record<string, string>) => ({
  channel: 'telephone',
  summary: 'Rang to ask about the complaint again.',
  recordedBy: 'Olive Officer',
  ...fields,
});

describe('Record a contact, for a customer', () => {
  it('offers an officer the form, inputs named as the API fields, with CSRF and a fresh id', async () => {
    const customer = textOf(htmlOf(await visit(deps, 'officer', 'GET', `/staff/customers/${jordan}`)));
    expect(customer).toContain('Record a contact');
    const html = htmlOf(await visit(deps, 'officer', 'GET', `/staff/customers/${jordan}/contacts/new`));
    for (const name of [
      'channel',
      'at-day',
      'at-month',
      'at-year',
      'at-time',
      'caseReference',
      'summary',
      'recordedBy',
    ])
      expect(html).toContain(`name="${name}"`);
    expect(html).toContain('name="csrfToken" value="test-csrf-token"');
    expect(html).toMatch(/name="id" value="[0-9a-f-]{36}"/);
  });

  it('records a call and shows what applies, with clauses; the contact page shows channel and summary', async () => {
    const response = await visit(
      deps,
      'officer',
      'POST',
      `/staff/customers/${jordan}/contacts/new`,
      form({ id: 'console-form-1', caseReference: 'CMP-10001' }),
    );
    const text = textOf(htmlOf(response));
    expect(text).toContain('Contact recorded');
    expect(text).toContain('Before you go on');
    expect(text).toContain(
      'Pass the call to the named officer, Casey Worker, casework.officer@council.example (7.3.4).',
    );
    expect(text).toMatch(/this call \(Tue 10:30\) is inside those hours \(7\.3\.5\)/);
    const reference = text.match(/Reference (CS-[0-9A-Z-]+)/)?.[1];
    expect(reference).toBeDefined();
    expect(htmlOf(response)).toContain(`href="/staff/contacts/${reference}"`);

    const contact = textOf(htmlOf(await visit(deps, 'officer', 'GET', `/staff/contacts/${reference}`)));
    expect(contact).toContain('Recorded contact');
    expect(contact).toContain('Telephone');
    expect(contact).toContain('Rang to ask about the complaint again.');
    expect(contact).toContain('Recorded by Olive Officer');

    const log = textOf(htmlOf(await visit(deps, 'officer', 'GET', `/staff/customers/${jordan}`)));
    expect(log).toContain(reference!);
    expect(log).toContain('Rang to ask about the complaint again.');
  });

  it('the same form sent twice is one contact', async () => {
    const again = await visit(
      deps,
      'officer',
      'POST',
      `/staff/customers/${jordan}/contacts/new`,
      form({ id: 'console-form-1', caseReference: 'CMP-10001' }),
    );
    expect(textOf(htmlOf(again))).toContain('Contact already recorded');
  });

  it('asks for what is missing, with an error summary, and refuses a time in the future', async () => {
    const missing = await visit(deps, 'officer', 'POST', `/staff/customers/${jordan}/contacts/new`, {
      recordedBy: 'Olive Officer',
    });
    expect(missing).toMatchObject({ kind: 'page', status: 400 });
    const text = textOf(htmlOf(missing));
    expect(text).toContain('There is a problem');
    expect(text).toContain('Select how they got in touch');
    expect(text).toContain('Enter a summary of the contact');

    const future = await visit(
      deps,
      'officer',
      'POST',
      `/staff/customers/${jordan}/contacts/new`,
      form({ 'at-day': '3', 'at-month': '6', 'at-year': '2026', 'at-time': '10:00' }),
    );
    expect(future).toMatchObject({ status: 400 });
    expect(textOf(htmlOf(future))).toContain('Date of the contact must not be in the future');
    const noTime = await visit(
      deps,
      'officer',
      'POST',
      `/staff/customers/${jordan}/contacts/new`,
      form({ 'at-day': '1', 'at-month': '6', 'at-year': '2026' }),
    );
    expect(textOf(htmlOf(noTime))).toContain('Enter time');
  });

  it('answers 404 for a customer not in the register', async () => {
    const response = await visit(deps, 'officer', 'GET', '/staff/customers/cus_nobody/contacts/new');
    expect(response).toMatchObject({ kind: 'page', status: 404 });
  });
});

describe("Home's quick form, for someone not found in the register", () => {
  it('is on Home for an officer, and records an unknown caller by their number', async () => {
    const home = htmlOf(await visit(deps, 'officer', 'GET', '/staff/'));
    expect(home).toContain('action="/staff/contacts/new"');
    expect(home).toContain('name="caller.phone"');

    const answer = textOf(
      htmlOf(
        await visit(deps, 'officer', 'POST', '/staff/contacts/new', {
          channel: 'in-person',
          'caller.name': 'Una Known',
          'caller.phone': '07700 900987',
          summary: 'Came to reception about a missed bin.',
          recordedBy: 'Olive Officer',
        }),
      ),
    );
    expect(answer).toContain('What applies');
    expect(answer).toContain(
      'The person matches no customer in the register: deal with the contact as usual.',
    );
  });

  it('a caller the register knows is screened as any contact: their restrictions apply', async () => {
    const answer = textOf(
      htmlOf(
        await visit(deps, 'officer', 'POST', '/staff/contacts/new', {
          channel: 'telephone',
          'caller.phone': '+44 7700 900123',
          summary: 'Called from their mobile.',
          recordedBy: 'Olive Officer',
        }),
      ),
    );
    expect(answer).toContain('(7.3.4)');
  });

  it('asks who it was when nothing identifies them, and says which field is wrong', async () => {
    const nobody = await visit(deps, 'officer', 'POST', '/staff/contacts/new', form({}));
    expect(nobody).toMatchObject({ status: 400 });
    expect(textOf(htmlOf(nobody))).toContain("Enter the caller's name, phone, email or postcode");
    const badPhone = await visit(
      deps,
      'officer',
      'POST',
      '/staff/contacts/new',
      form({ 'caller.phone': 'soon' }),
    );
    expect(textOf(htmlOf(badPhone))).toContain("Caller's telephone number must be a telephone number");
  });

  it('keeps the summary out of every event (P7)', () => {
    expect(JSON.stringify(published)).not.toContain('reception');
  });
});
