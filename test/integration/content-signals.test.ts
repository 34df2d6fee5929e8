import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { detailTypes, type PublishedEvent, safeguardingConcernDetailSchema } from '../../lambdas/core/events';
import { formContactId } from '../../lambdas/core/form';
import type { InboundResult } from '../../lambdas/core/inbound';
import type { QueuedSubmission } from '../../lambdas/core/ports';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { formScreeningDeps } from '../../lambdas/form-screening/deps';
import { createFormScreeningHandler } from '../../lambdas/form-screening/handler';
import { inboundEmailDeps } from '../../lambdas/inbound-email/deps';
import { createInboundEmailHandler } from '../../lambdas/inbound-email/handler';
import type { SesReceiptEvent } from '../../lambdas/inbound-email/schema';
import { type AwsClients, destroyAwsClients } from '../../lambdas/wiring/clients';
import type { Config } from '../../lambdas/wiring/config';
import { startS3, startSes } from '../../local/emulators';
import { sqsEventOf } from '../../local/form-queue';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { lambdaContext } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { changeDeps, unwarned } from '../helpers/register-fixtures';
import { emailsAbout } from '../helpers/ses-emulator';

/**
 * Content signals through the inbound-email and form-screening functions, on dynalite and the S3
 * and SES emulators: the flags at the top of the forward, the record keeping them without the
 * words, the concerns published once with no text (P6, P7), the route unchanged (P2), and a
 * scorer that fails leaving the contact delivered (P1).
 */

const bucket = 'contact-screening-mail';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const guidance = 'Ring the duty safeguarding officer on 01632 960000 at once, then the police if a threat.';
let table: TestTable;
let s3: { endpoint: string; close(): Promise<void> };
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let s3Client: S3Client;
let config: Config;
let clients: AwsClients;
let customerId: string;
/** Every event the functions put on the bus, as they put it. */
const published: PublishedEvent[] = [];
const publisher = { publish: async (events: readonly PublishedEvent[]) => void published.push(...events) };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'content-signals-'));
  table = await startTestTable();
  s3 = await startS3('127.0.0.1', dataDir, { port: 0, env: 'S3_PORT' }, [credentials]);
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MAIL_BUCKET: bucket,
    SAFEGUARDING_GUIDANCE: guidance,
  });
  s3Client = new S3Client({ region: 'eu-west-2', endpoint: s3.endpoint, forcePathStyle: true, credentials });
  clients = testClients(config);
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const sam = await registerCustomer(
    { name: 'Sam Angrywriter', emails: ['sam.angrywriter@example.org'] },
    'test',
    deps,
  );
  customerId = sam.customer.id;
  await imposeRestriction(
    {
      ...unwarned,
      customerId,
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
}, 60_000);

afterAll(async () => {
  s3Client?.destroy();
  if (clients) destroyAwsClients(clients);
  await Promise.allSettled([table?.stop(), s3?.close(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function inboundHandler(overrides: Partial<ReturnType<typeof inboundEmailDeps>> = {}) {
  const handler = createInboundEmailHandler({
    ...inboundEmailDeps(config, clients),
    events: publisher,
    ...overrides,
  });
  return (event: unknown) => handler(event, lambdaContext()) as Promise<InboundResult[]>;
}

async function sesEventFor(messageId: string, source: string) {
  const event = JSON.parse(
    await readFile(new URL('../fixtures/ses/lambda-action-event.json', import.meta.url), 'utf8'),
  ) as SesReceiptEvent;
  const record = event.Records[0]!;
  record.ses.mail.messageId = messageId;
  record.ses.mail.source = source;
  return event;
}

const mail = (from: string, subject: string, body: string) =>
  Buffer.from(
    `From: ${from}\r\nTo: customer.services@council.example\r\nSubject: ${subject}\r\n` +
      `Message-ID: <${randomBytes(6).toString('hex')}@example.org>\r\nDate: Fri, 03 Apr 2026 15:20:00 +0100\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${body.replaceAll('\n', '\r\n')}\r\n`,
  );

async function sendEmail(
  raw: Buffer,
  source: string,
  handle = inboundHandler(),
): Promise<{ result: InboundResult; event: SesReceiptEvent }> {
  const messageId = randomBytes(20).toString('hex');
  await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: messageId, Body: raw }));
  const event = await sesEventFor(messageId, source);
  const [result] = await handle(event);
  return { result: result!, event };
}

/** The content concerns published about this contact (RestrictedContactRouted is not one). */
const eventsAbout = (reference: string) =>
  published.filter(
    (event) =>
      (event.detailType === detailTypes.safeguarding || event.detailType === detailTypes.abusive) &&
      (event.detail as { reference?: string }).reference === reference,
  );

async function recordOf(reference: string) {
  const { Item } = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: { PK: keys.contact(reference), SK: keys.contactSk } }),
  );
  return Item;
}

