import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { contactFormDeps } from '../../lambdas/contact-form/deps';
import { createContactFormHandler } from '../../lambdas/contact-form/handler';
import { formContactId } from '../../lambdas/core/form';
import type { QueuedSubmission } from '../../lambdas/core/ports';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { formScreeningDeps } from '../../lambdas/form-screening/deps';
import { createFormScreeningHandler } from '../../lambdas/form-screening/handler';
import { type AwsClients, destroyAwsClients } from '../../lambdas/wiring/clients';
import type { Config } from '../../lambdas/wiring/config';
import { lambdaContext as functionContext } from '../../local/api-gateway-v2';
import type { AsyncFailureRecord } from '../../local/async-invoke';
import { startSes } from '../../local/emulators';
import { createLocalFormQueue, sqsEventOf } from '../../local/form-queue';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { httpEvent, lambdaContext } from '../helpers/http-events';
import { capturedMetrics, testClients, testConfig } from '../helpers/lambda-config';
import { freePorts } from '../helpers/local-stack';
import { changeDeps, unwarned } from '../helpers/register-fixtures';
import { emailsAbout } from '../helpers/ses-emulator';
import { startHangingServer, startSqsStandIn } from '../helpers/sqs-stand-in';

/**
 * The form-screening function (SQS event source → screen, count, forward once) against dynalite and
 * the SES emulator, and the contact form's SQS adapter on the wire. Faults are injected on the wire:
 * an SES endpoint that refuses, a queue endpoint that refuses or never answers, a claim held by
 * another attempt.
 */

let table: TestTable;
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let config: Config;
let clients: AwsClients;
let refusedPort: number;
const extraClients: AwsClients[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'form-screening-'));
  table = await startTestTable();
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  [refusedPort] = (await freePorts(1)) as [number];
  config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: ses.endpoint,
  });
  clients = testClients(config);
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const jo = await registerCustomer(
    { name: 'Jo Restricted', emails: ['jo.restricted@example.org'] },
    't',
    deps,
  );
  await imposeRestriction(
    {
      ...unwarned,
      reason: 'Demo (4.2.7)',
      decidedBy: 'Service Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-01-01',
      customerId: jo.customer.id,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
    },
    't',
    deps,
  );
}, 60_000);

