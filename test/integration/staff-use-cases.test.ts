import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequests, startAdminApi } from '../helpers/admin-api';
import type { TestTable } from '../helpers/dynalite';
import type { HttpHandler } from '../helpers/http-events';

/**
 * The use cases behind the staff console's pages, through the admin API on dynalite: finding a
 * customer, one contact by reference, alert outcomes (7.2.1) and what needs attention (10.1, 12.1.4).
 */
const token = 'test-admin-token-staff-0123456789ab';
let table: TestTable;
let handler: HttpHandler;

beforeAll(async () => {
  ({ table, handler } = await startAdminApi(token));
});
afterAll(async () => table.stop());

const { post, get } = adminRequests(() => handler, token);

let people = 0;
async function aCustomer(extra: Record<string, unknown> = {}) {
  people += 1;
  const created = await post('/admin/customers', {
    name: `Robin Staffcase${people}`,
    postcode: 'AL10 0ZZ',
    emails: [`robin.staffcase${people}@example.org`],
    ...extra,
  });
  expect(created.statusCode).toBe(201);
  return created.json.id as string;
}

const dayMs = 86_400_000;
/** The London day `n` days from now, as a register date. */
const londonDay = (n: number) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  return new Date(Date.parse(`${today}T12:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
};

async function recordAlert(alertId: string, subject: Record<string, string>) {
  const { DynamoEventLog } = await import('../../lambdas/adapters/dynamodb/event-log');
  const { detailTypes } = await import('../../lambdas/core/events');
  const now = new Date().toISOString();
  await new DynamoEventLog(table.documentClient, table.tableName).recordEvent(
    {
      detailType: detailTypes.frequency,
      detail: {
        alertId,
        subject,
        window: 'topic',
        clause: '4.2.7',
        topic: { key: 'case:CMP-1', label: 'CMP-1', how: 'case-reference' },
        count: 5,
        threshold: 5,
        windowDays: 7,
        channels: ['email'],
        firstContactAt: now,
        lastContactAt: now,
        contactReferences: ['CS-AAAA-BBBB-CC'],
      },
    },
    now,
    'published',
  );
}

async function aContact(reference: string, customerIds: string[]) {
  const { DynamoContactLedger } = await import('../../lambdas/adapters/dynamodb/contact-ledger');
  const ledger = new DynamoContactLedger(table.documentClient, table.tableName);
  const now = new Date().toISOString();
  expect(await ledger.claim(reference, now, new Date(Date.now() + 60_000).toISOString())).toBe('claimed');
  await ledger.complete({
    reference,
    channel: 'email',
    sourceId: `ses-${reference}`,
    receivedAt: now,
    processedAt: now,
    route: 'named-officer',
    recipients: ['casework.officer@council.example'],
    copyTo: [],
    reasons: [
      { code: 'single-named-officer', clause: '7.3.4', text: 'Contact goes to the named officer only.' },
    ],
    notes: [],
    customerIds,
    appliedRestrictionIds: ['res_x'],
    senderVerified: true,
    acknowledgement: { kind: 'standard', sent: true },
    originalAttached: true,
    sizeBytes: 2048,
    problems: [],
    expiresAt: new Date(Date.now() + 730 * dayMs).toISOString(),
  });
}

describe('find a customer (GET /admin/customers/search)', () => {
  it('by email, phone, postcode, name, name and postcode, or contact reference, saying why', async () => {
    const id = await aCustomer({
      name: 'Dr Zoë Findable-Smith',
      postcode: 'SG1 1AA',
      emails: ['zoe.findable@example.org'],
      phones: ['07700 900777'],
    });
    const other = await aCustomer({ name: 'Zed Other', postcode: 'SG1 1AA', emails: ['zed@example.org'] });
    const found = async (q: string) => {
      const result = await get(`/admin/customers/search?q=${encodeURIComponent(q)}`);
      expect(result.statusCode).toBe(200);
      return result.json.matches.map((m: { customer: { id: string }; matchedBy: string[] }) => [
        m.customer.id,
        m.matchedBy,
      ]);
    };
    expect(await found('Zoe.Findable+housing@EXAMPLE.org')).toEqual([[id, ['email']]]);
    expect(await found('+44 7700 900777')).toEqual([[id, ['phone']]]);
    expect(await found('zoe findable')).toEqual([[id, ['name']]]);
    expect(await found('smith zoe sg11aa')).toEqual([[id, ['name', 'postcode']]]);
    // Equal evidence: by name ("Dr Zoë …" before "Zed …").
    expect(await found('sg1 1aa')).toEqual([
      [id, ['postcode']],
      [other, ['postcode']],
    ]);
    await aContact('CS-2222-3333-44', [id]);
    expect(await found('cs 2222 3333 44')).toEqual([[id, ['reference']]]);
    expect(await found('nobody.at.all@example.org')).toEqual([]);
  });

  it('refuses a query that is missing or too short, naming the field q', async () => {
    for (const path of ['/admin/customers/search', '/admin/customers/search?q=x']) {
      const result = await get(path);
      expect(result.statusCode).toBe(400);
      expect(result.json.errors[0].field).toBe('q');
    }
    expect((await get('/admin/customers/search?q=pat&email=x')).json.errors[0]).toEqual({
      field: 'email',
      problem: 'is not a known field',
    });
  });
});

describe('a contact by reference (GET /admin/contacts/{reference})', () => {
  it('answers the decision, reasons with clauses, route and customers by name; never the text', async () => {
    const id = await aCustomer({ name: 'Casey Contacted' });
    await aContact('CS-5555-6666-77', [id]);
    const result = await get('/admin/contacts/cs-5555-6666-77');
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({
      reference: 'CS-5555-6666-77',
      status: 'forwarded',
      channel: 'email',
      route: 'named-officer',
      recipients: ['casework.officer@council.example'],
      reasons: [{ code: 'single-named-officer', clause: '7.3.4' }],
      customers: [{ id, name: 'Casey Contacted' }],
      senderVerified: true,
    });
    expect(result.json).not.toHaveProperty('sourceId');
  });

  it('404 for an unknown reference, 400 naming the field for something that is not one', async () => {
    expect((await get('/admin/contacts/CS-9999-9999-99')).statusCode).toBe(404);
    const bad = await get('/admin/contacts/hello');
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors[0].field).toBe('reference');
  });
});

describe('alert outcomes (POST /admin/alerts/{id}/outcome)', () => {
  it('warning-given closes the alert, records the step on the customer (7.2.1) and is audited; once only', async () => {
    const id = await aCustomer({ name: 'Alex Alerted' });
    await recordAlert('alr_warn_1', { kind: 'customer', customerId: id });
    const listed = await get(`/admin/alerts?customerId=${id}`);
    expect(listed.json.alerts).toEqual([
      expect.objectContaining({
        alertId: 'alr_warn_1',
        customerId: id,
        customerName: 'Alex Alerted',
        state: 'open',
        status: 'published',
      }),
    ]);

    const noHow = await post('/admin/alerts/alr_warn_1/outcome', { outcome: 'warning-given' });
    expect(noHow.statusCode).toBe(400);
    expect(noHow.json.errors[0].field).toBe('how');

    const closed = await post('/admin/alerts/alr_warn_1/outcome', {
      outcome: 'warning-given',
      how: 'phone',
      note: 'Explained the effect of daily calls; asked to write once a week',
      recordedBy: 'Sam Manager',
    });
    expect(closed.statusCode).toBe(201);
    expect(closed.json).toMatchObject({
      alertId: 'alr_warn_1',
      state: 'closed',
      outcome: { outcome: 'warning-given', clause: '7.2.1', recordedBy: 'Sam Manager', how: 'phone' },
      escalation: { stage: 'warning-given' },
    });

    const customer = await get(`/admin/customers/${id}`);
    expect(customer.json.escalation.stage).toBe('warning-given');
    expect(customer.json.escalation.history).toEqual([
      expect.objectContaining({ stage: 'warning-given', how: 'phone', by: 'Sam Manager' }),
    ]);
    const audit = (await get(`/admin/customers/${id}/audit`)).json.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'customer-registered',
      'escalation-recorded',
      'alert-outcome-recorded',
    ]);
    expect(audit[2]).toMatchObject({
      subjectId: 'alr_warn_1',
      actor: 'local-admin',
      why: 'Explained the effect of daily calls; asked to write once a week',
      changes: { outcome: { to: 'warning-given' }, escalationStep: { to: 'warning-given' } },
    });

    const again = await post('/admin/alerts/alr_warn_1/outcome', { outcome: 'no-action' });
    expect(again.statusCode).toBe(409);
    expect(again.json.detail).toMatch(/already closed.*warning-given.*Sam Manager/);
    expect((await get(`/admin/alerts?customerId=${id}&state=open`)).json.alerts).toEqual([]);
    expect((await get('/admin/alerts/alr_warn_1')).json).toMatchObject({ state: 'closed' });
  });

  it('keeps the alert open when the warning cannot be recorded (a step cannot go back)', async () => {
    const id = await aCustomer();
    const notice = await post(`/admin/customers/${id}/escalation`, {
      step: 'written-notice',
      how: 'letter',
      by: 'Sam Manager',
      skipReason: 'Threats to staff (8.3)',
    });
    expect(notice.statusCode).toBe(201);
    await recordAlert('alr_back_1', { kind: 'customer', customerId: id });
    const refused = await post('/admin/alerts/alr_back_1/outcome', {
      outcome: 'warning-given',
      how: 'email',
    });
    expect(refused.statusCode).toBe(409);
    expect((await get('/admin/alerts/alr_back_1')).json.state).toBe('open');
    const contacted = await post('/admin/alerts/alr_back_1/outcome', { outcome: 'customer-contacted' });
    expect(contacted.statusCode).toBe(201);
    expect(contacted.json).toMatchObject({ state: 'closed', outcome: { outcome: 'customer-contacted' } });
    expect(contacted.json).not.toHaveProperty('escalation');
  });

  it('a sender not in the register: no action is recorded, a warning is refused naming outcome', async () => {
    await recordAlert('alr_sender_1', { kind: 'sender', senderId: `snd_${'b'.repeat(24)}` });
    const warning = await post('/admin/alerts/alr_sender_1/outcome', {
      outcome: 'warning-given',
      how: 'email',
    });
    expect(warning.statusCode).toBe(400);
    expect(warning.json.errors[0].field).toBe('outcome');
    const none = await post('/admin/alerts/alr_sender_1/outcome', { outcome: 'no-action' });
    expect(none.statusCode).toBe(201);
    expect(none.json.outcome).toMatchObject({ outcome: 'no-action', recordedBy: 'local-admin' });
    expect(none.json.outcome).not.toHaveProperty('customerId');
  });

  it('404 for an alert that is not there', async () => {
    expect((await post('/admin/alerts/alr_missing/outcome', { outcome: 'no-action' })).statusCode).toBe(404);
    expect((await get('/admin/alerts/alr_missing')).statusCode).toBe(404);
  });
});

describe('what needs attention (GET /admin/attention)', () => {
  it('lists the open alert, the restriction starting this week, its clash and that nobody was advised', async () => {
    const id = await aCustomer({
      name: 'Ada Attention',
      adjustments: [{ channel: 'email', detail: 'Written replies by email' }],
    });
    await post(`/admin/customers/${id}/escalation`, { step: 'concern-raised', by: 'Team Leader' });
    await post(`/admin/customers/${id}/escalation`, {
      step: 'warning-given',
      how: 'email',
      by: 'Sam Manager',
    });
    const imposed = await post('/admin/restrictions', {
      customerId: id,
      type: 'no-email-letter-only',
      reason: 'Dozens of emails a day on one closed complaint (4.2.7)',
      decidedBy: 'Sam Manager',
      startsAt: londonDay(3),
      endsAt: londonDay(200),
    });
    expect(imposed.statusCode).toBe(201);
    await recordAlert('alr_home_1', { kind: 'customer', customerId: id });

    const summary = await get('/admin/attention');
    expect(summary.statusCode).toBe(200);
    const mine = <T extends { customerId?: string }>(items: T[]) => items.filter((i) => i.customerId === id);
    expect(mine(summary.json.openAlerts)).toEqual([
      expect.objectContaining({ alertId: 'alr_home_1', customerName: 'Ada Attention', clause: '4.2.7' }),
    ]);
    expect(mine(summary.json.startingSoon)).toEqual([
      expect.objectContaining({
        restrictionId: imposed.json.id,
        customerName: 'Ada Attention',
        day: londonDay(3),
        inDays: 3,
        restrictionClause: '7.3.2',
      }),
    ]);
    expect(mine(summary.json.unacknowledgedConflicts)).toEqual([
      expect.objectContaining({ restrictionId: imposed.json.id, clause: '8.1' }),
    ]);
    expect(mine(summary.json.notAdvised)).toEqual([
      expect.objectContaining({
        restrictionId: imposed.json.id,
        clause: '12.1.4',
        notAdvised: ['customer', 'services'],
        because: 'imposed',
        workingDaysSince: 0,
        overdue: false,
      }),
    ]);

    await post(`/admin/restrictions/${imposed.json.id}/advised`, {
      customerAdvisedAt: londonDay(0),
      servicesAdvisedAt: londonDay(0),
    });
    await post(`/admin/restrictions/${imposed.json.id}/acknowledge-conflicts`, {
      reason: 'Letters read aloud',
    });
    await post('/admin/alerts/alr_home_1/outcome', { outcome: 'no-action' });
    const after = (await get('/admin/attention')).json;
    expect(mine(after.notAdvised)).toEqual([]);
    expect(mine(after.unacknowledgedConflicts)).toEqual([]);
    expect(mine(after.openAlerts)).toEqual([]);
    expect(mine(after.startingSoon)).toHaveLength(1);
  });
});
