import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequests, startAdminApi } from '../helpers/admin-api';
import type { TestTable } from '../helpers/dynalite';
import type { HttpHandler } from '../helpers/http-events';
import { pdfText } from '../helpers/pdf-text';

/**
 * The register in use through the admin API (7.2, 7.3, 8.1, 10.1, 12.1): every route, its errors,
 * and the audit trail behind each change. Against dynalite, through the real handler.
 */
const token = 'test-admin-token-register-0123456789';
let table: TestTable;
let handler: HttpHandler;

beforeAll(async () => {
  ({ table, handler } = await startAdminApi(token));
});
afterAll(async () => table.stop());

const { send, post, get } = adminRequests(() => handler, token);

const future = { startsAt: '2026-01-01', endsAt: '2099-12-31' };
let people = 0;

async function aCustomer(extra: Record<string, unknown> = {}) {
  people += 1;
  const created = await post('/admin/customers', {
    name: `Pat Person${people}`,
    address: `${people} Example Road, Exampleton`,
    postcode: 'AL10 0ZZ',
    emails: [`pat.person${people}@example.org`],
    ...extra,
  });
  expect(created.statusCode).toBe(201);
  return created.json.id as string;
}

async function warned(customerId: string) {
  const result = await post(`/admin/customers/${customerId}/escalation`, {
    step: 'concern-raised',
    by: 'Team Leader',
    note: 'Daily calls about one complaint',
  });
  expect(result.statusCode).toBe(201);
  const warning = await post(`/admin/customers/${customerId}/escalation`, {
    step: 'warning-given',
    how: 'email',
    by: 'Service Manager',
  });
  expect(warning.statusCode).toBe(201);
}

async function restrict(customerId: string, body: Record<string, unknown> = {}) {
  const type = body.type ?? 'single-named-officer';
  return post('/admin/restrictions', {
    customerId,
    type,
    ...(type === 'single-named-officer' ? { namedOfficer: 'casework.officer@council.example' } : {}),
    reason: 'Calls to many officers about one closed complaint (4.2.7, 4.2.13)',
    decidedBy: 'Sam Manager, Service Manager',
    ...future,
    ...body,
  });
}

describe('staged escalation (7.2)', () => {
  it('goes from concern to warning to written notice, then restriction and refusal of all contact (8.2)', async () => {
    const id = await aCustomer();
    expect((await get(`/admin/customers/${id}`)).json.escalation).toEqual({ stage: 'none', history: [] });

    const concern = await post(`/admin/customers/${id}/escalation`, {
      step: 'concern-raised',
      by: 'Officer A',
    });
    expect(concern.json.stage).toBe('concern-raised');
    const noHow = await post(`/admin/customers/${id}/escalation`, { step: 'warning-given', by: 'M' });
    expect(noHow.statusCode).toBe(400);
    expect(noHow.json.errors).toEqual([{ field: 'how', problem: expect.stringMatching(/7\.2\.1/) }]);
    const warning = await post(`/admin/customers/${id}/escalation`, {
      step: 'warning-given',
      how: 'phone',
      by: 'Service Manager',
    });
    expect(warning.json).toMatchObject({ stage: 'warning-given' });
    const notice = await post(`/admin/customers/${id}/escalation`, {
      step: 'written-notice',
      how: 'letter',
      by: 'Service Manager',
    });
    expect(notice.json.stage).toBe('written-notice');
    const back = await post(`/admin/customers/${id}/escalation`, { step: 'concern-raised', by: 'Officer A' });
    expect(back.statusCode).toBe(409);

    expect((await restrict(id)).statusCode).toBe(201);
    const restricted = (await get(`/admin/customers/${id}`)).json.escalation;
    expect(restricted.stage).toBe('restricted');
    expect(restricted.history.map((h: { stage: string; clause: string }) => [h.stage, h.clause])).toEqual([
      ['concern-raised', '7.2'],
      ['warning-given', '7.2.1'],
      ['written-notice', '7.2.2'],
      ['restricted', '7.3'],
    ]);
    expect(restricted.history[1]).toMatchObject({ how: 'phone', by: 'Service Manager' });

    const noApprover = await restrict(id, {
      type: 'all-contact-refused',
      designatedReader: 'designated.reader@council.example',
      namedOfficer: undefined,
    });
    expect(noApprover.statusCode).toBe(400);
    expect(noApprover.json.errors).toContainEqual({ field: 'seniorApprover', problem: 'is required' });
    const refused = await restrict(id, {
      type: 'all-contact-refused',
      designatedReader: 'designated.reader@council.example',
      seniorApprover: 'Alex Director, Senior Management Team',
      namedOfficer: undefined,
    });
    expect(refused.statusCode).toBe(201);
    expect((await get(`/admin/customers/${id}`)).json.escalation.stage).toBe('all-contact-refused');
  });

  it('needs a reason to leave out a step, and a reason to restrict without a warning (8.3)', async () => {
    const id = await aCustomer();
    const skipped = await post(`/admin/customers/${id}/escalation`, {
      step: 'written-notice',
      how: 'letter',
      by: 'Service Manager',
    });
    expect(skipped.statusCode).toBe(400);
    expect(skipped.json.errors[0].field).toBe('skipReason');

    const unwarned = await restrict(id);
    expect(unwarned.statusCode).toBe(400);
    expect(unwarned.json.errors).toEqual([
      { field: 'withoutWarningReason', problem: expect.stringMatching(/8\.3/) },
    ]);
    expect((await get(`/admin/customers/${id}`)).json.restrictions).toEqual([]);

    const withReason = await restrict(id, { withoutWarningReason: 'Threatened an officer by phone (8.3)' });
    expect(withReason.statusCode).toBe(201);
    expect(withReason.json.withoutWarningReason).toBe('Threatened an officer by phone (8.3)');
  });
});

