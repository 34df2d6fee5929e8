import { spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { eventBusName } from '../../lambdas/adapters/eventbridge/rules';
import { contactReference } from '../../lambdas/core/reference';
import { esmRequireBanner } from '../../lib/screening-function';
import { toApiGatewayEvent } from '../../local/api-gateway-v2';
import { sqsEventOf } from '../../local/form-queue';
import { newSesMessageId, sesReceiptEvent } from '../../local/ses-event';
import { AWS_REGION, MAIL_BUCKET, TABLE_NAME } from '../../local/settings';
import { type BenchStack, benchDir, storeMail } from './bench-stack';
import { ratio, round, summarise } from './stats';

const entries = [
  'admin-api',
  'contact-form',
  'form-screening',
  'inbound-email',
  'notify',
  'review',
  'staff-console',
] as const;
type Entry = (typeof entries)[number];

export interface BundleRow {
  entry: Entry | 'minimal (one GetItem)';
  sizeKb: number;
  /** A fresh process: node starting, the bundle imported, one event handled (ms, p50 of the runs). */
  coldStartMs?: number;
  importMs: number;
  firstEventMs?: number;
  ratio?: number;
}

export interface BundleResult {
  runs: number;
  rows: BundleRow[];
}

/** The minimal bundle: one DynamoDB client, one GetItem. */
const minimalHandler = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
export const handler = async () => {
  const out = await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { PK: { S: 'BENCH#baseline' }, SK: { S: 'BENCH' } } }));
  return { statusCode: 200, body: String(Boolean(out.Item)) };
};
`;

/** Imports the bundle, hands it one event (if given), prints the times: run with plain node, no tsx. */
const childRunner = `const t0 = performance.now();
const [bundle, eventFile] = process.argv.slice(2);
const mod = await import(bundle);
const imported = performance.now();
let handled = imported;
if (eventFile) {
  const { readFileSync } = await import('node:fs');
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  const context = { functionName: 'bench', awsRequestId: 'bench-' + Date.now(), getRemainingTimeInMillis: () => 20000, callbackWaitsForEmptyEventLoop: false };
  await mod.handler(event, context);
  handled = performance.now();
}
process.stdout.write(JSON.stringify({ sinceStart: handled, importMs: imported - t0, eventMs: handled - imported }) + '\\n');
process.exit(0);
`;

/** esbuild with the options the CDK construct gives NodejsFunction (lib/screening-function.ts). */
async function bundle(entryFile: string, outDir: string): Promise<number> {
  await mkdir(outDir, { recursive: true });
  const outfile = path.join(outDir, 'index.mjs');
  await build({
    entryPoints: [entryFile],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  return (await stat(outfile)).size;
}

function coldStart(bundleFile: string, eventFile: string | undefined, env: NodeJS.ProcessEnv) {
  return new Promise<{ total: number; importMs: number; eventMs: number }>((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        path.join(benchDir, 'cold-start.mjs'),
        bundleFile,
        ...(eventFile ? [eventFile] : []),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], env },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const total = performance.now() - start;
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(line) as { importMs: number; eventMs: number };
        resolve({ total, ...parsed });
      } catch {
        reject(new Error(`cold start of ${bundleFile} exited ${code} without a result`));
      }
    });
  });
}

/** The deployed handlers' environment, pointed at the bench's emulators (as `npm start` configures them). */
function lambdaEnv(bench: BenchStack): NodeJS.ProcessEnv {
  const { stack } = bench;
  return {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    TABLE_NAME,
    DYNAMODB_ENDPOINT: stack.urls.dynamodb,
    S3_ENDPOINT: stack.urls.s3,
    SES_ENDPOINT: stack.urls.ses,
    EVENTBRIDGE_ENDPOINT: stack.urls.eventbridge,
    EVENT_BUS_NAME: eventBusName,
    MAIL_BUCKET,
    ADMIN_TOKEN: stack.adminToken,
    FORM_QUEUE_URL: bench.queueUrl,
    SQS_ENDPOINT: new URL(bench.queueUrl).origin,
    FORM_RATE_LIMIT_PER_IP: '100000000',
    FORM_RATE_LIMIT_PER_IDENTITY: '100000000',
  };
}

/** One event per function that can take one here; the rest are measured importing only. */
async function eventsFor(bench: BenchStack, dir: string, n: number): Promise<Partial<Record<Entry, string>>> {
  const form = {
    name: `Resident ${n}`,
    email: `resident.cold.${n}@example.org`,
    topic: 'Bins and recycling',
    subject: 'Missed collection',
    message: 'The bins were missed again.',
    consent: true,
  };
  const post = toApiGatewayEvent({
    method: 'POST',
    url: '/contact',
    headers: { host: ['127.0.0.1'], 'content-type': ['application/json'], accept: ['application/json'] },
    body: Buffer.from(JSON.stringify(form)),
    sourceIp: '192.0.2.10',
    protocol: 'HTTP/1.1',
  });
  const admin = toApiGatewayEvent({
    method: 'GET',
    url: '/admin/register',
    headers: { host: ['127.0.0.1'], authorization: [`Bearer ${bench.stack.adminToken}`] },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
  });
  const sourceId = `bench:cold:${n}:${Date.now()}`;
  const { consent: _consent, ...fields } = form;
  const queued = sqsEventOf({
    version: 1,
    reference: contactReference('web-form', sourceId),
    sourceId,
    receivedAt: new Date().toISOString(),
    form: fields,
  });
  const messageId = newSesMessageId();
  const from = `resident.cold.${n}@example.org`;
  const raw = Buffer.from(
    `From: ${from}\r\nTo: customer.services@council.example\r\nSubject: Bins\r\nMessage-ID: <${messageId}@example.org>\r\n\r\nThe bins were missed.\r\n`,
  );
  await storeMail(bench, `${bench.stack.config.MAIL_PREFIX}${messageId}`, raw);
  const ses = await sesReceiptEvent({
    messageId,
    envelope: { mailFrom: from, rcptTo: ['customer.services@council.example'] },
    receivedAt: new Date(),
    stored: [raw],
  });
  const files: Partial<Record<Entry, string>> = {};
  const events: [Entry, unknown][] = [
    ['contact-form', post],
    ['admin-api', admin],
    ['form-screening', queued],
    ['inbound-email', ses],
  ];
  for (const [entry, event] of events) {
    const file = path.join(dir, `${entry}-${n}.json`);
    await writeFile(file, JSON.stringify(event));
    files[entry] = file;
  }
  return files;
}

/**
 * (5): every function bundled as CDK bundles it, its size, and its cold start: a fresh node
 * process imports it and handles one event, against a minimal one-client bundle doing one
 * GetItem, the runs interleaved.
 */
export async function measureBundles(bench: BenchStack, runs: number): Promise<BundleResult> {
  const dir = path.join(benchDir, 'bundles');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(benchDir, 'cold-start.mjs'), childRunner);
  await writeFile(path.join(dir, 'minimal-handler.mjs'), minimalHandler);
  const sizes = new Map<string, number>();
  sizes.set('minimal', await bundle(path.join(dir, 'minimal-handler.mjs'), path.join(dir, 'minimal')));
  for (const entry of entries)
    sizes.set(entry, await bundle(`lambdas/${entry}/handler.ts`, path.join(dir, entry)));
  const env = lambdaEnv(bench);
  const times = new Map<string, { total: number[]; importMs: number[]; eventMs: number[] }>();
  const note = (name: string, t: { total: number; importMs: number; eventMs: number }) => {
    const list = times.get(name) ?? { total: [], importMs: [], eventMs: [] };
    list.total.push(t.total);
    list.importMs.push(t.importMs);
    list.eventMs.push(t.eventMs);
    times.set(name, list);
  };
  const minimalEvent = path.join(dir, 'minimal-event.json');
  await writeFile(minimalEvent, '{}');
  for (let run = 0; run < runs; run++) {
    const events = await eventsFor(bench, dir, run);
    for (const entry of entries) {
      note('minimal', await coldStart(path.join(dir, 'minimal', 'index.mjs'), minimalEvent, env));
      note(entry, await coldStart(path.join(dir, entry, 'index.mjs'), events[entry], env));
    }
    await bench.stack.events.idle();
  }
  const p50 = (values: number[]) => round(summarise(values).p50, 1);
  const minimal = times.get('minimal')!;
  const rows: BundleRow[] = [
    {
      entry: 'minimal (one GetItem)',
      sizeKb: round(sizes.get('minimal')! / 1024, 1),
      coldStartMs: p50(minimal.total),
      importMs: p50(minimal.importMs),
      firstEventMs: p50(minimal.eventMs),
    },
  ];
  for (const entry of entries) {
    const t = times.get(entry)!;
    const withEvent =
      entry === 'contact-form' ||
      entry === 'admin-api' ||
      entry.endsWith('screening') ||
      entry === 'inbound-email';
    rows.push({
      entry,
      sizeKb: round(sizes.get(entry)! / 1024, 1),
      importMs: p50(t.importMs),
      ...(withEvent
        ? {
            coldStartMs: p50(t.total),
            firstEventMs: p50(t.eventMs),
            ratio: ratio(p50(t.total), p50(minimal.total)),
          }
        : { ratio: ratio(p50(t.importMs), p50(minimal.importMs)) }),
    });
  }
  return { runs, rows };
}
