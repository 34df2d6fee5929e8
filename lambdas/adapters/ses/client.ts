import { SESClient } from '@aws-sdk/client-ses';
import { awsClientOptions, type StaticCredentials } from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and locally the SES emulator's endpoint (in AWS unset). */
export interface SesClientSettings {
  AWS_REGION: string;
  SES_ENDPOINT?: string | undefined;
}

/** An SES client for these settings (made once per process by the default handler), traced with X-Ray. */
export function createSesClient(settings: SesClientSettings, credentials?: StaticCredentials): SESClient {
  return tracer.captureAWSv3Client(
    new SESClient(awsClientOptions(settings.AWS_REGION, settings.SES_ENDPOINT, credentials)),
  );
}
