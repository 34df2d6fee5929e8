import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApiDeps } from '../../lambdas/admin-api/deps';
import { createAdminApiHandler } from '../../lambdas/admin-api/handler';
import { detailTypes } from '../../lambdas/core/events';
import { notifyDeps } from '../../lambdas/notify/deps';
import { createNotifyHandler } from '../../lambdas/notify/handler';
import { startSes } from '../../local/emulators';
import { type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { adminRequests } from '../helpers/admin-api';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import type { HttpHandler } from '../helpers/http-events';
import { testClients, testConfig } from '../helpers/lambda-config';
import { makeTempDir } from '../helpers/local-stack';
import { storedEmails } from '../helpers/ses-emulator';

/**
 * Incidents through the admin API on dynalite, with the local bus delivering to the real notify
 * function and the SES emulator as the managers' mailbox: what the managers get, what the events
 * carry (never the words), exactly once, and an unknown person's incidents joining their record.
 */
const token = 'incident-test-token';
const managers = 'duty.manager@council.example';
const what = 'Caller shouted at Alex Example and swore repeatedly about CMP-12345';

let table: TestTable;
let ses: { endpoint: string; close(): Promise<void> };
let bus: LocalEventBus;
let failures: Awaited<ReturnType<typeof makeTempDir>>;
let handler: HttpHandler;
const api = adminRequests(() => handler, token);
let customerId: string;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes('127.0.0.1', { port: 0, env: 'SES_PORT' });
  failures = await makeTempDir('incident-failures-');
  const base = {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    SES_ENDPOINT: ses.endpoint,
    MANAGERS: managers,
  };
  const notifyConfig = testConfig(base);
  const notify = createNotifyHandler(notifyDeps(notifyConfig, testClients(notifyConfig)));
  bus = await startLocalEventBus({
    host: '127.0.0.1',
    claim: { port: 0, env: 'EVENTBRIDGE_PORT' },
    failureDir: failures.dir,
    retryDelaysMs: [10, 10],
    targets: { notify: (event: unknown, context: Context) => notify(event, context) },
  });
  const config = testConfig({ ...base, EVENTBRIDGE_ENDPOINT: bus.endpoint, ADMIN_TOKEN: token });
  handler = createAdminApiHandler(adminApiDeps(config, testClients(config)));
  const registered = await api.post('/admin/customers', {
    name: 'Pat Incident',
    address: '1 High Street, Hatfield',
    postcode: 'AL10 0ZZ',
    emails: ['pat.incident@example.org'],
  });
  expect(registered.statusCode).toBe(201);
  customerId = registered.json.id;
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await Promise.allSettled([table?.stop(), ses?.close(), failures?.remove()]);
});

const busEvents = (incidentId: string) =>
  bus.published().filter((published) => JSON.stringify(published.event.detail).includes(incidentId));

