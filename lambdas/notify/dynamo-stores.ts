import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, ignoreConditionFailed } from '../adapters/dynamodb/batch';
import { claimLease, finishLease, type Lease, releaseLease } from '../adapters/dynamodb/lease';
import { keys } from '../adapters/dynamodb/table-design';
import type { ClaimResult } from '../core/ports';
import type { Instant } from '../core/time';
import { noticeKeyPrefix, noticeSk } from './notice-keys';
import type { NoticeLedger, SenderDirectory } from './notify-managers';

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
    return claimLease(
      this.client,
      this.tableName,
      this.lease(key),
      { now, leaseUntil },
      {
        entity: 'notice',
        expiresAt: epochSeconds(expiresAt),
      },
    );
  }

  async complete(key: string, messageId: string, at: Instant): Promise<void> {
    await finishLease(this.client, this.tableName, this.lease(key), {
      status: 'sent',
      messageId,
      sentAt: at,
    }).catch(ignoreConditionFailed);
  }

  async release(key: string): Promise<void> {
    await releaseLease(this.client, this.tableName, this.lease(key)).catch(ignoreConditionFailed);
  }

  private lease(key: string): Lease {
    return { key: this.key(key), busy: 'sending' };
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
