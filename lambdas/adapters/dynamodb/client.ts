import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  awsClientOptions,
  type DependencyDeadlines,
  guardClient,
  type StaticCredentials,
  standardDeadlines,
} from '../aws-client-options';
import { tracer } from '../observability';

/** What the DynamoDB client is made from: the region, and locally dynalite's endpoint (in AWS unset). */
export interface DynamoClientSettings {
  AWS_REGION: string;
  DYNAMODB_ENDPOINT?: string | undefined;
}

/**
 * A DynamoDB document client for these settings, with deadlines and a circuit (an unreachable table
 * fails fast, so that screening fails open in time: P1), traced with X-Ray (a no-op outside Lambda). The
 * default handler makes one per process and reuses it across invocations; `local/` and the tests
 * make their own, pointed at dynalite. `deadlines`: the local stack gives its own.
 */
export function createDynamoDocumentClient(
  settings: DynamoClientSettings,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = standardDeadlines,
): DynamoDBDocumentClient {
  const options = awsClientOptions(settings.AWS_REGION, settings.DYNAMODB_ENDPOINT, credentials, deadlines);
  const client = guardClient(new DynamoDBClient(options), 'dynamodb', deadlines);
  return DynamoDBDocumentClient.from(tracer.captureAWSv3Client(client), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
