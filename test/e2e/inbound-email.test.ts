import { readdir, readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AsyncFailureRecord, createAsyncInvoker } from '../../local/async-invoke';
import { type SesReceiptEvent, sesReceiptEvent } from '../../local/ses-event';
import { type InboundSmtp, MAX_MESSAGE_BYTES, startInboundSmtp } from '../../local/smtp';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { makeTempDir } from '../helpers/local-stack';
import { captureSentRaw, storedEmails as readStore, type StoredEmail } from '../helpers/ses-emulator';

/**
 * Inbound email end to end: real SMTP in, the S3 emulator, the SES-shaped event, the same
 * inbound-email Lambda, and the forwards and replies it sends, read back from the SES emulator.
 * Every person and address here is fictional (`.example`, RFC 2606).
 */

const SERVICE_INBOX = 'customer.services@council.example';
const SCREENING_FROM = 'screening@council.example';
const NAMED_OFFICER = 'casework.officer@council.example';
const DESIGNATED_READER = 'designated.reader@council.example';
const DAY_MS = 24 * 60 * 60 * 1000;

/** What one message sent over SMTP led to in the SES emulator. */
interface Outcome {
  messageId: string;
  raw: Buffer;
  forward: StoredEmail;
  /** Everything else sent meanwhile: acknowledgements and notices. */
  replies: StoredEmail[];
}

/** A message as a mail program would build it; `headers` adds fields such as Auto-Submitted. */
function compose(message: {
  from: string;
  to: string | string[];
  subject: string;
  text: string;
  replyTo?: string;
  headers?: Record<string, string>;
}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer(message).compile().build((error, raw) => (error ? reject(error) : resolve(raw)));
  });
}

/** Short SMTP dialogues: each command's full reply (multi-line replies joined). */
async function smtpDialogue(port: number, commands: string[]): Promise<string[]> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setEncoding('latin1');
  let buffer = '';
  const waiters: Array<(reply: string) => void> = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (;;) {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3} [^\r\n]*\r\n/.exec(buffer);
      if (!match) break;
      buffer = buffer.slice(match[0].length);
      waiters.shift()?.(match[0].trimEnd());
    }
  });
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const replies = [await next()];
  for (const command of commands) {
    const reply = next();
    socket.write(`${command}\r\n`);
    replies.push(await reply);
  }
  socket.end();
  return replies;
}

