import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ContactRecord } from '../../core/contact';
import type { ContactLog, ContactLogEntry } from '../../core/ports';
import { batchGetAll, batchWriteAll, epochSeconds, type Item } from './batch';
import { keys, tableDesign } from './table-design';

/** Instants as UTC ISO 8601 with milliseconds, so that they compare correctly as strings. */
export const utcInstant = (instant: string) => new Date(instant).toISOString();
const monthOf = (instant: string) => instant.slice(0, 7);
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Whose contact log a contact is listed in: its customers; a contact from no customer, under the
 * sender it was counted for (`snd_…`), so that it can join their history when they are
 * registered (core/history.ts); and the customers it joined since (`joinedTo`).
 */
export function logOwnersOf(record: {
  customerIds?: readonly string[];
  senderId?: string;
  joinedTo?: Iterable<string>;
}): string[] {
  const customers = record.customerIds ?? [];
  const sender = customers.length === 0 && record.senderId ? [record.senderId] : [];
  return [...new Set([...customers, ...sender, ...(record.joinedTo ?? [])])];
}

/**
 * One log item per owner of the contact (see logOwnersOf): the decision only — never the body,
 * subject or any address (P7) — kept as long as the contact record. A contact staff recorded
 * carries their summary of it too: it is their note for staff, not a message sent in.
 */
export function contactLogItems(
  record: ContactRecord & { recorded?: { summary: string; recordedBy: string } },
): Item[] {
  return logOwnersOf(record).map((customerId) => {
    const entry: ContactLogEntry = {
      reference: record.reference,
      customerId,
      channel: record.channel,
      receivedAt: record.receivedAt,
      route: record.route,
      reasons: record.reasons.map(({ code, clause }) => (clause ? { code, clause } : { code })),
      appliedRestrictionIds: record.appliedRestrictionIds,
      ...(record.topic
        ? { topic: { key: record.topic.key, label: record.topic.label, how: record.topic.how } }
        : {}),
      senderVerified: record.senderVerified,
      // Staff's own note of a call, visit or letter: shown to staff with the log, kept as long as the record.
      ...(record.recorded
        ? { summary: record.recorded.summary, recordedBy: record.recorded.recordedBy }
        : {}),
      ...(record.signals?.flags.length
        ? { signalCategories: record.signals.flags.map((flag) => flag.category) }
        : {}),
    };
    return {
      PK: keys.contactLog(customerId),
      SK: keys.contactLogSk(record.receivedAt, record.reference),
      entity: 'contact-log',
      ...entry,
      expiresAt: epochSeconds(record.expiresAt),
      retainUntil: record.expiresAt,
    };
  });
}

export interface ContactLogOptions {
  /** How far back the first retention run looks for months of records (default 10 years). */
  lookBackMonths?: number;
}

/**
 * The contact log by customer and the retention of contact records (P7). Completed contact
 * records are indexed on GSI1 by the month their retention ends (`CONTACTS#<yyyy-mm>`), so the
 * retention job queries the months up to now rather than scanning. A retention mark remembers
 * the month of the last complete run: every record whose retention ended in an earlier month is
 * gone, and records are completed with a retention end after their processing time, so no
 * record lands there later. A run therefore reads one or two months, and the first run (no mark)
 * looks back `lookBackMonths`. DynamoDB TTL remains a backstop in AWS (dynalite has none).
 */
