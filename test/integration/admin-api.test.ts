import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { startAdminApi } from '../helpers/admin-api';
import type { TestTable } from '../helpers/dynalite';
import { call, type HttpHandler, httpEvent } from '../helpers/http-events';

const token = 'test-admin-token-0123456789';
let table: TestTable;
let handler: HttpHandler;

beforeAll(async () => {
  ({ table, handler } = await startAdminApi(token));
});
afterAll(async () => table.stop());

const auth = { authorization: `Bearer ${token}` };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(
    handler,
    httpEvent('POST', path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...auth, ...headers },
    }),
  );
const get = (path: string, headers: Record<string, string> = auth) =>
  call(handler, httpEvent('GET', path, { headers }));

describe('admin API', () => {
  it('registers a customer, records a restriction and shows both (DESIGN field names)', async () => {
    const customer = await post('/admin/customers', {
      name: 'Alex Example',
      address: '1 Example Road, Hatfield',
      postcode: 'al10 0zz',
      emails: ['Alex Example <Alex.Example@example.org>'],
      phones: ['07700 900123'],
    });
    expect(customer.statusCode).toBe(201);
    expect(customer.json).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      emails: ['alex.example@example.org'],
      phones: ['+447700900123'],
      postcode: 'AL100ZZ',
    });
    expect(customer.headers?.location).toBe(`/admin/customers/${customer.json.id}`);

    const warned = await post(`/admin/customers/${customer.json.id}/escalation`, {
      step: 'warning-given',
      how: 'letter',
      by: 'Jo Manager',
      skipReason: 'The first contact was already a threat to staff (8.3)',
    });
    expect(warned.statusCode).toBe(201);
    const restriction = await post('/admin/restrictions', {
      customerId: customer.json.id,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason: 'Daily calls to different officers about one complaint (4.2.7)',
      decidedBy: 'Jo Manager, Service Manager',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2099-01-01T00:00:00Z',
    });
    expect(restriction.statusCode).toBe(201);
    expect(restriction.json).toMatchObject({
      id: expect.stringMatching(/^res_/),
      reviewAt: '2027-01-01T00:00:00.000Z',
    });

    const shown = await get(`/admin/customers/${customer.json.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json.restrictions).toEqual([
      expect.objectContaining({ id: restriction.json.id, status: expect.any(String) }),
    ]);

    const register = await get('/admin/register');
    expect(register.statusCode).toBe(200);
    expect(register.json.restrictions).toContainEqual(
      expect.objectContaining({
        id: restriction.json.id,
        customerId: customer.json.id,
        type: 'single-named-officer',
        status: expect.stringMatching(/^(active|review-overdue)$/),
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2099-01-01T00:00:00.000Z',
        reviewAt: '2027-01-01T00:00:00.000Z',
      }),
    );
  });

  it('previews where a contact would go, with reasons, changing nothing', async () => {
    const customer = await post('/admin/customers', {
      name: 'Jo Placeholder',
      emails: ['jo.placeholder@example.com'],
    });
    await post('/admin/restrictions', {
      withoutWarningReason: 'Threats made in the first message (8.3)',
      customerId: customer.json.id,
      type: 'topic-no-reply',
      topic: 'CMP-10001',
      designatedReader: 'designated.reader@council.example',
      reason: 'The complaint is closed and was reviewed by the Ombudsman (4.2.13)',
      decidedBy: 'Jo Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-01-01',
    });
    const onTopic = await post('/admin/screening-preview', {
      emails: ['JO.PLACEHOLDER@example.com'],
      subject: 'Re: CMP-10001',
    });
    expect(onTopic.statusCode).toBe(200);
    expect(onTopic.json).toMatchObject({
      route: 'designated-reader',
      recipients: ['designated.reader@council.example'],
      acknowledgement: 'none',
      customerIds: [customer.json.id],
    });
    expect(onTopic.json.reasons).toContainEqual(
      expect.objectContaining({ code: 'topic-no-reply', clause: '7.3.7' }),
    );

    const newMatter = await post('/admin/screening-preview', {
      emails: ['jo.placeholder@example.com'],
      subject: 'Pothole on my road',
    });
    expect(newMatter.json).toMatchObject({
      route: 'service',
      recipients: ['customer.services@council.example'],
      copyTo: ['designated.reader@council.example'],
    });

    const bad = await post('/admin/screening-preview', { channel: 'fax' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors[0].field).toBe('channel');
  });

  it('lists the events published to the bus, newest first', async () => {
    const store = new DynamoEventLog(table.documentClient, table.tableName);
    await store.recordEvent(
      { detailType: 'ContactFrequencyThresholdExceeded', detail: { alertId: 'alr_1' } },
      '2026-06-01T09:00:00.000Z',
      'published',
    );
    await store.recordEvent(
      { detailType: 'ContactFrequencyThresholdExceeded', detail: { alertId: 'alr_2' } },
      '2026-06-02T09:00:00.000Z',
      'failed',
    );
    const listed = await get('/admin/events');
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json.events.map((e: { detail: { alertId: string }; status: string }) => [
        e.detail.alertId,
        e.status,
      ]),
    ).toEqual([
      ['alr_2', 'failed'],
      ['alr_1', 'published'],
    ]);
    expect((await get('/admin/events', {})).statusCode).toBe(401);
  });

  it('answers bad input as problem JSON naming each field, writing nothing', async () => {
    const bad = await post('/admin/restrictions', {
      customerId: 'cus_x',
      type: 'no-such-type',
      reason: 'r',
      decidedBy: 'd',
      startsAt: '2026-01-01',
      endsAt: '2026-02-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json.errors).toEqual([{ field: 'type', problem: expect.stringMatching(/must be one of/) }]);

    const empty = await post('/admin/customers', { name: 'Nobody', emails: [], phones: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json.errors[0].field).toBe('emails');

    const unknown = await post('/admin/restrictions', {
      customerId: 'cus_missing',
      type: 'witness-required',
      reason: 'r',
      decidedBy: 'd',
      startsAt: '2026-01-01',
      endsAt: '2026-02-01',
    });
    expect(unknown.statusCode).toBe(404);

    const notJson = await call(
      handler,
      httpEvent('POST', '/admin/customers', {
        body: '{"name":',
        headers: { 'content-type': 'application/json', ...auth },
      }),
    );
    expect(notJson.statusCode).toBe(400);
    const wrongType = await call(
      handler,
      httpEvent('POST', '/admin/customers', {
        body: 'name=x',
        headers: { 'content-type': 'text/plain', ...auth },
      }),
    );
    expect(wrongType.statusCode).toBe(415);

    expect((await get('/admin/customers/cus_missing')).statusCode).toBe(404);
    expect((await get('/admin/nothing-here')).statusCode).toBe(404);
  });

  it('refuses a missing or wrong token before doing anything', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: token },
      { authorization: `Bearer ${token}x` },
    ];
    for (const headers of attempts) {
      const result = await get('/admin/register', headers);
      expect(result.statusCode).toBe(401);
      expect(result.headers?.['www-authenticate']).toMatch(/^Bearer/);
    }
    const unauthenticatedWrite = await call(
      handler,
      httpEvent('POST', '/admin/customers', {
        body: JSON.stringify({ name: 'Intruder', emails: ['i@example.com'] }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(unauthenticatedWrite.statusCode).toBe(401);
    const store = new DynamoRegisterStore(table.documentClient, table.tableName);
    expect((await store.findCustomersByIdentities([{ kind: 'email', value: 'i@example.com' }])).size).toBe(0);
  });

  it('reports a dependency that is down as a 503 problem to retry, not a crash', async () => {
    await table.stop();
    const result = await get('/admin/register');
    expect(result.statusCode).toBe(503);
    expect(result.json.title).toBe('Service unavailable');
  });
});
