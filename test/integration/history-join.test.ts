import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertClaims } from '../../lambdas/adapters/dynamodb/alert-claims';
import { DynamoContactCounts } from '../../lambdas/adapters/dynamodb/contact-counts';
import { DynamoContactLog } from '../../lambdas/adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../../lambdas/adapters/dynamodb/event-log';
import {
  type ContactToCount,
  type CountingDeps,
  countContact,
  defaultThresholds,
  senderSubjectId,
} from '../../lambdas/core/frequency';
import { joinEarlierHistory } from '../../lambdas/core/history';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { MemoryEventPublisher } from '../helpers/memory-frequency-store';

/**
 * History follows the person (core/history.ts) on DynamoDB (dynalite): the counts a sender reached
 * before they were registered carry on under the customer, exactly once however often the join runs.
 */
let table: TestTable;
let counts: DynamoContactCounts;
let log: DynamoContactLog;
let deps: CountingDeps;
beforeAll(async () => {
  table = await startTestTable();
  counts = new DynamoContactCounts(table.documentClient, table.tableName);
  log = new DynamoContactLog(table.documentClient, table.tableName);
  deps = {
    counts,
    alertClaims: new DynamoAlertClaims(table.documentClient, table.tableName),
    eventLog: new DynamoEventLog(table.documentClient, table.tableName),
    events: new MemoryEventPublisher(),
    thresholds: { ...defaultThresholds, topic: { count: 50, days: 7 }, allTopics: { count: 50, days: 30 } },
    now: () => '2026-06-03T09:00:00.000Z',
  };
});
afterAll(async () => table.stop());

const email = 'jo.bloggs@example.org';
const contact = (reference: string, day: string, customerIds: string[] = []): ContactToCount => ({
  reference,
  receivedAt: `${day}T09:00:00.000Z`,
  channel: 'email:planning@council.example',
  customerIds,
  senderIdentity: email,
  caseReferences: ['CMP-12345'],
  text: '',
});
const stores = () => ({ counts, log });

describe('joining a sender’s history to a customer', () => {
  it('counts the customer’s next contact as the 8th after seven as an unknown sender, once however often it joins', async () => {
    for (let i = 1; i <= 7; i++) {
      const outcome = await countContact(contact(`CS-E-${i}`, i <= 4 ? '2026-06-01' : '2026-06-02'), deps);
      expect(outcome?.counts.topic).toBe(i);
      expect(outcome?.subjectId).toBe(senderSubjectId(email));
    }
    const identities = [
      { kind: 'email' as const, value: email },
      { kind: 'name-postcode' as const, value: 'jo bloggs|AB1 2CD' },
    ];
    const first = await joinEarlierHistory('cus_JOIN', identities, stores());
    expect(first.contactsCounted).toBe(7);
    // Again (a retried request, the identity removed and added back): nothing is counted twice.
    const again = await joinEarlierHistory('cus_JOIN', identities, stores());
    expect(again.contactsCounted).toBe(0);

    const eighth = await countContact(contact('CS-E-8', '2026-06-03', ['cus_JOIN']), deps);
    expect(eighth?.subjectId).toBe('cus_JOIN');
    expect(eighth?.counts.topic).toBe(8);
    expect(eighth?.lines.join('\n')).toContain('8th');
  });

  it('joins into a customer who already has contacts of their own, keeping both', async () => {
    const other = 'sam@example.net';
    const own = { ...contact('CS-O-1', '2026-06-02', ['cus_BOTH']), senderIdentity: other };
    await countContact(own, deps);
    for (const i of [1, 2, 3])
      await countContact({ ...contact(`CS-S-${i}`, '2026-06-01'), senderIdentity: other }, deps);
    const joined = await joinEarlierHistory('cus_BOTH', [{ kind: 'email', value: other }], stores());
    expect(joined.contactsCounted).toBe(3);
    const state = await counts.read('cus_BOTH');
    const references = [...state.days.values()].flatMap((topics) =>
      [...topics.values()].flatMap((entry) => entry.contacts.map((c) => c.reference)),
    );
    expect(references.sort()).toEqual(['CS-O-1', 'CS-S-1', 'CS-S-2', 'CS-S-3']);
  });

  it('joins nothing for a sender who never wrote', async () => {
    const joined = await joinEarlierHistory(
      'cus_NONE',
      [{ kind: 'phone', value: '+447700900123' }],
      stores(),
    );
    expect(joined).toEqual({ contactsCounted: 0, contactsLogged: 0 });
    expect((await counts.read('cus_NONE')).days.size).toBe(0);
  });
});
