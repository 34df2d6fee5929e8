import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { ConflictError, NotFoundError, type RegisterStore } from '../../lambdas/core/ports';
import {
  imposeRestriction,
  readCustomer,
  readRegister,
  registerCustomer,
  screenAgainstRegister,
} from '../../lambdas/core/register';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { changeDeps, unwarned } from '../helpers/register-fixtures';

let table: TestTable;
let store: RegisterStore;
let clock = '2026-06-01T10:00:00.000Z';
const deps = () => changeDeps({ store, now: () => clock, serviceInbox: 'customer.services@council.example' });

beforeAll(async () => {
  table = await startTestTable();
  store = new DynamoRegisterStore(table.documentClient, table.tableName);
});
afterAll(async () => table.stop());

/** Counts the requests the store sends, to hold it to its one-request access patterns. */
function countRequests() {
  const seen: string[] = [];
  table.documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: `count-${Math.random()}` },
  );
  return seen;
}

describe('the register on DynamoDB (dynalite)', () => {
  it('finds a customer by any of their identities, however they are written', async () => {
    const { customer } = await registerCustomer(
      {
        name: 'Alex Example',
        postcode: 'al10 0zz',
        emails: ['Alex.Example@Example.org', 'alex@work.example.com'],
        phones: ['07700 900123'],
      },
      'manager@council.example',
      deps(),
    );
    const byEmail = await store.findCustomersByIdentities([
      { kind: 'email', value: 'alex@work.example.com' },
    ]);
    expect(byEmail.get(customer.id)).toEqual(['email']);

    const decision = await screenAgainstRegister(
      {
        channel: 'web-form',
        emails: ['ALEX.EXAMPLE+council@example.org'],
        phones: ['+44 7700 900 123'],
        name: 'mr alex example',
        postcode: 'AL100ZZ',
      },
      deps(),
    );
    expect(decision.customerIds).toEqual([customer.id]);
    expect(decision.reasons[0]?.text).toMatch(/by email and phone and name-postcode/);
  });

  it('screens against restrictions in force now, with one identity request and one read per customer', async () => {
    const { customer } = await registerCustomer(
      { name: 'Sam Sample', emails: ['sam.sample@example.net'] },
      'm',
      deps(),
    );
    await imposeRestriction(
      {
        ...unwarned,
        customerId: customer.id,
        type: 'single-named-officer',
        namedOfficer: 'officer@council.example',
        reason: 'Many calls a day to different officers (4.2.8)',
        decidedBy: 'Jo Manager',
        startsAt: '2026-05-01',
        endsAt: '2026-07-31',
      },
      'm',
      deps(),
    );
    await imposeRestriction(
      {
        ...unwarned,
        customerId: customer.id,
        type: 'all-contact-refused',
        seniorApprover: 'Director of Customer Services',
        designatedReader: 'reader@council.example',
        reason: 'Continued abuse (8.2)',
        decidedBy: 'Senior Manager',
        startsAt: '2026-08-01',
        endsAt: '2026-12-31',
      },
      'm',
      deps(),
    );
    const requests = countRequests();
    const decision = await screenAgainstRegister(
      { channel: 'email', emails: ['sam.sample@example.net'] },
      deps(),
    );
    expect(requests).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(decision).toMatchObject({ route: 'named-officer', recipients: ['officer@council.example'] });

    clock = '2026-08-01T00:00:00.000Z'; // 1 August, 01:00 BST: the officer restriction has ended at midnight
    expect(
      await screenAgainstRegister({ channel: 'email', emails: ['sam.sample@example.net'] }, deps()),
    ).toMatchObject({
      route: 'designated-reader',
      recipients: ['reader@council.example'],
    });
    clock = '2026-06-01T10:00:00.000Z';
  });

  it('screens against the restriction in force and names the one scheduled (P5), and lists all of them for the register', async () => {
    const { customer } = await registerCustomer(
      { name: 'Jo Placeholder', emails: ['jo@example.com'] },
      'm',
      deps(),
    );
    const base = { customerId: customer.id, reason: 'r', decidedBy: 'd', type: 'witness-required' };
    await imposeRestriction(
      { ...unwarned, ...base, startsAt: '2026-01-01', endsAt: '2026-03-31' },
      'm',
      deps(),
    ); // ended
    await imposeRestriction(
      { ...unwarned, ...base, startsAt: '2026-04-01', endsAt: '2026-09-30' },
      'm',
      deps(),
    ); // in force
    await imposeRestriction(
      { ...unwarned, ...base, startsAt: '2026-10-01', endsAt: '2026-12-31' },
      'm',
      deps(),
    ); // scheduled

    // Screening reads them all in one request; the clock decides which applies (P5).
    const loaded = await store.loadCustomer(customer.id);
    expect(loaded?.restrictions).toHaveLength(3);
    const screened = await screenAgainstRegister({ channel: 'email', emails: ['jo@example.com'] }, deps());
    expect(screened.notes.map((n) => n.restrictionId)).toEqual([loaded?.restrictions[1]?.id]);
    expect(screened.customers?.[0]?.scheduled?.map((s) => s.restrictionId)).toEqual([
      loaded?.restrictions[2]?.id,
    ]);
    const all = await readCustomer(customer.id, deps());
    expect(all.restrictions.map((r) => r.status)).toEqual(['ended', 'active', 'scheduled']);

    const register = await readRegister(deps());
    const mine = register.filter((r) => r.customerId === customer.id);
    expect(mine.map((r) => r.status)).toEqual(['ended', 'active', 'scheduled']); // ordered by review date
  });

  it('refuses a restriction for an unknown customer, and an overlapping one of the same type, writing nothing', async () => {
    const body = {
      type: 'witness-required',
      reason: 'r',
      decidedBy: 'd',
      startsAt: '2026-01-01',
      endsAt: '2026-01-31',
    };
    await expect(
      imposeRestriction({ ...unwarned, ...body, customerId: 'cus_missing' }, 'm', deps()),
    ).rejects.toBeInstanceOf(NotFoundError);

    const { customer } = await registerCustomer(
      { name: 'Overlap Person', emails: ['overlap@example.com'] },
      'm',
      deps(),
    );
    await imposeRestriction({ ...unwarned, ...body, customerId: customer.id }, 'm', deps());
    await expect(
      imposeRestriction(
        { ...unwarned, ...body, customerId: customer.id, startsAt: '2026-01-31', endsAt: '2026-03-01' },
        'm',
        deps(),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    // Back to back is not an overlap: periods are half-open.
    await imposeRestriction(
      { ...unwarned, ...body, customerId: customer.id, startsAt: '2026-02-01', endsAt: '2026-03-01' },
      'm',
      deps(),
    );
    // Two topic-no-reply restrictions on different topics may run together.
    const topic = {
      ...body,
      customerId: customer.id,
      type: 'topic-no-reply',
      designatedReader: 'r@council.example',
    };
    await imposeRestriction({ ...unwarned, ...topic, topic: 'CMP-1' }, 'm', deps());
    await imposeRestriction({ ...unwarned, ...topic, topic: 'CMP-2' }, 'm', deps());
    await expect(
      imposeRestriction({ ...unwarned, ...topic, topic: 'cmp-1 ' }, 'm', deps()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await readCustomer(customer.id, deps())).restrictions).toHaveLength(4);
  });

  it('keeps an audit entry for every change (12.1), in the customer’s own audit partition', async () => {
    const { customer } = await registerCustomer(
      { name: 'Audit Person', emails: ['audit@example.com'] },
      'manager-1',
      deps(),
    );
    const restriction = await imposeRestriction(
      {
        ...unwarned,
        customerId: customer.id,
        type: 'witness-required',
        reason: 'Recorded a meeting without consent (4.2.11)',
        decidedBy: 'd',
        startsAt: '2026-01-01',
        endsAt: '2026-12-31',
      },
      'manager-2',
      deps(),
    );
    const audit = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit(customer.id) },
      }),
    );
    expect(audit.Items?.map((i) => [i.action, i.actor, i.subjectId])).toEqual([
      ['customer-registered', 'manager-1', customer.id],
      ['restriction-imposed', 'manager-2', restriction.id],
      ['letter-generated', 'manager-2', restriction.letter.id],
    ]);
  });

  it('warns, without refusing, when an identity already belongs to another customer', async () => {
    await registerCustomer({ name: 'First Holder', emails: ['shared@example.com'] }, 'm', deps());
    const second = await registerCustomer(
      { name: 'Second Holder', emails: ['Shared@Example.com'] },
      'm',
      deps(),
    );
    expect(second.warnings).toEqual([
      expect.stringMatching(/already has the same email; is this the same person\?/),
    ]);
  });

  it('ignores identity index entries whose customer was never written (a failed registration)', async () => {
    const { customer } = await registerCustomer(
      { name: 'Half Written', emails: ['half@example.com'] },
      'm',
      deps(),
    );
    await table.documentClient.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: { PK: keys.customer(customer.id), SK: keys.profileSk },
      }),
    );
    const decision = await screenAgainstRegister({ channel: 'email', emails: ['half@example.com'] }, deps());
    expect(decision).toMatchObject({ route: 'service', customerIds: [] });
  });

  it('refuses a second write of the same id (conditional put)', async () => {
    const { customer } = await registerCustomer(
      { name: 'Twice', emails: ['twice@example.com'] },
      'm',
      deps(),
    );
    await expect(
      store.saveNewCustomer(customer, {
        id: 'aud_x',
        customerId: customer.id,
        at: clock,
        actor: 'm',
        action: 'customer-registered',
        subjectId: customer.id,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const profile = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.customer(customer.id), SK: keys.profileSk },
      }),
    );
    expect(profile.Item?.name).toBe('Twice');
    // The failed second attempt left the identity pointing at the existing customer only.
    expect(
      (await store.findCustomersByIdentities([{ kind: 'email', value: 'twice@example.com' }])).size,
    ).toBe(1);
  });

  it('rejects invalid register data with field-level messages and writes nothing', async () => {
    const before = (await readRegister(deps())).length;
    await expect(registerCustomer({ name: 'No Identity', emails: [] }, 'm', deps())).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'emails' })],
    });
    await expect(
      imposeRestriction(
        {
          ...unwarned,
          customerId: 'x',
          type: 'single-named-officer',
          namedOfficer: 'not-an-email',
          reason: 'r',
          decidedBy: 'd',
          startsAt: '2026-02-01',
          endsAt: '2026-01-01',
        },
        'm',
        deps(),
      ),
    ).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ field: 'namedOfficer', problem: expect.stringMatching(/email address/) }),
      ],
    });
    await expect(
      imposeRestriction(
        {
          ...unwarned,
          customerId: 'x',
          type: 'witness-required',
          reason: 'r',
          decidedBy: 'd',
          startsAt: '2026-02-01',
          endsAt: '2026-01-01',
        },
        'm',
        deps(),
      ),
    ).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'endsAt' })] });
    expect((await readRegister(deps())).length).toBe(before);
  });

  it('takes a change back when its audit entry cannot be written: no restriction, letter or pointer stays', async () => {
    const { customer } = await registerCustomer(
      { name: 'Undo Person', emails: ['undo@example.com'] },
      'm',
      deps(),
    );
    // Ids made in order: the audit entry of the second restriction collides with the first's.
    const idsFrom = (tag: string) => {
      let n = 0;
      return (prefix: string) => {
        n += 1;
        return prefix === 'aud' ? `aud_${n}` : `${prefix}_${tag}${n}`;
      };
    };
    const body = {
      ...unwarned,
      customerId: customer.id,
      type: 'witness-required' as const,
      reason: 'r',
      decidedBy: 'd',
      startsAt: '2026-01-01',
      endsAt: '2026-12-31',
    };
    const first = await imposeRestriction(body, 'm', { ...deps(), newId: idsFrom('a') });
    await expect(
      imposeRestriction({ ...body, type: 'home-visits-paired' }, 'm', { ...deps(), newId: idsFrom('b') }),
    ).rejects.toBeInstanceOf(ConflictError);
    const record = await store.loadCustomer(customer.id);
    expect(record?.restrictions.map((r) => r.id)).toEqual([first.id]);
    expect((await store.listLetters(customer.id)).map((l) => l.id)).toEqual([first.letter.id]);
    for (const id of ['res_b1', 'let_b2']) {
      const pointer = await table.documentClient.send(
        new GetCommand({ TableName: table.tableName, Key: { PK: keys.idPointer(id), SK: keys.idPointerSk } }),
      );
      expect(pointer.Item).toBeUndefined();
    }
    // The customer can still be changed afterwards: the version taken by the failed change is not a lock.
    await expect(imposeRestriction({ ...body, type: 'social-media' }, 'm', deps())).resolves.toMatchObject({
      type: 'social-media',
    });
  });
});
