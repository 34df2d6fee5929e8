import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { addSeconds, ContactBusyError } from '../../lambdas/core/deliver';
import type { InboundResult } from '../../lambdas/core/inbound';
import { registerCustomer } from '../../lambdas/core/register';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import type { AwsClients } from '../../lambdas/wiring/clients';
import { startS3, startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { lambdaContext } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { readMailFixture } from '../helpers/mail-corpus';
import { MemoryEventPublisher } from '../helpers/memory-frequency-store';
import { changeDeps } from '../helpers/register-fixtures';
import { captureSentRaw } from '../helpers/ses-emulator';

/**
 * A table that fails right after the forward was sent (P6): the forward must never be sent again
 * because the claim could not be finished. The fault is injected in the SDK's middleware stack of
 * the handler's own DynamoDB client, switched on by the forward itself (SES's answer to it).
 */
const bucket = 'contact-screening-mail';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let table: TestTable;
let s3: { endpoint: string; close(): Promise<void> };
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let s3Client: S3Client;
let clients: AwsClients;
let sentRaw: string[] = [];
let customerId: string;
let handleInboundEmail: (event: unknown) => Promise<InboundResult[]>;
/** The inbound function's contact lease, as configured (45 s: shorter than Lambda's first retry, ~60 s). */
let leaseSeconds: number;

/** The clock the handler reads (claims, leases, records): moved on to where Lambda would retry. */
const clock = { now: new Date().toISOString() };
/**
 * DynamoDB calls to refuse once the next forward is sent: a number, or 'until restored'.
 * `refused` counts the calls refused.
 */
const fault = {
  afterForward: 0 as number | 'until restored',
  active: 0 as number | 'until restored',
  refused: 0,
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'partial-failure-'));
  table = await startTestTable();
  s3 = await startS3('127.0.0.1', dataDir, { port: 0, env: 'S3_PORT' }, [credentials]);
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  const config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_BUCKET: bucket,
  });
  s3Client = new S3Client({ region: 'eu-west-2', endpoint: s3.endpoint, forcePathStyle: true, credentials });
  clients = testClients(config);
  sentRaw = captureSentRaw(clients.ses);
  clients.ses.middlewareStack.add(
    (next) => async (args) => {
      const output = await next(args);
      const raw = (args.input as { RawMessage?: { Data?: Uint8Array } }).RawMessage?.Data;
      // The forward is on its way: from now on the table fails.
      if (raw && Buffer.from(raw).includes('X-Screening-Route')) fault.active = fault.afterForward;
      return output;
    },
    { step: 'initialize', name: 'table-fails-after-forward' },
  );
  clients.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      if (fault.active === 'until restored' || fault.active > 0) {
        if (fault.active !== 'until restored') fault.active--;
        fault.refused++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'table-refuses' },
  );
  const deps = inboundEmailDeps(config, clients);
  leaseSeconds = deps.settings.leaseSeconds;
  const handler = createInboundEmailHandler({
    ...deps,
    events: new MemoryEventPublisher(),
    now: () => clock.now,
  });
  handleInboundEmail = (event) => handler(event, lambdaContext());
  const registered = await registerCustomer(
    { name: 'Ada Testperson', emails: ['ada.testperson@example.org'] },
    'test',
    changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) }),
  );
  customerId = registered.customer.id;
}, 60_000);

afterAll(async () => {
  s3Client?.destroy();
  await Promise.allSettled([table?.stop(), s3?.close(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  clock.now = new Date().toISOString();
  Object.assign(fault, { afterForward: 0, active: 0, refused: 0 });
});

/** A message stored by the S3 action, and the SES event for it (the AWS-documented shape). */
async function storedMessage() {
  const messageId = randomBytes(20).toString('hex');
  await s3Client.send(
    new PutObjectCommand({ Bucket: bucket, Key: messageId, Body: readMailFixture('plain-utf8.eml') }),
  );
  const event = JSON.parse(
    await readFile(new URL('../fixtures/ses/lambda-action-event.json', import.meta.url), 'utf8'),
  ) as SesReceiptEvent;
  event.Records[0]!.ses.mail.messageId = messageId;
  event.Records[0]!.ses.mail.source = 'ada.testperson@example.org';
  return event;
}

const forwardsOf = (reference: string) =>
  sentRaw.filter(
    (raw) => raw.includes(`X-Screening-Reference: ${reference}`) && raw.includes('X-Screening-Route'),
  );

async function contactItem(reference: string) {
  const output = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: { PK: keys.contact(reference), SK: keys.contactSk } }),
  );
  return output.Item;
}

describe('a table that fails right after the forward (P6)', () => {
  it('rides out one refused write: the record is kept, the redelivery is a duplicate, one forward', async () => {
    fault.afterForward = 1;
    const event = await storedMessage();
    const [first] = await handleInboundEmail(event);
    expect(first).toMatchObject({ status: 'forwarded' });
    expect(fault.refused).toBe(1);
    const reference = first!.reference;
    expect(await contactItem(reference)).toMatchObject({ status: 'forwarded', customerIds: [customerId] });
    // The log entry came after the record, so the retention job finds it through the record.
    const log = await new DynamoContactLog(table.documentClient, table.tableName).listContactsOfCustomer(
      customerId,
      10,
    );
    expect(log.map((entry) => entry.reference)).toContain(reference);

    expect(await handleInboundEmail(structuredClone(event))).toEqual([{ status: 'duplicate', reference }]);
    expect(forwardsOf(reference)).toHaveLength(1);
  });

  it('when the table stays down and comes back: busy within the lease, then one more forward that says it may be a repeat', async () => {
    fault.afterForward = 'until restored';
    const event = await storedMessage();
    const firstAt = clock.now;
    // Nothing throws once the forward is sent: a retry would send it again at once.
    const [first] = await handleInboundEmail(event);
    expect(first).toMatchObject({ status: 'forwarded' });
    const reference = first!.reference;
    expect(forwardsOf(reference)).toHaveLength(1);
    Object.assign(fault, { afterForward: 0, active: 0 }); // the table is back
    expect(await contactItem(reference)).toMatchObject({ status: 'processing' });

    // SES delivering the event again at once meets the lease: the platform retries later.
    await expect(handleInboundEmail(structuredClone(event))).rejects.toBeInstanceOf(ContactBusyError);
    expect(forwardsOf(reference)).toHaveLength(1);

    // Lambda's retry (about a minute later) comes after the lease: it takes the claim over.
    clock.now = addSeconds(firstAt, leaseSeconds + 15);
    const [retried] = await handleInboundEmail(structuredClone(event));
    expect(retried).toMatchObject({ status: 'forwarded', reference });
    const forwards = forwardsOf(reference);
    expect(forwards).toHaveLength(2);
    const [once, again] = await Promise.all(forwards.map((raw) => simpleParser(Buffer.from(raw, 'latin1'))));
    expect(once?.text).not.toMatch(/earlier attempt/);
    expect(again?.text).toMatch(
      /An earlier attempt at .+ did not finish: if this contact already reached you, this one is a repeat\./,
    );
    expect(await contactItem(reference)).toMatchObject({
      status: 'forwarded',
      attempts: 2,
      problems: [expect.stringMatching(/earlier attempt/)],
    });

    clock.now = addSeconds(firstAt, 3 * leaseSeconds);
    expect(await handleInboundEmail(structuredClone(event))).toEqual([{ status: 'duplicate', reference }]);
    expect(forwardsOf(reference)).toHaveLength(2);
  });
});
