/**
 * Counts the AWS requests a piece of work makes, by service and operation, and how many of them
 * waited for one another: an SDK middleware added to the clients the bench builds (never to the
 * deployed ones). Each request is timed from the client's `send` until its answer (retries
 * included), so that the bench can tell which requests overlapped in time.
 */

/** One AWS request as the middleware saw it: which operation, and when it started and ended (ms). */
export interface TimedRequest {
  service: string;
  operation: string;
  startMs: number;
  endMs: number;
  failed?: boolean;
}

/**
 * How many requests had to wait for one another: the longest chain in which each request starts
 * only after the one before it has ended. Requests that overlap in time never sit in the same
 * chain, so requests sent together (Promise.all) count as one stage; a long request beside two
 * short ones sent one after the other counts as two (the short ones are sequential).
 */
export function sequentialStages(requests: readonly Pick<TimedRequest, 'startMs' | 'endMs'>[]): number {
  const byEnd = [...requests].sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs);
  // depth[i]: the longest chain ending with byEnd[i]; a chain may continue after any request
  // that ended at or before this one started.
  const depth: number[] = [];
  let longest = 0;
  for (let i = 0; i < byEnd.length; i++) {
    const current = byEnd[i]!;
    let before = 0;
    for (let j = 0; j < i; j++) {
      const earlier = byEnd[j]!;
      if (earlier.endMs <= current.startMs && depth[j]! > before) before = depth[j]!;
    }
    depth.push(before + 1);
    longest = Math.max(longest, before + 1);
  }
  return longest;
}

/** The requests grouped by `service operation`, with their count. */
export function countByOperation(requests: readonly TimedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const key = `${request.service} ${request.operation}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { commandName?: string },
) => (args: unknown) => Promise<unknown>;

/** The part of an SDK v3 client the middleware needs (any client: DynamoDB, S3, SES, EventBridge, SQS). */
interface CountableStack {
  add(middleware: Middleware, options: { step: 'initialize'; priority: 'high'; name: string }): void;
}

/**
 * Where the requests go while the bench watches: `record(work)` runs the work and hands back the
 * requests made meanwhile. The bench runs one contact at a time, so everything recorded is its own.
 */
export class RequestRecorder {
  private active: TimedRequest[] | undefined;
  private readonly origin = performance.now();

  /** Adds the counting middleware to a client (outermost: the time includes retries and the guard). */
  watch<C extends { middlewareStack: unknown }>(client: C, service: string): C {
    (client.middlewareStack as CountableStack).add(
      (next, context) => async (args) => {
        const list = this.active;
        const request: TimedRequest = {
          service,
          operation: (context.commandName ?? 'unknown').replace(/Command$/, ''),
          startMs: performance.now() - this.origin,
          endMs: 0,
        };
        try {
          return await next(args);
        } catch (error) {
          request.failed = true;
          throw error;
        } finally {
          request.endMs = performance.now() - this.origin;
          list?.push(request);
        }
      },
      { step: 'initialize', priority: 'high', name: 'benchRequestCounter' },
    );
    return client;
  }

  /** A request made by something the bench stands in for (the local form queue: SQS SendMessage). */
  async note<T>(service: string, operation: string, work: () => Promise<T>): Promise<T> {
    const list = this.active;
    const request: TimedRequest = { service, operation, startMs: performance.now() - this.origin, endMs: 0 };
    try {
      return await work();
    } finally {
      request.endMs = performance.now() - this.origin;
      list?.push(request);
    }
  }

  /** Runs `work`, collecting the requests it makes. */
  async record<T>(work: () => Promise<T>): Promise<{ result: T; requests: TimedRequest[] }> {
    const requests: TimedRequest[] = [];
    this.active = requests;
    try {
      const result = await work();
      return { result, requests };
    } finally {
      this.active = undefined;
    }
  }

  /** Milliseconds on the recorder's clock (the requests' times are on it). */
  now(): number {
    return performance.now() - this.origin;
  }
}
