import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { detailTypes, type PublishedEvent } from '../../lambdas/core/events';
import type { InboundResult } from '../../lambdas/core/inbound';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import type { AwsClients } from '../../lambdas/wiring/clients';
import { startS3, startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { lambdaContext } from '../helpers/http-events';
import { capturedMetrics, testClients, testConfig } from '../helpers/lambda-config';
import { mailFixtureNames, messageWithLargeAttachment, readMailFixture } from '../helpers/mail-corpus';
import { changeDeps, unwarned } from '../helpers/register-fixtures';
import { captureSentRaw, emailsAbout } from '../helpers/ses-emulator';

const bucket = 'contact-screening-mail';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let table: TestTable;
let s3: { endpoint: string; close(): Promise<void> };
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let s3Client: S3Client;
/** The handlers' settings (the emulators' endpoints) and clients. */
let settings: Record<string, string>;
let clients: AwsClients;
/** The handler, as Lambda invokes it. */
let handleInboundEmail: (event: unknown) => Promise<InboundResult[]>;
/** Every raw message the handler sent through SES, captured on the SDK's wire: headers included. */
let sentRaw: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'inbound-email-'));
  table = await startTestTable();
  s3 = await startS3('127.0.0.1', dataDir, { port: 0, env: 'S3_PORT' }, [credentials]);
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  settings = {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_BUCKET: bucket,
    MAX_ATTACHED_ORIGINAL_BYTES: String(5 * 1024 * 1024),
  };
  const config = testConfig(settings);
  s3Client = new S3Client({ region: 'eu-west-2', endpoint: s3.endpoint, forcePathStyle: true, credentials });
  clients = testClients(config);
  const handler = createInboundEmailHandler(inboundEmailDeps(config, clients));
  handleInboundEmail = (event) => handler(event, lambdaContext());
  sentRaw = captureSentRaw(clients.ses);
  await registerDemoCustomers();
}, 60_000);

