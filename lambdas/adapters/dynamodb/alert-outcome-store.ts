import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertOutcome, AlertOutcomeStore, RecordedAlert } from '../../core/alert-outcomes';
import { detailTypes } from '../../core/events';
import { batchGetAll, type Item, queryAll } from './batch';
import { putIfAbsent } from './put-if-absent';
import { keys, tableDesign } from './table-design';

/**
 * Outcomes of frequency alerts, one item per alert (`ALERTOUTCOME#<alertId>`), written once with a
 * conditional put so that two managers cannot both close the same alert. An outcome is kept as long
 * as the event record of its alert (the same TTL); the customer's audit trail keeps it for good.
 */
export class DynamoAlertOutcomeStore implements AlertOutcomeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Reads the events index (alerts are kept 90 days), filtered to this alert: one paged query. */
  async findAlert(alertId: string): Promise<RecordedAlert | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'GSI1PK = :events',
      FilterExpression: '#type = :type AND #detail.#alertId = :id',
      ExpressionAttributeNames: { '#type': 'detailType', '#detail': 'detail', '#alertId': 'alertId' },
      ExpressionAttributeValues: {
        ':events': keys.eventsIndexPk,
        ':type': detailTypes.frequency,
        ':id': alertId,
      },
      ScanIndexForward: false,
    });
    const item = items[0];
    if (!item) return undefined;
    return {
      at: String(item.at),
      detailType: String(item.detailType),
      detail: item.detail,
      status: String(item.status),
      ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
    };
  }

  async saveOutcome(outcome: AlertOutcome, alert: RecordedAlert): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      PK: keys.alertOutcome(outcome.alertId),
      SK: keys.alertOutcomeSk,
      entity: 'alert-outcome',
      ...outcome,
      ...(alert.expiresAt === undefined ? {} : { expiresAt: alert.expiresAt }),
    });
  }

  async removeOutcome(alertId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.alertOutcome(alertId), SK: keys.alertOutcomeSk },
      }),
    );
  }

  async loadOutcomes(alertIds: readonly string[]): Promise<Map<string, AlertOutcome>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(alertIds)].map((alertId) => ({ PK: keys.alertOutcome(alertId), SK: keys.alertOutcomeSk })),
      { consistent: true },
    );
    return new Map(items.map((item) => [String(item.alertId), outcomeOf(item)]));
  }
}

function outcomeOf(item: Item): AlertOutcome {
  const { PK: _pk, SK: _sk, entity: _entity, expiresAt: _expires, ...outcome } = item;
  return outcome as AlertOutcome;
}
