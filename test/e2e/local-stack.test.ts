import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, MAX_BODY_BYTES, type Route } from '../../local/gateway';
import { healthCheck } from '../../local/health';
import { type LocalStack, LocalStackError, startLocalStack } from '../../local/stack';
import { staticFiles } from '../../local/static-files';
import { freePorts, makeTempDir, occupyPort, waitForStatus } from '../helpers/local-stack';
import { emailsAbout } from '../helpers/ses-emulator';

type Echo = { event: APIGatewayProxyEventV2; functionName: string; remaining: number };

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ephemeral = { port: 0, smtpPort: 0, sesPort: 0, dynamodbPort: 0, s3Port: 0 };
const seededNames = ['single-named-officer', 'no-email-letter-only', 'witness-required', 'topic-no-reply'];

interface RegisterEntry {
  id: string;
  customerId: string;
  type: string;
  status: string;
}

async function readRegister(stack: LocalStack, token = stack.adminToken): Promise<RegisterEntry[]> {
  const response = await fetch(`${stack.urls.gateway}/admin/register`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { restrictions: RegisterEntry[] }).restrictions;
}

describe('the local stack, started in-process', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let stack: LocalStack | undefined;
  let firstRegister: RegisterEntry[] = [];

  beforeAll(async () => {
    data = await makeTempDir('contact-screening-e2e-');
    stack = await startLocalStack({ ...ephemeral, dataDir: data.dir });
  });

  afterAll(async () => {
    await stack?.stop();
    await data?.remove();
  });

  it('answers /health with 200 when every part is up', async () => {
    const response = await fetch(stack!.urls.health);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      parts: { dynamodb: 'up', s3: 'up', ses: 'up', smtp: 'up', eventbridge: 'up', gateway: 'up' },
    });
  });

  it('keeps the admin token in the data directory, readable by its owner only', async () => {
    const file = path.join(data.dir, 'admin-token');
    expect((await readFile(file, 'utf8')).trim()).toBe(stack!.adminToken);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses the admin API without the token, or with a wrong one', async () => {
    const missing = await fetch(`${stack!.urls.gateway}/admin/register`);
    expect(missing.status).toBe(401);
    const wrong = await fetch(`${stack!.urls.gateway}/admin/register`, {
      headers: { authorization: 'Bearer not-the-token-not-the-token' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('seeds the demo register on first start', async () => {
    expect(stack!.seed).toBe('seeded');
    firstRegister = await readRegister(stack!);
    expect(firstRegister.map((entry) => entry.type).sort()).toEqual([...seededNames].sort());
    expect(new Set(firstRegister.map((entry) => entry.customerId)).size).toBe(3);
    expect(firstRegister.every((entry) => entry.status === 'active')).toBe(true);
  });

  it('answers 404 with problem JSON for an unknown route, and 413 for a body over 1 MiB', async () => {
    const unknown = await fetch(`${stack!.urls.gateway}/no-such-thing`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await unknown.json()).toMatchObject({ status: 404, title: 'Not Found' });

    const tooLarge = await fetch(`${stack!.urls.gateway}/admin/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack!.adminToken}`, 'content-type': 'application/json' },
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ status: 413 });
    expect((await fetch(stack!.urls.health)).status).toBe(200);
  });

  it('refuses a chunked body that grows past 1 MiB without a Content-Length', async () => {
    const { port } = new URL(stack!.urls.gateway);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/admin/customers' });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent <= MAX_BODY_BYTES + chunk.length && request.write(chunk)) sent += chunk.length;
        if (sent <= MAX_BODY_BYTES + chunk.length) request.once('drain', pump);
        else request.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('answers 503 naming the part that is down', async () => {
    const [deadPort] = await freePorts(1);
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamodb = new DynamoDBClient({
      region: 'eu-west-2',
      endpoint: `http://127.0.0.1:${deadPort}`,
      credentials,
      maxAttempts: 1,
    });
    const s3 = new S3Client({
      region: 'eu-west-2',
      endpoint: stack!.urls.s3,
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    });
    const health = healthCheck({
      dynamodb,
      tableName: stack!.tableName,
      s3,
      bucket: stack!.bucket,
      sesEndpoint: stack!.urls.ses,
      smtp: { host: '127.0.0.1', port: deadPort! },
    });
    const result = await health.handler({} as never, {} as never);
    dynamodb.destroy();
    s3.destroy();
    expect(result).toMatchObject({ statusCode: 503 });
    expect(JSON.parse((result as { body: string }).body)).toEqual({
      status: 'down',
      parts: { dynamodb: 'down', s3: 'up', ses: 'up', smtp: 'down', gateway: 'up' },
    });
  });

  it('runs beside a second stack with other settings in this process, each with its own handlers', async () => {
    const other = await makeTempDir('contact-screening-e2e-other-');
    const otherToken = 'second-stack-token-0123456789';
    const second = await startLocalStack({
      ...ephemeral,
      dataDir: other.dir,
      seed: false,
      adminToken: otherToken,
      env: { ...process.env, SERVICE_INBOX: 'second.inbox@council.example' },
    });
    try {
      expect((await fetch(second.urls.health)).status).toBe(200);
      expect((await fetch(stack!.urls.health)).status).toBe(200);
      // Each admin API knows its own token and its own register only.
      const wrongToken = await fetch(`${second.urls.gateway}/admin/register`, {
        headers: { authorization: `Bearer ${stack!.adminToken}` },
      });
      expect(wrongToken.status).toBe(401);
      expect(await readRegister(second, otherToken)).toEqual([]);
      expect((await readRegister(stack!)).map((entry) => entry.id).sort()).toEqual(
        firstRegister.map((entry) => entry.id).sort(),
      );
      // A contact to the second stack goes to its own service inbox (the SES emulators of one process
      // share one store, so the mail is looked up by its reference).
      const response = await fetch(`${second.urls.gateway}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          name: 'Pat Example',
          email: 'pat.second@example.org',
          topic: 'Council tax',
          subject: 'A question',
          message: 'Which band is my house in?',
          consent: 'on',
        }),
      });
      expect(response.status).toBe(202);
      const { reference } = (await response.json()) as { reference: string };
      const forwards = await emailsAbout(second.urls.ses, reference);
      expect(forwards.map((email) => email.destination.to)).toEqual([['second.inbox@council.example']]);
    } finally {
      await second.stop();
      await other.remove();
    }
  });

  it('starts again on the same data: the register is still there, not seeded twice', async () => {
    await stack!.stop();
    await expect(fetch(stack!.urls.health)).rejects.toThrow();
    stack = await startLocalStack({ ...ephemeral, dataDir: data.dir });
    expect(stack.seed).toBe('already-seeded');
    expect((await fetch(stack.urls.health)).status).toBe(200);
    const again = await readRegister(stack);
    expect(again.map((entry) => entry.id).sort()).toEqual(firstRegister.map((entry) => entry.id).sort());
  });

  it('refuses a second stack on the same data directory', async () => {
    const [port, sesPort, dynamodbPort, s3Port] = (await freePorts(4)) as [number, number, number, number];
    await expect(startLocalStack({ port, sesPort, dynamodbPort, s3Port, dataDir: data.dir })).rejects.toThrow(
      new LocalStackError(
        `Another local stack (pid ${process.pid}) is using ${data.dir} — stop it, or set DATA_DIR to another directory.`,
      ),
    );
    expect((await fetch(stack!.urls.health)).status).toBe(200);
  });

  it('refuses to start when a port is taken, naming the variable to change', async () => {
    const taken = await occupyPort();
    const other = await makeTempDir('contact-screening-e2e-');
    try {
      await expect(
        startLocalStack({
          port: 0,
          smtpPort: 0,
          sesPort: 0,
          dynamodbPort: 0,
          s3Port: taken.port,
          dataDir: other.dir,
          seed: false,
        }),
      ).rejects.toThrow(
        new LocalStackError(`Port ${taken.port} is already in use — set S3_PORT to another port.`),
      );
    } finally {
      await taken.close();
      await other.remove();
    }
  });
});

describe('the HTTP gateway', () => {
  const web = { dir: '', remove: async () => undefined } as Awaited<ReturnType<typeof makeTempDir>>;
  let gateway: ReturnType<typeof createGateway>;
  let base = '';
  const lines: string[] = [];

  beforeAll(async () => {
    Object.assign(web, await makeTempDir('contact-screening-web-'));
    await writeFile(path.join(web.dir, 'index.html'), '<!doctype html><title>Contact us</title>');
    await writeFile(path.join(web.dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
    const routes: Route[] = [
      {
        route: 'GET /boom',
        functionName: 'boom',
        handler: () => {
          throw new Error('private detail');
        },
      },
      {
        route: 'ANY /echo/*',
        functionName: 'echo',
        handler: async (event, context) => ({
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          cookies: ['a=1', 'b=2'],
          body: JSON.stringify({
            event,
            functionName: context.functionName,
            remaining: context.getRemainingTimeInMillis(),
          }),
        }),
      },
      {
        route: 'GET /throws',
        functionName: 'throws',
        handler: async () => Promise.reject(new TypeError('x')),
      },
      { route: 'GET /*', functionName: 'web', handler: staticFiles(web.dir) },
    ];
    gateway = createGateway({ routes, log: (line) => lines.push(line) });
    base = `http://127.0.0.1:${await gateway.listen('127.0.0.1', { port: 0, env: 'PORT' })}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await web.remove();
  });

  it('turns a request into a payload 2.0 event', async () => {
    const response = await fetch(`${base}/echo/a%20b?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c=3; d=4', 'x-many': 'one' },
      body: '{"hello":"world"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const { event, functionName, remaining } = (await response.json()) as Echo;
    expect(functionName).toBe('echo');
    expect(remaining).toBeGreaterThan(0);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/echo/a%20b',
      rawQueryString: 'x=1&x=2&y=z',
      cookies: ['c=3', 'd=4'],
      queryStringParameters: { x: '1,2', y: 'z' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        stage: '$default',
        http: { method: 'POST', path: '/echo/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(typeof event.requestContext.timeEpoch).toBe('number');
  });

  it('base64-encodes a body whose content type is not text', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = await fetch(`${base}/echo/bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const { event } = (await response.json()) as Echo;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('answers 500 problem JSON when a handler throws, logs no detail, and keeps running', async () => {
    for (const route of ['/throws', '/boom']) {
      const response = await fetch(`${base}${route}`);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.text()).not.toContain('private detail');
    }
    expect(lines.join('\n')).not.toContain('private detail');
    expect((await fetch(`${base}/echo/still-here`)).status).toBe(200);
  });

  it('serves the page and files from web/, and nothing outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Contact us');

    const logo = await fetch(`${base}/logo.png`);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await logo.arrayBuffer())).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));

    for (const attempt of [
      '/%2e%2e/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/.hidden',
      '/missing.html',
    ]) {
      const response = await fetch(`${base}${attempt}`);
      expect(response.status, attempt).toBe(404);
    }
    const raw = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(base);
      http
        .get({ host: '127.0.0.1', port, path: '/../../package.json' }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(raw).toBe(404);
  });
});

describe('npm start (the CLI)', () => {
  const children: ChildProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** Runs local/start.ts in a fresh node, with a clean environment apart from what is given. */
  function startCli(env: Record<string, string>) {
    const inherited = { ...process.env };
    for (const name of [
      'ADMIN_TOKEN',
      'DATA_DIR',
      'PORT',
      'SES_PORT',
      'SMTP_PORT',
      'DYNAMODB_PORT',
      'S3_PORT',
    ]) {
      delete inherited[name];
    }
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: repoRoot,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const output = { stdout: '', stderr: '' };
    child.stdout?.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output, exited };
  }

  it('starts, answers /health, prints where everything is, and exits 0 on Ctrl-C', async () => {
    const data = await makeTempDir('contact-screening-cli-');
    cleanups.push(data.remove);
    const [port, smtpPort, sesPort, dynamodbPort, s3Port] = (await freePorts(5)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const { child, output, exited } = startCli({
      PORT: String(port),
      SMTP_PORT: String(smtpPort),
      SES_PORT: String(sesPort),
      DYNAMODB_PORT: String(dynamodbPort),
      S3_PORT: String(s3Port),
      DATA_DIR: data.dir,
    });

    const exitReason = () =>
      child.exitCode !== null ? `exited ${child.exitCode}: ${output.stderr}` : undefined;
    await waitForStatus(`http://127.0.0.1:${port}/health`, 200, { timeoutMs: 30_000, stopIf: exitReason });
    // The console and the seed come after the gateway answers /health: on a busy machine, seconds later.
    await expect.poll(() => output.stdout, { timeout: 30_000 }).toContain('Ctrl-C stops it.');

    const token = (await readFile(path.join(data.dir, 'admin-token'), 'utf8')).trim();
    for (const expected of [
      `http://127.0.0.1:${port}/`,
      `http://127.0.0.1:${port}/admin/`,
      `http://127.0.0.1:${port}/health`,
      `http://127.0.0.1:${sesPort}/`,
      `http://127.0.0.1:${dynamodbPort}`,
      `http://127.0.0.1:${s3Port}`,
      `smtp://127.0.0.1:${smtpPort} (mail to any address @council.example)`,
      token,
      data.dir,
    ]) {
      expect(output.stdout).toContain(expected);
    }
    // No personal data from the seed in the console (P7).
    expect(output.stdout + output.stderr).not.toMatch(/Alex Example|example\.org|07700/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);

  it('names the port and its variable when the port is taken, and exits 1', async () => {
    const data = await makeTempDir('contact-screening-cli-');
    cleanups.push(data.remove);
    const taken = await occupyPort();
    cleanups.push(taken.close);
    const [smtpPort, sesPort, dynamodbPort, s3Port] = (await freePorts(4)) as [
      number,
      number,
      number,
      number,
    ];
    const { output, exited } = startCli({
      PORT: String(taken.port),
      SMTP_PORT: String(smtpPort),
      SES_PORT: String(sesPort),
      DYNAMODB_PORT: String(dynamodbPort),
      S3_PORT: String(s3Port),
      DATA_DIR: data.dir,
    });

    expect(await exited).toBe(1);
    expect(output.stderr.trim()).toBe(`Port ${taken.port} is already in use — set PORT to another port.`);
  }, 30_000);
});
