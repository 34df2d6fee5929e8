import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeLedger } from '../../core/notify/notify-managers';
import type { ClaimResult } from '../../core/ports';
import type { Instant } from '../../core/time';
import { epochSeconds, ignoreConditionFailed } from './batch';
import { claimLease, finishLease, type Lease, releaseLease } from './lease';
import { noticeKeyPrefix, noticeSk } from './notice-keys';

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
