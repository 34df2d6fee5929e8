import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './api-gateway-v2';
import { AWS_REGION } from './settings';

/**
 * What Lambda does with an asynchronous invocation (InvocationType `Event`, as SES's Lambda
 * action and EventBridge use): the caller gets its answer at once; a function error is retried
 * twice; an event that still fails goes to the on-failure destination, never silently away (P1).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * Locally the retries come after seconds, not minutes, and the destination is a folder of JSON
 * files shaped like the records Lambda sends to an on-failure destination.
 */

export type AsyncLambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda waits about a minute, then two, before its two retries; here a second, then two. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000];

export interface AsyncInvokerOptions {
  functionName: string;
  handler: AsyncLambdaHandler;
  /** The on-failure destination: one JSON file per event that failed every attempt. */
  failureDir: string;
  /** The wait before each retry; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** The function's timeout: an attempt still running then counts as failed. */
  timeoutMs?: number;
  /** One line per event given up on; ids and error names only (P7). */
  log?: (line: string) => void;
  /** How the log line names an event (an id, never personal data). */
  describe?: (event: unknown) => string;
}

/** Lambda's on-failure destination record for an asynchronous invocation. */
export interface AsyncFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    /** `LocalStackStopped` (local only): the stack stopped before the event was done. */
    condition: 'RetriesExhausted' | 'LocalStackStopped';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: { statusCode: 200; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  responsePayload?: { errorType: string; errorMessage: string };
}

export interface AsyncInvoker {
  /** Queues one invocation and returns at once, as `Invoke` with InvocationType `Event` does. */
  invoke(event: unknown): void;
  /** Resolves when no invocation is running, queued or waiting for a retry. */
  idle(): Promise<void>;
  /** Invocations not finished yet (running or waiting for a retry). */
  readonly pending: number;
  /**
   * Stops taking events; retries that are waiting run at once. What is not finished after
   * `graceMs` is kept in the failure folder (condition `LocalStackStopped`), so nothing is lost.
   */
  close(graceMs?: number): Promise<void>;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

const errorNameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

export function createAsyncInvoker(options: AsyncInvokerOptions): AsyncInvoker {
  const {
    functionName,
    failureDir,
    retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
    timeoutMs = 60_000,
    log = () => undefined,
    describe = () => 'an event',
  } = options;
  const functionArn = `arn:aws:lambda:${AWS_REGION}:000000000000:function:${functionName}`;

  interface Invocation {
    event: unknown;
    requestId: string;
    attempts: number;
    lastError?: unknown;
    /** Set once the event is in the failure folder, so that it is never written twice. */
    kept: boolean;
  }
  const running = new Map<Promise<void>, Invocation>();
  /** Wakes the invocations waiting for a retry (on close). */
  const wakers = new Set<() => void>();
  let closing = false;

  const waitBeforeRetry = (ms: number) =>
    new Promise<void>((resolve) => {
      if (closing) return resolve();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  async function attempt(invocation: Invocation): Promise<void> {
    // The same request id on every attempt, as Lambda keeps it across retries.
    const context = { ...lambdaContext(functionName, timeoutMs), awsRequestId: invocation.requestId };
    let timer: NodeJS.Timeout | undefined;
    const call = options.handler(invocation.event, context);
    // An attempt that times out keeps running in-process (nothing can stop it); its outcome is ignored.
    call.catch(() => undefined);
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([call, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function keep(
    invocation: Invocation,
    condition: AsyncFailureRecord['requestContext']['condition'],
  ): Promise<void> {
    if (invocation.kept) return;
    invocation.kept = true;
    const timestamp = new Date().toISOString();
    const { lastError } = invocation;
    const record: AsyncFailureRecord = {
      version: '1.0',
      timestamp,
      requestContext: {
        requestId: invocation.requestId,
        functionArn: `${functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: invocation.attempts,
      },
      requestPayload: invocation.event,
      ...(lastError === undefined
        ? {}
        : {
            responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
            responsePayload: {
              errorType: errorNameOf(lastError),
              errorMessage: lastError instanceof Error ? lastError.message : String(lastError),
            },
          }),
    };
    const file = path.join(failureDir, `${timestamp.replace(/[:.]/g, '-')}-${invocation.requestId}.json`);
    const why =
      condition === 'RetriesExhausted'
        ? `failed ${invocation.attempts} times (${errorNameOf(lastError)})`
        : 'was not finished when the stack stopped';
    try {
      await mkdir(failureDir, { recursive: true, mode: 0o700 });
      // It holds the event (addresses in the headers): readable by its owner only (P7).
      await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      log(`${functionName}: ${describe(invocation.event)} ${why}; the event is kept in ${file}`);
    } catch (error) {
      log(
        `${functionName}: ${describe(invocation.event)} ${why}, and the event could not be kept in ${failureDir} (${errorNameOf(error)})`,
      );
    }
  }

  async function run(invocation: Invocation): Promise<void> {
    for (;;) {
      invocation.attempts += 1;
      try {
        await attempt(invocation);
        return;
      } catch (error) {
        invocation.lastError = error;
      }
      if (invocation.kept) return; // the stack stopped meanwhile and kept the event already
      const delay = retryDelaysMs[invocation.attempts - 1];
      if (delay === undefined) break;
      await waitBeforeRetry(delay);
    }
    await keep(invocation, 'RetriesExhausted');
  }

  function track(invocation: Invocation, work: Promise<void>): void {
    const done: Promise<void> = work.finally(() => running.delete(done));
    running.set(done, invocation);
  }

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running.keys()]);
  }

  return {
    invoke(event) {
      const invocation: Invocation = { event, requestId: randomUUID(), attempts: 0, kept: false };
      track(invocation, closing ? keep(invocation, 'LocalStackStopped') : run(invocation));
    },
    idle,
    get pending() {
      return running.size;
    },
    async close(graceMs = 5_000) {
      closing = true;
      for (const wake of [...wakers]) wake();
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace-over'>((resolve) => {
        timer = setTimeout(() => resolve('grace-over'), graceMs);
      });
      const outcome = await Promise.race([idle().then(() => 'idle' as const), graceOver]);
      clearTimeout(timer);
      if (outcome === 'grace-over') {
        // Still running (or hung): kept, so that nothing is lost; a replay is harmless (P6).
        await Promise.all([...running.values()].map((invocation) => keep(invocation, 'LocalStackStopped')));
      }
    },
  };
}
