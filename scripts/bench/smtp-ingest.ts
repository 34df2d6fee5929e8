import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { LOCAL_CREDENTIALS } from '../../local/lambda-config';
import { startLocalStack } from '../../local/stack';
import type { BenchStack } from './bench-stack';
import { ratio, round } from './stats';

export interface IngestResult {
  messages: number;
  /** Messages accepted (250) per second over one SMTP connection, by the stack and by a minimal SMTP → S3 server. */
  stack: { perSecond: number; screenedPerSecond: number };
  minimal: { perSecond: number };
  ratio: number;
  large: LargeMailResult;
}

export interface LargeMailResult {
  sizeMb: number;
  /** Peak RSS above the idle process (MB): the stack receiving, storing and screening it; a minimal SMTP → S3 server. */
  stackPeakAboveIdleMb: number;
  minimalPeakAboveIdleMb: number;
  ratio: number;
  stackIdleMb: number;
  secondsToForward: number;
}

const mail = (n: number, extra = '') => ({
  from: `resident.smtp.${n}@example.org`,
  to: 'customer.services@council.example',
  subject: `Missed collection ${n}`,
  text: `The bins were missed again (${n}).${extra}`,
});

async function sendBatch(port: number, count: number, offset: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    pool: true,
    maxConnections: 1,
  });
  const start = performance.now();
  for (let i = 0; i < count; i++) await transport.sendMail(mail(offset + i));
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return count / seconds;
}

/** A minimal SMTP server that keeps each message in S3 with one PutObject (what SES's S3 action does). */
async function startMinimalSmtp(s3Endpoint: string, bucket: string) {
  const s3 = new S3Client({
    region: 'eu-west-2',
    endpoint: s3Endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: 40 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `minimal/${randomBytes(8).toString('hex')}`,
            Body: body,
            ContentLength: body.length,
          }),
        ).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3.destroy();
    },
  };
}

/**
 * (4): SMTP ingest, interleaved: batches of small messages to a minimal SMTP → S3 server and to
 * the stack's SMTP (which stores each in S3 and queues its screening); then the 25 MB message,
 * each side in a fresh process of its own, for its peak RSS above that process idle.
 */
export async function measureIngest(
  bench: BenchStack,
  batches: number,
  perBatch: number,
): Promise<IngestResult> {
  const minimal = await startMinimalSmtp(bench.stack.urls.s3, bench.stack.bucket);
  const stackRates: number[] = [];
  const minimalRates: number[] = [];
  const screened: number[] = [];
  try {
    await sendBatch(minimal.port, 3, 0);
    await sendBatch(bench.stack.ports.smtpPort, 3, 0);
    await bench.stack.inbound.idle();
    for (let b = 0; b < batches; b++) {
      minimalRates.push(await sendBatch(minimal.port, perBatch, b * perBatch));
      const start = performance.now();
      stackRates.push(await sendBatch(bench.stack.ports.smtpPort, perBatch, 1000 + b * perBatch));
      await bench.stack.inbound.idle();
      screened.push(perBatch / ((performance.now() - start) / 1000));
      await bench.stack.events.idle();
    }
  } finally {
    await minimal.close();
  }
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const stackRate = round(mean(stackRates), 1);
  const minimalRate = round(mean(minimalRates), 1);
  const [stackLarge, minimalLarge] = [await largeMailChild('stack'), await largeMailChild('minimal')];
  return {
    messages: batches * perBatch,
    stack: { perSecond: stackRate, screenedPerSecond: round(mean(screened), 1) },
    minimal: { perSecond: minimalRate },
    ratio: ratio(stackRate, minimalRate),
    large: {
      sizeMb: 25,
      stackPeakAboveIdleMb: stackLarge.peakAboveIdleMb,
      minimalPeakAboveIdleMb: minimalLarge.peakAboveIdleMb,
      ratio: ratio(stackLarge.peakAboveIdleMb, minimalLarge.peakAboveIdleMb),
      stackIdleMb: stackLarge.idleMb,
      secondsToForward: stackLarge.seconds,
    },
  };
}

interface ChildResult {
  idleMb: number;
  peakAboveIdleMb: number;
  seconds: number;
}

function largeMailChild(mode: 'stack' | 'minimal'): Promise<ChildResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', script, 'large-mail', mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`large-mail child (${mode}) exited ${code} without a result`));
      }
    });
  });
}

/** The 25 MB message: a text part and a base64 attachment, as a mail client sends a large file. */
function largeMessage() {
  return {
    ...mail(0),
    attachments: [{ filename: 'scan.pdf', content: randomBytes(Math.floor(25 * 1024 * 1024 * 0.74)) }],
  };
}

/** In the child: the stack (or the minimal server) idle, then one 25 MB message, sampling RSS. */
async function runLargeMailChild(mode: 'stack' | 'minimal'): Promise<void> {
  const dataDir = path.resolve('.bench', `large-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const stack = await startLocalStack({
    port: 0,
    smtpPort: 0,
    sesPort: 0,
    dynamodbPort: 0,
    s3Port: 0,
    eventbridgePort: 0,
    dataDir,
    seed: false,
    env: { ...process.env, REVIEW_INTERVAL_MINUTES: '0' },
  });
  const minimal = mode === 'minimal' ? await startMinimalSmtp(stack.urls.s3, stack.bucket) : undefined;
  const message = largeMessage();
  const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
  // Warm: one small message through the same path first, so that idle means "has run once".
  const port = minimal?.port ?? stack.ports.smtpPort;
  await sendBatch(port, 1, 0);
  await stack.inbound.idle();
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false });
  await transport.sendMail(message);
  transport.close();
  await stack.inbound.idle();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await minimal?.close();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({ idleMb: mb(idle), peakAboveIdleMb: mb(peak - idle), seconds: round(seconds, 2) })}\n`,
  );
  process.exit(0);
}

if (process.argv[2] === 'large-mail')
  await runLargeMailChild(process.argv[3] === 'minimal' ? 'minimal' : 'stack');
