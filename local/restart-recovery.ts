import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/**
 * What `npm start` takes up again after a process that was stopped or killed (P1: 9.1, never drop a
 * contact). The queues replay their events (async-invoke.ts); before that, the leases those events'
 * first attempts held are made to lapse.
 */

/** Where the local asynchronous invokers keep accepted invocations, under the data directory. */
export const QUEUES_FOLDER = 'queues';

/** A lease given up (lambdas/adapters/dynamodb/lease.ts writes the same on release). */
const LAPSED = '0000';

/**
 * At start no attempt runs yet, and the data directory is this process's alone (data-dir-lock.ts),
 * so every lease still live in the table was held by an attempt of a process that has gone. Each is
 * made to lapse now, as it would at its end (a lapsed lease may be taken over, lease.ts), so that the
 * replays take their work over at once rather than meeting a live lease (ContactBusyError), which
 * the local retries (seconds, where Lambda waits minutes) would end in the failure folder. Whether a
 * forward was already sent is the claim's own record (P6); the lease only says who works on it now.
 * Call it before anything can start an attempt. Resolves with how many leases lapsed.
 */
export async function lapseAbandonedLeases(
  client: DynamoDBDocumentClient,
  tableName: string,
  now: Date = new Date(),
): Promise<number> {
  let lapsed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'leaseUntil > :now',
        ProjectionExpression: 'PK, SK, leaseUntil',
        ExpressionAttributeValues: { ':now': now.toISOString() },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      if (await lapseLease(client, tableName, item)) lapsed += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return lapsed;
}

async function lapseLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: item.PK, SK: item.SK },
        ConditionExpression: 'leaseUntil = :seen',
        UpdateExpression: 'SET leaseUntil = :lapsed',
        ExpressionAttributeValues: { ':seen': item.leaseUntil, ':lapsed': LAPSED },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false; // finished or taken meanwhile
    throw error;
  }
}

/**
 * The one line `npm start` prints when it took something up again: how many events per function and
 * how many leases lapsed, never what the events hold (P7). Nothing when there was nothing to take up.
 */
export function logRecovery(
  log: (line: string) => void,
  lapsedLeases: number,
  replayed: Readonly<Record<string, number>>,
): void {
  const total = Object.values(replayed).reduce((sum, count) => sum + count, 0);
  if (total === 0 && lapsedLeases === 0) return;
  const parts = Object.entries(replayed).map(([name, count]) => `${name} ${count}`);
  log(
    `Restart recovery: ${total} event(s) taken up again (${parts.join(', ')}); ${lapsedLeases} abandoned lease(s) lapsed.`,
  );
}
