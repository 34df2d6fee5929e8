import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../../lambdas/adapters/dynamodb/register-store';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import type { ContactRecord } from '../../lambdas/core/contact';
import { detailTypes, type FrequencyAlertDetail } from '../../lambdas/core/events';
import { startTestTable, type TestTable } from '../helpers/dynalite';

let table: TestTable;
let ledger: DynamoContactLedger;
let log: DynamoContactLog;
beforeAll(async () => {
  table = await startTestTable();
  ledger = new DynamoContactLedger(table.documentClient, table.tableName);
  log = new DynamoContactLog(table.documentClient, table.tableName);
});
afterAll(async () => table.stop());

const record = (reference: string, overrides: Partial<ContactRecord> = {}): ContactRecord => ({
  reference,
  channel: 'email',
  sourceId: 'ses-message-id',
  receivedAt: '2026-06-01T10:00:00.000Z',
  processedAt: '2026-06-01T10:00:01.000Z',
  route: 'named-officer',
  recipients: ['officer@council.example'],
  copyTo: ['reader@council.example'],
  reasons: [
    {
      code: 'single-named-officer',
      clause: '7.3.4',
      text: 'Only the named officer deals with alex@example.org',
    },
    { code: 'customer-recognised', text: 'Recognised by email' },
  ],
  notes: [],
  customerIds: ['cus_1'],
  appliedRestrictionIds: ['res_1'],
  senderVerified: true,
  acknowledgement: { kind: 'standard', sent: true },
  originalAttached: true,
  sizeBytes: 1234,
  problems: ['a problem'],
  topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
  counts: { topic: 1, allTopics: 1, channels: 1 },
  expiresAt: '2028-06-01T10:00:01.000Z',
  ...overrides,
});

async function completeContact(contact: ContactRecord) {
  expect(await ledger.claim(contact.reference, contact.receivedAt, '2099-01-01T00:00:00.000Z')).toBe(
    'claimed',
  );
  await ledger.complete(contact);
}

async function getItem(PK: string, SK: string) {
  const output = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: { PK, SK }, ConsistentRead: true }),
  );
  return output.Item;
}

async function partition(PK: string) {
  const output = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': PK },
    }),
  );
  return output.Items ?? [];
}

