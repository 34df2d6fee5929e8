import { SESClient } from '@aws-sdk/client-ses';
import {
  awsClientOptions,
  type DependencyDeadlines,
  guardClient,
  mailSendingDeadlines,
  type StaticCredentials,
} from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and locally the SES emulator's endpoint (in AWS unset). */
export interface SesClientSettings {
  AWS_REGION: string;
  SES_ENDPOINT?: string | undefined;
}

/**
 * An SES client for these settings (made once per process by the default handler), traced with
 * X-Ray; its deadlines leave one attempt time to upload a forward's attached original.
 * `deadlines`: the local stack gives its own.
 */
export function createSesClient(
  settings: SesClientSettings,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = mailSendingDeadlines,
): SESClient {
  const options = awsClientOptions(settings.AWS_REGION, settings.SES_ENDPOINT, credentials, deadlines);
  return tracer.captureAWSv3Client(guardClient(new SESClient(options), 'ses', deadlines));
}
