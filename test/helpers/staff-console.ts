import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConflictError, NotFoundError } from '../../lambdas/core/ports';
import { createStaffConsoleHandler } from '../../lambdas/staff-console/handler';
import { readStaffConsoleSettings } from '../../lambdas/staff-console/settings';
import type { ConsolePage, ConsoleRequest } from '../../lambdas/staff-console/types';
import { renderPage } from '../../lambdas/staff-console/views/page';
import { fromApiGatewayResult, lambdaContext, toApiGatewayEvent } from '../../local/api-gateway-v2';
import type { LocalStaffAccount } from '../../local/staff-accounts';
import { prepareLocalStaffSignIn } from '../../local/staff-sign-in';
import { makeTempDir } from './local-stack';

/**
 * The staff console as the local gateway serves it: one HTTP server on an ephemeral port, the
 * local OpenID provider mounted under /oidc and the console's handler behind the same API Gateway
 * v2 translation the gateway uses. Real sign-in, real cookies; only the pages are stand-ins.
 */
export const STAFF_PASSWORD = 'correct-horse-battery';

/** What the test pages saw: a page that changes something records the request it was given. */
export interface TestPageDeps {
  calls: ConsoleRequest[];
}

const show = (title: string) => async (request: ConsoleRequest) =>
  renderPage(request, 'error.njk', { title, paragraphs: [`Signed in as ${request.actor}`] });

const record = (title: string) => async (request: ConsoleRequest, deps: TestPageDeps) => {
  deps.calls.push(request);
  return { kind: 'redirect', location: `${request.path}?done=${encodeURIComponent(title)}` } as const;
};

/** Three pages, one for each role's first permission, plus pages that fail in each way the core does. */
export const testPages: ConsolePage<TestPageDeps>[] = [
  { method: 'GET', pattern: '/staff/', permission: 'view', handle: show('Home') },
  { method: 'GET', pattern: '/staff/things/:id', permission: 'manage-restrictions', handle: show('A thing') },
  {
    method: 'POST',
    pattern: '/staff/things/:id',
    permission: 'manage-restrictions',
    handle: record('thing changed'),
  },
  { method: 'GET', pattern: '/staff/refusals', permission: 'refuse-all-contact', handle: show('Refusals') },
  {
    method: 'POST',
    pattern: '/staff/refusals',
    permission: 'refuse-all-contact',
    handle: record('contact refused'),
  },
  {
    method: 'GET',
    pattern: '/staff/missing',
    permission: 'view',
    handle: async () => {
      throw new NotFoundError('No such customer');
    },
  },
  {
    method: 'GET',
    pattern: '/staff/clash',
    permission: 'view',
    handle: async () => {
      throw new ConflictError('The restriction has already been lifted');
    },
  },
  {
    method: 'GET',
    pattern: '/staff/broken',
    permission: 'view',
    handle: async () => {
      throw new RangeError('Alex Example at 1 High Street');
    },
  },
  {
    method: 'GET',
    pattern: '/staff/letter.pdf',
    permission: 'view',
    handle: async () => ({
      kind: 'file',
      contentType: 'application/pdf',
      body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]),
      filename: 'letter "1".pdf',
    }),
  },
];

export interface ConsoleHarness {
  origin: string;
  issuer: string;
  deps: TestPageDeps;
  /** Moves the console's clock (not the provider's). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export async function startConsoleHarness(
  options: {
    assetsDir?: string;
    clientSecret?: string;
    extraAccounts?: Omit<LocalStaffAccount, 'passwordHash'>[];
  } = {},
): Promise<ConsoleHarness> {
  let serve: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const data = await makeTempDir('staff-console-');
  const { provider, consoleEnv } = await prepareLocalStaffSignIn({
    origin,
    dataDir: data.dir,
    env: { STAFF_PASSWORD },
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.extraAccounts ? { extraAccounts: options.extraAccounts } : {}),
  });

  let offset = 0;
  const deps: TestPageDeps = { calls: [] };
  const handler = createStaffConsoleHandler({
    auth: readStaffConsoleSettings(consoleEnv),
    pages: testPages,
    pageDeps: deps,
    councilName: 'Example Borough Council',
    assetsDir: options.assetsDir,
    now: () => new Date(Date.now() + offset),
  });

  serve = (req, res) => {
    if (req.url?.startsWith('/oidc/')) return provider.listener(req, res);
    if (!/^\/staff([/?]|$)/.test(req.url ?? '')) return res.writeHead(404).end(); // as the gateway routes
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const event = toApiGatewayEvent({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headersDistinct as Record<string, string[]>,
        body: Buffer.concat(chunks),
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
      });
      const response = fromApiGatewayResult(await handler(event, lambdaContext('staff-console', 30_000)));
      res.writeHead(response.statusCode, {
        ...response.headers,
        ...(response.cookies.length > 0 ? { 'set-cookie': response.cookies } : {}),
      });
      res.end(response.body);
    });
  };

  return {
    origin,
    issuer: consoleEnv.STAFF_OIDC_ISSUER ?? '',
    deps,
    advanceClock: (ms) => {
      offset += ms;
    },
    close: async () => {
      await provider.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await data.remove();
    },
  };
}