export class DynamoContactLog implements ContactLog {
  private readonly lookBackMonths: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ContactLogOptions = {},
  ) {
    this.lookBackMonths = options.lookBackMonths ?? 120;
  }

  async loadContactRecords(references: readonly string[]): Promise<Record<string, unknown>[]> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(references)].map((reference) => ({ PK: keys.contact(reference), SK: keys.contactSk })),
    );
    return items
      .map(({ PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...record }) => record)
      .sort((a, b) => String(a.receivedAt).localeCompare(String(b.receivedAt)));
  }

  async listContactsOfCustomer(customerId: string, limit: number): Promise<ContactLogEntry[]> {
    const entries: ContactLogEntry[] = [];
    let startKey: Item | undefined;
    while (entries.length < limit) {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.contactLog(customerId) },
          ScanIndexForward: false,
          Limit: limit - entries.length,
          ExclusiveStartKey: startKey,
        }),
      );
      entries.push(...(output.Items ?? []).map(entryOf));
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    return entries;
  }

  /**
   * Lists a sender's contacts under the customer they turned out to be (core/history.ts): each
   * entry is copied into the customer's log (a plain put: again is harmless), and its record
   * remembers the customer (`joinedTo`), so that retention removes the copy with the record.
   * The record first: a copy is never left that retention would not find.
   */
  async joinEntries(senderId: string, customerId: string): Promise<number> {
    let joined = 0;
    let startKey: Item | undefined;
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.contactLog(senderId) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of output.Items ?? []) {
        const reference = String(item.reference);
        let before: Item | undefined;
        try {
          before = (
            await this.client.send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { PK: keys.contact(reference), SK: keys.contactSk },
                UpdateExpression: 'ADD joinedTo :customer',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':customer': new Set([customerId]) },
                ReturnValues: 'UPDATED_OLD',
              }),
            )
          ).Attributes;
        } catch (error) {
          // The record is gone (its retention ended): its entry goes with it, not to the customer.
          if (error instanceof ConditionalCheckFailedException) continue;
          throw error;
        }
        // Written again even when joined before: a join interrupted after the record was marked
        // is completed here. Counted only the first time, so a repeated join reports nothing new.
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...item, PK: keys.contactLog(customerId), customerId },
          }),
        );
        const joinedBefore = before?.joinedTo as Set<string> | undefined;
        if (!joinedBefore?.has(customerId)) joined += 1;
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return joined;
  }

  async removeExpired(now: string): Promise<number> {
    const cutoff = utcInstant(now);
    const lastMonth = monthOf(cutoff);
    const mark = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.retentionMark, SK: keys.retentionMarkSk },
        ConsistentRead: true,
      }),
    );
    const lookBack = new Date(cutoff);
    lookBack.setUTCMonth(lookBack.getUTCMonth() - this.lookBackMonths, 1);
    const marked = typeof mark.Item?.month === 'string' ? mark.Item.month : undefined;

    let removed = 0;
    for (
      let month = marked ?? monthOf(lookBack.toISOString());
      month <= lastMonth;
      month = nextMonth(month)
    ) {
      removed += await this.removeExpiredOfMonth(month, cutoff);
    }
    if (marked !== undefined && marked >= lastMonth) return removed;
    // Every record whose retention ended before this month is gone now; never move the mark back.
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: keys.retentionMark,
            SK: keys.retentionMarkSk,
            entity: 'retention-mark',
            month: lastMonth,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #month < :month',
          ExpressionAttributeNames: { '#month': 'month' },
          ExpressionAttributeValues: { ':month': lastMonth },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return removed;
  }

  private async removeExpiredOfMonth(month: string, cutoff: string): Promise<number> {
    let removed = 0;
    let startKey: Item | undefined;
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableDesign.gsi1.indexName,
          // GSI1SK is `<retainUntil>#<reference>`: below the cutoff means retained until before it.
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :cutoff',
          ExpressionAttributeValues: { ':pk': keys.contactsIndexPk(`${month}-01`), ':cutoff': cutoff },
          ProjectionExpression: 'PK, SK, GSI1SK, customerIds, senderId, joinedTo, receivedAt, #reference',
          ExpressionAttributeNames: { '#reference': 'reference' },
          Limit: 100,
          ExclusiveStartKey: startKey,
        }),
      );
      const records = output.Items ?? [];
      // The log entries first: if this run stops half way, the record is still found next time.
      await batchWriteAll(
        this.client,
        this.tableName,
        records.flatMap((record) =>
          logOwnersOf(record as Parameters<typeof logOwnersOf>[0]).map((customerId) => ({
            DeleteRequest: {
              Key: {
                PK: keys.contactLog(customerId),
                SK: keys.contactLogSk(String(record.receivedAt), String(record.reference)),
              },
            },
          })),
        ),
      );
      // A few at a time: a page may hold a hundred records.
      for (let i = 0; i < records.length; i += 10) {
        const deleted = await Promise.all(
          records.slice(i, i + 10).map((record) => this.deleteRecord(record)),
        );
        removed += deleted.filter(Boolean).length;
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return removed;
  }

  /** Deletes the record if it is still the one found (the index is eventually consistent). */
  private async deleteRecord(record: Item): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: record.PK, SK: record.SK },
          ConditionExpression: 'GSI1SK = :seen',
          ExpressionAttributeValues: { ':seen': record.GSI1SK },
        }),
      );
      return true;
    } catch (error) {
      // Removed meanwhile (another run), or its retention changed: not ours to remove now.
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function entryOf(item: Item): ContactLogEntry {
  const topic = item.topic as ContactLogEntry['topic'];
  return {
    reference: String(item.reference),
    customerId: String(item.customerId),
    channel: String(item.channel),
    receivedAt: String(item.receivedAt),
    route: String(item.route),
    reasons: (item.reasons as ContactLogEntry['reasons'] | undefined) ?? [],
    appliedRestrictionIds: (item.appliedRestrictionIds as string[] | undefined) ?? [],
    ...(topic ? { topic } : {}),
    senderVerified: item.senderVerified === true,
    ...(typeof item.summary === 'string' ? { summary: item.summary } : {}),
    ...(typeof item.recordedBy === 'string' ? { recordedBy: item.recordedBy } : {}),
    ...(Array.isArray(item.signalCategories)
      ? { signalCategories: (item.signalCategories as unknown[]).map(String) }
      : {}),
  };
}
