import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseInboundMail } from '../../lambdas/adapters/mail/parse-mail';
import { logger } from '../../lambdas/adapters/observability';
import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { detailTypes, type FrequencyAlertDetail, type PublishedEvent } from '../../lambdas/core/events';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import { adminRequests } from '../helpers/admin-api';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { type HttpHandler, lambdaContext } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { unwarned } from '../helpers/register-fixtures';

const token = 'test-admin-token-recorded-contacts';
let table: TestTable;
let handler: HttpHandler;
let handleEmail: (event: unknown) => Promise<unknown>;
const published: PublishedEvent[] = [];
const storedMail = new Map<string, Buffer>();
// Tuesday 2 June 2026, 13:00 BST: the clock of these tests.
const clock = '2026-06-02T12:00:00.000Z';

const api = adminRequests(() => handler, token);

beforeAll(async () => {
  table = await startTestTable();
  const config = testConfig({
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    ADMIN_TOKEN: token,
  });
  const clients = testClients(config);
  const events = { publish: async (batch: readonly PublishedEvent[]) => void published.push(...batch) };
  const deps = adminApiDeps(config, clients);
  handler = createAdminApiHandler({
    ...deps,
    recording: { ...deps.recording, events, now: () => clock },
  });
  // The real inbound-email handler on the same table; its mail comes from memory, its forwards go nowhere.
  const inbound = createInboundEmailHandler({
    ...inboundEmailDeps(config, clients),
    events,
    source: {
      async read(messageId: string) {
        const bytes = storedMail.get(messageId)!;
        return {
          mail: await parseInboundMail(Readable.from([bytes])),
          bytes,
          sizeBytes: bytes.length,
          location: `memory://${messageId}`,
        };
      },
    },
    mailer: { forward: async () => 'sent', notify: async () => 'sent' },
  });
  handleEmail = (event) => inbound(event, lambdaContext());
}, 60_000);
afterAll(async () => table?.stop());

async function aCustomer(name: string, phone: string, email: string): Promise<string> {
  const customer = await api.post('/admin/customers', { name, emails: [email], phones: [phone] });
  expect(customer.statusCode).toBe(201);
  return customer.json.id as string;
}

async function restrict(customerId: string, fields: Record<string, unknown>) {
  const restriction = await api.post('/admin/restrictions', {
    ...unwarned,
    customerId,
    reason: 'Repeated calls about one complaint (4.2.7)',
    decidedBy: 'Jo Manager, Service Manager',
    startsAt: '2026-01-01',
    endsAt: '2026-12-31',
    ...fields,
  });
  expect(restriction.statusCode).toBe(201);
}

const record = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.send('POST', '/admin/contacts', body, { ...api.auth, ...headers });

async function sendEmail(messageId: string, from: string, subject: string, at: string) {
  storedMail.set(
    messageId,
    Buffer.from(
      `From: ${from}\r\nTo: customer.services@council.example\r\nSubject: ${subject}\r\n` +
        `Message-ID: <${messageId}@example.org>\r\nDate: Mon, 01 Jun 2026 10:30:00 +0100\r\n\r\nAbout my case again.\r\n`,
    ),
  );
  const event = JSON.parse(
    await readFile(new URL('../fixtures/ses/lambda-action-event.json', import.meta.url), 'utf8'),
  ) as SesReceiptEvent;
  const mail = event.Records[0]!.ses.mail;
  mail.messageId = messageId;
  mail.source = from;
  mail.timestamp = at;
  const receipt = event.Records[0]!.ses.receipt as { timestamp?: string };
  receipt.timestamp = at;
  return handleEmail(event);
}

