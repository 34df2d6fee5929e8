import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContactRecord } from './contact';
import type { ContactLedger } from './ports';
import { formatForPeople, type Instant } from './time';

/**
 * The claim one attempt holds on a contact while it delivers it (P6): taken by oncePerContact,
 * finished by forwardContact once the forward (and its acknowledgement) are sent — the
 * acknowledgement's outcome is part of that one write; the contact log entries and the events
 * are written at the same time as it (see forwardContact for why that keeps them exactly once).
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
  /** Set once the contact log entries were written (or tried) beside the record. */
  logged?: boolean;
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
 * Runs `work`, and again after a short pause if it fails (finishRetryDelaysMs, within
 * finishRetryBudgetMs): a short blip of the table is ridden out. Rejects with the last error.
 */
async function retriedBriefly<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = finishRetryDelaysMs[attempt];
      if (delay === undefined || Date.now() - started + delay > finishRetryBudgetMs) throw error;
      await pause(delay);
    }
  }
}

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
  try {
    const outcome = await retriedBriefly(() => deps.ledger.finish(record));
    claim.finish = outcome === 'finished' ? 'recorded' : 'elsewhere';
    if (outcome === 'finished-already')
      deps.onHandledFailure?.('record', new Error('another attempt finished this contact first'));
  } catch (error) {
    claim.finish = 'failed';
    deps.onHandledFailure?.('record', error);
  }
}

/**
 * The record and the contact's log entries, written at the same time (one round trip, not two:
 * neither write needs the other's answer). An entry must never outlive its record — the retention
 * job finds entries through their record (contact-log.ts) — so entries written beside a record
 * that could not be written are taken back at once. Entries written again by a later attempt have
 * the same keys (its reference and received time): harmless. Never throws; a failure is reported.
 */
export async function recordAndLog(
  record: ContactRecord,
  claim: HeldClaim,
  deps: {
    ledger: Pick<ContactLedger, 'finish' | 'logContact' | 'unlogContact'>;
    onHandledFailure?: (what: string, error: unknown) => void;
  },
): Promise<void> {
  const logging = retriedBriefly(() => deps.ledger.logContact(record)).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  await recordForwarded(record, claim, deps);
  const failed = await logging;
  claim.logged = true;
  if (failed) deps.onHandledFailure?.('contact log', failed.error);
  else if (claim.finish === 'failed')
    await deps.ledger
      .unlogContact(record)
      .catch((error: unknown) => deps.onHandledFailure?.('contact log', error));
}
