import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { detailTypes, type PublishedEvent } from '../../core/events';
import type { EventLog, RecordedEvent } from '../../core/ports';
import { epochSeconds } from './batch';
import { keys, tableDesign } from './table-design';

/**
 * One item per event, indexed by time on GSI1 (`EVENTS`, `<at>#<id>`), so that the newest are
 * read first without a scan.
 */
export class DynamoEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordEvent(event: PublishedEvent, at: string, status: 'published' | 'failed'): Promise<void> {
    const id = randomUUID();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: keys.event(at, id),
          SK: keys.eventSk,
          GSI1PK: keys.eventsIndexPk,
          GSI1SK: `${at}#${id}`,
          entity: 'event',
          at,
          detailType: event.detailType,
          detail: event.detail,
          status,
          // Kept for a while for the admin API; the managers' emails are the lasting record.
          expiresAt: epochSeconds(at) + 90 * 24 * 3600,
        },
      }),
    );
  }

  async listEvents(limit: number): Promise<RecordedEvent[]> {
    const output = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableDesign.gsi1.indexName,
        KeyConditionExpression: 'GSI1PK = :events',
        ExpressionAttributeValues: { ':events': keys.eventsIndexPk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (output.Items ?? []).map(eventOf);
  }

  /**
   * Recorded frequency alerts (ContactFrequencyThresholdExceeded), newest first; with `customerId`,
   * only those about that register customer. Reads the events index page by page, filtering, until
   * `limit` are found or the index (events are kept 90 days) is exhausted.
   */
  async listAlerts(options: { customerId?: string; limit: number }): Promise<RecordedEvent[]> {
    const names: Record<string, string> = { '#type': 'detailType' };
    const values: Record<string, unknown> = { ':events': keys.eventsIndexPk, ':type': detailTypes.frequency };
    let filter = '#type = :type';
    if (options.customerId !== undefined) {
      Object.assign(names, {
        '#detail': 'detail',
        '#subject': 'subject',
        '#kind': 'kind',
        '#id': 'customerId',
      });
      Object.assign(values, { ':customer': 'customer', ':id': options.customerId });
      filter += ' AND #detail.#subject.#kind = :customer AND #detail.#subject.#id = :id';
    }
    const alerts: RecordedEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    while (alerts.length < options.limit) {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableDesign.gsi1.indexName,
          KeyConditionExpression: 'GSI1PK = :events',
          FilterExpression: filter,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          // Limit counts items read before the filter: read pages of a sensible size.
          Limit: Math.max(100, options.limit),
          ExclusiveStartKey: startKey,
        }),
      );
      alerts.push(...(output.Items ?? []).map(eventOf));
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    return alerts.slice(0, Math.max(0, options.limit));
  }
}

/** A recorded event as the admin API lists it. */
function eventOf(item: Record<string, unknown>): RecordedEvent {
  return {
    at: String(item.at),
    detailType: String(item.detailType),
    detail: item.detail,
    status: String(item.status),
  };
}
