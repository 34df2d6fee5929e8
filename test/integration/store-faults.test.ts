import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DependencyDeadlineError,
  DependencyUnavailableError,
  standardDeadlines,
} from '../../lambdas/adapters/dependency-deadlines';
import { createDynamoDocumentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { contactFormDeps } from '../../lambdas/contact-form/deps';
import { createContactFormHandler } from '../../lambdas/contact-form/handler';
import type { InboundResult } from '../../lambdas/core/inbound';
import type { QueuedSubmission } from '../../lambdas/core/ports';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { formScreeningDeps } from '../../lambdas/form-screening/deps';
import { createFormScreeningHandler } from '../../lambdas/form-screening/handler';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import { type AwsClients, createAwsClients, destroyAwsClients } from '../../lambdas/wiring/clients';
import type { Config } from '../../lambdas/wiring/config';
import { startS3, startSes } from '../../local/emulators';
import { sqsEventOf } from '../../local/form-queue';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';
import { call, httpEvent, lambdaContext } from '../helpers/http-events';
import { testConfig } from '../helpers/lambda-config';
import { readMailFixture } from '../helpers/mail-corpus';
import { changeDeps, serviceInbox, unwarned } from '../helpers/register-fixtures';
import { emailsAbout } from '../helpers/ses-emulator';

/**
 * The functions' own timeouts (lib/screening-functions.ts): what a user relies on is that the
 * fail-open path ends inside them. A store that hangs costs about one call deadline (4.5 s, see
 * lambdas/adapters/dependency-deadlines.ts) plus the healthy calls' few milliseconds; the rest of
 * each budget is margin for a loaded test machine.
 */
const INBOUND_EMAIL_TIMEOUT_MS = 30_000;
const CONTACT_FORM_TIMEOUT_MS = 15_000;
/** The form-screening function's timeout (lib/screening-functions.ts). */
const FORM_WORKER_TIMEOUT_MS = 20_000;

const bucket = 'contact-screening-mail';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const namedOfficer = 'casework.officer@council.example';
let table: TestTable;
let proxy: FaultProxy;
let s3: { endpoint: string; close(): Promise<void> };
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let s3Client: S3Client;
/** The handlers' configuration: DynamoDB through the fault proxy, S3 and SES direct. */
let config: Config;
/** Each test's own clients (so each starts with closed circuits), closed after it. */
let clients: AwsClients | undefined;

/** The clients as the deployed handlers make them (their deadlines), signing for the emulators. */
const deployedClients = () => createAwsClients(config, credentials);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'store-faults-'));
  table = await startTestTable();
  proxy = await startFaultProxy(table.endpoint);
  s3 = await startS3('127.0.0.1', dataDir, { port: 0, env: 'S3_PORT' }, [credentials]);
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: proxy.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_BUCKET: bucket,
  });
  s3Client = new S3Client({ region: 'eu-west-2', endpoint: s3.endpoint, forcePathStyle: true, credentials });
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const ada = await registerCustomer(
    { name: 'Ada Testperson', emails: ['ada.testperson@example.org'] },
    'test',
    deps,
  );
  await imposeRestriction(
    {
      ...unwarned,
      customerId: ada.customer.id,
      type: 'single-named-officer',
      namedOfficer,
      reason: 'Many contacts to different officers on one case (4.2.7)',
      decidedBy: 'Service Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-12-31',
    },
    'test',
    deps,
  );
}, 60_000);

afterEach(async () => {
  if (clients) destroyAwsClients(clients);
  clients = undefined;
  await proxy.setMode('pass');
});

