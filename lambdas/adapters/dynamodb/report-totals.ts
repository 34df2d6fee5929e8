import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LondonDay } from '../../core/london-day';
import { monthsOf } from '../../core/reports/period';
import { allTotalNames, type DayTotals, type ReportTotals } from '../../core/reports/totals';
import { queryAll } from './batch';
import { keys } from './table-design';

/**
 * Monitoring totals (13.1): one item per London day under its month's partition
 * (`TOTALS#2026-12` / `DAY#2026-12-02`). A contact is one UpdateItem with atomic ADDs; a year
 * is read with twelve queries in parallel, never a scan. No TTL: the totals hold no personal data.
 */
export class DynamoReportTotals implements ReportTotals {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(day: LondonDay, names: readonly string[], onceKey?: string): Promise<void> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return;
    const attributeNames: Record<string, string> = { '#entity': 'entity' };
    unique.forEach((name, i) => {
      attributeNames[`#n${i}`] = name;
    });
    const adds = unique.map((_, i) => `#n${i} :one`);
    const values: Record<string, unknown> = { ':one': 1, ':entity': 'report-totals' };
    // Once per key (P6): the day's item keeps the keys it counted, and a second add of one changes
    // nothing. So the add need not wait for the contact's claim to be finished: a retry adds nothing.
    if (onceKey) {
      attributeNames['#counted'] = 'counted';
      adds.push('#counted :key');
      values[':key'] = new Set([onceKey]);
      values[':keyValue'] = onceKey;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.reportTotals(day), SK: keys.reportTotalsSk(day) },
          UpdateExpression: `SET #entity = :entity ADD ${adds.join(', ')}`,
          ...(onceKey ? { ConditionExpression: 'NOT contains(#counted, :keyValue)' } : {}),
          ExpressionAttributeNames: attributeNames,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (onceKey && error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  async read(from: LondonDay, to: LondonDay): Promise<Map<LondonDay, DayTotals>> {
    const names: Record<string, string> = { '#sk': 'SK' };
    allTotalNames.forEach((name, i) => {
      names[`#n${i}`] = name;
    });
    const projection = ['#sk', ...allTotalNames.map((_, i) => `#n${i}`)].join(', ');
    const months = await Promise.all(
      monthsOf({ from, to }).map((month) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':pk': keys.reportTotals(`${month}-01`),
            ':from': keys.reportTotalsSk(from),
            ':to': keys.reportTotalsSk(to),
          },
          ProjectionExpression: projection,
        }),
      ),
    );
    const days = new Map<LondonDay, DayTotals>();
    for (const item of months.flat()) {
      const { SK, ...totals } = item as { SK: string } & DayTotals;
      days.set(SK.slice('DAY#'.length), totals);
    }
    return days;
  }
}