describe('POST /admin/incidents', () => {
  it('files a terminated call on the customer and the managers get it in their mailbox within seconds (5.4.2)', async () => {
    const started = Date.now();
    const response = await api.post('/admin/incidents', {
      customerId,
      kind: 'call-terminated',
      channel: 'telephone',
      what,
      warningGiven: true,
      recordedBy: 'Olive Officer',
    });
    expect(response.statusCode).toBe(201);
    const incident = response.json;
    expect(incident).toMatchObject({
      kind: 'call-terminated',
      severity: 'serious',
      clauses: ['5.3', '5.4.1', '5.4.2'],
      customerId,
      what,
      warningGiven: true,
      replayed: false,
      suggestion: { next: 'warning-given', clause: '7.2.1' },
    });
    expect(incident.id).toMatch(/^inc_/);

    let mail: Awaited<ReturnType<typeof storedEmails>> = [];
    while (Date.now() - started < 5000 && mail.length === 0) {
      mail = (await storedEmails(ses.endpoint)).filter((email) => email.body.text?.includes(incident.id));
      if (mail.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(mail).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(mail[0]?.destination.to).toEqual([managers]);
    expect(mail[0]?.subject).toContain('Call terminated recorded (5.3, 5.4.1, 5.4.2): Pat Incident');
    expect(mail[0]?.body.text).toContain('warned first that it would end (5.4.1): yes');
    // What happened in words stays in the console (P7).
    expect(mail[0]?.body.text).not.toContain('shouted');

    // IncidentRecorded: ids, kind, severity; no text, no name.
    const events = busEvents(incident.id);
    expect(events.map((e) => e.event['detail-type'])).toEqual([detailTypes.incident]);
    expect(events[0]?.event.detail).toMatchObject({
      incidentId: incident.id,
      kind: 'call-terminated',
      severity: 'serious',
      customerId,
    });
    const wire = JSON.stringify(events[0]?.event);
    for (const personal of ['shouted', 'Alex Example', 'Pat Incident', 'pat.incident@example.org']) {
      expect(wire).not.toContain(personal);
    }
    // Kept for GET /admin/events too.
    const logged = await api.get('/admin/events?limit=20');
    expect(
      logged.json.events.some(
        (e: { detail: { incidentId?: string } }) => e.detail.incidentId === incident.id,
      ),
    ).toBe(true);
  });

  it('raises an urgent safeguarding concern for a threat to staff, once, with the incident id (3.3, 6.1)', async () => {
    const response = await api.post('/admin/incidents', {
      customerId,
      kind: 'threat-to-staff',
      channel: 'in-person',
      what: 'Threatened to wait for the officer after work',
      policeInformed: true,
      emergencyServices: false,
      staffProtectionReferral: true,
      recordedBy: 'Olive Officer',
    });
    expect(response.statusCode).toBe(201);
    await bus.idle();
    const events = busEvents(response.json.id);
    expect(events.map((e) => e.event['detail-type'])).toEqual([
      detailTypes.incident,
      detailTypes.safeguarding,
    ]);
    expect(events[1]?.event.detail).toEqual({
      incidentId: response.json.id,
      customerId,
      categories: ['threat'],
      urgent: true,
      source: 'incident',
      clauses: ['3.3', '6.1', '6.2'],
    });
    expect(JSON.stringify(events)).not.toContain('wait for the officer');
    const mail = (await storedEmails(ses.endpoint)).filter((email) =>
      email.body.text?.includes(response.json.id),
    );
    expect(
      mail.map((email) => email.subject).some((subject) => subject.startsWith('Urgent: Threat to staff')),
    ).toBe(true);
    // The safeguarding notice points at the incident's note, not at a mailbox.
    const concern = mail.find((email) => /safeguarding/i.test(email.subject));
    expect(concern?.body.text).toContain(`/staff/incidents/${response.json.id}`);
    expect(concern?.body.text).not.toContain('wait for the officer');
  });

  it('a threat of self-harm is urgent safeguarding too (3.2.5); abusive correspondence is not', async () => {
    const selfHarm = await api.post('/admin/incidents', {
      customerId,
      kind: 'threat-of-self-harm',
      channel: 'telephone',
      what: 'Said they would hurt themselves',
      emergencyServices: true,
      recordedBy: 'Olive Officer',
    });
    const abusive = await api.post('/admin/incidents', {
      customerId,
      kind: 'abusive-correspondence',
      channel: 'email',
      what: 'Email full of insults',
      recordedBy: 'Olive Officer',
    });
    await bus.idle();
    expect(busEvents(selfHarm.json.id).map((e) => e.event['detail-type'])).toContain(
      detailTypes.safeguarding,
    );
    expect(busEvents(selfHarm.json.id)[1]?.event.detail).toMatchObject({
      categories: ['self-harm'],
      urgent: true,
    });
    expect(busEvents(abusive.json.id).map((e) => e.event['detail-type'])).toEqual([detailTypes.incident]);
  });

  it('the same Idempotency-Key twice records one incident, publishes once and mails once (P6)', async () => {
    const body = {
      customerId,
      kind: 'meeting-ended',
      channel: 'in-person',
      what: 'Meeting ended when the customer banged the table',
      warningGiven: false,
      recordedBy: 'Olive Officer',
    };
    const headers = { ...api.auth, 'idempotency-key': 'b1f0c2d4-0000-4000-8000-000000000001' };
    const first = await api.send('POST', '/admin/incidents', body, headers);
    const second = await api.send('POST', '/admin/incidents', body, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(second.json.replayed).toBe(true);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    await bus.idle();
    expect(busEvents(first.json.id)).toHaveLength(1);
    const listed = await api.get(`/admin/customers/${customerId}/incidents`);
    expect(listed.json.incidents.filter((i: { id: string }) => i.id === first.json.id)).toHaveLength(1);
    const mail = (await storedEmails(ses.endpoint)).filter((email) =>
      email.body.text?.includes(first.json.id),
    );
    expect(mail).toHaveLength(1);
  });

  it('answers 400 naming the field for bad input, and 404 for a customer not in the register', async () => {
    const cases: Array<[unknown, string]> = [
      [{ customerId, kind: 'shouting', channel: 'telephone', what: 'x', recordedBy: 'O' }, 'kind'],
      [{ customerId, kind: 'call-terminated', channel: 'email', what: 'x', recordedBy: 'O' }, 'channel'],
      [{ customerId, kind: 'call-terminated', channel: 'telephone', what: '  ', recordedBy: 'O' }, 'what'],
      [{ kind: 'call-terminated', channel: 'telephone', what: 'x', recordedBy: 'O' }, 'customerId'],
      [
        {
          caller: { name: 'Someone' },
          kind: 'call-terminated',
          channel: 'telephone',
          what: 'x',
          recordedBy: 'O',
        },
        'caller',
      ],
      [
        {
          customerId,
          kind: 'call-terminated',
          channel: 'telephone',
          what: 'x',
          recordedBy: 'O',
          at: '2999-01-01',
        },
        'at',
      ],
      [
        {
          customerId,
          kind: 'call-terminated',
          channel: 'telephone',
          what: 'x',
          recordedBy: 'O',
          warningGiven: 'yes',
        },
        'warningGiven',
      ],
      [
        { customerId, kind: 'call-terminated', channel: 'telephone', what: 'x', recordedBy: 'O', extra: 1 },
        'extra',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await api.post('/admin/incidents', body);
      expect(response.statusCode, field).toBe(400);
      expect(
        response.json.errors.map((e: { field: string }) => e.field),
        field,
      ).toContain(field);
    }
    const badKey = await api.send(
      'POST',
      '/admin/incidents',
      { customerId, kind: 'call-terminated', channel: 'telephone', what: 'x', recordedBy: 'O' },
      { ...api.auth, 'idempotency-key': 'has spaces in it' },
    );
    expect(badKey.statusCode).toBe(400);
    const missing = await api.post('/admin/incidents', {
      customerId: 'cus_nobody',
      kind: 'call-terminated',
      channel: 'telephone',
      what: 'x',
      recordedBy: 'O',
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe("an unknown caller's incident", () => {
  it('is filed on the details given and joins the customer when they are registered, into the export too', async () => {
    const recorded = await api.post('/admin/incidents', {
      caller: { name: 'Robin Unknown', phone: '07700 900777', postcode: 'al10 9ab' },
      kind: 'call-terminated',
      channel: 'telephone',
      what: 'Caller would not give their name at first and became abusive',
      warningGiven: true,
      recordedBy: 'Olive Officer',
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json.customerId).toBeUndefined();
    expect(recorded.json.suggestion.next).toBe('register-customer');
    await bus.idle();
    expect(busEvents(recorded.json.id)[0]?.event.detail).not.toHaveProperty('customerId');

    // Registered later by name and postcode only: the incident joins by those.
    const registered = await api.post('/admin/customers', { name: 'Robin Unknown', postcode: 'AL10 9AB' });
    expect(registered.statusCode).toBe(201);
    expect(registered.json.history?.incidentsJoined).toBe(1);
    const robin = registered.json.id;
    const listed = await api.get(`/admin/customers/${robin}/incidents`);
    expect(
      listed.json.incidents.map((i: { id: string; customerId: string }) => [i.id, i.customerId]),
    ).toEqual([[recorded.json.id, robin]]);
    // Adding the phone later joins nothing twice.
    const patched = await api.send('PATCH', `/admin/customers/${robin}`, {
      phones: ['07700900777'],
      why: 'Phoned in',
    });
    expect(patched.statusCode).toBe(200);
    expect((await api.get(`/admin/customers/${robin}/incidents`)).json.incidents).toHaveLength(1);

    const audit = await api.get(`/admin/customers/${robin}/audit`);
    expect(audit.json.entries.map((e: { action: string }) => e.action)).toContain('incidents-joined');

    const exported = await api.get(`/admin/customers/${robin}/export`);
    expect(exported.json.incidents.map((i: { id: string; what: string }) => [i.id, i.what])).toEqual([
      [recorded.json.id, 'Caller would not give their name at first and became abusive'],
    ]);
  });

  it('a caller whose details a customer holds is filed on that customer', async () => {
    const recorded = await api.post('/admin/incidents', {
      caller: { email: 'Pat.Incident+x@Example.org' },
      kind: 'abusive-correspondence',
      channel: 'letter',
      what: 'Letter with insults',
      recordedBy: 'Olive Officer',
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json.customerId).toBe(customerId);
  });

  it("the customer's export holds every incident filed on them, with the audit trail of each", async () => {
    const listed = await api.get(`/admin/customers/${customerId}/incidents`);
    const exported = await api.get(`/admin/customers/${customerId}/export`);
    expect(exported.statusCode).toBe(200);
    expect(listed.json.incidents.length).toBeGreaterThanOrEqual(6);
    expect(exported.json.incidents.map((i: { id: string }) => i.id).sort()).toEqual(
      listed.json.incidents.map((i: { id: string }) => i.id).sort(),
    );
    const recordedAudit = exported.json.auditTrail.filter(
      (e: { action: string }) => e.action === 'incident-recorded',
    );
    expect(recordedAudit).toHaveLength(listed.json.incidents.length);
  });
});

describe('when the bus cannot be reached', () => {
  it('answers 503: the note is kept, and the same request again publishes it once the bus is back (P6)', async () => {
    const settings = { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, ADMIN_TOKEN: token };
    const downConfig = testConfig({ ...settings, EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:9' });
    const down = adminRequests(
      () => createAdminApiHandler(adminApiDeps(downConfig, testClients(downConfig))),
      token,
    );
    const body = {
      customerId,
      kind: 'call-terminated',
      channel: 'telephone',
      what: 'Bus down',
      recordedBy: 'O',
    };
    const headers = { ...api.auth, 'idempotency-key': 'bus-down-1' };
    const failed = await down.send('POST', '/admin/incidents', body, headers);
    expect(failed.statusCode).toBe(503);
    expect(failed.json.detail).toContain('Send the same request again with the same Idempotency-Key');
    const incidentId = failed.json.detail.match(/inc_[0-9a-f]{26}/)?.[0];
    expect(busEvents(incidentId)).toEqual([]);

    const retried = await api.send('POST', '/admin/incidents', body, headers);
    expect(retried.statusCode).toBe(201);
    expect(retried.json).toMatchObject({ id: incidentId, replayed: true });
    await bus.idle();
    expect(busEvents(incidentId)).toHaveLength(1);
  }, 60_000);
});

describe('the OpenAPI document', () => {
  it('describes the incident and letter routes', async () => {
    const doc = await api.get('/admin/openapi.json');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/admin/incidents',
        '/admin/incidents/{id}',
        '/admin/customers/{id}/incidents',
        '/admin/customers/{id}/step-letters',
        '/admin/step-letters/{id}',
        '/admin/step-letters/{id}/sent',
      ]),
    );
  });
});
