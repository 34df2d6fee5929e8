import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DependencyDeadlines, StaticCredentials } from '../adapters/aws-client-options';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createEventBridgeClient } from '../adapters/eventbridge/client';
import { createS3Client } from '../adapters/s3/client';
import { createSesClient } from '../adapters/ses/client';
import { createSqsClient } from '../adapters/sqs/client';
import type { Config } from './config';

/**
 * The AWS clients the adapters talk through. Each deps.ts takes the ones its function needs
 * (`Pick<AwsClients, …>`), and its default handler makes only those, once per process.
 */
export interface AwsClients {
  dynamodb: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
  eventBridge: EventBridgeClient;
  /** The form's queue of accepted submissions. */
  sqs: SQSClient;
}

/**
 * Every client, from the configuration: what `local/` and the tests make for a stack (the local
 * stack gives its own `deadlines` for all of them; see adapters/dependency-deadlines.ts).
 */
export function createAwsClients(
  config: Config,
  credentials?: StaticCredentials,
  deadlines?: DependencyDeadlines,
): AwsClients {
  return {
    dynamodb: createDynamoDocumentClient(config, credentials, deadlines),
    s3: createS3Client(config, credentials, deadlines),
    ses: createSesClient(config, credentials, deadlines),
    eventBridge: createEventBridgeClient(config, credentials, deadlines),
    sqs: createSqsClient(config, credentials, deadlines),
  };
}

/** Closes the clients' connections (a local stack stopping). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.ses.destroy();
  clients.eventBridge.destroy();
  clients.sqs.destroy();
  // A document client leaves its DynamoDB client open on destroy (it may be shared): close its handler.
  clients.dynamodb.config.requestHandler.destroy?.();
}