async function forwardTextOf(reference: string): Promise<string> {
  const [forward] = (await emailsAbout(ses.endpoint, reference)).filter((email) =>
    email.subject.startsWith(`[${reference}]`),
  );
  return forward?.body.text ?? '';
}

const threatening =
  'I have had enough of your lies about my housing repair.\n\nI know where you live and I will burn your office down if nothing happens by Friday.\n\nSam';

describe('content signals in the email path', () => {
  it('raises an urgent safeguarding concern and an abusive-content flag, puts the flags at the top, keeps them on the record, and routes as before', async () => {
    const { result, event } = await sendEmail(
      mail('Sam Angrywriter <sam.angrywriter@example.org>', 'My repair', threatening),
      'sam.angrywriter@example.org',
    );
    // P2: the flags change nothing about where it goes.
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer' });
    const reference = result.status === 'forwarded' ? result.reference : '';

    const events = eventsAbout(reference);
    expect(events.map((e) => e.detailType)).toEqual([detailTypes.safeguarding, detailTypes.abusive]);
    const [safeguarding, abusive] = events;
    expect(safeguardingConcernDetailSchema.parse(safeguarding?.detail)).toMatchObject({
      reference,
      customerId,
      customerIds: [customerId],
      categories: ['threat'],
      urgent: true,
      source: 'content-signal',
      guidance,
    });
    expect(abusive?.detail).toMatchObject({ categories: ['threat', 'intimidation'], urgent: false });
    expect(abusive?.resources).toEqual([customerId]);
    // P7: no words of the message, no evidence, no name or address in any event.
    const wire = JSON.stringify(events);
    for (const secret of ['burn', 'know where you live', 'Sam', 'angrywriter', 'lies'])
      expect(wire).not.toContain(secret);

    const text = await forwardTextOf(reference);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Contact screening — ${reference}`);
    expect(lines[2]).toMatch(/^CONTENT FLAGS/);
    expect(text.indexOf('CONTENT FLAGS')).toBeLessThan(text.indexOf('Route:'));
    expect(text).toContain('Threat of harm [3.2.3, 3.3, 6.1] — confidence 0.90');
    expect(text).toMatch(/“I will burn your office down” \(line 5, characters \d+–\d+\)/);
    expect(text).toContain('Intimidation [3.2.8, 3.1]');
    expect(text).toContain('urgent safeguarding concern');
    expect(text).toMatch(/Detector: in-process\/\d+\.\d+\.\d+/);

    const record = await recordOf(reference);
    expect(record?.signals).toMatchObject({
      detectorVersion: expect.stringMatching(/^in-process\//),
      flags: [
        { category: 'threat', confidence: 0.9, clauses: ['3.2.3', '3.3', '6.1'] },
        { category: 'intimidation' },
      ],
    });
    expect(JSON.stringify(record?.signals)).not.toContain('burn');
    expect(record?.signals.flags[0].evidence[0]).toEqual({
      ruleId: expect.any(String),
      sourceStart: expect.any(Number),
      sourceEnd: expect.any(Number),
    });

    // The same SES event again (P6): a duplicate, no second concern.
    const [again] = await inboundHandler()(event);
    expect(again).toMatchObject({ status: 'duplicate' });
    expect(eventsAbout(reference)).toHaveLength(2);

    // Both are in the event log, for GET /admin/events and the console.
    const logged = await new DynamoEventLog(table.documentClient, table.tableName).listEvents(50);
    expect(
      logged
        .filter((e) => e.detailType !== detailTypes.restrictedRouted)
        .filter((e) => (e.detail as { reference?: string }).reference === reference)
        .map((e) => e.status),
    ).toEqual(['published', 'published']);
  });

  it('raises only the safeguarding concern for self-harm, for a sender not in the register', async () => {
    const { result } = await sendEmail(
      mail(
        'Alex Unknown <alex.unknown@example.org>',
        'Eviction notice',
        'If you evict me I will kill myself.',
      ),
      'alex.unknown@example.org',
    );
    expect(result).toMatchObject({ status: 'forwarded', route: 'service' });
    const reference = result.status === 'forwarded' ? result.reference : '';
    expect(
      eventsAbout(reference).map((e) => [e.detailType, (e.detail as { categories: string[] }).categories]),
    ).toEqual([[detailTypes.safeguarding, ['self-harm']]]);
    expect(eventsAbout(reference)[0]?.detail).not.toHaveProperty('customerId');
    expect(await forwardTextOf(reference)).toContain('Risk of self-harm [3.2.5]');
  });

  it('flags nothing and raises nothing for idiom ("I could kill for a cup of tea"), and says nothing of flags', async () => {
    const { result } = await sendEmail(
      mail(
        'Alex Unknown <alex.unknown@example.org>',
        'Thanks',
        'Lovely staff today. I could kill for a cup of tea though!',
      ),
      'alex.unknown@example.org',
    );
    const reference = result.status === 'forwarded' ? result.reference : '';
    expect(eventsAbout(reference)).toEqual([]);
    expect(await forwardTextOf(reference)).not.toContain('CONTENT FLAGS');
    expect((await recordOf(reference))?.signals).toMatchObject({ flags: [] });
  });

  it('delivers the contact, with a note and no flags, when the scorer fails (P1)', async () => {
    const failing = inboundHandler({
      contentScorer: { score: async () => Promise.reject(new Error('scorer down')) },
    });
    const { result } = await sendEmail(
      mail('Sam Angrywriter <sam.angrywriter@example.org>', 'My repair', threatening),
      'sam.angrywriter@example.org',
      failing,
    );
    expect(result).toMatchObject({ status: 'forwarded', route: 'named-officer' });
    const reference = result.status === 'forwarded' ? result.reference : '';
    expect(eventsAbout(reference)).toEqual([]);
    const text = await forwardTextOf(reference);
    expect(text).not.toContain('CONTENT FLAGS');
    expect(text).toContain(
      'could not be checked for foul, threatening or self-harm language (the check failed)',
    );
    expect((await recordOf(reference))?.signals).toBeUndefined();
  });
});

let counter = 0;
function aSubmission(form: Partial<QueuedSubmission['form']>): QueuedSubmission {
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

describe('content signals in the form path', () => {
  const worker = () => {
    const handler = createFormScreeningHandler({ ...formScreeningDeps(config, clients), events: publisher });
    return (submission: QueuedSubmission) => handler(sqsEventOf(submission), lambdaContext());
  };

  it('flags a threat typed into the form: urgent concern, flags at the top, record, no text in events', async () => {
    const submission = aSubmission({
      subject: 'Parking fine',
      message: 'I am going to stab the next warden who tickets my car. You fucking useless lot.',
    });
    expect(await worker()(submission)).toEqual({ batchItemFailures: [] });
    const events = eventsAbout(submission.reference);
    expect(events.map((e) => e.detailType)).toEqual([detailTypes.safeguarding, detailTypes.abusive]);
    expect(events[0]?.detail).toMatchObject({ channel: 'web-form', urgent: true, categories: ['threat'] });
    expect(events[1]?.detail).toMatchObject({ categories: ['offensive', 'threat'] });
    expect(JSON.stringify(events)).not.toMatch(/stab|warden|fuck|pat\./);

    const text = await forwardTextOf(submission.reference);
    expect(text.split('\n')[2]).toMatch(/^CONTENT FLAGS/);
    expect(text).toMatch(/“I am going to stab the next warden” \(line 3, characters 14–48\)/);
    expect(
      (await recordOf(submission.reference))?.signals.flags.map((f: { category: string }) => f.category),
    ).toEqual(['offensive', 'threat']);

    // Delivered again by SQS (P6): nothing raised twice.
    expect(await worker()(submission)).toEqual({ batchItemFailures: [] });
    expect(eventsAbout(submission.reference)).toHaveLength(2);
  });

  it('raises nothing for "I could kill for a cup of tea"', async () => {
    const submission = aSubmission({ message: 'Sorted, thank you. I could kill for a cup of tea now.' });
    expect(await worker()(submission)).toEqual({ batchItemFailures: [] });
    expect(eventsAbout(submission.reference)).toEqual([]);
    expect(await forwardTextOf(submission.reference)).not.toContain('CONTENT FLAGS');
  });
});
