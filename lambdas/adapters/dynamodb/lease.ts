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

/** The lease of an item given up (releaseLease): earlier than any instant, so it is lapsed at once. */
const released = '0000';

/** A claim, and whether it took over from an attempt that neither finished nor gave the item up. */
export interface LeaseClaim {
  result: ClaimResult;
  /**
   * Set when this claim took over a lease that lapsed: when the attempt that let it lapse had
   * claimed the item. That attempt may have done the work (crashed or timed out after it).
   */
  lapsedAttemptAt?: string;
}

/** Claims the item: 'claimed' (first, after a release, or over a lapsed lease), or why not. */
export async function claimLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
  times: { now: string; leaseUntil: string },
  fields: Record<string, unknown> = {},
): Promise<ClaimResult> {
  return (await takeLease(client, tableName, lease, times, fields)).result;
}

/** As claimLease, telling a takeover of a lapsed lease (the old `claimedAt`, read in the same write). */
export async function takeLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
  times: { now: string; leaseUntil: string },
  fields: Record<string, unknown> = {},
): Promise<LeaseClaim> {
  const set = setClauses(fields, 'f');
  try {
    const output = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: lease.key,
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :busy AND leaseUntil < :now)',
        UpdateExpression: `SET ${['#status = :busy', 'leaseUntil = :lease', 'claimedAt = :now', ...set.clauses].join(', ')} ADD attempts :one`,
        ExpressionAttributeNames: { '#status': 'status', ...set.names },
        ExpressionAttributeValues: {
          ':busy': lease.busy,
          ':now': times.now,
          ':lease': times.leaseUntil,
          ':one': 1,
          ...set.values,
        },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const old = output.Attributes;
    // No old item: the first claim. An old lease of `released`: the last attempt gave it up.
    if (!old || old.leaseUntil === released) return { result: 'claimed' };
    const lapsedAttemptAt = String(old.claimedAt ?? old.leaseUntil);
    return { result: 'claimed', lapsedAttemptAt };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return { result: await finishedOrBusy(client, tableName, lease) };
}

async function finishedOrBusy(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
): Promise<ClaimResult> {
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

/**
 * Marks the item finished with `fields` (which set its new status), in one conditional write.
 * Fails if it is finished already, or if no attempt holds it — unless `orAbsent`: then an item
 * never claimed (the store was unreachable at the claim) is written finished.
 */
export async function finishLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: Lease,
  fields: Record<string, unknown>,
  options: { orAbsent?: boolean } = {},
): Promise<void> {
  const set = setClauses(fields, 'f');
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: lease.key,
      ConditionExpression: `${options.orAbsent ? 'attribute_not_exists(PK) OR ' : ''}#status = :busy`,
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
      ExpressionAttributeValues: { ':busy': lease.busy, ':past': released },
    }),
  );
}