describe('restrictions and their letters (7.3, 8.1, 10.1, 12.1.4)', () => {
  it('writes a letter with every 8.1 item when a restriction is imposed, as HTML, text and PDF', async () => {
    const id = await aCustomer({ name: 'Robin Letterperson' });
    await warned(id);
    const created = await restrict(id, {
      startsAt: '2026-12-01',
      endsAt: '2027-11-30',
      reviewAt: '2027-06-01',
      namedOfficerName: 'Casey Officer',
      measuresWhenContactNecessary: 'Urgent housing repairs may be reported by phone to the repairs line.',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json.letter).toMatchObject({
      id: expect.stringMatching(/^let_/),
      kind: 'restriction-imposed',
      restrictionId: created.json.id,
      links: { pdf: `/admin/letters/${created.json.letter.id}?format=pdf` },
    });

    const pdf = await get(`/admin/letters/${created.json.letter.id}?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers?.['content-type']).toBe('application/pdf');
    expect(pdf.isBase64Encoded).toBe(true);
    const bytes = new Uint8Array(Buffer.from(pdf.body ?? '', 'base64'));
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text } = await pdfText(bytes);
    expect(text).toContain('Robin Letterperson');
    expect(text).toContain('Calls to many officers about one closed complaint'); // 8.1.1 why
    expect(text).toContain('Casey Officer'); // 8.1.2 what, and who to contact
    expect(text).toMatch(/1 December 2026/); // 8.1.3 how long
    expect(text).toMatch(/30 November 2027/);
    expect(text).toMatch(/1 June 2027/); // 10.1 review
    expect(text).toContain('Urgent housing repairs'); // 12.1.5
    expect(text).toMatch(/Ombudsman/); // 11
    expect(text).toContain('0300 061 0614');

    const html = await get(`/admin/letters/${created.json.letter.id}?format=html`);
    expect(html.headers?.['content-type']).toMatch(/^text\/html/);
    expect(html.headers?.['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html.body).toContain('Robin Letterperson');
    expect(html.body).toContain('www.lgo.org.uk');

    const listed = await get(`/admin/customers/${id}/letters`);
    expect(listed.json.letters.map((l: { id: string }) => l.id)).toEqual([created.json.letter.id]);
    expect((await get('/admin/letters/let_missing')).statusCode).toBe(404);
    expect((await get(`/admin/letters/${created.json.letter.id}?format=docx`)).statusCode).toBe(400);
  });

  it('refuses overlaps, end before start, unknown customers and unknown types, writing nothing', async () => {
    const id = await aCustomer();
    await warned(id);
    expect((await restrict(id)).statusCode).toBe(201);
    const overlap = await restrict(id, { startsAt: '2027-01-01', endsAt: '2027-06-30' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json.detail).toMatch(/already covers/);
    const backwards = await restrict(id, {
      type: 'witness-required',
      startsAt: '2027-06-01',
      endsAt: '2027-01-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json.errors).toContainEqual({
      field: 'endsAt',
      problem: expect.stringMatching(/after startsAt/),
    });
    expect((await restrict('cus_missing')).statusCode).toBe(404);
    expect((await restrict(id, { type: 'carrier-pigeon' })).statusCode).toBe(400);
    const shown = await get(`/admin/customers/${id}`);
    expect(shown.json.restrictions).toHaveLength(1);
    expect((await get(`/admin/customers/${id}/letters`)).json.letters).toHaveLength(1);
  });

  it('lifts once, with a letter; a second lift is refused and the restriction stops applying', async () => {
    const id = await aCustomer();
    await warned(id);
    const created = await restrict(id);
    const lifted = await post(`/admin/restrictions/${created.json.id}/lift`, {
      reason: 'Contact has been reasonable for six months',
      decidedBy: 'Sam Manager',
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json).toMatchObject({
      status: 'lifted',
      liftedBy: 'Sam Manager',
      letter: { kind: 'restriction-lifted' },
    });
    const again = await post(`/admin/restrictions/${created.json.id}/lift`, {
      reason: 'again',
      decidedBy: 'Sam',
    });
    expect(again.statusCode).toBe(409);
    const preview = await post('/admin/screening-preview', {
      emails: [(await get(`/admin/customers/${id}`)).json.emails[0]],
      subject: 'Hello',
    });
    expect(preview.json.route).toBe('service');
    expect(
      (await post('/admin/restrictions/res_missing/lift', { reason: 'r', decidedBy: 'd' })).statusCode,
    ).toBe(404);
    expect((await post(`/admin/restrictions/${created.json.id}/lift`, { reason: 'r' })).statusCode).toBe(400);
  });

  it('extends with a reason and a letter, and asks for the customer to be advised again (10.1)', async () => {
    const id = await aCustomer();
    await warned(id);
    const created = await restrict(id, { startsAt: '2026-01-01', endsAt: '2099-01-31' });
    const advised = await post(`/admin/restrictions/${created.json.id}/advised`, {
      customerAdvisedAt: '2026-01-02',
      servicesAdvisedAt: '2026-01-03',
      how: 'letter by post',
    });
    expect(advised.json).toMatchObject({
      customerAdvisedAt: '2026-01-02T00:00:00.000Z',
      servicesAdvisedAt: '2026-01-03T00:00:00.000Z',
      customerAdvisedHow: 'letter by post',
    });
    expect((await post(`/admin/restrictions/${created.json.id}/advised`, {})).statusCode).toBe(400);

    const shorter = await post(`/admin/restrictions/${created.json.id}/extend`, {
      endsAt: '2098-01-01',
      reason: 'r',
      decidedBy: 'd',
    });
    expect(shorter.statusCode).toBe(400);
    expect(shorter.json.errors[0].field).toBe('endsAt');
    const extended = await post(`/admin/restrictions/${created.json.id}/extend`, {
      endsAt: '2099-12-31',
      reason: 'Contact continued at the same rate during the year (10.1)',
      decidedBy: 'Sam Manager',
    });
    expect(extended.statusCode).toBe(200);
    expect(extended.json.endsAt).toBe('2100-01-01T00:00:00.000Z');
    expect(extended.json.customerAdvisedAt).toBeUndefined();
    expect(extended.json.servicesAdvisedAt).toBe('2026-01-03T00:00:00.000Z');
    expect(extended.json.extensions).toEqual([
      expect.objectContaining({ previousEndsAt: '2099-02-01T00:00:00.000Z', by: 'Sam Manager' }),
    ]);
    expect(extended.json.letter.kind).toBe('restriction-extended');
    const letter = await get(`/admin/letters/${extended.json.letter.id}?format=text`);
    expect(letter.body).toContain('Contact continued at the same rate');
    expect(letter.body).toMatch(/31 December 2099/);
  });

  it('records a review that keeps the restriction, with the next review date', async () => {
    const id = await aCustomer();
    await warned(id);
    const created = await restrict(id);
    const past = await post(`/admin/restrictions/${created.json.id}/review`, {
      reviewedBy: 'Sam Manager',
      notes: 'n',
      nextReviewAt: '2020-01-01',
    });
    expect(past.statusCode).toBe(400);
    const reviewed = await post(`/admin/restrictions/${created.json.id}/review`, {
      reviewedBy: 'Sam Manager',
      notes: 'Still calling several officers a week',
      nextReviewAt: '2098-06-01',
    });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json.reviewAt).toBe('2098-05-31T23:00:00.000Z');
    expect(reviewed.json.reviews).toEqual([
      expect.objectContaining({ by: 'Sam Manager', notes: 'Still calling several officers a week' }),
    ]);
    expect((await get(`/admin/restrictions/${created.json.id}`)).json.reviewAt).toBe(
      '2098-05-31T23:00:00.000Z',
    );
  });

  it('lets exactly one of two simultaneous changes through (conditional writes)', async () => {
    const id = await aCustomer();
    await warned(id);
    const created = await restrict(id);
    const results = await Promise.all([
      post(`/admin/restrictions/${created.json.id}/lift`, { reason: 'first', decidedBy: 'A' }),
      post(`/admin/restrictions/${created.json.id}/lift`, { reason: 'second', decidedBy: 'B' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const letters = (await get(`/admin/customers/${id}/letters`)).json.letters;
    expect(letters.filter((l: { kind: string }) => l.kind === 'restriction-lifted')).toHaveLength(1);
    const audit = (await get(`/admin/customers/${id}/audit`)).json.entries;
    expect(audit.filter((e: { action: string }) => e.action === 'restriction-lifted')).toHaveLength(1);
  });
});

describe('clashes with reasonable adjustments', () => {
  it('saves the restriction with a visible warning until a manager acknowledges it', async () => {
    const id = await aCustomer({
      adjustments: [{ channel: 'email', detail: 'Dyslexia: written replies by email, not letters' }],
      reasonableAdjustments: 'Needs written replies by email',
    });
    await warned(id);
    const created = await restrict(id, {
      type: 'no-email-letter-only',
      namedOfficer: undefined,
      designatedReader: 'designated.reader@council.example',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json.conflicts).toEqual([
      expect.objectContaining({ channel: 'email', restrictionType: 'no-email-letter-only', clause: '7.3.2' }),
    ]);
    expect(created.json.warnings[0]).toMatch(/reasonable adjustment/);
    const row = (await get(`/admin/register?customerId=${id}`)).json.restrictions[0];
    expect(row.warnings).toHaveLength(1);

    const ack = await post(`/admin/restrictions/${created.json.id}/acknowledge-conflicts`, {
      reason: 'Replies will be sent by email to the customer’s named representative instead',
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json.warnings).toEqual([]);
    expect(ack.json.conflictsAcknowledged).toMatchObject({ by: 'local-admin' });
    const twice = await post(`/admin/restrictions/${created.json.id}/acknowledge-conflicts`, {
      reason: 'again',
    });
    expect(twice.statusCode).toBe(409);

    const other = await aCustomer({ adjustments: [{ channel: 'telephone' }] });
    await warned(other);
    const atOnce = await restrict(other, {
      type: 'phone-hours',
      namedOfficer: undefined,
      days: ['tuesday'],
      from: '10:00',
      until: '12:00',
      acknowledgeConflicts: true,
    });
    expect(atOnce.json.conflicts).toHaveLength(1);
    expect(atOnce.json.warnings).toEqual([]);
    const none = await post(`/admin/restrictions/${atOnce.json.id}/acknowledge-conflicts`, { reason: 'x' });
    expect(none.statusCode).toBe(409);
  });
});

describe('customers (12.1.1)', () => {
  it('changes details with a reason; screening follows the new identities at once', async () => {
    const id = await aCustomer({
      representatives: [
        { name: 'Cllr Jane Example', relationship: 'ward councillor', email: 'cllr@council.example' },
      ],
    });
    await warned(id);
    await restrict(id);
    const before = (await get(`/admin/customers/${id}`)).json;
    expect(before.representatives).toHaveLength(1);

    expect((await send('PATCH', `/admin/customers/${id}`, { emails: ['new@example.net'] })).statusCode).toBe(
      400,
    );
    const changed = await send('PATCH', `/admin/customers/${id}`, {
      emails: ['New.Address@Example.net'],
      vulnerability: 'Recently bereaved',
      why: 'The customer wrote to give a new address',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json).toMatchObject({
      emails: ['new.address@example.net'],
      vulnerability: 'Recently bereaved',
    });

    const oldRoute = await post('/admin/screening-preview', { emails: [before.emails[0]], subject: 'x' });
    expect(oldRoute.json.route).toBe('service');
    const newRoute = await post('/admin/screening-preview', {
      emails: ['new.address@example.net'],
      subject: 'x',
    });
    expect(newRoute.json.route).toBe('named-officer');

    const found = await get('/admin/customers?email=NEW.ADDRESS@example.net');
    expect(found.json.customers.map((c: { id: string }) => c.id)).toEqual([id]);
    const cleared = await send('PATCH', `/admin/customers/${id}`, {
      vulnerability: null,
      why: 'No longer applies',
    });
    expect(cleared.json.vulnerability).toBeUndefined();
    expect((await send('PATCH', '/admin/customers/cus_missing', { name: 'X', why: 'y' })).statusCode).toBe(
      404,
    );
    expect((await send('PATCH', `/admin/customers/${id}`, { why: 'nothing' })).statusCode).toBe(400);
    expect((await send('PATCH', `/admin/customers/${id}`, { id: 'cus_other', why: 'x' })).statusCode).toBe(
      400,
    );
  });
});

describe('the audit trail', () => {
  it('has an entry for every change, with who, when, what changed and why; the API cannot edit it', async () => {
    const id = await aCustomer();
    await warned(id);
    const created = await restrict(id);
    await post(`/admin/restrictions/${created.json.id}/advised`, { customerAdvisedAt: '2026-01-05' });
    await send('PATCH', `/admin/customers/${id}`, { name: 'Pat Renamed', why: 'Name changed by deed poll' });
    await post(`/admin/restrictions/${created.json.id}/lift`, {
      reason: 'Behaviour improved',
      decidedBy: 'Sam',
    });

    const { entries } = (await get(`/admin/customers/${id}/audit`)).json;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'customer-registered',
      'escalation-recorded',
      'escalation-recorded',
      'restriction-imposed',
      'letter-generated',
      'restriction-advised',
      'customer-changed',
      'restriction-lifted',
      'letter-generated',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor: 'local-admin', at: expect.any(String), customerId: id });
    }
    const renamed = entries.find((e: { action: string }) => e.action === 'customer-changed');
    expect(renamed).toMatchObject({
      why: 'Name changed by deed poll',
      changes: { name: { from: expect.stringMatching(/^Pat Person/), to: 'Pat Renamed' } },
    });
    const advised = entries.find((e: { action: string }) => e.action === 'restriction-advised');
    expect(advised.changes.customerAdvisedAt).toEqual({ to: '2026-01-05T00:00:00.000Z' });

    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const attempt = await send(method, `/admin/customers/${id}/audit`, { entries: [] });
      expect(attempt.statusCode).toBe(405);
      expect(attempt.headers?.allow).toBe('GET');
      expect(attempt.json.detail).toMatch(/append-only/);
    }
    expect((await get(`/admin/customers/${id}/audit`)).json.entries).toHaveLength(entries.length);
    expect((await get('/admin/customers/cus_missing/audit')).statusCode).toBe(404);
  });
});

describe('the register (10.2, 12.1), reviews, contacts and export', () => {
  it('lists the register with filters, as JSON and as CSV safe for spreadsheets', async () => {
    const id = await aCustomer({ name: '=HYPERLINK("http://evil.example")' });
    await warned(id);
    const active = await restrict(id);
    const ended = await restrict(id, {
      type: 'witness-required',
      startsAt: '2025-01-01',
      endsAt: '2025-06-30',
    });
    const dueSoon = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const due = await restrict(id, {
      type: 'home-visits-paired',
      homeVisits: 'paired-only',
      startsAt: '2026-01-01',
      endsAt: '2099-01-01',
      reviewAt: dueSoon,
    });
    const ids = (status: string) =>
      get(`/admin/register?status=${status}&customerId=${id}`).then((r) =>
        r.json.restrictions.map((row: { id: string }) => row.id).sort(),
      );
    expect(await ids('active')).toEqual([active.json.id, due.json.id].sort());
    expect(await ids('ended')).toEqual([ended.json.id]);
    expect(await ids('review-due')).toEqual([due.json.id]);
    expect(await ids('all')).toHaveLength(3);
    expect((await get('/admin/register?status=sometimes')).statusCode).toBe(400);

    const row = (await get(`/admin/register?customerId=${id}&status=ended`)).json.restrictions[0];
    expect(row).toMatchObject({
      clause: '7.3.6',
      status: 'ended',
      customer: { name: '=HYPERLINK("http://evil.example")', address: expect.any(String) },
      decidedBy: 'Sam Manager, Service Manager',
    });

    const csv = await get(`/admin/register?format=csv&customerId=${id}`);
    expect(csv.headers?.['content-type']).toMatch(/^text\/csv/);
    const lines = (csv.body ?? '').trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^restrictionId,customerId,name,address,postcode,type,clause,restriction,status,startsAt,endsAt,reviewAt,customerAdvisedAt,servicesAdvisedAt/,
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

    const reviews = (await get('/admin/reviews')).json;
    expect(reviews.dueSoon.map((item: { restriction: { id: string } }) => item.restriction.id)).toContain(
      due.json.id,
    );
  });

  it('exports everything held about one customer and nothing about anyone else', async () => {
    const id = await aCustomer({ name: 'Export Person', phones: ['07700 900456'] });
    const other = await aCustomer({ name: 'Someone Else' });
    await warned(id);
    await warned(other);
    const mine = await restrict(id);
    const theirs = await restrict(other);
    const exported = await get(`/admin/customers/${id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers?.['content-disposition']).toMatch(/attachment/);
    const doc = exported.json;
    expect(doc.customer).toMatchObject({ id, name: 'Export Person', phones: ['+447700900456'] });
    expect(doc.restrictions.map((r: { id: string }) => r.id)).toEqual([mine.json.id]);
    expect(doc.escalationSteps).toHaveLength(2);
    expect(doc.letters).toHaveLength(1);
    expect(doc.letters[0].html).toContain('Export Person');
    expect(Buffer.from(doc.letters[0].pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(doc.auditTrail.length).toBeGreaterThanOrEqual(5);
    expect(doc).toHaveProperty('contacts');
    expect(doc).toHaveProperty('alerts');
    const text = JSON.stringify(doc);
    expect(text).not.toContain(other);
    expect(text).not.toContain(theirs.json.id);
    expect(text).not.toContain('Someone Else');
    expect((await get('/admin/customers/cus_missing/export')).statusCode).toBe(404);
  });

  it('answers contacts and alerts, and refuses a contact listing without a customer', async () => {
    expect((await get('/admin/contacts')).statusCode).toBe(400);
    const id = await aCustomer();
    expect((await get(`/admin/contacts?customerId=${id}`)).json).toEqual({ contacts: [] });
    expect((await get(`/admin/alerts?customerId=${id}`)).json).toEqual({ alerts: [] });
  });

  it('describes every route in its OpenAPI document, behind the same authentication', async () => {
    const doc = await get('/admin/openapi.json');
    expect(doc.statusCode).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/admin/customers',
        '/admin/customers/{id}',
        '/admin/customers/{id}/escalation',
        '/admin/customers/{id}/export',
        '/admin/restrictions',
        '/admin/restrictions/{id}/lift',
        '/admin/restrictions/{id}/extend',
        '/admin/restrictions/{id}/advised',
        '/admin/letters/{id}',
        '/admin/register',
        '/admin/contacts',
        '/admin/alerts',
      ]),
    );
    expect((await send('GET', '/admin/openapi.json', undefined, {})).statusCode).toBe(401);
  });
});
