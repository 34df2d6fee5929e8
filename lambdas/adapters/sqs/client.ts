import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientOptions, type StaticCredentials } from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and an SQS endpoint where one stands in (in AWS unset; `npm start` queues in-process). */
export interface SqsClientSettings {
  AWS_REGION: string;
  SQS_ENDPOINT?: string | undefined;
}

/**
 * An SQS client for these settings (made once per process by the default handler), traced with X-Ray,
 * with the deadlines and bounded retries every client gets (aws-client-options.ts): the form's endpoint
 * must hear "kept" or "not kept" well inside its own timeout.
 */
export function createSqsClient(settings: SqsClientSettings, credentials?: StaticCredentials): SQSClient {
  return tracer.captureAWSv3Client(
    new SQSClient(awsClientOptions(settings.AWS_REGION, settings.SQS_ENDPOINT, credentials)),
  );
}
