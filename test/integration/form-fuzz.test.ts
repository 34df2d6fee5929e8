import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactFormDeps } from '../../lambdas/contact-form/deps';
import { createContactFormHandler } from '../../lambdas/contact-form/handler';
import { startSes } from '../../local/emulators';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { call, type HttpHandler, httpEvent } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';

/**
 * Whatever a client posts to the form, the answer is the client's problem (4xx) named in problem
 * JSON, or the form's 202: never a 5xx, which tells a person to try again later about a body
 * that will never be accepted. The classes are those that once turned into 503s.
 */
let table: TestTable;
let ses: { endpoint: string; close(): Promise<void> };
let handler: HttpHandler;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  const config = testConfig({
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: ses.endpoint,
    FORM_RATE_LIMIT_PER_IP: '100000',
  });
  // Accepted submissions are kept in memory: this test is about the answers, not the screening after.
  handler = createContactFormHandler(
    contactFormDeps(config, testClients(config), { enqueue: async () => {} }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([table?.stop(), ses?.close()]);
});

const clientProblems = [400, 413, 415, 422, 429];
const urlencoded = 'application/x-www-form-urlencoded';
const json = 'application/json';

interface Post {
  body?: string;
  isBase64Encoded?: boolean;
  contentType?: string;
}

let posts = 0;
/** Posts as API Gateway hands it over (binary bodies base64-encoded) and checks the answer. */
async function expectClientAnswer(post: Post) {
  const event = httpEvent('POST', '/contact', {
    ...(post.body === undefined ? {} : { body: post.body }),
    headers: {
      accept: 'application/json',
      ...(post.contentType === undefined ? {} : { 'content-type': post.contentType }),
    },
  });
  event.isBase64Encoded = post.isBase64Encoded ?? false;
  event.requestContext.http.sourceIp = `203.0.113.${(++posts % 250) + 1}`;
  const answer = await call(handler, event);
  const shown = JSON.stringify({ ...post, body: post.body?.slice(0, 200) });
  if (answer.statusCode === 202) {
    expect(answer.json?.reference, shown).toMatch(/^CS-/);
    return 202;
  }
  expect(clientProblems, `${shown} → ${answer.statusCode} ${answer.body?.slice(0, 200)}`).toContain(
    answer.statusCode,
  );
  expect(answer.headers?.['content-type']).toMatch(/^application\/problem\+json/);
  // The problem is named: a title, and the detail or the fields to correct.
  expect(answer.json).toMatchObject({ status: answer.statusCode, title: expect.stringMatching(/\w/) });
  expect(answer.json.detail ?? answer.json.errors?.[0]?.problem, shown).toMatch(/\w/);
  return answer.statusCode ?? 0;
}

const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

/** A valid submission, as fields (some runs change one of them). */
const aForm = fc.record({
  name: fc.constantFrom('Pat Example', 'Ŵyn Ŷstrad', 'Zoë 🗑️'),
  email: fc.constantFrom('pat@example.org', 'not-an-address', ''),
  topic: fc.constantFrom('Bins and recycling', 'Council tax', 'Unknown topic'),
  subject: fc.string({ maxLength: 40 }),
  message: fc.string({ minLength: 1, maxLength: 200 }),
  consent: fc.constantFrom('on', 'no', ''),
});