describe('inbound email over SMTP, through the local stack', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let stack: LocalStack;
  let s3: S3Client;
  const lines: string[] = [];
  const transport = () =>
    createTransport({ host: '127.0.0.1', port: stack.ports.smtpPort, secure: false, ignoreTLS: true });

  const admin = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${stack.urls.gateway}${url}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as { id?: string };
    expect(response.status, JSON.stringify(json)).toBe(201);
    return json.id!;
  };
  const registerCustomer = (customer: { name: string; emails: string[]; address?: string }) =>
    admin('POST', '/admin/customers', { phones: [], ...customer });
  const impose = (customerId: string, restriction: Record<string, string>) =>
    admin('POST', '/admin/restrictions', {
      customerId,
      reason: 'Fictional test data: a manager decided this after a review.',
      decidedBy: 'service.manager@council.example',
      withoutWarningReason: 'Fictional test data: escalation is not what this test is about (8.3).',
      startsAt: new Date(Date.now() - DAY_MS).toISOString(),
      endsAt: new Date(Date.now() + 180 * DAY_MS).toISOString(),
      ...restriction,
    });

  const storedEmails = () => readStore(stack.urls.ses);
  /**
   * The SES emulator parses what it is sent and keeps no other headers, so the X-Screening-*
   * headers are read on the wire: every raw message the (in-process) handler sent.
   */
  let sentRaw: string[] = [];
  const headerOf = (reference: string | undefined, name: string) => {
    const raw = sentRaw.find(
      (message) =>
        message.includes(`X-Screening-Reference: ${reference}`) && message.includes('X-Screening-Route:'),
    );
    return new RegExp(`^${name}: (.*)$`, 'm').exec(raw ?? '')?.[1]?.trim();
  };
  const storedKeys = async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucket }));
    return (listed.Contents ?? []).map((object) => object.Key!);
  };
  const storedObject = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };

  /** Sends a message over SMTP and waits until the Lambda has dealt with it. */
  async function deliver(
    message: Parameters<typeof compose>[0],
    envelope: { from: string; to: string[] } = {
      from: message.from.replace(/^.*<|>$/g, ''),
      to: [message.to].flat(),
    },
  ): Promise<Outcome> {
    const before = (await storedEmails()).length;
    const raw = await compose(message);
    const info = await transport().sendMail({ envelope, raw });
    // SES answers `250 Ok <messageId>`; so does the local server.
    const messageId = /^250 2\.6\.0 Ok ([a-z0-9]{40})$/.exec(info.response)?.[1];
    expect(messageId, info.response).toBeDefined();
    await stack.inbound.idle();
    const added = (await storedEmails()).slice(before);
    const forwards = added.filter((email) =>
      email.attachments.some((a) => a.contentType === 'message/rfc822'),
    );
    expect(forwards).toHaveLength(1);
    return {
      messageId: messageId!,
      raw,
      forward: forwards[0]!,
      replies: added.filter((email) => email !== forwards[0]),
    };
  }

  /** The forward's attachment is the message as stored by the S3 action: trace fields, then what was sent. */
  async function expectOriginalAttached(outcome: Outcome) {
    const attachment = outcome.forward.attachments.find((a) => a.contentType === 'message/rfc822')!;
    const attached = Buffer.from(attachment.content, 'base64');
    const stored = await storedObject(outcome.messageId);
    expect(attached.equals(stored)).toBe(true);
    expect(stored.subarray(stored.length - outcome.raw.length).equals(outcome.raw)).toBe(true);
    expect(stored.toString('utf8')).toMatch(/^Return-Path: <[^>]*>\r\nReceived: from /);
  }

  const referenceOf = (email: StoredEmail) => /^\[([A-Z0-9-]+)\]/.exec(email.subject)?.[1];

  beforeAll(async () => {
    data = await makeTempDir('contact-screening-inbound-');
    stack = await startLocalStack({
      port: 0,
      smtpPort: 0,
      sesPort: 0,
      dynamodbPort: 0,
      s3Port: 0,
      dataDir: data.dir,
      seed: false,
      inboundRetryDelaysMs: [400, 800],
      log: (line) => lines.push(line),
    });
    s3 = new S3Client({
      region: 'eu-west-2',
      endpoint: stack.urls.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    sentRaw = captureSentRaw(stack.clients.ses);
  });

  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
    await data?.remove();
  });

  it('greets, advertises the 40 MB limit and no login or STARTTLS, and is part of /health', async () => {
    const [greeting, ehlo] = await smtpDialogue(stack.ports.smtpPort, ['EHLO client.example', 'QUIT']);
    expect(greeting).toMatch(/^220 /);
    expect(ehlo).toMatch(new RegExp(`^250[- ]SIZE ${MAX_MESSAGE_BYTES}$`, 'm'));
    expect(ehlo).toContain('ENHANCEDSTATUSCODES');
    expect(ehlo).not.toMatch(/STARTTLS|AUTH/);
    expect(stack.urls.smtp).toBe(`smtp://127.0.0.1:${stack.ports.smtpPort}`);
    const health = await fetch(stack.urls.health);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { parts: { smtp: string } }).parts.smtp).toBe('up');
  });

  it('refuses a recipient outside the council domains with 550, and stores nothing', async () => {
    const keys = await storedKeys();
    const emails = (await storedEmails()).length;
    const raw = await compose({
      from: 'pat.sender@example.org',
      to: 'someone@elsewhere.example',
      subject: 'Hello',
      text: 'Hello',
    });
    for (const to of ['someone@elsewhere.example', 'someone@sub.council.example']) {
      const refused = transport().sendMail({ envelope: { from: 'pat.sender@example.org', to: [to] }, raw });
      await expect(refused).rejects.toMatchObject({
        code: 'EENVELOPE',
        responseCode: 550,
        response: `550 5.1.1 <${to}>: not a council mailbox here`,
      });
    }
    await stack.inbound.idle();
    expect(await storedKeys()).toEqual(keys);
    expect(await storedEmails()).toHaveLength(emails);
    // The client is told before DATA: a message declared bigger than SES takes is not sent at all.
    await expect(
      transport().sendMail({
        envelope: { from: 'pat.sender@example.org', to: [SERVICE_INBOX], size: MAX_MESSAGE_BYTES + 1 },
        raw,
      }),
    ).rejects.toMatchObject({ code: 'EMESSAGE' });
  });

  // (a)
  it('forwards mail from an unknown sender to the service inbox and acknowledges it', async () => {
    const outcome = await deliver({
      from: 'Pat Sender <pat.sender@example.org>',
      to: 'Customer Services <customer.services@council.example>',
      subject: 'Missed bin collection',
      text: 'My bin was not collected on Tuesday.',
    });
    const { forward, replies } = outcome;
    const reference = referenceOf(forward);
    expect(forward.from).toBe(SCREENING_FROM);
    expect(forward.destination).toEqual({ to: [SERVICE_INBOX], cc: [], bcc: [] });
    expect(forward.replyTo).toEqual(['pat.sender@example.org']);
    expect(forward.subject).toBe(`[${reference}] Missed bin collection`);
    expect(headerOf(reference, 'X-Screening-Route')).toBe('service');
    expect(headerOf(reference, 'Auto-Submitted')).toBe('auto-generated');
    const summary = forward.body.text!;
    expect(summary).toContain(`Contact screening — ${reference}`);
    expect(summary).toContain(`Route:     service inbox → ${SERVICE_INBOX}`);
    expect(summary).toContain('- The sender matches no customer in the restriction register.');
    expect(summary).toContain('Acknowledgement: the standard acknowledgement was sent.');
    expect(summary).toContain('The original message is attached unchanged.');
    await expectOriginalAttached(outcome);

    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      from: SCREENING_FROM,
      destination: { to: ['pat.sender@example.org'] },
      subject: `We have received your message [${reference}]`,
    });
    expect(replies[0]!.body.text).toContain(`Your reference is ${reference}.`);

    // The event is the one SES documents for a Lambda action after an S3 action.
    const event = stack.inbound.receivedEvent(outcome.messageId)!;
    expect(event).toMatchObject({
      Records: [
        {
          eventSource: 'aws:ses',
          eventVersion: '1.0',
          ses: {
            mail: {
              source: 'pat.sender@example.org',
              messageId: outcome.messageId,
              destination: [SERVICE_INBOX],
              headersTruncated: false,
              commonHeaders: {
                returnPath: 'pat.sender@example.org',
                from: ['Pat Sender <pat.sender@example.org>'],
                to: [`Customer Services <${SERVICE_INBOX}>`],
                subject: 'Missed bin collection',
              },
            },
            receipt: {
              recipients: [SERVICE_INBOX],
              spamVerdict: { status: 'GRAY' },
              virusVerdict: { status: 'GRAY' },
              spfVerdict: { status: 'GRAY' },
              dkimVerdict: { status: 'GRAY' },
              dmarcVerdict: { status: 'GRAY' },
              action: {
                type: 'Lambda',
                functionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:contact-screening-inbound-email',
                invocationType: 'Event',
              },
            },
          },
        },
      ],
    });
    const { mail, receipt } = event.Records[0]!.ses;
    expect(mail.headers.slice(0, 3).map((header) => header.name)).toEqual([
      'Return-Path',
      'Received',
      'From',
    ]);
    expect(mail.headers[1]!.value).toMatch(
      new RegExp(`^from \\S+ \\(\\[127\\.0\\.0\\.1\\]\\) by \\S+ with ESMTP id ${outcome.messageId} for <`),
    );
    expect(mail.commonHeaders.messageId).toMatch(/^<.+@.+>$/);
    expect(Date.parse(mail.commonHeaders.date!)).not.toBeNaN();
    expect(mail.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(receipt.processingTimeMillis).toBeGreaterThanOrEqual(0);
    expect(receipt).not.toHaveProperty('dmarcPolicy');

    // The SES emulator's viewer polls `/store?since=<seconds>`: the forward is in what it reads.
    const page = await fetch(stack.urls.sesUi);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/store?since=');
    const polled = (await (await fetch(`${stack.urls.ses}/store?since=0`)).json()) as {
      emails: StoredEmail[];
    };
    expect(polled.emails.map((email) => email.subject)).toContain(forward.subject);
  });

  it('sends no second acknowledgement to the same sender on the same day (P8)', async () => {
    const { forward, replies } = await deliver({
      from: 'Pat Sender <pat.sender@example.org>',
      to: SERVICE_INBOX,
      subject: 'Missed bin collection, again',
      text: 'Still not collected.',
    });
    expect(forward.destination.to).toEqual([SERVICE_INBOX]);
    expect(forward.body.text).toContain(
      'Acknowledgement: none sent (an automatic reply already went to this address today (P8)).',
    );
    expect(replies).toEqual([]);
  });

  it('forwards an automatic reply but never answers it (RFC 3834)', async () => {
    const { forward, replies } = await deliver({
      from: 'Out Of Office <ooo.sender@example.org>',
      to: SERVICE_INBOX,
      subject: 'Automatic reply: Missed bin collection',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(forward.destination.to).toEqual([SERVICE_INBOX]);
    expect(forward.body.text).toContain(
      'Acknowledgement: none sent (no automatic reply to this message: Auto-Submitted: auto-replied).',
    );
    expect(replies).toEqual([]);
  });

  it('forwards a bounce (null envelope sender) without answering it', async () => {
    const outcome = await deliver(
      {
        from: 'Mail Delivery System <mailer-daemon@mail.example.org>',
        to: SERVICE_INBOX,
        subject: 'Undelivered Mail Returned to Sender',
        text: 'This is the mail system.',
      },
      { from: '', to: [SERVICE_INBOX] },
    );
    expect(outcome.replies).toEqual([]);
    const { mail } = stack.inbound.receivedEvent(outcome.messageId)!.Records[0]!.ses;
    expect(mail.source).toBe('');
    expect(mail.headers[0]).toEqual({ name: 'Return-Path', value: '<>' });
  });

  // (b)
  it('forwards a customer with single-named-officer to the named officer (7.3.4)', async () => {
    const customerId = await registerCustomer({ name: 'Robin Sample', emails: ['robin.sample@example.org'] });
    await impose(customerId, { type: 'single-named-officer', namedOfficer: NAMED_OFFICER });

    const outcome = await deliver({
      from: 'Robin Sample <robin.sample@example.org>',
      to: SERVICE_INBOX,
      subject: 'Planning application',
      text: 'Please tell me where my planning application is.',
    });
    const { forward, replies } = outcome;
    expect(forward.destination).toEqual({ to: [NAMED_OFFICER], cc: [], bcc: [] });
    expect(headerOf(referenceOf(forward), 'X-Screening-Route')).toBe('named-officer');
    const summary = forward.body.text!;
    expect(summary).toContain(`Route:     named officer → ${NAMED_OFFICER}`);
    expect(summary).toContain(`- The sender matches register customer ${customerId} by email.`);
    expect(summary).toContain(
      `- [7.3.4] This customer deals with one named officer only; the contact goes to ${NAMED_OFFICER}.`,
    );
    await expectOriginalAttached(outcome);
    // The standard acknowledgement, the same as anyone's: it reveals nothing (P4).
    expect(replies).toHaveLength(1);
    expect(replies[0]!.destination.to).toEqual(['robin.sample@example.org']);
    expect(replies[0]!.subject).toBe(`We have received your message [${referenceOf(forward)}]`);
  });

  // (c)
  it('sends no-email-letter-only mail to the designated reader and the letter notice to the registered address (7.3.2)', async () => {
    const customerId = await registerCustomer({
      name: 'Casey Letter',
      address: '2 Sample Road, Exampleton',
      emails: ['casey.letter@example.net'],
    });
    await impose(customerId, {
      type: 'no-email-letter-only',
      designatedReader: DESIGNATED_READER,
      writeTo: 'Correspondence Unit, Council Offices, Example Town, AL10 0ZZ',
    });

    // Replies asked for elsewhere: the notice still goes to the registered address only (P4).
    const outcome = await deliver({
      from: 'Casey Letter <casey.letter@example.net>',
      replyTo: 'casey.elsewhere@example.com',
      to: SERVICE_INBOX,
      subject: 'My council tax',
      text: 'I want to discuss my council tax.',
    });
    const { forward, replies } = outcome;
    expect(forward.destination).toEqual({ to: [DESIGNATED_READER], cc: [], bcc: [] });
    expect(headerOf(referenceOf(forward), 'X-Screening-Route')).toBe('designated-reader');
    expect(forward.replyTo).toEqual(['casey.elsewhere@example.com']);
    const summary = forward.body.text!;
    expect(summary).toContain(`Route:     designated reader → ${DESIGNATED_READER}`);
    expect(summary).toContain("- [7.3.2] This customer's emails are not accepted");
    expect(summary).toContain(
      'Acknowledgement: notice sent to the registered address that email is not accepted and how to write instead (7.3.2).',
    );
    await expectOriginalAttached(outcome);

    expect(replies).toHaveLength(1);
    const notice = replies[0]!;
    expect(notice.destination.to).toEqual(['casey.letter@example.net']);
    expect(notice.subject).toBe(`Please write to us by letter [${referenceOf(forward)}]`);
    expect(notice.body.text).toContain('Correspondence Unit, Council Offices, Example Town, AL10 0ZZ');
  });

  // (d)
  it('topic-no-reply: on topic to the designated reader with no reply; off topic to the service inbox, reader in Cc', async () => {
    const customerId = await registerCustomer({ name: 'Jo Topic', emails: ['jo.topic@example.com'] });
    await impose(customerId, {
      type: 'topic-no-reply',
      topic: 'CMP-10001',
      designatedReader: DESIGNATED_READER,
    });

    const onTopic = await deliver({
      from: 'Jo Topic <jo.topic@example.com>',
      to: SERVICE_INBOX,
      subject: 'Re: complaint CMP-10001 once more',
      text: 'I am still not satisfied.',
    });
    expect(onTopic.forward.destination).toEqual({ to: [DESIGNATED_READER], cc: [], bcc: [] });
    expect(headerOf(referenceOf(onTopic.forward), 'X-Screening-Route')).toBe('designated-reader');
    expect(onTopic.forward.body.text).toContain(`Route:     designated reader → ${DESIGNATED_READER}`);
    expect(onTopic.forward.body.text).toContain('- [7.3.7] This contact is about "CMP-10001"');
    expect(onTopic.forward.body.text).toContain(
      'Acknowledgement: none sent (no reply is given under 7.3.7).',
    );
    await expectOriginalAttached(onTopic);
    expect(onTopic.replies).toEqual([]);

    const offTopic = await deliver({
      from: 'Jo Topic <jo.topic@example.com>',
      to: SERVICE_INBOX,
      subject: 'Pothole on Mill Lane',
      text: 'There is a deep pothole outside number 4.',
    });
    expect(offTopic.forward.destination).toEqual({ to: [SERVICE_INBOX], cc: [DESIGNATED_READER], bcc: [] });
    expect(headerOf(referenceOf(offTopic.forward), 'X-Screening-Route')).toBe('service');
    expect(offTopic.forward.body.text).toContain(`Copy to:   ${DESIGNATED_READER}`);
    expect(offTopic.forward.body.text).toContain('- [9.1] This contact is not about "CMP-10001"');
    await expectOriginalAttached(offTopic);
    expect(offTopic.replies).toHaveLength(1);
    expect(offTopic.replies[0]!.destination.to).toEqual(['jo.topic@example.com']);
  });

  // (e)
  it('forwards once when the same event is delivered again, even while the first is running (P6)', async () => {
    const before = (await storedEmails()).length;
    const raw = await compose({
      from: 'Sam Twice <sam.twice@example.org>',
      to: SERVICE_INBOX,
      subject: 'Streetlight out',
      text: 'The streetlight by the school is out.',
    });
    const info = await transport().sendMail({
      envelope: { from: 'sam.twice@example.org', to: [SERVICE_INBOX] },
      raw,
    });
    const messageId = info.response.split(' ').pop()!;
    const event = stack.inbound.receivedEvent(messageId)!;
    // At least once: SES or Lambda may deliver it again, at the same time or later.
    stack.inbound.deliver(structuredClone(event));
    await stack.inbound.idle();
    stack.inbound.deliver(structuredClone(event));
    stack.inbound.deliver(structuredClone(event));
    await stack.inbound.idle();

    const added = (await storedEmails()).slice(before);
    const forwards = added.filter((email) => email.subject.endsWith('] Streetlight out'));
    const acknowledgements = added.filter((email) => email.subject.startsWith('We have received'));
    expect(forwards).toHaveLength(1);
    expect(acknowledgements).toHaveLength(1);
    expect(added).toHaveLength(2);
  });

  it('retries a failing invocation twice, then keeps the event in the failure folder and logs ids only', async () => {
    // A receipt event whose message is not in S3: the handler fails every time (the store says NoSuchKey).
    const missingId = 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
    const event = await sesReceiptEvent({
      messageId: missingId,
      envelope: { mailFrom: 'pat.sender@example.org', rcptTo: [SERVICE_INBOX] },
      receivedAt: new Date(),
      stored: [Buffer.from(`From: pat.sender@example.org\r\nTo: ${SERVICE_INBOX}\r\nSubject: Lost\r\n\r\n`)],
    });
    const started = Date.now();
    stack.inbound.deliver(event);
    await stack.inbound.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200); // waited 400 ms and 800 ms between attempts

    const kept = await Promise.all(
      (await readdir(stack.inbound.failedEventsDir)).map(async (name) => {
        const file = path.join(stack.inbound.failedEventsDir, name);
        return { file, record: JSON.parse(await readFile(file, 'utf8')) as AsyncFailureRecord };
      }),
    );
    const ours = kept.filter(({ record }) => JSON.stringify(record.requestPayload).includes(missingId));
    expect(ours).toHaveLength(1);
    const { file, record } = ours[0]!;
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        functionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:contact-screening-inbound-email:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'NoSuchKey' },
    });
    const logged = lines.filter((line) => line.includes(missingId));
    expect(logged).toEqual([
      `contact-screening-inbound-email: message ${missingId} failed 3 times (NoSuchKey); the event is kept in ${file}`,
    ]);
    // No addresses in anything the stack logged (P7).
    expect(lines.join('\n')).not.toMatch(/@/);
  });
});

