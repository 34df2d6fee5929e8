import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContactRecord } from './contact';
import type { ContactLedger } from './ports';
import { formatForPeople, type Instant } from './time';

/**
 * The claim one attempt holds on a contact while it delivers it (P6): taken by oncePerContact,
 * finished by forwardContact the moment the forward is sent, so that "sent" is on record before
 * anything else can fail — the acknowledgement's outcome is part of that one write; the events
 * and the contact log come after it.
 */
export interface HeldClaim {
  reference: string;
  /** False when the ledger could not be reached: the contact is delivered unclaimed (P1). */
  claimed: boolean;
  /** This claim took over from an attempt begun then that did not finish: it may have forwarded. */
  lapsedAttemptAt?: Instant;
  /**
   * `pending` until the record is written; `recorded` once this attempt finished the claim;
   * `elsewhere` if another attempt had finished it; `failed` if it could not be written.
   */
  finish: 'pending' | 'recorded' | 'elsewhere' | 'failed';
}

const heldClaims = new AsyncLocalStorage<HeldClaim>();

/** Runs `work` holding `claim`: the forward made inside it finishes that claim. */
export function runHoldingClaim<T>(claim: HeldClaim, work: () => Promise<T>): Promise<T> {
  return heldClaims.run(claim, work);
}

/** The claim the running attempt holds on `reference`, if it runs inside oncePerContact. */
export function heldClaimOn(reference: string): HeldClaim | undefined {
  const claim = heldClaims.getStore();
  return claim?.reference === reference ? claim : undefined;
}

/** Said at the top of a forward that may repeat one an earlier attempt sent before it died. */
export const repeatAfterLapseProblem = (at: Instant) =>
  `An earlier attempt at ${formatForPeople(at)} did not finish: if this contact already reached you, this one is a repeat.`;

/**
 * Waits before each retry of the finishing write: about 1 s in all, and no retry starts after
 * finishRetryBudgetMs, well inside the functions' timeouts (inbound 30 s, form worker 20 s).
 * A short blip of the table is ridden out; a longer outage is reported and the lease lapses.
 */
const finishRetryDelaysMs = [50, 200, 800];
const finishRetryBudgetMs = 3_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Finishes the claim with the contact record: one conditional write, retried a few times within
 * a small budget. Never throws: the forward is sent, and a retry of the invocation would send it
 * again (P6). If the write never succeeds, the claim stays `processing` until its lease lapses;
 * the attempt that takes it over then says the contact may be a repeat.
 */
export async function recordForwarded(
  record: ContactRecord,
  claim: HeldClaim,
  deps: { ledger: Pick<ContactLedger, 'finish'>; onHandledFailure?: (what: string, error: unknown) => void },
): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await deps.ledger.finish(record);
      claim.finish = outcome === 'finished' ? 'recorded' : 'elsewhere';
      if (outcome === 'finished-already')
        deps.onHandledFailure?.('record', new Error('another attempt finished this contact first'));
      return;
    } catch (error) {
      const delay = finishRetryDelaysMs[attempt];
      if (delay === undefined || Date.now() - started + delay > finishRetryBudgetMs) {
        claim.finish = 'failed';
        deps.onHandledFailure?.('record', error);
        return;
      }
      await pause(delay);
    }
  }
}
