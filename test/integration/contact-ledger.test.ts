import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import type { ContactRecord } from '../../lambdas/core/contact';
import { startTestTable, type TestTable } from '../helpers/dynalite';

let table: TestTable;
let ledger: DynamoContactLedger;
beforeAll(async () => {
  table = await startTestTable();
  ledger = new DynamoContactLedger(table.documentClient, table.tableName);
});
afterAll(async () => table.stop());

const record = (reference: string): ContactRecord => ({
  reference,
  channel: 'email',
  sourceId: 'ses-message-id',
  receivedAt: '2026-06-01T10:00:00.000Z',
  processedAt: '2026-06-01T10:00:01.000Z',
  route: 'named-officer',
  recipients: ['officer@council.example'],
  copyTo: [],
  reasons: [{ code: 'single-named-officer', clause: '7.3.4', text: 'x' }],
  notes: [],
  customerIds: ['cus_1'],
  appliedRestrictionIds: ['res_1'],
  senderVerified: true,
  acknowledgement: { kind: 'standard', sent: true },
  originalAttached: true,
  sizeBytes: 1234,
  problems: [],
  expiresAt: '2028-06-01T10:00:01.000Z',
});

describe('the contact ledger on DynamoDB (dynalite)', () => {
  it('claims a contact once; after it is complete, a repeat is already done (P6)', async () => {
    expect(await ledger.claim('CS-1', '2026-06-01T10:00:00.000Z', '2026-06-01T10:01:30.000Z')).toBe(
      'claimed',
    );
    expect(await ledger.claim('CS-1', '2026-06-01T10:00:01.000Z', '2026-06-01T10:01:31.000Z')).toBe(
      'in-progress',
    );
    await ledger.complete(record('CS-1'));
    expect(await ledger.claim('CS-1', '2026-06-01T10:05:00.000Z', '2026-06-01T10:06:30.000Z')).toBe(
      'already-done',
    );

    const stored = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { PK: keys.contact('CS-1'), SK: keys.contactSk } }),
    );
    expect(stored.Item).toMatchObject({
      status: 'forwarded',
      reference: 'CS-1',
      route: 'named-officer',
      reasons: [expect.objectContaining({ clause: '7.3.4' })],
      expiresAt: Date.parse('2028-06-01T10:00:01.000Z') / 1000, // epoch seconds, as DynamoDB TTL wants
      attempts: 1,
    });
    expect(stored.Item?.leaseUntil).toBeUndefined();
  });

  it('lets a retry take over a claim whose lease lapsed, saying when the unfinished attempt began', async () => {
    await ledger.claim('CS-2', '2026-06-01T10:00:00.000Z', '2026-06-01T10:00:45.000Z');
    expect(await ledger.claim('CS-2', '2026-06-01T10:00:44.000Z', '2026-06-01T10:01:29.000Z')).toBe(
      'in-progress',
    );
    // That attempt may have forwarded before it died: the takeover tells.
    expect(await ledger.claim('CS-2', '2026-06-01T10:01:00.000Z', '2026-06-01T10:01:45.000Z')).toEqual({
      status: 'taken-over',
      lapsedAttemptAt: '2026-06-01T10:00:00.000Z',
    });
    // A claim given up after a failed forward sent nothing: a plain claim, no repeat to warn of.
    await ledger.release('CS-2');
    expect(await ledger.claim('CS-2', '2026-06-01T10:01:02.000Z', '2026-06-01T10:01:47.000Z')).toBe(
      'claimed',
    );
    expect(await ledger.claim('CS-2', '2026-06-01T10:02:00.000Z', '2026-06-01T10:02:45.000Z')).toEqual({
      status: 'taken-over',
      lapsedAttemptAt: '2026-06-01T10:01:02.000Z',
    });
  });

  it('refuses to complete a contact twice', async () => {
    await ledger.claim('CS-3', '2026-06-01T10:00:00.000Z', '2026-06-01T10:01:30.000Z');
    await ledger.complete(record('CS-3'));
    await expect(ledger.complete(record('CS-3'))).rejects.toThrow();
  });

  it('finishes a claim in one write; a second finish says another attempt finished it first', async () => {
    await ledger.claim('CS-4', '2026-06-01T10:00:00.000Z', '2026-06-01T10:00:45.000Z');
    expect(await ledger.finish(record('CS-4'))).toBe('finished');
    expect(await ledger.finish(record('CS-4'))).toBe('finished-already');
    expect(await ledger.claim('CS-4', '2026-06-01T10:05:00.000Z', '2026-06-01T10:05:45.000Z')).toBe(
      'already-done',
    );
  });

  it('keeps a contact delivered unclaimed (the table was down at the claim), so a redelivery is a duplicate', async () => {
    expect(await ledger.finish(record('CS-5'))).toBe('finished');
    expect(await ledger.claim('CS-5', '2026-06-01T10:05:00.000Z', '2026-06-01T10:05:45.000Z')).toBe(
      'already-done',
    );
    const stored = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: { PK: keys.contact('CS-5'), SK: keys.contactSk } }),
    );
    expect(stored.Item).toMatchObject({ entity: 'contact', reference: 'CS-5', status: 'forwarded' });
  });

  it('allows one automatic reply per address per day, however the address is written (P8)', async () => {
    const expires = '2026-06-03T00:00:00.000Z';
    expect(await ledger.takeAutoReplyAllowance('Alex <alex@example.org>', '2026-06-01', expires)).toBe(true);
    expect(await ledger.takeAutoReplyAllowance('ALEX+x@example.org', '2026-06-01', expires)).toBe(false);
    expect(await ledger.takeAutoReplyAllowance('alex@example.org', '2026-06-02', expires)).toBe(true);
    expect(await ledger.takeAutoReplyAllowance('sam@example.org', '2026-06-01', expires)).toBe(true);
    await ledger.releaseAutoReplyAllowance('Sam <sam@example.org>', '2026-06-01');
    expect(await ledger.takeAutoReplyAllowance('sam@example.org', '2026-06-01', expires)).toBe(true);
  });
});
