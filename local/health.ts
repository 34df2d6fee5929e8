import net from 'node:net';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LambdaHandler } from './api-gateway-v2';

const PROBE_TIMEOUT_MS = 1_500;

export type PartState = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'down';
  parts: {
    dynamodb: PartState;
    s3: PartState;
    ses: PartState;
    smtp: PartState;
    /** The local EventBridge bus, when the stack runs one. */
    eventbridge?: PartState;
    gateway: PartState;
  };
}

/**
 * `GET /health`: 200 only when every local part answers a real request (DescribeTable,
 * HeadBucket, the SES emulator's and the local bus's health checks, the SMTP server's 220
 * greeting); otherwise 503 naming the part that is down.
 */
export function healthCheck(targets: {
  dynamodb: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  sesEndpoint: string;
  smtp: { host: string; port: number };
  /** The local EventBridge bus (local/event-bus.ts); without it, the report has no `eventbridge` part. */
  eventBridgeEndpoint?: string;
}): { check: () => Promise<HealthReport>; handler: LambdaHandler } {
  const probe = async (attempt: (signal: AbortSignal) => Promise<unknown>): Promise<PartState> => {
    try {
      await attempt(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      return 'up';
    } catch {
      return 'down';
    }
  };

  const healthCheckOf = async (endpoint: string, what: string, signal: AbortSignal) => {
    const response = await fetch(new URL('/health-check', endpoint), { signal });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${what} answered ${response.status}`);
  };

  const check = async (): Promise<HealthReport> => {
    const { eventBridgeEndpoint } = targets;
    const [dynamodb, s3, ses, smtp, eventbridge] = await Promise.all([
      probe((abortSignal) =>
        targets.dynamodb.send(new DescribeTableCommand({ TableName: targets.tableName }), { abortSignal }),
      ),
      probe((abortSignal) =>
        targets.s3.send(new HeadBucketCommand({ Bucket: targets.bucket }), { abortSignal }),
      ),
      probe((signal) => healthCheckOf(targets.sesEndpoint, 'SES emulator', signal)),
      probe((signal) => smtpGreeting(targets.smtp.host, targets.smtp.port, signal)),
      eventBridgeEndpoint === undefined
        ? undefined
        : probe((signal) => healthCheckOf(eventBridgeEndpoint, 'local bus', signal)),
    ]);
    const parts = {
      dynamodb,
      s3,
      ses,
      smtp,
      ...(eventbridge ? { eventbridge } : {}),
      gateway: 'up' as const,
    };
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

/**
 * Connects, reads the greeting and says QUIT: resolves when the server greets with 220 (a
 * multi-line greeting ends with `220 `), rejects on anything else, a closed connection or abort.
 */
export function smtpGreeting(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const socket = net.connect({ host, port });
    let received = '';
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        socket.end('QUIT\r\n');
        resolve();
      }
    };
    const onAbort = () => finish(new Error('no SMTP greeting in time'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      for (const line of received.split('\r\n').slice(0, -1)) {
        if (line.startsWith('220-')) continue;
        return finish(line.startsWith('220 ') ? undefined : new Error(`SMTP greeting ${line.slice(0, 3)}`));
      }
      if (received.length > 4096) finish(new Error('SMTP greeting too long'));
    });
    socket.once('error', (error) => finish(error));
    socket.once('end', () => finish(new Error('SMTP server closed the connection')));
  });
}