afterAll(async () => {
  for (const made of [clients, ...extraClients]) if (made) destroyAwsClients(made);
  await Promise.allSettled([table?.stop(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

let counter = 0;
/** A submission as the endpoint accepts it: validated, named by its reference. */
function aSubmission(form: Partial<QueuedSubmission['form']> = {}): QueuedSubmission {
  counter += 1;
  const typed = {
    name: 'Pat Example',
    email: `pat.${counter}.${Date.now()}@example.org`,
    topic: 'Bins and recycling',
    subject: `Missed collection ${counter}`,
    message: `My bin was not emptied (${counter}).`,
    ...form,
  };
  const meta = { receivedAt: new Date().toISOString(), sourceIp: '198.51.100.7' };
  return {
    version: 1,
    ...formContactId(typed, meta, { duplicateWindowSeconds: 600 }),
    receivedAt: meta.receivedAt,
    form: typed,
  };
}

const batchOf = (...records: SQSEvent['Records']): SQSEvent => ({ Records: records });
const recordOf = (submission: QueuedSubmission) => sqsEventOf(submission).Records[0]!;
const rawRecord = (body: string) => ({ ...recordOf(aSubmission()), messageId: `raw-${++counter}`, body });

const configSettings = () => ({
  TABLE_NAME: table.tableName,
  DYNAMODB_ENDPOINT: table.endpoint,
  SES_ENDPOINT: ses.endpoint,
});

/** The function's handler with these settings over the test's (its own clients when they differ), and its metrics. */
function worker(settings: Record<string, string> = {}) {
  const { metrics, documents } = capturedMetrics();
  const own = Object.keys(settings).length === 0 ? config : testConfig({ ...configSettings(), ...settings });
  const ownClients = own === config ? clients : testClients(own);
  if (ownClients !== clients) extraClients.push(ownClients);
  const handler = createFormScreeningHandler({ ...formScreeningDeps(own, ownClients), metrics });
  return { handler: (event: unknown) => handler(event, lambdaContext()), documents };
}
const forwardsOf = async (reference: string) =>
  (await emailsAbout(ses.endpoint, reference)).filter((email) => email.subject.startsWith(`[${reference}]`));

describe('the form-screening function', () => {
  it('screens every record of a batch, forwarding each once to where it is routed, and reports none failed', async () => {
    const { handler, documents } = worker();
    const unknown = aSubmission();
    const restricted = aSubmission({ name: 'Jo Restricted', email: 'jo.restricted@example.org' });
    const result = await handler(batchOf(recordOf(unknown), recordOf(restricted)));
    expect(result).toEqual({ batchItemFailures: [] });
    expect((await forwardsOf(unknown.reference)).map((e) => e.destination.to)).toEqual([
      ['customer.services@council.example'],
    ]);
    expect((await forwardsOf(restricted.reference)).map((e) => e.destination.to)).toEqual([
      ['casework.officer@council.example'],
    ]);
    expect(documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'web-form', route: 'service', ContactsScreened: 1 }),
        expect.objectContaining({ channel: 'web-form', route: 'named-officer', ContactsScreened: 1 }),
      ]),
    );
  });

  it('forwards once when SQS delivers a message again, or a double click puts the same contact twice in one batch (P6)', async () => {
    const { handler } = worker();
    const submission = aSubmission();
    const twice = batchOf(recordOf(submission), recordOf(submission));
    expect(await handler(twice)).toEqual({ batchItemFailures: [] });
    expect(await handler(batchOf(recordOf(submission)))).toEqual({ batchItemFailures: [] });
    expect(await forwardsOf(submission.reference)).toHaveLength(1);
  });

  it('reports a message it cannot read, leaving it for the failure queue, and still screens the rest of the batch', async () => {
    const { handler, documents } = worker();
    const good = aSubmission();
    const notJson = rawRecord('{"version":1,');
    const notASubmission = rawRecord(JSON.stringify({ version: 1, reference: 'CS-NOPE', form: {} }));
    const result = await handler(batchOf(notJson, recordOf(good), notASubmission));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [notJson.messageId, notASubmission.messageId].sort(),
    );
    expect(await forwardsOf(good.reference)).toHaveLength(1);
    expect(documents.filter((d) => 'ScreeningFailures' in d)).toHaveLength(2);
  });

  it('reports a record whose forward failed (SES refusing), so that SQS delivers it again; that delivery forwards it once', async () => {
    const sesDown = worker({ SES_ENDPOINT: `http://127.0.0.1:${refusedPort}` });
    const submission = aSubmission();
    const record = recordOf(submission);
    expect(await sesDown.handler(batchOf(record))).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(sesDown.documents).toMatchObject([{ channel: 'web-form', ScreeningFailures: 1 }]);
    expect(await forwardsOf(submission.reference)).toEqual([]);
    // The claim was given up: the next delivery takes it at once.
    expect(
      await worker().handler(
        batchOf({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }),
      ),
    ).toEqual({
      batchItemFailures: [],
    });
    expect(await forwardsOf(submission.reference)).toHaveLength(1);
  }, 30_000);

  it('reports a contact another attempt is delivering (a live lease) without counting it a failure, and forwards nothing twice', async () => {
    const { handler, documents } = worker();
    const submission = aSubmission();
    const ledger = new DynamoContactLedger(table.documentClient, table.tableName);
    const now = new Date().toISOString();
    expect(await ledger.claim(submission.reference, now, new Date(Date.now() + 30_000).toISOString())).toBe(
      'claimed',
    );
    const record = recordOf(submission);
    expect(await handler(batchOf(record))).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(documents).toEqual([]);
    expect(await forwardsOf(submission.reference)).toEqual([]);
    await ledger.release(submission.reference);
    expect(await handler(batchOf(record))).toEqual({ batchItemFailures: [] });
    expect(await forwardsOf(submission.reference)).toHaveLength(1);
  });

  it('refuses an event that is not an SQS event, loudly', async () => {
    await expect(worker().handler({ Records: [{ eventSource: 'aws:ses' }] })).rejects.toThrow(/Records/);
    await expect(worker().handler({})).rejects.toThrow(/Records/);
  });
});

