import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { localDeadlines } from '../../lambdas/adapters/dependency-deadlines';
import { SqsSubmissionQueue } from '../../lambdas/adapters/sqs/submission-queue';
import { createAwsClients } from '../../lambdas/wiring/clients';
import { createLocalHandlers, type LocalHandlers } from '../../local/handlers';
import { LOCAL_CREDENTIALS, localLambdaConfig } from '../../local/lambda-config';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startSqsStandIn } from '../../test/helpers/sqs-stand-in';
import { RequestRecorder } from './request-counter';

/** The bench's own data directory (git-ignored), fresh for each run. */
export const benchDir = path.resolve('.bench');

export interface BenchStack {
  stack: LocalStack;
  recorder: RequestRecorder;
  /** The stack's functions, built as the local stack builds them, on clients the recorder watches. */
  handlers: LocalHandlers;
  /** What the contact form queued (the SQS stand-in: SendMessage over the real wire protocol). */
  queued: { body: string; attributes: Record<string, { StringValue?: string }> }[];
  queueUrl: string;
  /** Bare clients on the same emulators, for the baselines and for what SES itself does (storing mail). */
  bare: {
    dynamodb: DynamoDBClient;
    s3: S3Client;
    ses: SESClient;
    getItem(): Promise<void>;
    putItem(id: string): Promise<void>;
    /** A minimal SES forwarder: the stored copy read from S3, then one SendRawEmail. */
    forward(key: string): Promise<void>;
  };
  stop(): Promise<void>;
}

/**
 * Starts the local stack for the bench: ephemeral ports, its own DATA_DIR under .bench/, the demo
 * register seeded (Alex Example is restricted to a named officer, 7.3.4), limits raised so that
 * the load does not meet the form's service protection. The handlers measured are built again on
 * clients with the request counter.
 */
export async function startBenchStack(): Promise<BenchStack> {
  const dataDir = path.join(benchDir, `data-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const sqs = await startSqsStandIn();
  const env = {
    ...process.env,
    FORM_RATE_LIMIT_PER_IP: '100000000',
    FORM_RATE_LIMIT_PER_IDENTITY: '100000000',
    REVIEW_INTERVAL_MINUTES: '0',
  };
  const stack = await startLocalStack({
    port: 0,
    smtpPort: 0,
    sesPort: 0,
    dynamodbPort: 0,
    s3Port: 0,
    eventbridgePort: 0,
    dataDir,
    seed: true,
    env,
  });
  const config = localLambdaConfig(
    { ...env, FORM_QUEUE_URL: sqs.queueUrl, SQS_ENDPOINT: new URL(sqs.queueUrl).origin },
    {
      dynamodb: { endpoint: stack.urls.dynamodb },
      s3: { endpoint: stack.urls.s3 },
      ses: { endpoint: stack.urls.ses },
      eventbridge: { endpoint: stack.urls.eventbridge },
    },
    stack.adminToken,
  );
  const recorder = new RequestRecorder();
  const clients = createAwsClients(config, LOCAL_CREDENTIALS, localDeadlines);
  recorder.watch(clients.dynamodb, 'DynamoDB');
  recorder.watch(clients.s3, 'S3');
  recorder.watch(clients.ses, 'SES');
  recorder.watch(clients.eventBridge, 'EventBridge');
  recorder.watch(clients.sqs, 'SQS');
  const handlers = createLocalHandlers(config, clients, new SqsSubmissionQueue(clients.sqs, sqs.queueUrl));

  const region = config.AWS_REGION;
  const credentials = LOCAL_CREDENTIALS;
  const dynamodb = new DynamoDBClient({ region, credentials, endpoint: stack.urls.dynamodb });
  const s3 = new S3Client({
    region,
    credentials,
    endpoint: stack.urls.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const ses = new SESClient({ region, credentials, endpoint: stack.urls.ses });
  const table = stack.tableName;
  const baselineKey = { PK: { S: 'BENCH#baseline' }, SK: { S: 'BENCH' } };
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...baselineKey, n: { N: '1' } } }));
  return {
    stack,
    recorder,
    handlers,
    queued: sqs.received,
    queueUrl: sqs.queueUrl,
    bare: {
      dynamodb,
      s3,
      ses,
      getItem: async () => {
        await dynamodb.send(new GetItemCommand({ TableName: table, Key: baselineKey, ConsistentRead: true }));
      },
      putItem: async (id) => {
        await dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: { PK: { S: `BENCH#${id}` }, SK: { S: 'BENCH' }, at: { S: new Date().toISOString() } },
          }),
        );
      },
      forward: async (key) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
        const bytes = await object.Body!.transformToByteArray();
        await ses.send(
          new SendRawEmailCommand({
            Source: 'screening@council.example',
            Destinations: ['customer.services@council.example'],
            RawMessage: { Data: bytes },
          }),
        );
      },
    },
    stop: async () => {
      dynamodb.destroy();
      s3.destroy();
      ses.destroy();
      await stack.stop();
      await sqs.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stores a raw message as the SES receipt rule's S3 action does (not a request of our function). */
export async function storeMail(bench: BenchStack, key: string, raw: Buffer | string): Promise<void> {
  await bench.bare.s3.send(
    new PutObjectCommand({ Bucket: bench.stack.bucket, Key: key, Body: raw, ContentLength: raw.length }),
  );
}
