import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../adapters/dynamodb/table-design';
import type { ClaimResult } from '../core/ports';
import type { Instant } from '../core/time';
import { noticeKeyPrefix, noticeSk } from './notice-keys';
import type { NoticeLedger, SenderDirectory } from './notify-managers';

const epochSeconds = (instant: Instant) => Math.floor(Date.parse(instant) / 1000);
const ignoreConditionFailed = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

/**
 * Notice markers (notice-keys.ts) in the register's table: the only items the notify function
 * writes. Conditional single-item updates, correct on DynamoDB and dynalite alike.
 */
export class DynamoNoticeLedger implements NoticeLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, now: Instant, leaseUntil: Instant, expiresAt: Instant): Promise<ClaimResult> {
    const itemKey = this.key(key);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey,
          // New, or an earlier attempt's claim has lapsed (it crashed or timed out before sending).
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :sending AND leaseUntil < :now)',
          UpdateExpression:
            'SET #status = :sending, leaseUntil = :lease, entity = :entity, expiresAt = :expires ADD attempts :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':now': now,
            ':lease': leaseUntil,
            ':entity': 'notice',
            ':expires': epochSeconds(expiresAt),
            ':one': 1,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      ignoreConditionFailed(error);
    }
    const existing = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKey,
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
        ConsistentRead: true,
      }),
    );
    return existing.Item?.status === 'sending' ? 'in-progress' : 'already-done';
  }

  async complete(key: string, messageId: string, at: Instant): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(key),
          ConditionExpression: '#status = :sending',
          UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :at REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':sent': 'sent',
            ':messageId': messageId,
            ':at': at,
          },
        }),
      )
      .catch(ignoreConditionFailed);
  }

  async release(key: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(key),
          ConditionExpression: '#status = :sending',
          UpdateExpression: 'SET leaseUntil = :past',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':past': '0000' },
        }),
      )
      .catch(ignoreConditionFailed);
  }

  private key(key: string) {
    return { PK: `${noticeKeyPrefix}${key}`, SK: noticeSk };
  }
}

/**
 * The address of a sender who is not in the register, from their frequency counts
 * (`FREQ#<senderId>` / `FREQ`, attribute `senderAddress`). Events never carry it (P7).
 */
export class DynamoSenderDirectory implements SenderDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async senderAddress(senderId: string): Promise<string | undefined> {
    const output = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.frequency(senderId), SK: keys.frequencySk },
        ProjectionExpression: 'senderAddress',
      }),
    );
    const address = output.Item?.senderAddress;
    return typeof address === 'string' && address !== '' ? address : undefined;
  }
}
