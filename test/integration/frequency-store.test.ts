import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertClaims } from '../../lambdas/adapters/dynamodb/alert-claims';
import { DynamoContactCounts } from '../../lambdas/adapters/dynamodb/contact-counts';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import {
  type ContactToCount,
  type CountingDeps,
  countContact,
  defaultThresholds,
} from '../../lambdas/core/frequency';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { MemoryEventPublisher } from '../helpers/memory-frequency-store';

let table: TestTable;
let store: DynamoContactCounts;
let alertClaims: DynamoAlertClaims;
let eventLog: DynamoEventLog;
beforeAll(async () => {
  table = await startTestTable();
  store = new DynamoContactCounts(table.documentClient, table.tableName);
  alertClaims = new DynamoAlertClaims(table.documentClient, table.tableName);
  eventLog = new DynamoEventLog(table.documentClient, table.tableName);
});
afterAll(async () => table.stop());

const deps = (events: MemoryEventPublisher, now = '2026-06-01T09:00:00.000Z'): CountingDeps => ({
  counts: store,
  alertClaims,
  eventLog,
  events,
  thresholds: defaultThresholds,
  now: () => now,
});
const contact = (customerId: string, i: number, overrides: Partial<ContactToCount> = {}): ContactToCount => ({
  reference: `CS-${customerId}-${i}`,
  receivedAt: '2026-06-01T09:00:00.000Z',
  channel: 'email:customer.services@council.example',
  customerIds: [customerId],
  caseReferences: ['CMP-12345'],
  text: '',
  ...overrides,
});

describe('frequency counts on DynamoDB (dynalite)', () => {
  it('counts 200 contacts sent in parallel exactly, with exactly one alert per crossed threshold', async () => {
    const events = new MemoryEventPublisher();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => countContact(contact('cus_PAR', i), deps(events))),
    );
    const state = await store.read('cus_PAR');
    const topic = state.days.get('2026-06-01')?.get('case:CMP-12345');
    expect(topic?.contacts).toHaveLength(200);
    expect(new Set(topic?.contacts.map((c) => c.reference)).size).toBe(200);
    const windows = events.published.map((e) => (e.detail as { window: string }).window).sort();
    expect(windows).toEqual(['all-topics', 'topic']);
    expect((await eventLog.listEvents(10)).filter((e) => e.status === 'published')).toHaveLength(2);
  });

  it('counts a duplicate delivery once, even when the copies arrive together', async () => {
    const events = new MemoryEventPublisher();
    const same = contact('cus_DUP', 1);
    const outcomes = await Promise.all([
      countContact(same, deps(events)),
      countContact(same, deps(events)),
      countContact(same, deps(events)),
    ]);
    expect(outcomes.map((o) => o?.counts.topic)).toEqual([1, 1, 1]);
    expect(
      (await store.read('cus_DUP')).days.get('2026-06-01')?.get('case:CMP-12345')?.contacts,
    ).toHaveLength(1);
  });

  it('keeps the item bounded: past the daily cap only a number is kept, and old days are dropped', async () => {
    const events = new MemoryEventPublisher();
    for (let i = 0; i < 205; i++) await countContact(contact('cus_BIG', i), deps(events));
    const state = await store.read('cus_BIG');
    const day = state.days.get('2026-06-01')?.get('case:CMP-12345');
    expect(day?.contacts).toHaveLength(200);
    expect(day?.overflow).toBe(5);
    const outcome = await countContact(
      contact('cus_BIG', 999, { receivedAt: '2026-07-15T09:00:00.000Z' }),
      deps(events, '2026-07-15T09:00:00.000Z'),
    );
    expect(outcome?.counts.topic).toBe(1);
    const item = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.frequency('cus_BIG'), SK: keys.frequencySk },
      }),
    );
    expect(Object.keys(item.Item ?? {}).filter((name) => /^[eo]_20260601_/.test(name))).toEqual([]);
  });

  it('keeps the sender address with the counts, never in the event, for senders not in the register', async () => {
    const events = new MemoryEventPublisher();
    for (let i = 0; i < 5; i++) {
      await countContact(
        contact('x', i, { customerIds: [], senderIdentity: 'stranger@example.net' }),
        deps(events),
      );
    }
    const detail = events.published[0]?.detail as { subject: { senderId: string } };
    const item = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: keys.frequency(detail.subject.senderId), SK: keys.frequencySk },
      }),
    );
    expect(item.Item?.senderAddress).toBe('stranger@example.net');
    expect(JSON.stringify(events.published)).not.toContain('stranger@example.net');
  });
});
