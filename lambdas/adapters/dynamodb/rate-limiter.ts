import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../core/ports';
import { keys } from './table-design';

/** Fixed-window counters with an atomic ADD (exact under concurrency, on DynamoDB and dynalite). */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, windowStart: string, expiresAt: string): Promise<number> {
    const output = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.rateLimit(key, windowStart), SK: keys.rateLimitSk },
        UpdateExpression:
          'ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expires), entity = :entity',
        ExpressionAttributeValues: {
          ':one': 1,
          ':expires': Math.floor(Date.parse(expiresAt) / 1000),
          ':entity': 'rate-limit',
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(output.Attributes?.hits ?? 0);
  }
}
