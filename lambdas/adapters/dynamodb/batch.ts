import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** DynamoDB TTL reads epoch seconds. */
export const epochSeconds = (instant: string) => Math.floor(Date.parse(instant) / 1000);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BatchGetItem takes at most 100 keys; BatchWriteItem at most 25 requests. */
const maxGetKeys = 100;
const maxWriteRequests = 25;
const maxRetries = 8;

/**
 * Reads items by key, 100 at a time, asking again (with backoff) for the keys DynamoDB left
 * unprocessed; fails if some never come. Items not found are simply absent from the answer.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: { projection?: string; names?: Record<string, string>; consistent?: boolean } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < keys.length; i += maxGetKeys) {
    let pending: Item[] | undefined = keys.slice(i, i + maxGetKeys);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > maxRetries) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      if (attempt > 0) await delay(Math.min(2000, 25 * 2 ** attempt));
      const output: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              ...(options.consistent ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      items.push(...(output.Responses?.[tableName] ?? []));
      pending = output.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}

/** Puts and deletes, 25 at a time, sending again (with backoff) what DynamoDB left unprocessed. */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += maxWriteRequests) {
    let pending: WriteRequest[] = requests.slice(i, i + maxWriteRequests);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > maxRetries) throw new Error(`BatchWriteItem left ${pending.length} requests unprocessed`);
      if (attempt > 0) await delay(Math.min(2000, 25 * 2 ** attempt));
      const output = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = output.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** Every item a query finds, page by page. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const output = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(output.Items ?? []));
    startKey = output.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** For a conditional write whose condition failing is an answer, not an error. */
export const ignoreConditionFailed = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};