afterAll(async () => {
  s3Client?.destroy();
  await Promise.allSettled([proxy?.close(), table?.stop(), s3?.close(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

/** The inbound-email handler as deployed, with fresh clients; `deliver` stores a message and invokes it. */
function inboundEmail() {
  clients = deployedClients();
  const handler = createInboundEmailHandler(inboundEmailDeps(config, clients));
  return async (raw: Buffer) => {
    const messageId = randomBytes(20).toString('hex');
    await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: messageId, Body: raw }));
    const event = JSON.parse(
      await readFile(new URL('../fixtures/ses/lambda-action-event.json', import.meta.url), 'utf8'),
    ) as SesReceiptEvent;
    event.Records[0]!.ses.mail.messageId = messageId;
    const startedAt = Date.now();
    const [result] = (await handler(event, lambdaContext())) as InboundResult[];
    return { result: result!, elapsedMs: Date.now() - startedAt };
  };
}

const fromAda = () => readMailFixture('plain-utf8.eml');

async function expectForwardedUnscreened(reference: string) {
  const [forward] = await emailsAbout(ses.endpoint, reference);
  expect(forward?.destination.to).toEqual([serviceInbox]);
  expect(forward?.subject).toMatch(/^\[UNSCREENED /);
  expect(forward?.body.text).toContain('the restriction register could not be reached');
}

describe('a DynamoDB table that hangs (accepts connections, never answers)', () => {
  it('does not stop an email: forwarded unscreened to the service inbox within the function timeout, at the cost of one deadline', async () => {
    const deliver = inboundEmail();
    await proxy.setMode('hang');
    const connectionsBefore = proxy.connections;

    const { result, elapsedMs } = await deliver(fromAda());

    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    expect(elapsedMs).toBeLessThan(INBOUND_EMAIL_TIMEOUT_MS);
    await expectForwardedUnscreened(result.reference);
    // Only the first call's attempts reached the table: the claim, register, counts and record
    // calls after it failed fast instead of each waiting for its own deadline.
    expect(proxy.connections - connectionsBefore).toBeLessThanOrEqual(standardDeadlines.maxAttempts);

    // The next email, moments later, does not wait at all: the circuit refuses without connecting.
    const connectionsAfterFirst = proxy.connections;
    const next = await deliver(fromAda());
    expect(next.result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    expect(proxy.connections).toBe(connectionsAfterFirst);
    await expectForwardedUnscreened(next.result.reference);
  }, 60_000);

  it('does not stop a web form post: answered within the function timeout, then forwarded unscreened from the queue', async () => {
    clients = deployedClients();
    const queued: QueuedSubmission[] = [];
    const handler = createContactFormHandler(
      contactFormDeps(config, clients, { enqueue: async (submission) => void queued.push(submission) }),
    );
    await proxy.setMode('hang');
    const event = httpEvent('POST', '/contact', {
      body: JSON.stringify({
        name: 'Pat Example',
        email: 'pat.faults@example.org',
        topic: 'Bins and recycling',
        subject: 'Missed collection',
        message: 'My bin was not emptied.',
        consent: 'on',
      }),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });

    const startedAt = Date.now();
    const answer = await call(handler, event);
    const elapsedMs = Date.now() - startedAt;

    expect(elapsedMs).toBeLessThan(CONTACT_FORM_TIMEOUT_MS);
    // Accepted (and so delivered, or kept to be delivered), or plainly "not sent": never an internal error.
    expect([202, 503]).toContain(answer.statusCode);
    // The rate limits (the table) hang and fail open; the queue keeps it: accepted.
    expect(answer.statusCode).toBe(202);
    expect(queued).toHaveLength(1);

    // The worker screens it with the table still hanging: forwarded unscreened, inside its own timeout.
    const worker = createFormScreeningHandler(formScreeningDeps(config, clients));
    const workerStartedAt = Date.now();
    const { batchItemFailures } = await worker(sqsEventOf(queued[0]!), lambdaContext());
    expect(Date.now() - workerStartedAt).toBeLessThan(FORM_WORKER_TIMEOUT_MS);
    expect(batchItemFailures).toEqual([]);
    const [forward] = await emailsAbout(ses.endpoint, answer.json.reference);
    expect(forward?.destination.to).toEqual([serviceInbox]);
    expect(forward?.subject).toContain('UNSCREENED');
  }, 60_000);
});

describe('a DynamoDB table that refuses connections', () => {
  it('does not stop an email: forwarded unscreened to the service inbox within the function timeout', async () => {
    const deliver = inboundEmail();
    await proxy.setMode('refuse');

    const { result, elapsedMs } = await deliver(fromAda());

    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    expect(elapsedMs).toBeLessThan(INBOUND_EMAIL_TIMEOUT_MS);
    await expectForwardedUnscreened(result.reference);
  }, 60_000);
});

describe('a table that comes back', () => {
  it('is screened against again once the cooldown has passed: the probe closes the circuit', async () => {
    const deliver = inboundEmail();
    await proxy.setMode('hang');
    const failedOpen = await deliver(fromAda());
    expect(failedOpen.result).toMatchObject({ route: 'unscreened' });

    await proxy.setMode('pass');
    await new Promise((resolve) => setTimeout(resolve, standardDeadlines.cooldownMs + 200));
    const { result } = await deliver(fromAda());

    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer' });
    const [forward] = await emailsAbout(ses.endpoint, result.reference);
    expect(forward?.destination.to).toEqual([namedOfficer]);
    // And the contact was recorded again, so that a repeat of it is recognised (P6).
    const record = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.contact(result.reference), SK: keys.contactSk },
      }),
    );
    expect(record.Item).toMatchObject({ route: 'named-officer' });
  }, 60_000);
});

describe('the clients the handlers are made with', () => {
  it('retry a refused call within it, and after a hang fail fast with a named error (no failed condition)', async () => {
    await proxy.setMode('refuse');
    const client = createDynamoDocumentClient(
      { AWS_REGION: 'eu-west-2', DYNAMODB_ENDPOINT: proxy.endpoint },
      credentials,
    );
    const get = () =>
      client
        .send(new GetCommand({ TableName: table.tableName, Key: { pk: 'X', sk: 'X' } }))
        .catch((error: unknown) => error);
    try {
      const refused = (await get()) as { code?: string; $metadata?: { attempts?: number } };
      expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
      expect(refused.$metadata?.attempts).toBe(standardDeadlines.maxAttempts);
      // A refusal fails fast by itself: the circuit stays closed. A hang opens it.
      await proxy.setMode('hang');
      expect(await get()).toBeInstanceOf(DependencyDeadlineError);
      const fast = await get();
      expect(fast).toBeInstanceOf(DependencyUnavailableError);
      expect(fast).toMatchObject({ name: 'DependencyUnavailableError', dependency: 'dynamodb' });
    } finally {
      client.config.requestHandler.destroy?.();
    }
  });
});
