import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import type { InboundResult } from '../../lambdas/core/inbound';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import type { Config } from '../../lambdas/wiring/config';
import { registerChangeDeps } from '../../lambdas/wiring/register';
import { startS3, startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { lambdaContext } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { unwarned } from '../helpers/register-fixtures';
import { captureSentRaw } from '../helpers/ses-emulator';

/**
 * Mail reaches the team it was sent to (MAILBOXES), the forward carries the message inline and
 * inert, our own forward coming back is not screened twice, and a sender's history joins the
 * customer's when they are registered — through the inbound handler, on dynalite, s3rver and the
 * SES emulator.
 */
const bucket = 'contact-screening-mail';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let table: TestTable;
let s3: { endpoint: string; close(): Promise<void> };
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let s3Client: S3Client;
let config: Config;
let handleInboundEmail: (event: unknown) => Promise<InboundResult[]>;
let sentRaw: string[] = [];
let officerCustomer: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mailboxes-'));
  table = await startTestTable();
  s3 = await startS3('127.0.0.1', dataDir, { port: 0, env: 'S3_PORT' }, [credentials]);
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_BUCKET: bucket,
    MAILBOXES:
      'planning@council.example=planning.team@council.example,building.control@council.example=planning.team@council.example,housing@council.example=housing.team@council.example',
    STAFF_CONSOLE_URL: 'https://staff.council.example',
    FREQUENCY_TOPIC_COUNT: '50',
    FREQUENCY_ALL_TOPICS_COUNT: '50',
  });
  s3Client = new S3Client({ region: 'eu-west-2', endpoint: s3.endpoint, forcePathStyle: true, credentials });
  const clients = testClients(config);
  const handler = createInboundEmailHandler(inboundEmailDeps(config, clients));
  handleInboundEmail = (event) => handler(event, lambdaContext());
  sentRaw = captureSentRaw(clients.ses);
  const register = registerChangeDeps(config, clients);
  const officer = await registerCustomer(
    {
      name: 'Ada Mailbox',
      emails: ['ada.mailbox@example.org'],
      reasonableAdjustments: 'Large print letters; calls in the morning only',
    },
    'test',
    register,
  );
  officerCustomer = officer.customer.id;
  await imposeRestriction(
    {
      ...unwarned,
      customerId: officerCustomer,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason: 'Many contacts to different officers on one case (4.2.7)',
      decidedBy: 'Service Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-12-31',
    },
    'test',
    register,
  );
  // Decided, not yet in force: the officer is told what is coming.
  await imposeRestriction(
    {
      ...unwarned,
      customerId: officerCustomer,
      type: 'witness-required',
      reason: 'Meetings became confrontational (7.3.6)',
      decidedBy: 'Service Manager',
      startsAt: '2098-01-01',
      endsAt: '2098-12-31',
    },
    'test',
    register,
  );
}, 60_000);

