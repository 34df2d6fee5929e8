import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './api-gateway-v2';
import {
  failureRecordFile,
  failureRecordsFor,
  type InvocationQueue,
  invocationQueue,
  isRequestId,
  type KeptFailure,
  setAsideReplayed,
  writeFileAtomically,
} from './invocation-files';
import { AWS_REGION } from './settings';

/**
 * What Lambda does with an asynchronous invocation (InvocationType `Event`, as SES's Lambda
 * action and EventBridge use): the caller gets its answer at once; a function error is retried
 * twice; an event that still fails goes to the on-failure destination, never silently away (P1).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * Locally the retries come after seconds, not minutes, and the destination is a folder of JSON
 * files shaped like the records Lambda sends to an on-failure destination. With a queue folder, an
 * invocation is accepted only once it is on disk, and stays there until it is finished or kept in
 * the failure folder, so that a process that is killed loses nothing it accepted (P1): `recover()`
 * at the next start replays what it left.
 *
 * A replay may repeat work that was done (a process killed after the work, before its file went):
 * the handlers make that harmless with their exactly-once claims (P6), as they must for Lambda's
 * own at-least-once delivery.
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
  /**
   * Where accepted invocations are kept until they finish, one file each (0600: events hold
   * addresses, P7). Without it the queue is in memory only, and a killed process loses it.
   */
  queueDir?: string;
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
  /**
   * Accepts one invocation, as `Invoke` with InvocationType `Event` does: resolves once the event is
   * in the queue folder (at once without one), and runs it after. Rejects if the event could not be
   * kept; it is then not run, and the caller must say it was not accepted (the sender tries again).
   */
  invoke(event: unknown): Promise<void>;
  /**
   * Replays every invocation a stopped or killed process left in the queue folder, and every record
   * of this function in the failure folder (set aside in `replayed/` first, so that each is replayed
   * once; a replay that fails again is kept again, as a new record). Call it at start, before new
   * work comes in. Resolves once the replays are under way, with how many there are.
   */
  recover(): Promise<{ replayed: number }>;
  /** Resolves when no invocation is running, queued or waiting for a retry. */
  idle(): Promise<void>;
  /** Invocations not finished yet (being queued, running or waiting for a retry). */
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

interface Invocation {
  event: unknown;
  requestId: string;
  attempts: number;
  lastError?: unknown;
  /** Set once the event is being kept in the failure folder, so that it is never written twice. */
  kept: boolean;
}

