import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { type ContactFormDeps, contactFormDeps } from '../../lambdas/contact-form/deps';
import { createContactFormHandler } from '../../lambdas/contact-form/handler';
import { imposeRestriction, registerCustomer } from '../../lambdas/core/register';
import { formScreeningDeps } from '../../lambdas/form-screening/deps';
import { createFormScreeningHandler } from '../../lambdas/form-screening/handler';
import type { AwsClients } from '../../lambdas/wiring/clients';
import { lambdaContext as functionContext } from '../../local/api-gateway-v2';
import { startSes } from '../../local/emulators';
import { createLocalFormQueue, type LocalFormQueue } from '../../local/form-queue';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { call, type HttpHandler, httpEvent } from '../helpers/http-events';
import { capturedMetrics, testClients, testConfig } from '../helpers/lambda-config';
import { changeDeps, unwarned } from '../helpers/register-fixtures';
import { captureSentRaw, emailsAbout as storedEmailsAbout } from '../helpers/ses-emulator';

let table: TestTable;
let ses: { endpoint: string; close(): Promise<void> };
let dataDir: string;
let clients: AwsClients;
/** The handler's own dependencies, from the test's configuration. */
let formDeps: ContactFormDeps;
let handler: HttpHandler;
/** The form's queue as `npm start` runs it: the form-screening handler screens what the endpoint accepted. */
let formQueue: LocalFormQueue;
let sentRaw: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'contact-form-'));
  table = await startTestTable();
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  const config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: ses.endpoint,
    FORM_RATE_LIMIT_PER_IP: '1000',
    FORM_RATE_LIMIT_PER_IDENTITY: '5',
  });
  clients = testClients(config);
  formQueue = createLocalFormQueue({
    handler: createFormScreeningHandler(formScreeningDeps(config, clients)),
    failureDir: path.join(dataDir, 'failed-events'),
  });
  formDeps = contactFormDeps(config, clients, formQueue.submissions);
  handler = createContactFormHandler(formDeps);
  sentRaw = captureSentRaw(clients.ses, 'utf8');
  const deps = changeDeps({ store: new DynamoRegisterStore(table.documentClient, table.tableName) });
  const period = {
    reason: 'Demo (4.2.7)',
    decidedBy: 'Service Manager',
    startsAt: '2026-01-01',
    endsAt: '2099-01-01',
  };
  const alex = await registerCustomer(
    { name: 'Alex Example', postcode: 'AL10 0ZZ', emails: ['alex.example@example.org'] },
    't',
    deps,
  );
  await imposeRestriction(
    {
      ...unwarned,
      ...period,
      customerId: alex.customer.id,
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
    },
    't',
    deps,
  );
  const sam = await registerCustomer({ name: 'Sam Sample', emails: ['sam.sample@example.net'] }, 't', deps);
  await imposeRestriction(
    {
      ...unwarned,
      ...period,
      customerId: sam.customer.id,
      type: 'no-email-letter-only',
      designatedReader: 'designated.reader@council.example',
    },
    't',
    deps,
  );
}, 60_000);