/** Counts the requests sent through the document client while `action` runs. */
async function requestsDuring(
  client: TestTable['documentClient'],
  action: () => Promise<unknown>,
): Promise<string[]> {
  const seen: string[] = [];
  const name = `count-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // The context names either the document client's command or the low-level one (GetItemCommand).
      seen.push((context.commandName ?? '?').replace(/Item(Command)$/, '$1'));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await action();
  } finally {
    client.middlewareStack.remove(name);
  }
  return seen;
}

describe('the contact log by customer on DynamoDB (dynalite)', () => {
  it('writes one log entry per customer when a contact completes: the decision only (P7)', async () => {
    await completeContact(record('CS-LOG-1', { customerIds: ['cus_A', 'cus_B', 'cus_A'] }));

    for (const customerId of ['cus_A', 'cus_B']) {
      const item = await getItem(
        keys.contactLog(customerId),
        keys.contactLogSk('2026-06-01T10:00:00.000Z', 'CS-LOG-1'),
      );
      expect(item).toEqual({
        PK: `CONTACTLOG#${customerId}`,
        SK: '2026-06-01T10:00:00.000Z#CS-LOG-1',
        entity: 'contact-log',
        reference: 'CS-LOG-1',
        customerId,
        channel: 'email',
        receivedAt: '2026-06-01T10:00:00.000Z',
        route: 'named-officer',
        reasons: [{ code: 'single-named-officer', clause: '7.3.4' }, { code: 'customer-recognised' }],
        appliedRestrictionIds: ['res_1'],
        topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
        senderVerified: true,
        expiresAt: Date.parse('2028-06-01T10:00:01.000Z') / 1000,
        retainUntil: '2028-06-01T10:00:01.000Z',
      });
      // No addresses, texts, subjects or bodies.
      expect(JSON.stringify(item)).not.toMatch(/@|Recognised|problem/);
    }
    expect(await partition(keys.contactLog('cus_A'))).toHaveLength(1);
  });

  it('indexes the completed record by the month its retention ends (GSI1)', async () => {
    const item = await getItem(keys.contact('CS-LOG-1'), keys.contactSk);
    expect(item).toMatchObject({
      status: 'forwarded',
      GSI1PK: 'CONTACTS#2028-06',
      GSI1SK: '2028-06-01T10:00:01.000Z#CS-LOG-1',
      retainUntil: '2028-06-01T10:00:01.000Z',
    });
  });

  it('writes no entry for a contact without customers', async () => {
    const requests = await requestsDuring(table.documentClient, () =>
      completeContact(
        record('CS-LOG-NONE', { customerIds: [], route: 'service', appliedRestrictionIds: [] }),
      ),
    );
    expect(requests).not.toContain('BatchWriteCommand');
    expect(await getItem(keys.contact('CS-LOG-NONE'), keys.contactSk)).toMatchObject({ status: 'forwarded' });
  });

  it('writes the same entry again, harmlessly, when a redelivery completes the contact again', async () => {
    await completeContact(record('CS-LOG-AGAIN', { customerIds: ['cus_AGAIN'] }));
    // A second completion is refused (the claim is finished), but its entry is the same item.
    await expect(ledger.complete(record('CS-LOG-AGAIN', { customerIds: ['cus_AGAIN'] }))).rejects.toThrow();
    expect(await log.listContactsOfCustomer('cus_AGAIN', 10)).toEqual([
      expect.objectContaining({ reference: 'CS-LOG-AGAIN' }),
    ]);
  });

  it("lists a customer's contacts newest first, up to the limit, and nobody else's", async () => {
    for (const [i, day] of ['2026-06-03', '2026-06-01', '2026-06-05', '2026-06-02', '2026-06-04'].entries()) {
      await completeContact(
        record(`CS-LIST-${i}`, { customerIds: ['cus_LIST'], receivedAt: `${day}T09:00:00.000Z` }),
      );
    }
    await completeContact(
      record('CS-LIST-OTHER', { customerIds: ['cus_OTHER'], receivedAt: '2026-06-09T09:00:00.000Z' }),
    );

    const three = await log.listContactsOfCustomer('cus_LIST', 3);
    expect(three.map((entry) => entry.receivedAt.slice(0, 10))).toEqual([
      '2026-06-05',
      '2026-06-04',
      '2026-06-03',
    ]);
    expect(three[0]).toEqual({
      reference: 'CS-LIST-2',
      customerId: 'cus_LIST',
      channel: 'email',
      receivedAt: '2026-06-05T09:00:00.000Z',
      route: 'named-officer',
      reasons: [{ code: 'single-named-officer', clause: '7.3.4' }, { code: 'customer-recognised' }],
      appliedRestrictionIds: ['res_1'],
      topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
      senderVerified: true,
    });
    const all = await log.listContactsOfCustomer('cus_LIST', 50);
    expect(all).toHaveLength(5);
    expect(all.every((entry) => entry.customerId === 'cus_LIST')).toBe(true);
    expect(await log.listContactsOfCustomer('cus_LIST', 0)).toEqual([]);
    expect(await log.listContactsOfCustomer('cus_NOBODY', 10)).toEqual([]);
  });

  it('leaves the customer read alone: loadCustomer returns the profile and restrictions only', async () => {
    const store = new DynamoRegisterStore(table.documentClient, table.tableName);
    const customerId = 'cus_LOAD';
    const pk = keys.customer(customerId);
    // The register's own items, written as the register store writes them (kept independent of the core).
    const items = [
      {
        PK: pk,
        SK: keys.profileSk,
        entity: 'customer',
        id: customerId,
        name: 'Alex Example',
        createdAt: '2026-05-01T00:00:00.000Z',
      },
      {
        PK: pk,
        SK: keys.restrictionSk('res_LOAD'),
        entity: 'restriction',
        id: 'res_LOAD',
        customerId,
        type: 'witness-required',
        startsAt: '2026-05-01T00:00:00.000Z',
        endsAt: '2026-12-31T00:00:00.000Z',
      },
    ];
    for (const item of items)
      await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
    await completeContact(record('CS-LOAD-1', { customerIds: [customerId] }));
    await completeContact(
      record('CS-LOAD-2', { customerIds: [customerId], receivedAt: '2026-06-02T10:00:00.000Z' }),
    );

    const loaded = await store.loadCustomer(customerId);
    expect(loaded?.customer).toMatchObject({ id: customerId, name: 'Alex Example' });
    expect(loaded?.restrictions.map((r) => r.id)).toEqual(['res_LOAD']);
    expect(JSON.stringify(loaded)).not.toMatch(/CS-LOAD|contact-log/);
    // ...while the log's own partition holds the entries, and they are listed.
    const entities = (await partition(keys.contactLog(customerId))).map((item) => item.entity);
    expect(entities.filter((entity) => entity === 'contact-log')).toHaveLength(2);
    expect((await log.listContactsOfCustomer(customerId, 10)).map((e) => e.reference)).toEqual([
      'CS-LOAD-2',
      'CS-LOAD-1',
    ]);
  });
});