describe('the SMTP server on its own', () => {
  let server: InboundSmtp | undefined;
  const stored: string[] = [];
  const delivered: SesReceiptEvent[] = [];
  const lines: string[] = [];
  let storeFails = false;

  beforeAll(async () => {
    server = await startInboundSmtp({
      host: '127.0.0.1',
      claim: { port: 0, env: 'SMTP_PORT' },
      councilDomains: ['council.example', 'Other-Council.example'],
      keyPrefix: 'inbound/',
      maxMessageBytes: 16 * 1024,
      store: async (key) => {
        if (storeFails) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
        stored.push(key);
      },
      deliver: async (event) => {
        delivered.push(event);
      },
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  const send = (to: string[], text: string) =>
    createTransport({ host: '127.0.0.1', port: server!.port, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'pat.sender@example.org', to },
      raw: `From: pat.sender@example.org\r\nTo: ${to.join(', ')}\r\nSubject: test\r\n\r\n${text}\r\n`,
    });

  it('accepts only the listed domains, in any case, and keeps the refused recipients out of the event', async () => {
    const info = await send(
      ['a@COUNCIL.example', 'b@other-council.example', 'c@elsewhere.example', 'd@x.council.example'],
      'Hello',
    );
    expect(info.rejected).toEqual(['c@elsewhere.example', 'd@x.council.example']);
    const event = delivered.at(-1)!;
    const { mail, receipt } = event.Records[0]!.ses;
    expect(mail.destination).toEqual(['a@council.example', 'b@other-council.example']);
    expect(receipt.recipients).toEqual(mail.destination);
    expect(stored.at(-1)).toBe(`inbound/${mail.messageId}`);
    expect(mail.messageId).toMatch(/^[a-z0-9]{40}$/);
    // Several recipients: the Received field names none of them, as SES's does.
    expect(mail.headers[1]!.value).not.toContain(' for ');

    // Domains compare without case (nodemailer lower-cases them itself, so ask directly).
    const replies = await smtpDialogue(server!.port, [
      'EHLO client.example',
      'MAIL FROM:<pat.sender@example.org>',
      'RCPT TO:<Someone@Council.EXAMPLE>',
      'RCPT TO:<someone@council.example.org>',
      'QUIT',
    ]);
    expect(replies[3]).toMatch(/^250 /);
    expect(replies[4]).toBe('550 5.1.1 <someone@council.example.org>: not a council mailbox here');
  });

  it('answers 552 to a message over the size limit, and stores and delivers nothing', async () => {
    const before = { stored: stored.length, delivered: delivered.length };
    await expect(send(['a@council.example'], 'x'.repeat(32 * 1024))).rejects.toMatchObject({
      responseCode: 552,
      response: expect.stringMatching(/^552 5\.3\.4 /),
    });
    expect({ stored: stored.length, delivered: delivered.length }).toEqual(before);
  });

  it('answers 451 when the message cannot be stored, and logs the id only', async () => {
    const before = delivered.length;
    storeFails = true;
    try {
      await expect(send(['a@council.example'], 'Hello')).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      storeFails = false;
    }
    expect(delivered).toHaveLength(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^inbound SMTP: message [a-z0-9]{40} could not be stored \(TimeoutError\); the sender was asked to try again later$/,
    );
  });

  it('marks the header list truncated past 10 KB, as SES does', async () => {
    const long = `X-Long: ${'y'.repeat(990)}\r\n`.repeat(11);
    const info = await createTransport({
      host: '127.0.0.1',
      port: server!.port,
      secure: false,
      ignoreTLS: true,
    }).sendMail({
      envelope: { from: 'pat.sender@example.org', to: ['a@council.example'] },
      raw: `From: pat.sender@example.org\r\nSubject: long\r\n${long}\r\nHello\r\n`,
    });
    expect(info.accepted).toEqual(['a@council.example']);
    const { mail } = delivered.at(-1)!.Records[0]!.ses;
    expect(mail.headersTruncated).toBe(true);
    expect(mail.commonHeaders.subject).toBe('long');
    expect(mail.headers.reduce((size, h) => size + h.name.length + h.value.length, 0)).toBeLessThanOrEqual(
      10 * 1024,
    );
  });
});

describe("Lambda's asynchronous invocation, locally", () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    data = await makeTempDir('contact-screening-async-');
  });
  afterAll(async () => {
    await data?.remove();
  });

  const event = { Records: [{ ses: { mail: { messageId: 'abc123' } } }] };

  it('retries after a failure with the same request id, and succeeds without keeping anything', async () => {
    const requestIds: string[] = [];
    let calls = 0;
    const invoker = createAsyncInvoker({
      functionName: 'flaky',
      failureDir: path.join(data.dir, 'flaky'),
      retryDelaysMs: [10, 20],
      handler: async (_event: unknown, context: Context) => {
        requestIds.push(context.awsRequestId);
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return 'done';
      },
    });
    invoker.invoke(event);
    expect(invoker.pending).toBe(1);
    await invoker.idle();
    expect(calls).toBe(3);
    expect(new Set(requestIds).size).toBe(1);
    await expect(readdir(path.join(data.dir, 'flaky'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives up after two retries: one record shaped like an on-failure destination record, one line without the message', async () => {
    const lines: string[] = [];
    const failureDir = path.join(data.dir, 'failing');
    let calls = 0;
    const invoker = createAsyncInvoker({
      functionName: 'failing',
      failureDir,
      retryDelaysMs: [10, 20],
      log: (line) => lines.push(line),
      describe: () => 'message abc123',
      handler: async () => {
        calls += 1;
        throw new TypeError('cannot read alex.example@example.org');
      },
    });
    invoker.invoke(event);
    await invoker.idle();
    expect(calls).toBe(3);
    const [file, ...others] = await readdir(failureDir);
    expect(others).toEqual([]);
    const record = JSON.parse(await readFile(path.join(failureDir, file!), 'utf8')) as AsyncFailureRecord;
    expect(record).toEqual({
      version: '1.0',
      timestamp: expect.any(String),
      requestContext: {
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:failing:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'cannot read alex.example@example.org' },
    });
    expect(lines).toEqual([
      `failing: message abc123 failed 3 times (TypeError); the event is kept in ${path.join(failureDir, file!)}`,
    ]);
  });

  it('counts an attempt that runs past the timeout as failed', async () => {
    let calls = 0;
    const invoker = createAsyncInvoker({
      functionName: 'slow',
      failureDir: path.join(data.dir, 'slow'),
      retryDelaysMs: [],
      timeoutMs: 20,
      handler: async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
    });
    invoker.invoke(event);
    await invoker.idle();
    expect(calls).toBe(1);
    const [file] = await readdir(path.join(data.dir, 'slow'));
    const record = JSON.parse(
      await readFile(path.join(data.dir, 'slow', file!), 'utf8'),
    ) as AsyncFailureRecord;
    expect(record.responsePayload).toEqual({
      errorType: 'TimeoutError',
      errorMessage: 'Task timed out after 0.02 seconds',
    });
  });

  it('on close, runs waiting retries at once and keeps what is still unfinished after the grace', async () => {
    const failureDir = path.join(data.dir, 'closing');
    const invoker = createAsyncInvoker({
      functionName: 'closing',
      failureDir,
      retryDelaysMs: [60_000],
      handler: async (received: unknown) => {
        if ((received as { hang?: boolean }).hang) await new Promise(() => undefined);
        throw new Error('fails');
      },
    });
    invoker.invoke({ id: 'retrying' });
    invoker.invoke({ id: 'hanging', hang: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await invoker.close(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const records = await Promise.all(
      (await readdir(failureDir)).map(
        async (file) => JSON.parse(await readFile(path.join(failureDir, file), 'utf8')) as AsyncFailureRecord,
      ),
    );
    const byId = Object.fromEntries(
      records.map((record) => [(record.requestPayload as { id: string }).id, record.requestContext]),
    );
    expect(byId).toEqual({
      retrying: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 2 }),
      hanging: expect.objectContaining({ condition: 'LocalStackStopped', approximateInvokeCount: 1 }),
    });
  });
});
