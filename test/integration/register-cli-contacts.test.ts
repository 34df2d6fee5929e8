import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequests, startAdminApi } from '../helpers/admin-api';
import type { TestTable } from '../helpers/dynalite';
import { type HttpHandler, httpEvent, lambdaContext } from '../helpers/http-events';
import { runRegisterCli } from '../helpers/register-cli';
import { unwarned } from '../helpers/register-fixtures';

const token = 'test-admin-token-cli-contacts';
let table: TestTable;
let handler: HttpHandler;
let server: Server;
let env: Record<string, string>;
const api = adminRequests(() => handler, token);

/** The admin API's handler behind a plain HTTP server, as the local gateway puts it (API Gateway v2 events). */
beforeAll(async () => {
  ({ table, handler } = await startAdminApi(token));
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    const body = Buffer.concat(chunks).toString('utf8');
    const result = await handler(
      httpEvent(request.method ?? 'GET', url.pathname, {
        headers,
        ...(body ? { body } : {}),
        ...(url.search ? { query: url.search.slice(1) } : {}),
      }),
      lambdaContext(),
    );
    response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    response.end(result.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = {
    ADMIN_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ADMIN_TOKEN: token,
  };
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await table?.stop();
});

describe('npm run register -- contact add', () => {
  it('records a call and prints what applies, with its clause; again with the same --id counts once', async () => {
    const customer = await api.post('/admin/customers', { name: 'Nico Named', phones: ['07700 900411'] });
    const customerId = customer.json.id as string;
    const restriction = await api.post('/admin/restrictions', {
      ...unwarned,
      customerId,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      namedOfficerName: 'Casey Officer',
      reason: 'Calls to many officers about one complaint (4.2.7)',
      decidedBy: 'Jo Manager',
      startsAt: '2026-01-01',
      endsAt: '2027-12-31',
    });
    expect(restriction.statusCode).toBe(201);

    const args = [
      'contact',
      'add',
      '--channel',
      'telephone',
      '--customer',
      customerId,
      '--case',
      'CMP-31313',
      '--summary',
      'Asked for an update on the complaint.',
      '--recorded-by',
      'Reception',
      '--id',
      'cli-call-1',
    ];
    const first = await runRegisterCli(args, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^reference: CS-/);
    expect(first.stdout).toContain('Before you go on:');
    expect(first.stdout).toContain(
      '- Pass the call to the named officer, Casey Officer, casework.officer@council.example (7.3.4).',
    );
    expect(first.stdout).toContain('1st contact on CMP-31313');

    const again = await runRegisterCli([...args, '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'duplicate', counts: { topic: 1 } });
  });

  it('exits non-zero, naming the field, when the API refuses the contact', async () => {
    const refused = await runRegisterCli(
      ['contact', 'add', '--channel', 'fax', '--customer', 'cus_x', '--summary', 'x', '--recorded-by', 'R'],
      env,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('channel');
    const usage = await runRegisterCli(['contact', 'add', '--channel', 'letter'], env);
    expect(usage.code).toBe(2);
  });
});
