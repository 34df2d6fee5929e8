import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { adminRequests } from '../helpers/admin-api';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import type { HttpHandler } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { makeTempDir } from '../helpers/local-stack';
import { pdfText } from '../helpers/pdf-text';

/**
 * The letters before a restriction (7.2.1, 7.2.2, 5.9) through the admin API on dynalite: written
 * from a recorded step or incident as a draft, edited, then sent, and from then on kept unchanged.
 */
const token = 'step-letter-test-token';
let table: TestTable;
let bus: LocalEventBus;
let failures: Awaited<ReturnType<typeof makeTempDir>>;
let handler: HttpHandler;
const api = adminRequests(() => handler, token);
let customerId: string;

beforeAll(async () => {
  table = await startTestTable();
  failures = await makeTempDir('step-letter-failures-');
  // Incidents publish IncidentRecorded: a bus whose notify target takes every event.
  bus = await startLocalEventBus({
    host: '127.0.0.1',
    claim: { port: 0, env: 'EVENTBRIDGE_PORT' },
    failureDir: failures.dir,
    targets: { notify: async () => undefined },
  });
  const config = testConfig({
    DYNAMODB_ENDPOINT: table.endpoint,
    TABLE_NAME: table.tableName,
    EVENTBRIDGE_ENDPOINT: bus.endpoint,
    ADMIN_TOKEN: token,
  });
  handler = createAdminApiHandler(adminApiDeps(config, testClients(config)));
  const registered = await api.post('/admin/customers', {
    name: 'Lee Letters',
    address: '2 Park Lane, Hatfield',
    postcode: 'AL10 0ZZ',
    emails: ['lee.letters@example.org'],
  });
  customerId = registered.json.id;
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await Promise.allSettled([table?.stop(), failures?.remove()]);
});

const patch = (path: string, body: unknown) => api.send('PATCH', path, body);