describe('the retention of contact records (removeExpired)', () => {
  let retention: TestTable;
  let retentionLedger: DynamoContactLedger;
  let retentionLog: DynamoContactLog;
  beforeAll(async () => {
    // A table of its own: the retention mark is table-wide.
    retention = await startTestTable();
    retentionLedger = new DynamoContactLedger(retention.documentClient, retention.tableName);
    retentionLog = new DynamoContactLog(retention.documentClient, retention.tableName);
  });
  afterAll(async () => retention.stop());

  const complete = async (reference: string, expiresAt: string, customerIds: string[]) => {
    await retentionLedger.claim(reference, '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z');
    await retentionLedger.complete(record(reference, { expiresAt, customerIds }));
  };
  const exists = async (reference: string, customerId?: string) => {
    const key = customerId
      ? { PK: keys.contactLog(customerId), SK: keys.contactLogSk('2026-06-01T10:00:00.000Z', reference) }
      : { PK: keys.contact(reference), SK: keys.contactSk };
    const output = await retention.documentClient.send(
      new GetCommand({ TableName: retention.tableName, Key: key, ConsistentRead: true }),
    );
    return output.Item !== undefined;
  };

  it('removes exactly the records (and their log entries) retained until before now, and nothing else', async () => {
    const now = '2028-06-15T12:00:00.000Z';
    await complete('CS-OLD-1', '2021-03-01T00:00:00.000Z', ['cus_R1']); // years ago
    await complete('CS-OLD-2', '2028-05-31T23:59:59.999Z', ['cus_R1', 'cus_R2']); // last month
    await complete('CS-OLD-3', '2028-06-15T11:59:59.999Z', []); // this month, just before now
    await complete('CS-KEEP-1', '2028-06-15T12:00:00.000Z', ['cus_R1']); // exactly now: not before it
    await complete('CS-KEEP-2', '2028-06-30T00:00:00.000Z', ['cus_R2']); // later this month
    await complete('CS-KEEP-3', '2031-01-01T00:00:00.000Z', ['cus_R1']); // years ahead
    // An unfinished claim has no retention yet: never touched.
    await retentionLedger.claim('CS-UNFINISHED', '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z');
    // A customer's profile and restrictions on the same partition stay.
    await retention.documentClient.send(
      new PutCommand({
        TableName: retention.tableName,
        Item: { PK: keys.customer('cus_R1'), SK: keys.profileSk, entity: 'customer', id: 'cus_R1' },
      }),
    );

    expect(await retentionLog.removeExpired(now)).toBe(3);

    for (const reference of ['CS-OLD-1', 'CS-OLD-2', 'CS-OLD-3']) expect(await exists(reference)).toBe(false);
    expect(await exists('CS-OLD-1', 'cus_R1')).toBe(false);
    expect(await exists('CS-OLD-2', 'cus_R1')).toBe(false);
    expect(await exists('CS-OLD-2', 'cus_R2')).toBe(false);
    for (const reference of ['CS-KEEP-1', 'CS-KEEP-2', 'CS-KEEP-3', 'CS-UNFINISHED'])
      expect(await exists(reference)).toBe(true);
    expect(await exists('CS-KEEP-1', 'cus_R1')).toBe(true);
    expect(await exists('CS-KEEP-2', 'cus_R2')).toBe(true);
    expect(await exists('CS-KEEP-3', 'cus_R1')).toBe(true);
    expect((await retentionLog.listContactsOfCustomer('cus_R1', 10)).map((e) => e.reference).sort()).toEqual([
      'CS-KEEP-1',
      'CS-KEEP-3',
    ]);
    const r1 = await retention.documentClient.send(
      new GetCommand({
        TableName: retention.tableName,
        Key: { PK: keys.customer('cus_R1'), SK: keys.profileSk },
      }),
    );
    expect(r1.Item).toBeDefined();
  });

  it('is idempotent, and after a complete run reads only the months since the last one', async () => {
    const requests = await requestsDuring(retention.documentClient, async () => {
      expect(await retentionLog.removeExpired('2028-06-15T12:00:00.000Z')).toBe(0);
    });
    // The retention mark and this month's index partition: no look-back over ten years.
    expect(requests).toEqual(['GetCommand', 'QueryCommand']);

    const later = await requestsDuring(retention.documentClient, async () => {
      expect(await retentionLog.removeExpired('2028-07-01T00:00:00.000Z')).toBe(2); // CS-KEEP-1 and -2
    });
    expect(later.filter((name) => name === 'QueryCommand')).toHaveLength(2); // June and July
    expect(await exists('CS-KEEP-1', 'cus_R1')).toBe(false);
    expect(await exists('CS-KEEP-2', 'cus_R2')).toBe(false);
    expect(await exists('CS-KEEP-3')).toBe(true);
    expect(await retentionLog.removeExpired('2028-07-01T00:00:00.000Z')).toBe(0);
  });

  it('removes more records than one page of the index holds', async () => {
    const references = Array.from({ length: 110 }, (_, i) => `CS-MANY-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < references.length; i += 10) {
      await Promise.all(
        references
          .slice(i, i + 10)
          .map((reference) => complete(reference, '2028-08-02T00:00:00.000Z', ['cus_MANY'])),
      );
    }
    expect(await retentionLog.removeExpired('2028-08-03T00:00:00.000Z')).toBe(110);
    expect(await retentionLog.listContactsOfCustomer('cus_MANY', 200)).toEqual([]);
    expect(await exists('CS-KEEP-3')).toBe(true);
  });
});

describe('frequency alerts listed for the admin API (listAlerts)', () => {
  const alert = (alertId: string, subject: FrequencyAlertDetail['subject']): FrequencyAlertDetail => ({
    alertId,
    subject,
    window: 'topic',
    clause: '4.2.7',
    count: 5,
    threshold: 5,
    windowDays: 28,
    channels: ['email'],
    firstContactAt: '2026-06-01T09:00:00.000Z',
    lastContactAt: '2026-06-01T10:00:00.000Z',
    contactReferences: ['CS-1'],
  });

  it('lists frequency alerts newest first, all or only those about one customer', async () => {
    const store = new DynamoEventLog(table.documentClient, table.tableName);
    const at = (minute: number) => `2026-07-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const frequency = detailTypes.frequency;
    await store.recordEvent(
      { detailType: frequency, detail: alert('alr_1', { kind: 'customer', customerId: 'cus_X' }) },
      at(1),
      'published',
    );
    await store.recordEvent(
      { detailType: frequency, detail: alert('alr_2', { kind: 'customer', customerId: 'cus_Y' }) },
      at(2),
      'published',
    );
    await store.recordEvent(
      {
        detailType: frequency,
        detail: alert('alr_3', { kind: 'sender', senderId: `snd_${'a'.repeat(16)}` }),
      },
      at(3),
      'failed',
    );
    await store.recordEvent(
      { detailType: frequency, detail: alert('alr_4', { kind: 'customer', customerId: 'cus_X' }) },
      at(4),
      'failed',
    );
    await store.recordEvent(
      { detailType: detailTypes.restrictedRouted, detail: { reference: 'CS-9', customerIds: ['cus_X'] } },
      at(5),
      'published',
    );
    // Many newer events of other kinds: the alerts are found on later pages of the index.
    for (let i = 0; i < 150; i++) {
      await store.recordEvent(
        { detailType: detailTypes.failed, detail: { reference: `CS-F${i}` } },
        `2026-07-02T10:00:00.${String(i).padStart(3, '0')}Z`,
        'published',
      );
    }

    const ofX = await store.listAlerts({ customerId: 'cus_X', limit: 10 });
    expect(ofX.map((event) => (event.detail as FrequencyAlertDetail).alertId)).toEqual(['alr_4', 'alr_1']);
    expect(ofX[0]).toEqual({
      at: at(4),
      detailType: frequency,
      detail: alert('alr_4', { kind: 'customer', customerId: 'cus_X' }),
      status: 'failed',
    });
    const all = await store.listAlerts({ limit: 10 });
    expect(all.map((event) => (event.detail as FrequencyAlertDetail).alertId)).toEqual([
      'alr_4',
      'alr_3',
      'alr_2',
      'alr_1',
    ]);
    expect(
      (await store.listAlerts({ limit: 2 })).map((e) => (e.detail as FrequencyAlertDetail).alertId),
    ).toEqual(['alr_4', 'alr_3']);
    expect(await store.listAlerts({ customerId: 'cus_NONE', limit: 5 })).toEqual([]);
    expect(await store.listAlerts({ limit: 0 })).toEqual([]);
  });
});
