/**
 * Deadlines on every call to a dependency (DynamoDB, S3, SES, EventBridge, SQS), so that a store
 * that hangs or refuses connections never stops the fail-open path (P1, 9.1). Three layers:
 *
 * 1. Each attempt: the HTTP handler gives up on a TCP connection after 1 s and on a
 *    whole attempt (connect, send, wait for the answer's headers) after its request timeout; a
 *    response body (an S3 object) that stops flowing fails after 10 s idle (aws-client-options.ts).
 * 2. Each call: at most 3 attempts (the SDK's standard retries, backoff ≤ 50 ms then
 *    ≤ 100 ms for transient errors), and whatever the retries do, the call settles within its
 *    call deadline (this module's middleware, outermost, so that it wraps the retries).
 * 3. Each client: after a call waited out its deadline (the dependency hangs; a refusal fails
 *    fast by itself and does not count), later calls through that client fail fast (DependencyUnavailableError) for
 *    10 s; then one call probes it, with one attempt's deadline, and an answer closes the
 *    circuit. One bad store costs one call deadline per invocation, not one per call.
 *
 * The arithmetic (the function timeouts are lib/screening-functions.ts'):
 * - A hang costs a call its deadline: standard 2 s + ≤ 0.05 s backoff + 2 s + cut = 4.5 s; SES 6 s
 *   (a 5 s attempt: a 10 MB raw message at 16 Mbit/s or more). A refusal costs ≈ 0.2 s (3 quick attempts).
 * - On the fail-open path only DynamoDB and EventBridge may fail (an S3 or SES failure fails the
 *   invocation on purpose, so that the platform retries). DynamoDB costs its first call's deadline
 *   and at most one probe (2 s) if the invocation outlives the 10 s cooldown; EventBridge is called
 *   once: 4.5 + 2 + 4.5 = 11 s beside the healthy S3 read and SES forward.
 * - inbound-email (30 s): 11 s, leaving 19 s to read, parse and forward. If S3 or SES fails as
 *   well, the attempt fails (to be retried) before the timeout: at worst the table 4.5 + the S3
 *   call 4.5 + its body stopping 10 = 19 s, or the table 4.5 + SES 6 beside the S3 read.
 * - contact-form (15 s): the rate limits (DynamoDB) 4.5 s, then accepting the submission (one
 *   queue send, 4.5 s; or, screening in the request, EventBridge 4.5 s) → ≤ 9 s beside the healthy
 *   calls: the answer (202, or 503 "not sent") comes well inside 15 s.
 * - form worker (20 s): ≤ 11 s, as for email, beside the SES forward.
 */

/** How long each attempt and each call may take, and how long a failed dependency is left alone. */
export interface DependencyDeadlines {
  /** The TCP connection (AWS endpoints in the region connect in milliseconds). */
  connectionTimeoutMs: number;
  /** One attempt, from the request's start to the answer's headers. */
  requestTimeoutMs: number;
  /**
   * A response body that stops flowing: generous, because a reader that pauses the stream (the
   * mail parser, under load) also leaves the socket idle.
   */
  bodyIdleTimeoutMs: number;
  /** Attempts per call, the first included (quick failures: 5xx, throttling, a refused connection). */
  maxAttempts: number;
  /** The whole call, retries and backoff included. */
  callDeadlineMs: number;
  /** How long calls fail fast after the dependency was found unreachable. */
  cooldownMs: number;
}

const COOLDOWN_MS = 10_000;

/** DynamoDB, S3, EventBridge and SQS: small requests, answered in milliseconds when healthy. */
export const standardDeadlines: DependencyDeadlines = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  bodyIdleTimeoutMs: 10_000,
  maxAttempts: 3,
  callDeadlineMs: 4_500,
  cooldownMs: COOLDOWN_MS,
};

/** SES: a forward uploads the original (up to 7 MB, ≈ 9.5 MB encoded) within one attempt. */
export const mailSendingDeadlines: DependencyDeadlines = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  bodyIdleTimeoutMs: 10_000,
  maxAttempts: 3,
  callDeadlineMs: 6_000,
  cooldownMs: COOLDOWN_MS,
};

/**
 * The local stack (`npm start`) runs the emulators in the handlers' own process: a slow answer
 * there means a busy CPU, not an unreachable store, and a timed-out attempt that is retried may
 * apply a write twice (a rate-limit hit). So an attempt may take the whole call deadline (8 s,
 * uploads to the SES emulator included), and only quick failures are retried. The budgets still
 * hold there: a hanging table costs the form 9 s (< 15 s), an email 9 + 8 + 9 = 26 s (< 30 s).
 */
export const localDeadlines: DependencyDeadlines = {
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 8_000,
  bodyIdleTimeoutMs: 20_000,
  maxAttempts: 3,
  callDeadlineMs: 9_000,
  cooldownMs: COOLDOWN_MS,
};

/**
 * A call refused at once because the dependency was unreachable moments ago. Not a service
 * error (never ConditionalCheckFailed-like): callers treat it as "unreachable" and fail open.
 */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: string,
    readonly retryInMs: number,
  ) {
    super(`${dependency} was unreachable moments ago; not called again for ${Math.ceil(retryInMs / 1000)} s`);
  }
}