/** Bytes that are not UTF-8: lone continuation bytes, truncated sequences, overlongs, surrogates. */
const invalidUtf8 = fc
  .array(
    fc.constantFrom(
      [0x80],
      [0xc3, 0x28],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xff],
      [0xfe, 0xff],
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((bad) =>
    fc.string({ maxLength: 20 }).map((text) => {
      const bytes = [...Buffer.from(`name=${text}&message=`)];
      return Uint8Array.from([...bytes, ...bad.flat()]);
    }),
  );

const runs = { numRuns: 150 };

describe('the contact form answers every body with 202 or a named 4xx (never 5xx)', () => {
  it('urlencoded bodies without "="', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 300 }).filter((s) => !s.includes('=')),
        async (body) => void (await expectClientAnswer({ body, contentType: urlencoded })),
      ),
      runs,
    );
    expect(await expectClientAnswer({ body: 'hello', contentType: urlencoded })).toBe(400);
  }, 120_000);

  it('random bytes, as text or base64, under any content type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.boolean(),
        fc.constantFrom(urlencoded, json, 'application/octet-stream', undefined),
        async (bytes, encoded, contentType) =>
          void (await expectClientAnswer({
            body: encoded ? base64(bytes) : Buffer.from(bytes).toString('latin1'),
            isBase64Encoded: encoded,
            ...(contentType ? { contentType } : {}),
          })),
      ),
      runs,
    );
  }, 120_000);

  it('invalid UTF-8, raw and percent-encoded', async () => {
    await fc.assert(
      fc.asyncProperty(invalidUtf8, fc.constantFrom(urlencoded, json), async (bytes, contentType) => {
        await expectClientAnswer({ body: base64(bytes), isBase64Encoded: true, contentType });
        const escaped = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        await expectClientAnswer({ body: `name=${escaped}&message=${escaped}`, contentType: urlencoded });
      }),
      runs,
    );
  }, 120_000);

  it('JSON garbage: truncated, not an object, not JSON at all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json().chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
          fc.string({ maxLength: 200 }),
          aForm.map((form) => `${JSON.stringify(form)},`),
        ),
        fc.constantFrom(json, 'application/json; charset=utf-8', 'application/problem+json'),
        async (body, contentType) => void (await expectClientAnswer({ body, contentType })),
      ),
      runs,
    );
    expect(await expectClientAnswer({ body: '{"name":', contentType: json })).toBe(400);
  }, 120_000);

  it('base64 bodies: forms and JSON encoded, and text that is not base64', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        aForm,
        fc.constantFrom(urlencoded, json),
        fc.boolean(),
        async (form, contentType, corrupt) => {
          const text = contentType === json ? JSON.stringify(form) : new URLSearchParams(form).toString();
          const body = corrupt ? `${base64(text).slice(1)}*%$` : base64(text);
          statuses.add(await expectClientAnswer({ body, isBase64Encoded: true, contentType }));
        },
      ),
      runs,
    );
    expect(statuses).toContain(202); // valid submissions do get through, base64 or not
  }, 180_000);

  it('wrong, missing and odd content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(
            'text/plain',
            'text/html',
            'multipart/form-data; boundary=xyz',
            'application/xml',
            '',
            'APPLICATION/JSON',
            'application/x-www-form-urlencoded-ish',
            'application/jsonp',
            urlencoded,
            json,
            undefined,
          ),
          fc.string({ maxLength: 60 }),
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.constant('name=Pat&message=hello'),
          fc.constant('{"name":"Pat"}'),
        ),
        async (contentType, body) =>
          void (await expectClientAnswer({
            ...(body === undefined ? {} : { body }),
            ...(contentType === undefined ? {} : { contentType }),
          })),
      ),
      runs,
    );
    expect(await expectClientAnswer({ contentType: urlencoded, isBase64Encoded: true })).toBe(400);
  }, 120_000);

  it('huge field counts, repeated and hostile field names, and bodies over the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 500, max: 20_000 }),
        fc.constantFrom('distinct', 'repeated', 'hostile'),
        fc.constantFrom(urlencoded, json),
        async (count, names, contentType) => {
          const name = (i: number) =>
            names === 'distinct'
              ? `f${i}`
              : names === 'repeated'
                ? 'message'
                : ['__proto__', 'constructor', 'toString', 'hasOwnProperty'][i % 4]!;
          const pairs = Array.from({ length: count }, (_, i) => [name(i), String(i)] as const);
          const body =
            contentType === json
              ? `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`
              : pairs.map(([k, v]) => `${k}=${v}`).join('&');
          await expectClientAnswer({ body, contentType });
        },
      ),
      { numRuns: 60 },
    );
  }, 180_000);
});
