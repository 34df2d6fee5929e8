import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueuedSubmission, SubmissionQueue } from '../lambdas/core/ports';
import {
  type AsyncInvoker,
  type AsyncInvokerOptions,
  type AsyncLambdaHandler,
  createAsyncInvoker,
} from './async-invoke';
import { AWS_REGION, functionNames } from './settings';

/** The form-screening Lambda as the queue invokes it: an SQS event in, its batch item failures out. */
export type FormScreeningLambda = (...args: Parameters<AsyncLambdaHandler>) => Promise<SQSBatchResponse>;

/** The form-screening function's timeout in AWS (lib/form-screening.ts): an attempt longer than this failed. */
const FORM_SCREENING_TIMEOUT_MS = 20_000;
/** As the queue's maxReceiveCount 5: four more deliveries (here after seconds, not 120 s), then the failure folder. */
const FORM_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000];
/** How long `close()` waits for screenings under way before keeping their events. */
const FORM_DRAIN_MS = 5_000;
const queueArn = `arn:aws:sqs:${AWS_REGION}:000000000000:contact-screening-form`;

/** Where the form's queue keeps accepted submissions until they are screened, under the data directory. */
export const formQueueDir = (dataDir: string) => path.join(dataDir, 'queues', 'form-screening');

export interface LocalFormQueue {
  /** The contact form's SubmissionQueue: each submission, one SQS-shaped event for the worker. */
  submissions: SubmissionQueue;
  invoker: AsyncInvoker;
  /** Resolves when no screening is running, queued or waiting for a retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Another delivery of the message is due: what SQS does with a record named in batchItemFailures. */
class BatchItemFailedError extends Error {
  override name = 'BatchItemFailedError';
}

/** The SQS event that an event source mapping would hand the worker for this one message. */
export function sqsEventOf(submission: QueuedSubmission): SQSEvent {
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body: JSON.stringify(submission),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: now,
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: now,
        },
        messageAttributes: { reference: { dataType: 'String', stringValue: submission.reference } },
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: AWS_REGION,
      },
    ],
  };
}

/**
 * The form's queue, locally (in AWS: SQS, an event source mapping and a failure queue). Each
 * accepted submission is one asynchronous invocation of the form-screening handler with an
 * SQS-shaped event; a record it reports as failed is delivered again (the invoker's retries), and
 * one that fails every attempt is kept in the failure folder beside inbound mail's (P1). With
 * `queueDir`, the invoker keeps each event there until it is done, so that a restart loses nothing
 * that was answered 202.
 */
export function createLocalFormQueue(options: {
  handler: FormScreeningLambda;
  failureDir: string;
  queueDir?: string;
  retryDelaysMs?: readonly number[] | undefined;
  log?: (line: string) => void;
}): LocalFormQueue {
  const invokerOptions: AsyncInvokerOptions & { queueDir?: string } = {
    functionName: functionNames.formScreening,
    handler: async (event, context) => {
      const { batchItemFailures } = await options.handler(event, context);
      if (batchItemFailures.length > 0) {
        throw new BatchItemFailedError(`${batchItemFailures.length} record(s) to be delivered again`);
      }
      return { batchItemFailures };
    },
    failureDir: options.failureDir,
    ...(options.queueDir ? { queueDir: options.queueDir } : {}),
    retryDelaysMs: options.retryDelaysMs ?? FORM_RETRY_DELAYS_MS,
    timeoutMs: FORM_SCREENING_TIMEOUT_MS,
    ...(options.log ? { log: options.log } : {}),
    describe: (event) => `submission ${referenceOf(event)}`,
  };
  const invoker = createAsyncInvoker(invokerOptions);
  return {
    submissions: {
      async enqueue(submission) {
        // Resolves once the event is kept (with queueDir), as SendMessage does once SQS stored it.
        await invoker.invoke(sqsEventOf(submission));
      },
    },
    invoker,
    idle: () => invoker.idle(),
    close: () => invoker.close(FORM_DRAIN_MS),
  };
}

/** The reference of a queued submission's event, for log lines (an id, never personal data). */
function referenceOf(event: unknown): string {
  const reference = (event as SQSEvent | undefined)?.Records?.[0]?.messageAttributes?.reference?.stringValue;
  return typeof reference === 'string' && /^CS-[0-9A-Z-]{12}$/.test(reference) ? reference : '(no reference)';
}