afterAll(async () => {
  await formQueue?.close();
  await Promise.allSettled([table?.stop(), ses?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

let counter = 0;
const validForm = (overrides: Record<string, unknown> = {}) => ({
  name: 'Pat Example',
  email: `pat.${++counter}@example.org`,
  topic: 'Bins and recycling',
  subject: 'Missed collection',
  message: `My bin was not emptied (${counter}).`,
  consent: 'on',
  ...overrides,
});

const sourceIp = () => `198.51.100.${(counter % 250) + 1}`;

function postJson(body: unknown, headers: Record<string, string> = {}) {
  const event = httpEvent('POST', '/contact', {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  });
  event.requestContext.http.sourceIp = headers['x-test-ip'] ?? sourceIp();
  return call(handler, event);
}

function postForm(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const event = httpEvent('POST', '/contact', {
    body: new URLSearchParams(fields).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      ...headers,
    },
  });
  event.requestContext.http.sourceIp = sourceIp();
  return handler(event, {} as never);
}

/** The forwards of a contact, once the form's queue has screened everything accepted so far. */
const forwardsFor = async (reference: string) => {
  await formQueue.idle();
  return sentRaw.filter(
    (raw) => raw.includes(`X-Screening-Reference: ${reference}`) && raw.includes('X-Screening-Route'),
  );
};
const emailsAbout = async (endpoint: string, reference: string) => {
  await formQueue.idle();
  return storedEmailsAbout(endpoint, reference);
};

describe('POST /contact', () => {
  it('accepts a submission with 202 and a reference, and forwards it with the summary and the submission', async () => {
    const result = await postJson(validForm({ message: 'Hello <script>alert(1)</script> مرحبا 🗑️' }));
    expect(result.statusCode).toBe(202);
    expect(result.json).toEqual({
      reference: expect.stringMatching(/^CS-/),
      message: expect.stringContaining(result.json.reference),
    });
    const [forward] = await forwardsFor(result.json.reference);
    expect(forward).toMatch(/^X-Screening-Route: service$/m);
    expect(forward).toMatch(/^To: customer\.services@council\.example$/m);
    expect(forward).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    const [stored] = await emailsAbout(ses.endpoint, result.json.reference);
    expect(stored?.body.text).toContain('Route:     service inbox');
    expect(stored?.body.text).toContain('The submission (web contact form)');
    expect(stored?.body.text).toContain('Hello <script>alert(1)</script> مرحبا 🗑️'); // inert text/plain
    expect(stored?.body.html).toBeUndefined();
    expect(stored?.body.text).toMatch(/not verified \(typed into the web form\)/);
  });

  it('routes a restricted customer to their named officer, answering exactly as for anyone else (P4)', async () => {
    const restricted = await postJson(validForm({ email: 'Alex.Example@example.org', name: 'Alex Example' }));
    const unknown = await postJson(validForm());
    expect(restricted.statusCode).toBe(202);
    const scrub = (r: typeof restricted) => ({
      status: r.statusCode,
      headers: Object.keys(r.headers ?? {}).sort(),
      body: JSON.stringify(r.json).replaceAll(r.json.reference, 'REF'),
    });
    expect(scrub(restricted)).toEqual(scrub(unknown));
    const [forward] = await forwardsFor(restricted.json.reference);
    expect(forward).toMatch(/^To: casework\.officer@council\.example$/m);
    expect(forward).toMatch(/^X-Screening-Route: named-officer$/m);
  });

  it('sends the 7.3.2 notice to the registered address only', async () => {
    const result = await postJson(validForm({ email: 'sam.sample+web@example.net', name: 'Sam Sample' }));
    expect(result.statusCode).toBe(202);
    const mails = await emailsAbout(ses.endpoint, result.json.reference);
    const notice = mails.find((m) => m.subject.startsWith('Please write to us by letter'));
    expect(notice?.destination.to).toEqual(['sam.sample@example.net']);
    expect(notice?.body.text).toContain('through our website');
    expect(mails.find((m) => m.subject.includes('Missed collection'))?.destination.to).toEqual([
      'designated.reader@council.example',
    ]);
  });

  it('counts a double click, or a retry with the same Idempotency-Key, once', async () => {
    const form = validForm();
    const first = await postJson(form);
    const second = await postJson(form);
    expect(second.json.reference).toBe(first.json.reference);
    expect(await forwardsFor(first.json.reference)).toHaveLength(1);

    const keyed = await postJson(validForm(), { 'idempotency-key': 'abc-123' });
    const retried = await postJson(validForm({ message: 'edited' }), { 'idempotency-key': 'abc-123' });
    expect(retried.json.reference).toBe(keyed.json.reference);
    expect(await forwardsFor(keyed.json.reference)).toHaveLength(1);
  });

  it('names every bad field, in the order of the form', async () => {
    const result = await postJson({ email: 'not-an-email', topic: 'Nonsense', message: '' });
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(result.json.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['name', 'email', 'topic', 'subject', 'message', 'consent']),
    );
    expect(result.json.errors.find((e: { field: string }) => e.field === 'email').problem).toMatch(
      /correct format/,
    );
  });

  it.each([
    ['name', 'Pat\r\nBcc: victim@example.com'],
    ['subject', 'Hello\nBcc: victim@example.com'],
    ['email', 'pat@example.org\r\nBcc: victim@example.com'],
  ])('refuses a line break in %s (header injection), sending nothing', async (field, value) => {
    await formQueue.idle();
    const before = sentRaw.length;
    const result = await postJson(validForm({ [field]: value }));
    expect(result.statusCode).toBe(400);
    expect(result.json.errors[0].field).toBe(field);
    await formQueue.idle();
    expect(sentRaw.length).toBe(before);
  });

  it('answers wrong content types, bad JSON and huge bodies with a clear 4xx', async () => {
    const text = await call(
      handler,
      httpEvent('POST', '/contact', { body: 'hello', headers: { 'content-type': 'text/plain' } }),
    );
    expect(text.statusCode).toBe(415);
    const broken = await call(
      handler,
      httpEvent('POST', '/contact', { body: '{"name":', headers: { 'content-type': 'application/json' } }),
    );
    expect(broken.statusCode).toBe(400);
    const huge = await postJson(validForm({ message: 'x'.repeat(1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
    const long = await postJson(validForm({ message: 'x'.repeat(5001) }));
    expect(long.statusCode).toBe(400);
    expect(long.json.errors[0]).toEqual({
      field: 'message',
      problem: 'Your message must be 5,000 characters or fewer',
    });
    const notObject = await postJson([1, 2, 3]);
    expect(notObject.statusCode).toBe(400);
  });

  it('tells someone sending too much to try later (429, Retry-After), without losing what was accepted', async () => {
    const email = 'busy.person@example.org';
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await postJson(validForm({ email, message: `Message ${i}` })));
    expect(results.slice(0, 5).map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(results[5]?.statusCode).toBe(429);
    expect(Number(results[5]?.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(results[5]?.json.detail).toMatch(/try again in \d+ minutes?\./);
    for (const accepted of results.slice(0, 5))
      expect(await forwardsFor(accepted.json.reference)).toHaveLength(1);
  });

  it('forwards what the hidden field catches as probable spam, answering as usual', async () => {
    const result = await postJson(validForm({ website: 'http://spam.example' }));
    expect(result.statusCode).toBe(202);
    const [forward] = await forwardsFor(result.json.reference);
    expect(forward).toMatch(/^To: customer\.services@council\.example$/m);
    expect(forward).toContain('Probably sent by software');
  });

  it('works as a plain HTML form: a confirmation page, or the form again with its errors', async () => {
    const ok = await postForm(validForm() as Record<string, string>);
    expect(ok.statusCode).toBe(202);
    expect(ok.headers?.['content-type']).toMatch(/^text\/html/);
    expect(ok.body).toMatch(/CS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}/);
    const bad = await postForm({ name: 'Pat <b>', email: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers?.['content-type']).toMatch(/^text\/html/);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#email"');
    expect(bad.body).toContain('Pat &lt;b&gt;'); // kept as typed, escaped
  });

  it('serves its OpenAPI 3.1 document, generated from the same schema', async () => {
    const doc = await call(handler, httpEvent('GET', '/openapi.json'));
    expect(doc.statusCode).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const form =
      doc.json.paths['/contact'].post.requestBody.content['application/x-www-form-urlencoded'].schema;
    expect(Object.keys(form.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'email',
        'phone',
        'postcode',
        'caseReference',
        'topic',
        'subject',
        'message',
        'consent',
      ]),
    );
    expect(form.properties.topic.enum).toContain('Council tax');
  });

  const submission = (accept = 'application/json') => {
    const event = httpEvent('POST', '/contact', {
      body: JSON.stringify(validForm()),
      headers: { 'content-type': 'application/json', accept },
    });
    event.requestContext.http.sourceIp = sourceIp();
    return event;
  };
  const queueDown: ContactFormDeps['submissions'] = {
    enqueue: async () =>
      Promise.reject(Object.assign(new Error('SQS is down'), { name: 'ServiceUnavailable' })),
  };

  it('says "not sent" (503, Retry-After) when the submission cannot be kept, and forwards nothing', async () => {
    await formQueue.idle();
    const before = sentRaw.length;
    const notKept = createContactFormHandler({ ...formDeps, submissions: queueDown });
    const answer = await call(notKept, submission());
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.['retry-after']).toBe('120');
    expect(answer.json.detail).toBe(
      'Your message has not been sent because of a problem on our side. Please try again in a few minutes.',
    );
    const page = await notKept(submission('text/html'), {} as never);
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Your message has not been sent');
    await formQueue.idle();
    expect(sentRaw.length).toBe(before);
  });

  it('answers 503 "not sent", never a 500 or the function timing out, when the queue hangs', async () => {
    const hanging = createContactFormHandler({
      ...formDeps,
      submissions: { enqueue: () => new Promise(() => {}) },
    });
    const started = Date.now();
    // The function's time left, as Lambda gives it: 3 s here (15 s in AWS).
    const answer = await hanging(submission(), functionContext('contact-screening-contact-form', 3_000));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body ?? '{}').title).toBe('Your message could not be sent');
  });

  it('reports what it could not keep to the IT team (metrics); an accepted one is counted when screened', async () => {
    const { metrics, documents } = capturedMetrics();
    const working = createContactFormHandler({ ...formDeps, metrics });
    const notKept = createContactFormHandler({ ...formDeps, metrics, submissions: queueDown });
    expect((await call(working, submission())).statusCode).toBe(202);
    expect((await call(notKept, submission())).statusCode).toBe(503);
    expect(await call(working, httpEvent('GET', '/openapi.json'))).toMatchObject({ statusCode: 200 });
    // ContactsScreened comes from the form-screening function (test/integration/form-screening.test.ts).
    expect(documents).toMatchObject([{ channel: 'web-form', ScreeningFailures: 1 }]);
    expect(documents).toHaveLength(1);
  });

  it('never answers 5xx and never lets a field inject a mail header (property)', async () => {
    let accepted = 0;
    const anyText = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('a\r\nBcc: x@example.com', '\u0000', '\u202e', '=?utf-8?q?x?=', '<script>'),
    );
    await fc.assert(
      fc.asyncProperty(
        // A valid submission with any of its fields replaced by awkward text, so that both the
        // validation and the forwarding paths are exercised.
        fc
          .tuple(
            fc.subarray(
              [
                'name',
                'email',
                'phone',
                'postcode',
                'caseReference',
                'topic',
                'subject',
                'message',
                'consent',
              ],
              {
                maxLength: 3,
              },
            ),
            fc.record({
              name: anyText,
              email: fc.oneof(anyText, fc.emailAddress()),
              phone: anyText,
              postcode: anyText,
              caseReference: anyText,
              topic: anyText,
              subject: anyText,
              message: fc.string({ maxLength: 300 }),
              consent: fc.constantFrom<unknown>('on', 'yes', '', true, false),
            }),
          )
          .map(([replaced, values]) => ({
            ...validForm(),
            ...Object.fromEntries(replaced.map((field) => [field, values[field as keyof typeof values]])),
          })),
        async (body) => {
          const before = sentRaw.length;
          const result = await postJson(body, {
            'x-test-ip': `203.0.113.${Math.floor(Math.random() * 250)}`,
          });
          expect([202, 400, 429]).toContain(result.statusCode);
          if (result.statusCode === 202) accepted += 1;
          await formQueue.idle();
          for (const raw of sentRaw.slice(before)) {
            const header = raw.slice(0, raw.indexOf('\r\n\r\n'));
            expect(header).not.toMatch(/^Bcc:/im);
            expect(header.split('\r\n').filter((line) => /^To:/i.test(line))).toHaveLength(1);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(accepted).toBeGreaterThan(0); // the property reached the forwarding path, not only validation
  }, 60_000);
});
