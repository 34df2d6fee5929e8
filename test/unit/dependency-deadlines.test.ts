import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DependencyCircuit,
  DependencyDeadlineError,
  DependencyUnavailableError,
  dependencyGuard,
  isUnreachable,
  standardDeadlines,
} from '../../lambdas/adapters/dependency-deadlines';
import { problemFromError } from '../../lambdas/adapters/http';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const cooldownMs = 10_000;
const refused = () => new Error('connect ECONNREFUSED 127.0.0.1:1') as Error & { code: string };
const connectionRefused = () =>
  Object.assign(refused(), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
const conditionFailed = () =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
  });

describe('the circuit of one dependency', () => {
  it('is closed at first and lets every call through', () => {
    const circuit = new DependencyCircuit(cooldownMs, fakeClock().now);
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toEqual({ go: 'call' });
    expect(circuit.admit()).toEqual({ go: 'call' });
  });

  it('opens when the dependency is unreachable, refusing calls for the cooldown and saying for how long', () => {
    const clock = fakeClock();
    const circuit = new DependencyCircuit(cooldownMs, clock.now);
    circuit.recordUnreachable();
    expect(circuit.state).toBe('open');
    expect(circuit.admit()).toEqual({ go: 'refused', retryInMs: 10_000 });
    clock.advance(9_999);
    expect(circuit.admit()).toEqual({ go: 'refused', retryInMs: 1 });
  });

  it('after the cooldown lets exactly one probe through, and refuses the rest while it is out', () => {
    const clock = fakeClock();
    const circuit = new DependencyCircuit(cooldownMs, clock.now);
    circuit.recordUnreachable();
    clock.advance(cooldownMs);
    expect(circuit.state).toBe('half-open');
    expect(circuit.admit()).toEqual({ go: 'probe' });
    expect(circuit.admit()).toMatchObject({ go: 'refused' });
    clock.advance(60_000); // a probe still out holds the others back, however long it takes
    expect(circuit.admit()).toMatchObject({ go: 'refused' });
  });

  it('closes when the probe is answered', () => {
    const clock = fakeClock();
    const circuit = new DependencyCircuit(cooldownMs, clock.now);
    circuit.recordUnreachable();
    clock.advance(cooldownMs);
    circuit.admit();
    circuit.recordAnswer();
    expect(circuit.state).toBe('closed');
    expect(circuit.admit()).toEqual({ go: 'call' });
  });

  it('opens again for a whole cooldown, from the probe, when the probe finds it still unreachable', () => {
    const clock = fakeClock();
    const circuit = new DependencyCircuit(cooldownMs, clock.now);
    circuit.recordUnreachable();
    clock.advance(cooldownMs + 5_000);
    circuit.admit();
    clock.advance(2_000);
    circuit.recordUnreachable();
    expect(circuit.state).toBe('open');
    expect(circuit.admit()).toEqual({ go: 'refused', retryInMs: 10_000 });
    clock.advance(cooldownMs);
    expect(circuit.admit()).toEqual({ go: 'probe' });
  });
});

describe('what counts as unreachable', () => {
  it('is a timeout or a refused, reset or unresolvable connection: no answer came', () => {
    expect(isUnreachable(Object.assign(new Error('requestTimeout'), { name: 'TimeoutError' }))).toBe(true);
    expect(isUnreachable(connectionRefused())).toBe(true);
    expect(isUnreachable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }))).toBe(true);
    expect(isUnreachable(new DependencyDeadlineError('dynamodb', 4_500))).toBe(true);
    expect(isUnreachable(new DependencyUnavailableError('dynamodb', 8_000))).toBe(true);
  });

  it('answers an HTTP caller 503 with Retry-After, not 500, when a store did not answer', () => {
    for (const error of [new DependencyUnavailableError('dynamodb', 8_000), connectionRefused()]) {
      const answer = problemFromError(error);
      expect(answer.statusCode).toBe(503);
      expect(answer.headers?.['retry-after']).toBe('10');
    }
    expect(problemFromError(new Error('a bug')).statusCode).toBe(500);
    expect(problemFromError(conditionFailed()).statusCode).toBe(500);
  });

  it('is never an answer from the service, even one named like a timeout', () => {
    expect(isUnreachable(conditionFailed())).toBe(false);
    const s3RequestTimeout = Object.assign(new Error('Your socket connection was not read from'), {
      name: 'TimeoutError',
      $metadata: { httpStatusCode: 400 },
    });
    expect(isUnreachable(s3RequestTimeout)).toBe(false);
    expect(isUnreachable(new Error('a bug'))).toBe(false);
    expect(isUnreachable('not an error')).toBe(false);
  });
});

