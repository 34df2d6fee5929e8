import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { tracer } from '../observability';

/** The region, and locally the S3 emulator's endpoint (in AWS unset). */
export interface S3ClientSettings {
  AWS_REGION: string;
  S3_ENDPOINT?: string | undefined;
}

/** An S3 client for these settings; the local emulator is addressed path-style. Traced with X-Ray. */
export function createS3Client(
  settings: S3ClientSettings,
  credentials?: S3ClientConfig['credentials'],
): S3Client {
  return tracer.captureAWSv3Client(
    new S3Client({
      region: settings.AWS_REGION,
      ...(settings.S3_ENDPOINT ? { endpoint: settings.S3_ENDPOINT, forcePathStyle: true } : {}),
      ...(credentials ? { credentials } : {}),
    }),
  );
}
