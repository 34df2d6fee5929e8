import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LambdaHandler } from './api-gateway-v2';

const PROBE_TIMEOUT_MS = 1_500;

export type PartState = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'down';
  parts: { dynamodb: PartState; s3: PartState; ses: PartState; gateway: PartState };
}

/**
 * `GET /health`: 200 only when every local part answers a real request (DescribeTable,
 * HeadBucket, the SES emulator's health check); otherwise 503 naming the part that is down.
 */
export function healthCheck(targets: {
  dynamodb: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  sesEndpoint: string;
}): { check: () => Promise<HealthReport>; handler: LambdaHandler } {
  const probe = async (attempt: (signal: AbortSignal) => Promise<unknown>): Promise<PartState> => {
    try {
      await attempt(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      return 'up';
    } catch {
      return 'down';
    }
  };

  const check = async (): Promise<HealthReport> => {
    const [dynamodb, s3, ses] = await Promise.all([
      probe((abortSignal) =>
        targets.dynamodb.send(new DescribeTableCommand({ TableName: targets.tableName }), { abortSignal }),
      ),
      probe((abortSignal) =>
        targets.s3.send(new HeadBucketCommand({ Bucket: targets.bucket }), { abortSignal }),
      ),
      probe(async (signal) => {
        const response = await fetch(new URL('/health-check', targets.sesEndpoint), { signal });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`SES emulator answered ${response.status}`);
      }),
    ]);
    const parts = { dynamodb, s3, ses, gateway: 'up' as const };
    return { status: Object.values(parts).every((state) => state === 'up') ? 'ok' : 'down', parts };
  };

  const handler: LambdaHandler = async () => {
    const report = await check();
    return {
      statusCode: report.status === 'ok' ? 200 : 503,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(report),
    };
  };

  return { check, handler };
}