/** A call that did not settle within its deadline, whatever its attempts were doing. */
export class DependencyDeadlineError extends Error {
  override name = 'DependencyDeadlineError';
  constructor(
    readonly dependency: string,
    readonly deadlineMs: number,
  ) {
    super(`${dependency} did not answer within ${deadlineMs} ms`);
  }
}

/** What Node and the HTTP handler report when no answer came at all (no HTTP status). */
const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an error means the dependency could not be reached (timed out, refused, reset), as
 * opposed to an answer from it (any error with an HTTP status: a failed condition, throttling, a 5xx).
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof DependencyDeadlineError || error instanceof DependencyUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata } = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if ($metadata?.httpStatusCode !== undefined) return false;
  return name === 'TimeoutError' || (typeof code === 'string' && networkErrorCodes.has(code));
}

/** Whether the dependency made the call wait out a deadline (it hangs), as opposed to refusing at once. */
export function keepsCallersWaiting(error: unknown): boolean {
  if (error instanceof DependencyDeadlineError) return true;
  if (!isUnreachable(error)) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || code === 'ETIMEDOUT';
}

/** closed: calls pass · open: calls fail fast until the cooldown ends · half-open: one probe is out. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Whether a call may go: as a normal call, as the probe of a half-open circuit, or not at all. */
export type Admission = { go: 'call' } | { go: 'probe' } | { go: 'refused'; retryInMs: number };

/** One dependency's circuit: the state machine, on a clock the tests can set. */
export class DependencyCircuit {
  private openedAt = 0;
  private open = false;
  private probing = false;

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (!this.open) return 'closed';
    return this.probing || this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  admit(): Admission {
    if (!this.open) return { go: 'call' };
    const waited = this.now() - this.openedAt;
    if (this.probing || waited < this.cooldownMs) {
      return { go: 'refused', retryInMs: Math.max(0, this.cooldownMs - waited) };
    }
    this.probing = true;
    return { go: 'probe' };
  }

  /** The dependency answered (success or a service error): it is reachable. */
  recordAnswer(): void {
    this.open = false;
    this.probing = false;
  }

  /** The dependency could not be reached: calls fail fast for the cooldown, from now. */
  recordUnreachable(): void {
    this.open = true;
    this.probing = false;
    this.openedAt = this.now();
  }
}

/** Settles with `call`, or rejects with DependencyDeadlineError after `deadlineMs`. */
async function withinDeadline<T>(call: Promise<T>, dependency: string, deadlineMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyDeadlineError(dependency, deadlineMs)), deadlineMs);
  });
  // A call cut off keeps running until its own request timeout; its late result is ignored.
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type Handler = (args: { input: object }) => Promise<unknown>;

/**
 * The SDK middleware: the call deadline and the circuit, around everything the client does for
 * one call (retries included). Failed calls are rethrown as they came; refused ones fail fast.
 */
export function dependencyGuard(
  dependency: string,
  deadlines: Pick<DependencyDeadlines, 'requestTimeoutMs' | 'callDeadlineMs'>,
  circuit: DependencyCircuit,
) {
  return (next: Handler): Handler =>
    async (args) => {
      const admission = circuit.admit();
      if (admission.go === 'refused') throw new DependencyUnavailableError(dependency, admission.retryInMs);
      // A probe gets one attempt's time: a store still down costs the caller no more than that.
      const deadlineMs = admission.go === 'probe' ? deadlines.requestTimeoutMs : deadlines.callDeadlineMs;
      try {
        const output = await withinDeadline(next(args), dependency, deadlineMs);
        circuit.recordAnswer();
        return output;
      } catch (error) {
        // Only waiting opens the circuit: a refused connection fails in ≈ 0.2 s by itself, and a
        // retry soon after (finishing a contact's claim, core/deliver.ts) may well get through.
        if (keepsCallersWaiting(error) || (isUnreachable(error) && admission.go === 'probe'))
          circuit.recordUnreachable();
        else if (!isUnreachable(error)) circuit.recordAnswer();
        throw error;
      }
    };
}

/** What guardClient needs of an SDK client: its middleware stack. */
export interface GuardableClient {
  middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's stacks are generic over each client's commands.
    add(middleware: (next: any, context: any) => any, options: Record<string, unknown>): void;
  };
}

/**
 * Puts the call deadline and a circuit of its own on this client, at the outermost step
 * (initialize), so that both see the outcome after the SDK's retries. Returns the client.
 */
export function guardClient<C extends GuardableClient>(
  client: C,
  dependency: string,
  deadlines: DependencyDeadlines = standardDeadlines,
  now: () => number = Date.now,
): C {
  const circuit = new DependencyCircuit(deadlines.cooldownMs, now);
  client.middlewareStack.add(dependencyGuard(dependency, deadlines, circuit), {
    step: 'initialize',
    priority: 'high',
    name: 'dependencyGuard',
    tags: ['DEADLINE', 'CIRCUIT'],
  });
  return client;
}
