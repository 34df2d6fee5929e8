import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult } from '../../core/ports';

/**
 * An item that at most one attempt works on at a time (P6): claimed with a conditional write and
 * a lease, finished by the attempt that holds it, or given up so that a retry can take it at once.
 * A lease that lapses (the attempt crashed or timed out) can be taken over. Single-item conditional
 * updates only: correct on DynamoDB and dynalite alike.
 */
export interface Lease {
  key: Record<string, string>;
  /** The status while an attempt holds it (e.g. `processing`); any other status means finished. */
  busy: string;
}

/** `SET` clauses for arbitrary attributes, with placeholders (attribute names may be reserved words). */
function setClauses(fields: Record<string, unknown>, prefix: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses = Object.entries(fields).map(([name, value], i) => {
    names[`#${prefix}${i}`] = name;
    values[`:${prefix}${i}`] = value;
    return `#${prefix}${i} = :${prefix}${i}`;
  });
  return { names, values, clauses };
}

export async function claimLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
  times: { now: string; leaseUntil: string },
  fields: Record<string, unknown> = {},
): Promise<ClaimResult> {
  const set = setClauses(fields, 'f');
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: lease.key,
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :busy AND leaseUntil < :now)',
        UpdateExpression: `SET ${['#status = :busy', 'leaseUntil = :lease', ...set.clauses].join(', ')} ADD attempts :one`,
        ExpressionAttributeNames: { '#status': 'status', ...set.names },
        ExpressionAttributeValues: {
          ':busy': lease.busy,
          ':now': times.now,
          ':lease': times.leaseUntil,
          ':one': 1,
          ...set.values,
        },
      }),
    );
    return 'claimed';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const existing = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: lease.key,
      ProjectionExpression: '#status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    }),
  );
  return existing.Item?.status === lease.busy ? 'in-progress' : 'already-done';
}

/** Marks the item finished with `fields` (which set its new status). Fails if no attempt holds it. */
export async function finishLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
  fields: Record<string, unknown>,
): Promise<void> {
  const set = setClauses(fields, 'f');
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: lease.key,
      ConditionExpression: '#status = :busy',
      UpdateExpression: `SET ${set.clauses.join(', ')} REMOVE leaseUntil`,
      ExpressionAttributeNames: { '#status': 'status', ...set.names },
      ExpressionAttributeValues: { ':busy': lease.busy, ...set.values },
    }),
  );
}

/** Gives the lease up, so that the retry can claim the item at once. Fails if no attempt holds it. */
export async function releaseLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
): Promise<void> {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: lease.key,
      ConditionExpression: '#status = :busy',
      UpdateExpression: 'SET leaseUntil = :past',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':busy': lease.busy, ':past': '0000' },
    }),
  );
}