describe('the contact form’s queue', () => {
  const post = (handler: ReturnType<typeof createContactFormHandler>, timeoutMs = 15_000) => {
    const event = httpEvent('POST', '/contact', {
      body: JSON.stringify({
        name: 'Pat Example',
        email: `pat.queue.${++counter}@example.org`,
        topic: 'Council tax',
        subject: 'A question',
        message: `Which band is my house in? (${counter})`,
        consent: 'on',
      }),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    return handler(event, functionContext('contact-screening-contact-form', timeoutMs));
  };
  const formWith = (queueUrl: string) => {
    const own = testConfig({ ...configSettings(), FORM_QUEUE_URL: queueUrl });
    const ownClients = testClients(own);
    extraClients.push(ownClients);
    return createContactFormHandler(contactFormDeps(own, ownClients));
  };

  it('in AWS: one SendMessage of the submission with its reference, which the form-screening function screens as sent', async () => {
    const sqs = await startSqsStandIn();
    try {
      const answer = await post(formWith(sqs.queueUrl));
      expect(answer.statusCode).toBe(202);
      const { reference } = JSON.parse(answer.body ?? '{}') as { reference: string };
      expect(sqs.received).toHaveLength(1);
      const [message] = sqs.received;
      expect(message?.queueUrl).toBe(sqs.queueUrl);
      expect(message?.attributes).toEqual({ reference: { DataType: 'String', StringValue: reference } });
      expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
        version: 1,
        reference,
        form: { topic: 'Council tax' },
      });
      // Nothing is screened or forwarded until the function takes the message from the queue.
      expect(await forwardsOf(reference)).toEqual([]);
      const record = { ...rawRecord(message?.body ?? ''), messageId: 'from-sqs' };
      expect(await worker().handler(batchOf(record))).toEqual({ batchItemFailures: [] });
      expect(await forwardsOf(reference)).toHaveLength(1);
    } finally {
      await sqs.close();
    }
  });

  it('answers 503 "not sent" when the queue refuses connections, and when it never answers, within the function’s timeout', async () => {
    const refused = await post(
      formWith(`http://127.0.0.1:${refusedPort}/000000000000/contact-screening-form`),
    );
    expect(refused.statusCode).toBe(503);
    const hanging = await startHangingServer();
    try {
      const started = Date.now();
      const answer = await post(formWith(hanging.url), 4_000);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(answer.statusCode).toBe(503);
      expect(JSON.parse(answer.body ?? '{}').detail).toMatch(/^Your message has not been sent/);
    } finally {
      await hanging.close();
    }
  }, 30_000);

  it('needs FORM_QUEUE_URL in AWS, and says so', () => {
    expect(() => contactFormDeps(testConfig(configSettings()), clients)).toThrow(/FORM_QUEUE_URL/);
  });

  it('locally: a submission that fails every attempt is kept in the failed-events folder, with its reference', async () => {
    const failureDir = path.join(dataDir, 'failed-events');
    const queue = createLocalFormQueue({
      handler: worker({ SES_ENDPOINT: `http://127.0.0.1:${refusedPort}` }).handler,
      failureDir,
      retryDelaysMs: [10, 10],
    });
    const submission = aSubmission();
    await queue.submissions.enqueue(submission);
    await queue.idle();
    await queue.close();
    const [file] = await readdir(failureDir);
    const kept = JSON.parse(await readFile(path.join(failureDir, file ?? ''), 'utf8')) as AsyncFailureRecord;
    expect(kept.requestContext).toMatchObject({
      functionArn: expect.stringContaining('contact-screening-form-screening'),
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(kept.responsePayload?.errorType).toBe('BatchItemFailedError');
    const event = kept.requestPayload as SQSEvent;
    expect(JSON.parse(event.Records[0]?.body ?? '{}')).toMatchObject({ reference: submission.reference });
    expect(await forwardsOf(submission.reference)).toEqual([]);
  }, 30_000);
});