afterAll(async () => {
  s3Client?.destroy();
  await Promise.allSettled([table?.stop(), s3?.close(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function message(options: {
  from: string;
  to: string[];
  subject: string;
  body?: string;
  headers?: string[];
}) {
  return Buffer.from(
    [
      `From: ${options.from}`,
      `To: ${options.to.join(', ')}`,
      `Subject: ${options.subject}`,
      `Message-ID: <${randomBytes(8).toString('hex')}@example.org>`,
      'Date: Mon, 01 Jun 2026 09:00:00 +0100',
      ...(options.headers ?? []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      options.body ?? 'Please look at this.',
      '',
    ].join('\r\n'),
  );
}

async function deliver(raw: Buffer, recipients: string[], verdicts: Record<string, string> = {}) {
  const messageId = randomBytes(20).toString('hex');
  await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: messageId, Body: raw }));
  const event = JSON.parse(
    await readFile(new URL('../fixtures/ses/lambda-action-event.json', import.meta.url), 'utf8'),
  ) as SesReceiptEvent;
  const record = event.Records[0]!;
  record.ses.mail.messageId = messageId;
  record.ses.mail.destination = recipients;
  if (record.ses.receipt) record.ses.receipt.recipients = recipients;
  for (const [name, status] of Object.entries(verdicts))
    (record.ses.receipt as unknown as Record<string, { status: string }>)[`${name}Verdict`] = { status };
  const [result] = await handleInboundEmail(event);
  return result!;
}

async function forwardOf(reference: string) {
  const raw = sentRaw.find(
    (m) => m.includes(`X-Screening-Reference: ${reference}`) && m.includes('X-Screening-Route'),
  );
  expect(raw, `a forward of ${reference}`).toBeDefined();
  return simpleParser(Buffer.from(raw!, 'latin1'));
}
const toOf = (parsed: Awaited<ReturnType<typeof simpleParser>>) =>
  [parsed.to].flat().flatMap((t) => t?.value.map((v) => v.address) ?? []);

describe('the mailbox an email was sent to', () => {
  it('delivers unrestricted mail to each addressed team once, with the message inline and inert', async () => {
    const result = await deliver(
      message({
        from: 'sam.resident@example.net',
        to: ['planning@council.example', 'building.control@council.example', 'housing@council.example'],
        subject: 'Extension next door',
        body: '<script>alert("x")</script> The extension blocks my light.',
      }),
      ['planning@council.example', 'building.control@council.example', 'housing@council.example'],
    );
    expect(result).toMatchObject({ status: 'forwarded', route: 'service' });
    const forward = await forwardOf(result.reference);
    expect(toOf(forward).sort()).toEqual(['housing.team@council.example', 'planning.team@council.example']);
    expect(forward.text).toContain('Sent to:   planning@council.example, building.control@council.example');
    // The message itself, below the summary, as plain text: the forward has no HTML part to run it.
    expect(forward.text).toContain('The extension blocks my light.');
    expect(forward.text).toContain('<script>alert("x")</script>');
    expect(forward.html).toBe(false);
  });

  it('routes a restricted customer by their restriction whichever address they wrote to, and says where', async () => {
    const result = await deliver(
      message({
        from: 'ada.mailbox@example.org',
        to: ['planning@council.example'],
        subject: 'My application',
      }),
      ['planning@council.example'],
    );
    expect(result).toMatchObject({ route: 'named-officer' });
    const forward = await forwardOf(result.reference);
    expect(toOf(forward)).toEqual(['casework.officer@council.example']);
    expect(forward.text).toContain('Sent to:   planning@council.example');
    // The officer sees whom they are answering and what the reply must respect…
    expect(forward.text).toContain(`Customer:  Ada Mailbox (${officerCustomer})`);
    expect(forward.text).toContain('Reasonable adjustments: Large print letters; calls in the morning only');
    expect(forward.text).toContain('Escalation: Restrictions decided (7.3)');
    expect(forward.text).toMatch(
      /Starts [^\n]*2098[^\n]*: Personal contact only with a witness present \(7\.3\.6, res_/,
    );
    // Not yet in force, so not among the restrictions the reader must observe now.
    expect(forward.text).not.toMatch(/\[7\.3\.6\] Meetings and personal contact need a witness/);
    expect(forward.text).toContain(
      `- this contact: https://staff.council.example/staff/contacts/${result.reference}`,
    );
    expect(forward.text).toContain(
      `- the customer: https://staff.council.example/staff/customers/${officerCustomer}`,
    );
    // …which stays in the mailbox: the contact record keeps ids only (P7).
    const record = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.contact(result.reference), SK: keys.contactSk },
      }),
    );
    expect(record.Item?.customerIds).toEqual([officerCustomer]);
    expect(JSON.stringify(record.Item)).not.toMatch(/Large print|Ada Mailbox/);
  });

  it('delivers our own forward that came back (our header, from us, DMARC passing) without screening it again', async () => {
    const earlier = 'CS-EM-LOOP-1234';
    const result = await deliver(
      message({
        from: 'screening@council.example',
        to: ['planning@council.example'],
        subject: `[${earlier}] Extension next door`,
        headers: [
          `X-Screening-Reference: ${earlier}`,
          'X-Screening-Route: service',
          'Auto-Submitted: auto-generated',
        ],
      }),
      ['planning@council.example'],
      { dmarc: 'PASS', dkim: 'PASS', spf: 'PASS' },
    );
    const forward = await forwardOf(result.reference);
    expect(toOf(forward)).toEqual(['planning.team@council.example']);
    expect(forward.text).toContain(`a forward that screening made already (${earlier})`);
    const record = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.contact(result.reference), SK: keys.contactSk },
      }),
    );
    // Not counted again.
    expect(record.Item?.counts).toBeUndefined();
  });

  it('screens a message that only claims our header (DMARC failing) like any other', async () => {
    const result = await deliver(
      message({
        from: 'screening@council.example',
        to: ['planning@council.example'],
        subject: 'Let me through',
        headers: ['X-Screening-Reference: CS-EM-FAKE-0001'],
      }),
      ['planning@council.example'],
      { dmarc: 'FAIL' },
    );
    const forward = await forwardOf(result.reference);
    expect(forward.text).not.toContain('a forward that screening made already');
    expect(forward.text).toContain('not verified');
  });
});

describe('history follows the person', () => {
  it('counts the 8th email of a sender registered after seven as the 8th, and lists the earlier seven', async () => {
    const from = 'pat.history@example.org';
    for (let i = 1; i <= 7; i++) {
      const result = await deliver(
        message({ from, to: ['customer.services@council.example'], subject: 'Re: CMP-77001 my fence' }),
        ['customer.services@council.example'],
      );
      expect(result.status).toBe('forwarded');
    }
    const register = registerChangeDeps(config, testClients(config));
    const registered = await registerCustomer({ name: 'Pat History', emails: [from] }, 'test', register);
    expect(registered.history).toEqual({ contactsCounted: 7, contactsLogged: 7 });
    // Registering the same details again elsewhere joins nothing twice.
    const again = await registerChangeDeps(config, testClients(config)).history!.counts.absorb(
      registered.customer.id,
      (await import('../../lambdas/core/frequency')).senderSubjectId(from),
    );
    expect(again).toBe(0);

    const eighth = await deliver(
      message({ from, to: ['customer.services@council.example'], subject: 'Re: CMP-77001 my fence' }),
      ['customer.services@council.example'],
    );
    const record = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.contact(eighth.reference), SK: keys.contactSk },
      }),
    );
    expect(record.Item?.counts).toMatchObject({ topic: 8 });
    const log = await new DynamoContactLog(table.documentClient, table.tableName).listContactsOfCustomer(
      registered.customer.id,
      20,
    );
    expect(log).toHaveLength(8);
  });
});
