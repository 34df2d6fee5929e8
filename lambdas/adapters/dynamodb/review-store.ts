import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mailboxHash } from '../../core/identity';
import type { ClaimResult } from '../../core/ports';
import type { ReviewLedger, ReviewRegister, ReviewRestriction } from '../../core/review';
import type { Instant } from '../../core/time';
import { batchGetAll, epochSeconds, ignoreConditionFailed, queryAll } from './batch';
import { claimLease, finishLease, type Lease, releaseLease } from './lease';
import { putIfAbsent } from './put-if-absent';
import { keys, tableDesign } from './table-design';

/**
 * The register as the daily review reads it. The whole REGISTER partition of GSI1 is read, projected
 * to ids and dates: GSI1 is sorted by review date, so due-soon and overdue alone would be a range
 * query, but a restriction can end before its review date, and finding those would need a second
 * index by end date. A council holds hundreds of restrictions, not millions: one paginated query a
 * day (a few hundred KB at most) is cheaper and simpler than another index on every write.
 */
export class DynamoReviewRegister implements ReviewRegister {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listRestrictionsForReview(): Promise<ReviewRestriction[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'GSI1PK = :register',
      ExpressionAttributeValues: { ':register': keys.registerIndexPk },
      ProjectionExpression: 'id, customerId, #type, startsAt, endsAt, reviewAt, liftedAt',
      ExpressionAttributeNames: { '#type': 'type' },
    });
    return items.map((item) => ({
      id: String(item.id),
      customerId: String(item.customerId),
      type: item.type as ReviewRestriction['type'],
      startsAt: String(item.startsAt),
      endsAt: String(item.endsAt),
      reviewAt: String(item.reviewAt),
      ...(typeof item.liftedAt === 'string' ? { liftedAt: item.liftedAt } : {}),
    }));
  }

  async customerNames(customerIds: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(customerIds)].map((id) => ({ PK: keys.customer(id), SK: keys.profileSk })),
      { projection: 'id, #name', names: { '#name': 'name' } },
    );
    const names = new Map<string, string>();
    for (const item of items) {
      if (typeof item.id === 'string' && typeof item.name === 'string') names.set(item.id, item.name);
    }
    return names;
  }
}

/**
 * The review's markers in the register's table (REVIEWDUE#…, REVIEWDIGEST#…, see table-design.ts):
 * conditional single-item writes, correct on DynamoDB and dynalite alike. TTL removes them later.
 */
export class DynamoReviewLedger implements ReviewLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markStage(
    reviewKey: string,
    now: Instant,
    expiresAt: Instant,
  ): Promise<{ isNew: boolean; firstSeenAt: Instant }> {
    const key = this.stageKey(reviewKey);
    const created = await putIfAbsent(this.client, this.tableName, {
      ...key,
      entity: 'review-due',
      reviewKey,
      firstSeenAt: now,
      expiresAt: epochSeconds(expiresAt),
    });
    if (created) return { isNew: true, firstSeenAt: now };
    const existing = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ProjectionExpression: 'firstSeenAt',
        ConsistentRead: true,
      }),
    );
    const firstSeenAt = existing.Item?.firstSeenAt;
    return { isNew: false, firstSeenAt: typeof firstSeenAt === 'string' ? firstSeenAt : now };
  }

  async unmarkStage(reviewKey: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.stageKey(reviewKey) }));
  }

  async lastDigestSentAt(): Promise<Instant | undefined> {
    const output = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.reviewDigestLast, SK: keys.reviewDigestSk },
        ProjectionExpression: 'sentAt',
        ConsistentRead: true,
      }),
    );
    const sentAt = output.Item?.sentAt;
    return typeof sentAt === 'string' ? sentAt : undefined;
  }

  async recordDigestSent(at: Instant): Promise<void> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: keys.reviewDigestLast,
            SK: keys.reviewDigestSk,
            entity: 'review-digest-last',
            sentAt: at,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR sentAt < :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      )
      .catch(ignoreConditionFailed);
  }

  async claimDigest(
    day: string,
    recipient: string,
    now: Instant,
    leaseUntil: Instant,
    expiresAt: Instant,
  ): Promise<ClaimResult> {
    return claimLease(
      this.client,
      this.tableName,
      this.digestLease(day, recipient),
      { now, leaseUntil },
      { entity: 'review-digest', day, expiresAt: epochSeconds(expiresAt) },
    );
  }

  async completeDigest(day: string, recipient: string, messageId: string, at: Instant): Promise<void> {
    await finishLease(this.client, this.tableName, this.digestLease(day, recipient), {
      status: 'sent',
      messageId,
      sentAt: at,
    }).catch(ignoreConditionFailed);
  }

  async releaseDigest(day: string, recipient: string): Promise<void> {
    await releaseLease(this.client, this.tableName, this.digestLease(day, recipient)).catch(
      ignoreConditionFailed,
    );
  }

  private stageKey(reviewKey: string) {
    const [restrictionId = '', stage = '', ...basis] = reviewKey.split('#');
    return { PK: keys.reviewDue(restrictionId, stage, basis.join('#')), SK: keys.reviewDueSk };
  }

  private digestLease(day: string, recipient: string): Lease {
    return {
      key: { PK: keys.reviewDigest(day, mailboxHash(recipient)), SK: keys.reviewDigestSk },
      busy: 'sending',
    };
  }
}