describe('POST /admin/contacts: a contact staff recorded, screened and counted like any other', () => {
  it('7.3.1: a call from a third-party-phone-only customer is answered with what applies', async () => {
    const id = await aCustomer('Terry Thirdparty', '07700 900311', 'terry@example.org');
    await restrict(id, { type: 'third-party-phone-only', thirdParties: ['Jo Solicitor'] });

    const answer = await record({
      channel: 'telephone',
      at: '2026-06-02T11:55:00+01:00',
      caller: { phone: '+44 7700 900311' },
      summary: 'Called himself about the planning complaint; said he would ring every day.',
      recordedBy: 'Casey Officer',
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toMatchObject({
      reference: expect.stringMatching(/^CS-/),
      status: 'recorded',
      channel: 'telephone',
      at: '2026-06-02T10:55:00.000Z',
      decision: {
        customerIds: [id],
        customers: [{ id, name: 'Terry Thirdparty' }],
        attention: true,
        measures: [{ type: 'third-party-phone-only', clause: '7.3.1', attention: true }],
      },
      counts: { topic: 1, allTopics: 1, channels: 1 },
    });
    expect(answer.json.decision.lines).toEqual([
      'This caller may phone only through their representative (Jo Solicitor): go on only if the representative is calling (7.3.1).',
    ]);

    // The contact page and the customer's contact log show the channel and the officer's summary.
    const contact = await api.get(`/admin/contacts/${answer.json.reference}`);
    expect(contact.json).toMatchObject({
      channel: 'telephone',
      recorded: {
        summary: 'Called himself about the planning complaint; said he would ring every day.',
        recordedBy: 'Casey Officer',
        caller: { phone: '+44 7700 900311' },
      },
      notes: [{ clause: '7.3.1' }],
    });
    const log = await api.get(`/admin/contacts?customerId=${id}`);
    expect(log.json.contacts).toMatchObject([
      { reference: answer.json.reference, channel: 'telephone', recordedBy: 'Casey Officer' },
    ]);
    expect(log.json.contacts[0].summary).toContain('planning complaint');

    // Subject access (P7): the customer's export holds the recorded contact with its summary.
    const exported = await api.get(`/admin/customers/${id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(JSON.stringify(exported.json)).toContain('Called himself about the planning complaint');
    const openapi = await api.get('/admin/openapi.json');
    expect(openapi.json.paths['/admin/contacts'].post.summary).toContain('Idempotency-Key');
  });

  it('7.3.5: a call outside the phone-hours window is flagged; one inside is not', async () => {
    const id = await aCustomer('Harriet Hours', '07700 900322', 'harriet@example.org');
    await restrict(id, {
      type: 'phone-hours',
      days: ['tuesday'],
      from: '10:00',
      until: '12:00',
      maxCallMinutes: 10,
    });
    // Monday 1 June, 14:00 BST.
    const outside = await record({
      channel: 'telephone',
      at: '2026-06-01T13:00:00Z',
      customerId: id,
      summary: 'Rang about the bins.',
      recordedBy: 'Casey Officer',
    });
    expect(outside.statusCode).toBe(201);
    expect(outside.json.decision).toMatchObject({
      attention: true,
      phoneHours: [{ inside: false, at: 'Mon 14:00', allowed: 'Tue 10:00–12:00', maxCallMinutes: 10 }],
    });
    expect(outside.json.decision.lines[0]).toBe(
      'Calls only Tue 10:00–12:00, at most 10 minutes a call; this call (Mon 14:00) is OUTSIDE those hours (7.3.5).',
    );
    expect(outside.json.decision.reasons[0]).toMatchObject({ code: 'register-chosen' });

    // Tuesday 2 June, 11:30 BST.
    const inside = await record({
      channel: 'telephone',
      at: '2026-06-02T10:30:00Z',
      customerId: id,
      summary: 'Rang about the bins again.',
      recordedBy: 'Casey Officer',
    });
    expect(inside.json.decision).toMatchObject({ attention: false, phoneHours: [{ inside: true }] });
  });

  it('four calls and one email on one case raise one topic alert, whose channels include telephone and email', async () => {
    const id = await aCustomer('Frankie Frequent', '07700 900333', 'frankie@example.org');
    const call = (n: number, at: string) =>
      record({
        channel: 'telephone',
        at,
        customerId: id,
        caseReference: 'cmp-24680',
        summary: `Call ${n} about the fence.`,
        recordedBy: 'Casey Officer',
      });
    published.length = 0;
    expect((await call(1, '2026-06-01T08:00:00Z')).json.counts.topic).toBe(1);
    expect((await call(2, '2026-06-01T08:30:00Z')).json.counts.topic).toBe(2);
    await sendEmail('frankie-1', 'frankie@example.org', 'About CMP-24680', '2026-06-01T09:30:02.028Z');
    expect((await call(3, '2026-06-01T11:00:00Z')).json).toMatchObject({
      counts: { topic: 4, channels: 2 },
      alerts: [],
    });
    const fifth = await call(4, '2026-06-02T09:00:00Z');
    expect(fifth.json).toMatchObject({
      counts: { topic: 5, channels: 2 },
      alerts: ['topic'],
      topic: { key: 'case:CMP-24680', how: 'case-reference' },
    });

    const alerts = published.filter((event) => event.detailType === detailTypes.frequency);
    expect(alerts).toHaveLength(1);
    const detail = alerts[0]!.detail as FrequencyAlertDetail;
    expect(detail).toMatchObject({
      subject: { kind: 'customer', customerId: id },
      window: 'topic',
      clause: '4.2.7',
      count: 5,
      topic: { key: 'case:CMP-24680' },
    });
    expect(detail.channels).toContain('telephone');
    expect(detail.channels.some((channel) => channel.startsWith('email'))).toBe(true);
    expect(detail.contactReferences).toContain(fifth.json.reference);
    // Ids and counts only (P7): no summary in any event.
    expect(JSON.stringify(published)).not.toContain('fence');
  });

  it('counts a repeated request once: the same Idempotency-Key or id answers the first answer again (P6)', async () => {
    const id = await aCustomer('Dee Duplicate', '07700 900344', 'dee@example.org');
    const body = {
      channel: 'letter',
      at: '2026-06-02T09:00:00Z',
      customerId: id,
      summary: 'Letter about the parking permit.',
      recordedBy: 'Casey Officer',
    };
    const first = await record(body, { 'idempotency-key': 'letter-2026-06-02-dee' });
    expect(first.statusCode).toBe(201);
    const again = await record(body, { 'idempotency-key': 'letter-2026-06-02-dee' });
    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({
      reference: first.json.reference,
      status: 'duplicate',
      counts: { allTopics: 1 },
    });

    // A client id in the body does the same.
    const byId = await record({ ...body, id: 'client-42', summary: 'Second letter, about the bins.' });
    const byIdAgain = await record({ ...body, id: 'client-42', summary: 'Second letter, about the bins.' });
    expect(byIdAgain.json).toMatchObject({ reference: byId.json.reference, status: 'duplicate' });
    const third = await record({ ...body, summary: 'Third letter.' });
    expect(third.json.counts.allTopics).toBe(3);

    // The same key for a different contact is refused, not silently merged.
    const other = await record(
      { ...body, summary: 'Something else' },
      { 'idempotency-key': 'letter-2026-06-02-dee' },
    );
    expect(other.statusCode).toBe(409);
  });

  it('counts an unknown caller by their number, and says no restriction applies', async () => {
    const answer = await record({
      channel: 'in-person',
      at: '2026-06-02T09:00:00Z',
      caller: { name: 'Una Known', phone: '07700 900999' },
      summary: 'Came to reception about a missed collection.',
      recordedBy: 'Casey Officer',
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json.decision).toMatchObject({
      customerIds: [],
      measures: [],
      attention: false,
      lines: ['The person matches no customer in the register: deal with the contact as usual.'],
    });
    expect(answer.json.counts).toEqual({ topic: 1, allTopics: 1, channels: 1 });
  });

  it('answers bad input with 400 naming the field, and an unknown customer with 404', async () => {
    const valid = {
      channel: 'telephone',
      customerId: 'cus_x',
      summary: 'A call.',
      recordedBy: 'Casey Officer',
    };
    const fieldsOf = async (body: unknown) => {
      const response = await record(body as Record<string, unknown>);
      expect(response.statusCode).toBe(400);
      return (response.json.errors as { field: string }[]).map((error) => error.field);
    };
    expect(await fieldsOf({ ...valid, summary: undefined })).toEqual(['summary']);
    expect(await fieldsOf({ ...valid, summary: 'x'.repeat(10_001) })).toEqual(['summary']);
    expect(await fieldsOf({ ...valid, channel: 'fax' })).toEqual(['channel']);
    expect(await fieldsOf({ ...valid, channel: 'email' })).toEqual(['channel']);
    expect(await fieldsOf({ ...valid, customerId: undefined })).toEqual(['caller']);
    expect(await fieldsOf({ ...valid, recordedBy: '' })).toEqual(['recordedBy']);
    expect(await fieldsOf({ ...valid, caller: { email: 'not an address' } })).toEqual(['caller.email']);
    // Ahead of the clock by more than a few minutes.
    expect(await fieldsOf({ ...valid, at: '2026-06-02T12:10:00Z' })).toEqual(['at']);
    expect(await fieldsOf({ ...valid, at: 'yesterday' })).toEqual(['at']);

    const unknown = await record(valid);
    expect(unknown.statusCode).toBe(404);
    const notJson = await api.send('POST', '/admin/contacts', undefined, {
      ...api.auth,
      'content-type': 'application/json',
    });
    expect([400, 415]).toContain(notJson.statusCode);
    const badKey = await record({ ...valid }, { 'idempotency-key': 'has spaces in it' });
    expect(badKey.statusCode).toBe(400);
  });

  it('never logs the summary (P7)', async () => {
    const id = await aCustomer('Pat Private', '07700 900355', 'pat.private@example.org');
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(logger, level));
    try {
      const answer = await record({
        channel: 'social-media',
        at: '2026-06-02T09:00:00Z',
        customerId: id,
        summary: 'Posted about a neighbour called Zebedee Secretname.',
        recordedBy: 'Casey Officer',
      });
      expect(answer.statusCode).toBe(201);
      const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
      expect(logged).toContain('contact recorded');
      expect(logged).not.toContain('Zebedee');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('POST /admin/contacts: the summary of a call is scored as any contact is (content signals)', () => {
  it('a threat written down from a call raises an urgent safeguarding concern once, without the words', async () => {
    const id = await aCustomer('Sam Threatening', '07700 900399', 'sam.threat@example.org');
    const body = {
      id: 'call-threat-1',
      channel: 'telephone',
      customerId: id,
      summary: 'Caller said: I know where you live and I am going to come round and kill you.',
      recordedBy: 'Casey Officer',
    };
    const before = published.length;
    const answer = await record(body);
    expect(answer.statusCode).toBe(201);
    expect(answer.json.flags.map((flag: { category: string }) => flag.category)).toEqual(
      expect.arrayContaining(['threat']),
    );
    // The route is unchanged and nobody is restricted by a flag (P2).
    expect(answer.json.decision.route).toBe('service');
    const concerns = published.slice(before).filter((event) => event.detailType === detailTypes.safeguarding);
    expect(concerns).toHaveLength(1);
    expect(concerns[0]?.detail).toMatchObject({
      reference: answer.json.reference,
      customerIds: [id],
      urgent: true,
      channel: 'telephone',
    });
    expect(JSON.stringify(published.slice(before))).not.toMatch(/kill|where you live/i);
    const contact = await api.get(`/admin/contacts/${answer.json.reference}`);
    expect(contact.json.signals.flags.map((flag: { category: string }) => flag.category)).toContain('threat');

    // The same call sent again raises nothing twice (P6).
    const again = await record(body);
    expect(again.json.status).toBe('duplicate');
    expect(
      published.slice(before).filter((event) => event.detailType === detailTypes.safeguarding),
    ).toHaveLength(1);
  });

  it('"I could kill for a cup of tea" on a visit raises nothing', async () => {
    const before = published.length;
    const answer = await record({
      channel: 'in-person',
      caller: { name: 'Tea Drinker', postcode: 'AL10 0ZZ' },
      summary: 'Came in about the leisure centre; said she could kill for a cup of tea after the queue.',
      recordedBy: 'Casey Officer',
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json.flags).toBeUndefined();
    expect(published.slice(before).some((event) => event.detailType === detailTypes.safeguarding)).toBe(
      false,
    );
  });
});