afterAll(async () => {
  s3Client?.destroy();
  await Promise.allSettled([table?.stop(), s3?.close(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

async function registerDemoCustomers() {
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const officer = await registerCustomer(
    { name: 'Ada Testperson', emails: ['ada.testperson@example.org'] },
    'test',
    deps,
  );
  await imposeRestriction(
    {
      ...unwarned,
      customerId: officer.customer.id,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason: 'Many contacts to different officers on one case (4.2.7)',
      decidedBy: 'Service Manager',
      startsAt: '2026-01-01',
      endsAt: '2099-12-31',
    },
    'test',
    deps,
  );
}

/** The AWS-documented Lambda action event (or another fixture), for a message already stored by the S3 action. */
async function sesEvent(overrides: {
  messageId: string;
  source?: string;
  verdicts?: Partial<Record<string, string>>;
  fixture?: string;
}) {
  const event = JSON.parse(
    await readFile(
      new URL(`../fixtures/ses/${overrides.fixture ?? 'lambda-action-event.json'}`, import.meta.url),
      'utf8',
    ),
  ) as SesReceiptEvent;
  const record = event.Records[0]!;
  record.ses.mail.messageId = overrides.messageId;
  if (overrides.source !== undefined) record.ses.mail.source = overrides.source;
  for (const [name, status] of Object.entries(overrides.verdicts ?? {})) {
    (record.ses.receipt as unknown as Record<string, { status: string }>)[`${name}Verdict`] = {
      status: status!,
    };
  }
  return event;
}

async function store(raw: Buffer | Uint8Array) {
  const messageId = randomBytes(20).toString('hex');
  await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: messageId, Body: raw }));
  return messageId;
}

async function deliver(
  raw: Buffer,
  options: { source?: string; verdicts?: Partial<Record<string, string>> } = {},
) {
  const messageId = await store(raw);
  const [result] = await handleInboundEmail(await sesEvent({ messageId, ...options }));
  return { messageId, result: result! };
}

const rawFor = (reference: string) =>
  sentRaw.filter((raw) => raw.includes(`X-Screening-Reference: ${reference}`));

describe('inbound email handler against the S3, SES and DynamoDB emulators', () => {
  it('screens the AWS-documented event: named officer, headers, summary first, original attached intact', async () => {
    const raw = readMailFixture('plain-utf8.eml');
    const { result } = await deliver(raw, { source: 'prvs=144d0cba7=ada.testperson@example.org' });
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer' });

    const [forward] = rawFor(result.reference).filter((m) => m.includes('X-Screening-Route'));
    expect(forward).toMatch(/^X-Screening-Route: named-officer$/m);
    expect(forward).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(forward).toMatch(/^From: screening@council\.example$/m);
    expect(forward).toMatch(/^Reply-To: ada\.testperson@example\.org$/m);
    expect(forward).toMatch(/^To: casework\.officer@council\.example$/m);

    const parsed = await simpleParser(Buffer.from(forward!, 'latin1'));
    expect(parsed.text).toMatch(/^Contact screening — CS-/);
    expect(parsed.text).toMatch(/\[7\.3\.4\] This customer deals with one named officer only/);
    const original = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(original?.content.equals(raw)).toBe(true);

    const [stored] = await emailsAbout(ses.endpoint, result.reference);
    expect(stored?.destination.to).toEqual(['casework.officer@council.example']);

    // The contact record is there, complete: no body, no subject (P7).
    const item = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.contact(result.reference), SK: keys.contactSk },
      }),
    );
    expect(item.Item).toMatchObject({
      status: 'forwarded',
      route: 'named-officer',
      channel: 'email',
      senderVerified: true,
    });
    expect(JSON.stringify(item.Item)).not.toMatch(/Elm Road|Missed bin collection/);
  });

  it('forwards a repeated event for the same message once (P6)', async () => {
    const messageId = await store(readMailFixture('plain-utf8.eml'));
    const event = await sesEvent({ messageId });
    const [first] = await handleInboundEmail(event);
    const [second] = await handleInboundEmail(structuredClone(event));
    expect(second).toEqual({ status: 'duplicate', reference: first!.reference });
    expect(rawFor(first!.reference).filter((m) => m.includes('X-Screening-Route'))).toHaveLength(1);
  });

  it.each(mailFixtureNames())(
    'forwards %s, never dropping it, with the original attached unchanged',
    async (name) => {
      const raw = readMailFixture(name);
      const { result } = await deliver(raw, { source: 'relay@example.net' });
      expect(result.status).toBe('forwarded');
      const forwards = rawFor(result.reference).filter((m) => m.includes('X-Screening-Route'));
      expect(forwards).toHaveLength(1);
      const parsed = await simpleParser(Buffer.from(forwards[0]!, 'latin1'));
      expect(parsed.text).toContain(result.reference);
      const original = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
      expect(original?.content.equals(raw)).toBe(true);
    },
  );

  it('keeps a 40 MB message in S3 and says so, rather than attaching it', async () => {
    const { stream } = messageWithLargeAttachment(39 * 1024 * 1024);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const messageId = await store(Buffer.concat(chunks));
    const [result] = await handleInboundEmail(await sesEvent({ messageId }));
    expect(result).toMatchObject({ status: 'forwarded' });
    const [forward] = rawFor(result!.reference).filter((m) => m.includes('X-Screening-Route'));
    expect(forward!.length).toBeLessThan(100_000);
    const parsed = await simpleParser(Buffer.from(forward!, 'latin1'));
    expect(parsed.text).toMatch(
      new RegExp(
        `not attached \\(too large to attach: 3\\d\\.\\d MB\\); it is kept at s3://${bucket}/${messageId}`,
      ),
    );
    expect(parsed.attachments).toHaveLength(0);
  }, 60_000);

  it('refuses an event that is not an SES receipt event, loudly (it goes to the failure destination)', async () => {
    await expect(handleInboundEmail({ Records: [{ eventSource: 'aws:s3' }] })).rejects.toThrow(/eventSource/);
    await expect(handleInboundEmail({})).rejects.toThrow(/Records/);
  });

  it('screens an event without a DMARC verdict (as AWS may send it): routed, but not verified, so no reply', async () => {
    const messageId = await store(readMailFixture('plain-utf8.eml'));
    const [result] = await handleInboundEmail(
      await sesEvent({ messageId, fixture: 'lambda-action-event-no-dmarc.json' }),
    );
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer', acknowledged: false });
    const [forward] = rawFor(result!.reference).filter((m) => m.includes('X-Screening-Route'));
    const parsed = await simpleParser(Buffer.from(forward!, 'latin1'));
    expect(parsed.text).toMatch(
      /WARNING: the sender's address is not verified \(SES gave no DMARC verdict\)/,
    );
    expect(parsed.text).toMatch(/Acknowledgement: none sent \(the sender's address is not verified\)/);
  });

  it('reads a status it does not know, or a verdict that is not an object, as unknown: screened, never refused', async () => {
    const { result } = await deliver(readMailFixture('plain-utf8.eml'), {
      source: 'ada.testperson@example.org',
      verdicts: { spf: 'SOFTFAIL_NEW_IN_2027' },
    });
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer', acknowledged: false });
    const messageId = await store(readMailFixture('plain-utf8.eml'));
    const event = await sesEvent({ messageId });
    (event.Records[0]!.ses.receipt as Record<string, unknown>).dkimVerdict = 'PASS';
    const [odd] = await handleInboundEmail(event);
    expect(odd).toMatchObject({ status: 'forwarded', route: 'named-officer', acknowledged: false });
  });

  it('needs only the message id, a timestamp and the recipients: either of each will do', async () => {
    const messageId = await store(readMailFixture('plain-utf8.eml'));
    const event = (await sesEvent({ messageId })) as unknown as {
      Records: {
        eventVersion?: string;
        ses: { mail: Record<string, unknown>; receipt: Record<string, unknown> };
      }[];
    };
    const record = event.Records[0]!;
    delete record.eventVersion;
    delete record.ses.mail.timestamp;
    delete record.ses.mail.source;
    delete record.ses.mail.headers;
    delete record.ses.mail.commonHeaders;
    delete record.ses.receipt.recipients;
    const [result] = await handleInboundEmail(event);
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer' });
  });

  it('forwards unscreened from S3, saying why, a record that cannot be read beyond its message id (P1)', async () => {
    const raw = readMailFixture('plain-utf8.eml');
    const messageId = await store(raw);
    const event = {
      Records: [{ eventSource: 'aws:ses', ses: { mail: { messageId, timestamp: 'yesterday' } } }],
    };
    const [result] = await handleInboundEmail(event);
    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    const [forward] = rawFor(result!.reference).filter((m) => m.includes('X-Screening-Route'));
    expect(forward).toMatch(/^To: customer\.services@council\.example$/m);
    const parsed = await simpleParser(Buffer.from(forward!, 'latin1'));
    expect(parsed.text).toMatch(/Not screened: the SES receipt for this message could not be read/);
    expect(parsed.text).toMatch(/could not be read \(ses\.mail\.timestamp: [^)]*\)/);
    expect(parsed.attachments.find((a) => a.contentType === 'message/rfc822')?.content.equals(raw)).toBe(
      true,
    );
    // Once, as any other contact (P6).
    expect(await handleInboundEmail(structuredClone(event))).toEqual([
      { status: 'duplicate', reference: result!.reference },
    ]);
  });

  it('fails (to be retried) when the stored message is missing, rather than forwarding nothing', async () => {
    await expect(handleInboundEmail(await sesEvent({ messageId: 'not-stored-anywhere' }))).rejects.toThrow();
  });

  it('reports each contact to the IT team: screened by channel and route, alerts raised, failed attempts', async () => {
    const { metrics, documents } = capturedMetrics();
    const published: PublishedEvent[] = [];
    const handler = createInboundEmailHandler({
      ...inboundEmailDeps(testConfig({ ...settings, FREQUENCY_TOPIC_COUNT: '2' }), clients),
      events: { publish: async (events) => void published.push(...events) },
      metrics,
    });
    const raw = (n: number) =>
      Buffer.from(
        `From: Quinn Frequent <quinn.frequent@example.org>\r\nTo: customer.services@council.example\r\n` +
          `Subject: About CMP-55501, again (${n})\r\nMessage-ID: <quinn-${n}-${randomBytes(4).toString('hex')}@example.org>\r\n` +
          `Date: Fri, 03 Apr 2026 15:20:00 +0100\r\n\r\nStill about CMP-55501.\r\n`,
      );
    for (const n of [1, 2]) {
      const messageId = await store(raw(n));
      await handler(await sesEvent({ messageId, source: 'quinn.frequent@example.org' }), lambdaContext());
    }
    await expect(
      handler(await sesEvent({ messageId: 'not-stored-anywhere' }), lambdaContext()),
    ).rejects.toThrow();

    const dimensions = [
      ['service', 'channel', 'route'],
      ['service', 'channel'],
    ];
    expect(documents).toMatchObject([
      {
        _aws: { CloudWatchMetrics: [{ Namespace: 'ContactScreening', Dimensions: dimensions }] },
        channel: 'email',
        route: 'service',
        ContactsScreened: 1,
        UnscreenedContacts: 0,
        FrequencyAlertsRaised: 0,
      },
      { channel: 'email', route: 'service', ContactsScreened: 1, FrequencyAlertsRaised: 1 },
      { _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'channel']] }] }, ScreeningFailures: 1 },
    ]);
    expect(published.map((event) => event.detailType)).toContain(detailTypes.frequency);
    // Ids and counts only (P7).
    expect(JSON.stringify(documents)).not.toContain('quinn');
  });

  it('forwards unscreened, with the reason, when DynamoDB is down (P1)', async () => {
    await table.stop();
    const raw = readMailFixture('plain-utf8.eml');
    const { result } = await deliver(raw);
    expect(result).toMatchObject({ status: 'forwarded', route: 'unscreened' });
    const [forward] = rawFor(result.reference).filter((m) => m.includes('X-Screening-Route'));
    expect(forward).toMatch(/^X-Screening-Route: unscreened$/m);
    expect(forward).toMatch(/^To: customer\.services@council\.example$/m);
    const parsed = await simpleParser(Buffer.from(forward!, 'latin1'));
    expect(parsed.subject).toMatch(/^\[UNSCREENED CS-/);
    expect(parsed.text).toMatch(/Not screened: the restriction register could not be reached/);
    expect(parsed.attachments.find((a) => a.contentType === 'message/rfc822')?.content.equals(raw)).toBe(
      true,
    );
  }, 60_000);
});