const invocationOf = (event: unknown, requestId: string): Invocation => ({
  event,
  requestId,
  attempts: 0,
  kept: false,
});

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
  const queue: InvocationQueue | undefined = options.queueDir ? invocationQueue(options.queueDir) : undefined;

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

  /** The invocation is finished or kept: its queue file goes. One left behind is replayed, harmlessly. */
  async function dequeue(invocation: Invocation): Promise<void> {
    await queue?.remove(invocation.requestId).catch((error: unknown) => {
      log(
        `${functionName}: ${describe(invocation.event)} is done but stays in ${queue.dir} (${errorNameOf(error)}); the next start replays it`,
      );
    });
  }

  /** Writes the on-failure record, then takes the event off the queue. Resolves false if it could not be written. */
  async function keep(
    invocation: Invocation,
    condition: AsyncFailureRecord['requestContext']['condition'],
  ): Promise<boolean> {
    if (invocation.kept) return true;
    invocation.kept = true;
    const { lastError } = invocation;
    const record: AsyncFailureRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
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
    const file = failureRecordFile(failureDir, record);
    const why =
      condition === 'RetriesExhausted'
        ? `failed ${invocation.attempts} times (${errorNameOf(lastError)})`
        : 'was not finished when the stack stopped';
    try {
      // It holds the event (addresses in the headers): readable by its owner only (P7).
      await writeFileAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
    } catch (error) {
      const still = queue ? `; it stays in ${queue.dir} and the next start replays it` : '';
      log(
        `${functionName}: ${describe(invocation.event)} ${why}, and the event could not be kept in ${failureDir} (${errorNameOf(error)})${still}`,
      );
      return false;
    }
    log(`${functionName}: ${describe(invocation.event)} ${why}; the event is kept in ${file}`);
    await dequeue(invocation);
    return true;
  }

  async function run(invocation: Invocation): Promise<void> {
    for (;;) {
      invocation.attempts += 1;
      try {
        await attempt(invocation);
        await dequeue(invocation);
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

  function track(invocation: Invocation, work: Promise<unknown>): void {
    // Never rejects: a failure is kept in the failure folder, and one that could not be queued never ran.
    const done: Promise<void> = work
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => running.delete(done));
    running.set(done, invocation);
  }

  /** Runs the invocation once `persisted` resolves; if it rejects, the invocation was not accepted and never runs. */
  function start(invocation: Invocation, persisted: Promise<void>): void {
    track(
      invocation,
      persisted.then(() => run(invocation)),
    );
  }

  /** Accepted and not finished in this process (being queued, running, or waiting for a retry). */
  const underWay = (requestId: string) =>
    [...running.values()].some((invocation) => invocation.requestId === requestId);

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running.keys()]);
  }

  /** Replays one kept record: on the queue first, then set aside, then run. False if it is not replayed now. */
  async function replayRecord(kept: KeptFailure, started: Set<string>): Promise<boolean> {
    const { requestId: recorded } = kept.record.requestContext;
    const requestId = isRequestId(recorded) ? recorded : randomUUID();
    const event = kept.record.requestPayload;
    const first = !started.has(requestId) && !underWay(requestId);
    let queued = false;
    try {
      // On the queue before the record is set aside: a process killed in between replays it twice,
      // which the claims make harmless (P6), never not at all (P1).
      if (first && queue) {
        await queue.put({ requestId, queuedAt: new Date().toISOString(), event });
        queued = true;
      }
      await setAsideReplayed(failureDir, kept);
    } catch (error) {
      log(
        `${functionName}: ${path.basename(kept.file)} could not be set aside for replay (${errorNameOf(error)}); the next start tries again`,
      );
      // Run only what is on the queue now; the record stays for the next start either way.
      if (!queued) return false;
    }
    if (!first) return false;
    started.add(requestId);
    start(invocationOf(event, requestId), Promise.resolve());
    return true;
  }

  return {
    invoke(event) {
      const invocation = invocationOf(event, randomUUID());
      if (closing) {
        const kept = keep(invocation, 'LocalStackStopped').then((written) => {
          if (!written) throw new Error(`${functionName}: the event could not be kept`);
        });
        track(invocation, kept);
        return kept;
      }
      const persisted = queue
        ? queue.put({ requestId: invocation.requestId, queuedAt: new Date().toISOString(), event })
        : Promise.resolve();
      start(invocation, persisted);
      return persisted;
    },
    async recover() {
      if (closing) return { replayed: 0 };
      // What is under way already (a recover() called twice, work that came in meanwhile) is not run twice.
      const started = new Set<string>();
      let replayed = 0;
      if (queue) {
        await queue.removeHalfWritten((requestId) => !underWay(requestId));
        const { invocations, unreadable } = await queue.leftovers();
        for (const name of unreadable) {
          log(`${functionName}: ${path.join(queue.dir, name)} is not a queued invocation; it is left there`);
        }
        for (const { requestId, event } of invocations) {
          if (started.has(requestId) || underWay(requestId)) continue;
          started.add(requestId);
          start(invocationOf(event, requestId), Promise.resolve());
          replayed += 1;
        }
      }
      for (const kept of await failureRecordsFor(failureDir, functionArn)) {
        if (await replayRecord(kept, started)) replayed += 1;
      }
      return { replayed };
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