describe('the dependency guard (SDK middleware around the retries)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const guarded = (next: () => Promise<unknown>, clock = fakeClock()) => {
    const circuit = new DependencyCircuit(cooldownMs, clock.now);
    const spy = vi.fn(next);
    const call = dependencyGuard('dynamodb', standardDeadlines, circuit)(spy);
    return { call: () => call({ input: {} }), next: spy, circuit, clock };
  };

  it('passes answers through, service errors included, and stays closed', async () => {
    const ok = guarded(async () => ({ output: 'item' }));
    await expect(ok.call()).resolves.toEqual({ output: 'item' });
    const failed = guarded(async () => {
      throw conditionFailed();
    });
    await expect(failed.call()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(failed.call()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(failed.next).toHaveBeenCalledTimes(2);
    expect(failed.circuit.state).toBe('closed');
  });

  it('after a store that made the call wait, fails fast with a named error that is no failed condition, without calling it', async () => {
    const guard = guarded(async () => {
      throw Object.assign(new Error('requestTimeout'), { name: 'TimeoutError' });
    });
    await expect(guard.call()).rejects.toMatchObject({ name: 'TimeoutError' });
    const fast = await guard.call().catch((error: unknown) => error);
    expect(fast).toBeInstanceOf(DependencyUnavailableError);
    expect(fast).toMatchObject({ name: 'DependencyUnavailableError', dependency: 'dynamodb' });
    expect(fast).not.toBeInstanceOf(ConditionalCheckFailedException);
    expect(guard.next).toHaveBeenCalledTimes(1);
  });

  it('lets calls go on after a refused connection: it failed fast by itself, and a retry may get through', async () => {
    const guard = guarded(async () => {
      throw connectionRefused();
    });
    await expect(guard.call()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(guard.circuit.state).toBe('closed');
    await expect(guard.call()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(guard.next).toHaveBeenCalledTimes(2);
  });

  it('gives up on a call that never settles at its deadline, and then fails fast', async () => {
    vi.useFakeTimers();
    const guard = guarded(() => new Promise(() => undefined));
    const hanging = guard.call().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(standardDeadlines.callDeadlineMs - 1);
    expect(guard.circuit.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(1);
    expect(await hanging).toBeInstanceOf(DependencyDeadlineError);
    expect(guard.circuit.state).toBe('open');
    await expect(guard.call()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('gives the probe one attempt’s time, and a store that answers it closes the circuit', async () => {
    vi.useFakeTimers();
    let answer: () => Promise<unknown> = () => new Promise(() => undefined);
    const guard = guarded(() => answer());
    guard.circuit.recordUnreachable();
    guard.clock.advance(cooldownMs);
    const probe = guard.call().catch((error: unknown) => error);
    await expect(guard.call()).rejects.toBeInstanceOf(DependencyUnavailableError);
    await vi.advanceTimersByTimeAsync(standardDeadlines.requestTimeoutMs);
    expect(await probe).toMatchObject({ deadlineMs: standardDeadlines.requestTimeoutMs });
    expect(guard.circuit.state).toBe('open');

    guard.clock.advance(cooldownMs);
    answer = async () => ({ output: 'item' });
    await expect(guard.call()).resolves.toEqual({ output: 'item' });
    expect(guard.circuit.state).toBe('closed');
    expect(guard.next).toHaveBeenCalledTimes(2);
  });
});
