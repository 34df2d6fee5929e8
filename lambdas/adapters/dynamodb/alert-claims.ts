import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertClaims } from '../../core/ports';
import { epochSeconds } from './batch';
import { keys } from './table-design';

/**
 * One item per sender, window and topic, holding the end of its cooldown: the conditional put
 * succeeds for one of any number of concurrent claims, and again only once the cooldown is over.
 */
export class DynamoAlertClaims implements AlertClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(alertKey: string, now: string, cooldownUntil: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: keys.alert(alertKey),
            SK: keys.alertSk,
            entity: 'alert-cooldown',
            cooldownUntil,
            expiresAt: epochSeconds(cooldownUntil),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR cooldownUntil <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