describe('a letter before a restriction', () => {
  it('is drafted from a warning step (7.2.1), edited, sent, then kept unchanged (409 on edit)', async () => {
    await api.post(`/admin/customers/${customerId}/escalation`, {
      step: 'concern-raised',
      by: 'Olive Officer',
    });
    const escalation = await api.post(`/admin/customers/${customerId}/escalation`, {
      step: 'warning-given',
      how: 'letter',
      by: 'Sam Manager',
    });
    expect(escalation.statusCode).toBe(201);
    const customer = await api.get(`/admin/customers/${customerId}`);
    const stepId = customer.json.escalation.history.find(
      (h: { stage: string }) => h.stage === 'warning-given',
    )?.stepId;
    expect(stepId).toMatch(/^esc_/);

    const drafted = await api.post(`/admin/customers/${customerId}/step-letters`, {
      stepId,
      signedBy: 'Sam Manager',
    });
    expect(drafted.statusCode).toBe(201);
    const letter = drafted.json;
    expect(letter).toMatchObject({
      kind: 'request-to-moderate',
      status: 'draft',
      clauses: ['7.2', '7.2.1', '9.1'],
      from: { stepId },
      revision: 0,
      signedBy: 'Sam Manager',
    });
    expect(letter.paragraphs.join(' ')).toContain('paragraph 7.2.1');
    expect(letter.reference).toMatch(/^LT-/);

    // A draft previews as it would print today.
    const preview = await api.get(`/admin/step-letters/${letter.id}?format=html`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Lee Letters');
    expect(preview.body).toContain('keep your contact with us courteous');

    const edited = await patch(`/admin/step-letters/${letter.id}`, {
      paragraphs: ['We are writing about your calls on 1 June.', 'Please keep them polite & short <b>.'],
      revision: 0,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json.revision).toBe(1);
    // An edit made on an old revision is a conflict.
    const stale = await patch(`/admin/step-letters/${letter.id}`, { subject: 'Another', revision: 0 });
    expect(stale.statusCode).toBe(409);

    const sent = await api.post(`/admin/step-letters/${letter.id}/sent`, {
      how: 'post',
      sentBy: 'Sam Manager',
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json).toMatchObject({ status: 'sent', sentHow: 'post', postable: true });

    const html = await api.get(`/admin/step-letters/${letter.id}?format=html`);
    expect(html.body).toContain('Please keep them polite &amp; short &lt;b&gt;.');
    const pdf = await api.get(`/admin/step-letters/${letter.id}?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers?.['content-type']).toBe('application/pdf');
    const pdfWords = await pdfText(new Uint8Array(Buffer.from(pdf.body ?? '', 'base64')));
    expect(pdfWords.text).toContain('We are writing about your calls on 1 June.');

    // Final once sent: no edit, no second sending.
    const late = await patch(`/admin/step-letters/${letter.id}`, { subject: 'Changed after sending' });
    expect(late.statusCode).toBe(409);
    const again = await api.post(`/admin/step-letters/${letter.id}/sent`, {
      how: 'email',
      sentBy: 'Sam Manager',
    });
    expect(again.statusCode).toBe(409);
    // The customer's address changes: the sent letter stays exactly as sent.
    await patch(`/admin/customers/${customerId}`, { address: '9 New Road, Welwyn', why: 'Moved' });
    expect((await api.get(`/admin/step-letters/${letter.id}?format=html`)).body).toBe(html.body);

    const trail = await api.get(`/admin/customers/${customerId}/audit`);
    const actions = trail.json.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['step-letter-drafted', 'step-letter-changed', 'step-letter-sent']),
    );
  });

  it('is drafted from a written notice as the 7.2.2 letter, and from abusive correspondence as the 5.9 letter', async () => {
    await api.post(`/admin/customers/${customerId}/escalation`, {
      step: 'written-notice',
      how: 'letter',
      by: 'Sam Manager',
    });
    const customer = await api.get(`/admin/customers/${customerId}`);
    const notice = customer.json.escalation.history.find(
      (s: { stage: string }) => s.stage === 'written-notice',
    );
    const procedures = await api.post(`/admin/customers/${customerId}/step-letters`, {
      stepId: notice.stepId,
      signedBy: 'Sam Manager',
    });
    expect(procedures.json).toMatchObject({ kind: 'procedures', clauses: ['7.2', '7.2.2', '7.3', '9.1'] });

    const incident = await api.post('/admin/incidents', {
      customerId,
      kind: 'abusive-correspondence',
      channel: 'email',
      what: 'Insulting email',
      recordedBy: 'Olive Officer',
    });
    expect(incident.statusCode, JSON.stringify(incident.json)).toBe(201);
    const tone = await api.post(`/admin/customers/${customerId}/step-letters`, {
      incidentId: incident.json.id,
      signedBy: 'Sam Manager',
    });
    expect(tone.statusCode).toBe(201);
    expect(tone.json).toMatchObject({
      kind: 'tone-unacceptable',
      clauses: ['5.8', '5.9', '9.1'],
      from: { incidentId: incident.json.id },
    });
    expect(tone.json.paragraphs.join(' ')).toContain('unless the tone of what you send us changes');
    expect(tone.json.paragraphs.join(' ')).not.toContain('Insulting email');

    const listed = await api.get(`/admin/customers/${customerId}/step-letters`);
    expect(listed.json.letters.map((l: { kind: string }) => l.kind)).toEqual([
      'request-to-moderate',
      'procedures',
      'tone-unacceptable',
    ]);
    const exported = await api.get(`/admin/customers/${customerId}/export`);
    expect(exported.json.stepLetters).toHaveLength(3);
    expect(exported.json.stepLetters[0].pdfBase64).toBeTruthy();
  });

  it('answers 400 for bad input and 404 for what is not there', async () => {
    const neither = await api.post(`/admin/customers/${customerId}/step-letters`, { signedBy: 'Sam' });
    expect(neither.statusCode).toBe(400);
    const notTheirs = await api.post(`/admin/customers/${customerId}/step-letters`, {
      stepId: 'esc_nope',
      signedBy: 'Sam',
    });
    expect(notTheirs.statusCode).toBe(400);
    expect(notTheirs.json.errors[0].field).toBe('stepId');
    const badKind = await api.post(`/admin/customers/${customerId}/step-letters`, {
      stepId: 'esc_x',
      kind: 'final-warning',
      signedBy: 'Sam',
    });
    expect(badKind.statusCode).toBe(400);
    const drafted = (await api.get(`/admin/customers/${customerId}/step-letters`)).json.letters[1];
    const empty = await patch(`/admin/step-letters/${drafted.id}`, { paragraphs: [] });
    expect(empty.statusCode).toBe(400);
    const badHow = await api.post(`/admin/step-letters/${drafted.id}/sent`, { how: 'pigeon', sentBy: 'Sam' });
    expect(badHow.statusCode).toBe(400);
    expect((await api.get('/admin/step-letters/stl_01J00000000000000000000000')).statusCode).toBe(404);
    expect(
      (await api.post('/admin/customers/cus_nobody/step-letters', { stepId: 'esc_1', signedBy: 'S' }))
        .statusCode,
    ).toBe(404);
  });
});
