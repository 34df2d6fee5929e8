import { SQSClient } from '@aws-sdk/client-sqs';
import {
  awsClientOptions,
  type DependencyDeadlines,
  guardClient,
  type StaticCredentials,
  standardDeadlines,
} from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and an SQS endpoint where one stands in (in AWS unset; `npm start` queues in-process). */
export interface SqsClientSettings {
  AWS_REGION: string;
  SQS_ENDPOINT?: string | undefined;
}

/**
 * An SQS client for these settings (made once per process by the default handler), traced with X-Ray,
 * with the deadlines, bounded retries and circuit every client gets (dependency-deadlines.ts): the
 * form's endpoint must hear "kept" or "not kept" well inside its own timeout.
 */
export function createSqsClient(
  settings: SqsClientSettings,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = standardDeadlines,
): SQSClient {
  const options = awsClientOptions(settings.AWS_REGION, settings.SQS_ENDPOINT, credentials, deadlines);
  return tracer.captureAWSv3Client(guardClient(new SQSClient(options), 'sqs', deadlines));
}
