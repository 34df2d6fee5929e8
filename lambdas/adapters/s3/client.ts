import { S3Client } from '@aws-sdk/client-s3';
import {
  awsClientOptions,
  type DependencyDeadlines,
  guardClient,
  type StaticCredentials,
  standardDeadlines,
} from '../aws-client-options';
import { tracer } from '../observability';

/** The region, and locally the S3 emulator's endpoint (in AWS unset). */
export interface S3ClientSettings {
  AWS_REGION: string;
  S3_ENDPOINT?: string | undefined;
}

/**
 * An S3 client for these settings, with deadlines and a circuit, traced with X-Ray; the local
 * emulator is addressed path-style. `deadlines`: the local stack gives its own.
 */
export function createS3Client(
  settings: S3ClientSettings,
  credentials?: StaticCredentials,
  deadlines: DependencyDeadlines = standardDeadlines,
): S3Client {
  const options = awsClientOptions(settings.AWS_REGION, settings.S3_ENDPOINT, credentials, deadlines);
  const client = new S3Client({ ...options, forcePathStyle: settings.S3_ENDPOINT !== undefined });
  return tracer.captureAWSv3Client(guardClient(client, 's3', deadlines));
}
