import type { ClaimResult } from './ports';

/**
 * A marker that makes one piece of work happen once though its trigger arrives at least once
 * (P6: SES, Lambda and EventBridge all deliver again). It is leased: if an attempt dies before
 * completing, the lease lapses and a later attempt takes the work over.
 */
export interface LeasedMarker<T> {
  /** Takes the marker with a conditional write: 'claimed', or why not. */
  claim(): Promise<ClaimResult>;
  /** Gives the marker up after a failed run, so that a retry can take it at once, not after the lease. */
  release(): Promise<void>;
  /** Marks the work done, with what it produced (a message id, the contact record). */
  complete(result: T): Promise<void>;
}

export interface ClaimedOnceOptions {
  /** What to throw when another attempt holds the lease: failing makes the platform retry after it. */
  busy: () => Error;
  /**
   * Given, a marker store that cannot be reached does not stop the work: it runs unclaimed (P1,
   * never drop a contact) and this hears why. Not given, that failure is thrown.
   */
  onClaimFailed?: (error: unknown) => void;
  /** The work is done and must not be repeated: a marker that cannot be completed is reported, not thrown. */
  onCompleteFailed?: (error: unknown) => void;
}

export type ClaimedOnce<T> = { status: 'done'; result: T } | { status: 'already-done' };

/**
 * Claims the marker, runs the work, releases the marker if the work fails (and rethrows), and
 * completes it when the work succeeds. Already done: the work is not run. Held by another
 * attempt: `options.busy()` is thrown. An unclaimed run (see `onClaimFailed`) is completed too,
 * so that what it did is kept if the store is back.
 */
export async function runClaimedOnce<T>(
  marker: LeasedMarker<T>,
  work: (claimed: boolean) => Promise<T>,
  options: ClaimedOnceOptions,
): Promise<ClaimedOnce<T>> {
  let claim: ClaimResult | 'unreachable';
  try {
    claim = await marker.claim();
  } catch (error) {
    if (!options.onClaimFailed) throw error;
    options.onClaimFailed(error);
    claim = 'unreachable';
  }
  if (claim === 'already-done') return { status: 'already-done' };
  if (claim === 'in-progress') throw options.busy();

  const claimed = claim === 'claimed';
  let result: T;
  try {
    result = await work(claimed);
  } catch (error) {
    if (claimed) await marker.release().catch(() => undefined);
    throw error;
  }
  await marker.complete(result).catch((error: unknown) => options.onCompleteFailed?.(error));
  return { status: 'done', result };
}
