import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactRecord } from '../../core/contact';
import { normaliseEmail } from '../../core/identity';
import type { ClaimResult, ContactLedger } from '../../core/ports';
import { putIfAbsent } from './put-if-absent';
import { keys } from './table-design';

const epochSeconds = (instant: string) => Math.floor(Date.parse(instant) / 1000);

/**
 * Contact records and exactly-once markers (P6) in the register's table. Only conditional
 * single-item writes: correct on DynamoDB and on dynalite alike.
 */
export class DynamoContactLedger implements ContactLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(reference: string, now: string, leaseUntil: string): Promise<ClaimResult> {
    const key = { PK: keys.contact(reference), SK: keys.contactSk };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          // New, or a previous attempt's claim has lapsed (it crashed or timed out before finishing).
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :processing AND leaseUntil < :now)',
          UpdateExpression:
            'SET #status = :processing, leaseUntil = :lease, entity = :entity, #reference = :reference ADD attempts :one',
          ExpressionAttributeNames: { '#status': 'status', '#reference': 'reference' },
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':now': now,
            ':lease': leaseUntil,
            ':entity': 'contact',
            ':reference': reference,
            ':one': 1,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
        ConsistentRead: true,
      }),
    );
    return existing.Item?.status === 'processing' ? 'in-progress' : 'already-done';
  }

  async release(reference: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.contact(reference), SK: keys.contactSk },
        ConditionExpression: '#status = :processing',
        UpdateExpression: 'SET leaseUntil = :past',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':past': '0000' },
      }),
    );
  }

  async complete(record: ContactRecord): Promise<void> {
    const { reference, expiresAt, ...fields } = record;
    const names: Record<string, string> = { '#status': 'status', '#expiresAt': 'expiresAt' };
    const values: Record<string, unknown> = {
      ':done': 'forwarded',
      ':processing': 'processing',
      ':expiresAt': epochSeconds(expiresAt),
    };
    const sets = ['#status = :done', '#expiresAt = :expiresAt', 'retainUntil = :retainUntil'];
    values[':retainUntil'] = expiresAt;
    for (const [name, value] of Object.entries(fields)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.contact(reference), SK: keys.contactSk },
        ConditionExpression: '#status = :processing',
        UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseUntil`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async takeAutoReplyAllowance(recipient: string, day: string, expiresAt: string): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      PK: keys.autoReply(addressHash(recipient), day),
      SK: keys.autoReplySk,
      entity: 'auto-reply',
      expiresAt: epochSeconds(expiresAt),
    });
  }

  async releaseAutoReplyAllowance(recipient: string, day: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.autoReply(addressHash(recipient), day), SK: keys.autoReplySk },
      }),
    );
  }
}

/** The allowance marker needs to recognise an address, not to hold it (P7): a hash will do. */
function addressHash(recipient: string): string {
  return createHash('sha256')
    .update(normaliseEmail(recipient) ?? recipient.toLowerCase())
    .digest('hex')
    .slice(0, 32);
}
