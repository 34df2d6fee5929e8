import { describe, expect, it } from 'vitest';
import { type LeasedMarker, runClaimedOnce } from '../../lambdas/core/claimed-once';
import type { ClaimResult } from '../../lambdas/core/ports';

class BusyError extends Error {}

/** A leased marker in memory, as the DynamoDB ones behave: one claim at a time, done once completed. */
function aMarker(options: { claimFails?: boolean; completeFails?: boolean } = {}) {
  const state = { held: false, done: undefined as string | undefined, released: 0 };
  const marker: LeasedMarker<string> = {
    claim: async (): Promise<ClaimResult> => {
      if (options.claimFails) throw new Error('ProvisionedThroughputExceededException');
      if (state.done !== undefined) return 'already-done';
      if (state.held) return 'in-progress';
      state.held = true;
      return 'claimed';
    },
    release: async () => {
      state.held = false;
      state.released++;
    },
    complete: async (messageId) => {
      if (options.completeFails) throw new Error('connect ECONNRESET');
      state.held = false;
      state.done = messageId;
    },
  };
  return { marker, state };
}

/** Work that records each run (and whether it held the claim) and returns `result`. */
function aWork(result = 'x') {
  const runs: boolean[] = [];
  return {
    runs,
    run: async (claimed: boolean) => {
      runs.push(claimed);
      return result;
    },
  };
}

const busy = () => new BusyError('another attempt is sending this');

describe('runClaimedOnce (P6)', () => {
  it('runs the work once and completes the marker with its result; a repeat is already done', async () => {
    const { marker, state } = aMarker();
    const work = aWork('ses-1');
    expect(await runClaimedOnce(marker, work.run, { busy })).toEqual({ status: 'done', result: 'ses-1' });
    expect(await runClaimedOnce(marker, work.run, { busy })).toEqual({ status: 'already-done' });
    expect(work.runs).toEqual([true]);
    expect(state.done).toBe('ses-1');
  });

  it('throws the busy error, without running the work, while another attempt holds the lease', async () => {
    const { marker, state } = aMarker();
    state.held = true;
    const work = aWork();
    await expect(runClaimedOnce(marker, work.run, { busy })).rejects.toBeInstanceOf(BusyError);
    expect(work.runs).toEqual([]);
  });

  it('releases the marker when the work fails, so that the retry sends at once', async () => {
    const { marker, state } = aMarker();
    const failing = runClaimedOnce(
      marker,
      async () => {
        throw new Error('Throttling');
      },
      { busy },
    );
    await expect(failing).rejects.toThrow('Throttling');
    expect(state).toMatchObject({ held: false, released: 1, done: undefined });
    expect(await runClaimedOnce(marker, async () => 'ses-2', { busy })).toEqual({
      status: 'done',
      result: 'ses-2',
    });
  });

  it('reports a marker that cannot be completed, never throwing: the work is not to be repeated', async () => {
    const { marker } = aMarker({ completeFails: true });
    const reported: unknown[] = [];
    const once = await runClaimedOnce(marker, async () => 'ses-3', {
      busy,
      onCompleteFailed: (error) => reported.push(error),
    });
    expect(once).toEqual({ status: 'done', result: 'ses-3' });
    expect(reported).toHaveLength(1);
  });

  it('without onClaimFailed, a marker store that cannot be reached fails the run before the work', async () => {
    const { marker } = aMarker({ claimFails: true });
    const work = aWork();
    await expect(runClaimedOnce(marker, work.run, { busy })).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(work.runs).toEqual([]);
  });

  it('with onClaimFailed, runs the work unclaimed (P1) and still tries to complete it', async () => {
    const { marker, state } = aMarker({ claimFails: true });
    const reported: unknown[] = [];
    const once = await runClaimedOnce(marker, async (claimed) => (claimed ? 'claimed' : 'unclaimed'), {
      busy,
      onClaimFailed: (error) => reported.push(error),
    });
    expect(once).toEqual({ status: 'done', result: 'unclaimed' });
    expect(reported).toHaveLength(1);
    expect(state.done).toBe('unclaimed');

    // An unclaimed run that fails gives nothing up: it held nothing.
    const failing = runClaimedOnce(
      marker,
      async () => {
        throw new Error('Throttling');
      },
      { busy, onClaimFailed: () => undefined },
    );
    await expect(failing).rejects.toThrow('Throttling');
    expect(state.released).toBe(0);
  });
});
