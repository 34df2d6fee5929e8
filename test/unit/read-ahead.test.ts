import { describe, expect, it } from 'vitest';
import type { DeliveryDeps } from '../../lambdas/core/deliver';
import { emptyState, senderSubjectId } from '../../lambdas/core/frequency';
import { readingAhead } from '../../lambdas/core/read-ahead';

/** Just the ports readingAhead wraps, with every read recorded. */
function fakeDeps(found: Map<string, ('email' | 'phone')[]>, options: { readFails?: boolean } = {}) {
  const reads: string[] = [];
  const deps = {
    register: {
      findCustomersByIdentities: async () => found,
      loadCustomer: async () => undefined,
    },
    counts: {
      read: async (subjectId: string) => {
        reads.push(subjectId);
        if (options.readFails) throw new Error('connect ECONNREFUSED');
        return emptyState();
      },
      count: async () => emptyState(),
    },
  } as unknown as DeliveryDeps;
  return { deps, reads };
}

describe('frequency counts read ahead (4.2.7)', () => {
  it("reads the sender's counts at once, before screening, and counting takes that read", async () => {
    const { deps, reads } = fakeDeps(new Map());
    const reading = readingAhead(deps, 'resident@example.org');
    expect(reads).toEqual([senderSubjectId('resident@example.org')]);
    await reading.register.findCustomersByIdentities([]);
    await reading.counts.read(senderSubjectId('resident@example.org'));
    expect(reads).toHaveLength(1);
    // Used once: a later read is a fresh one.
    await reading.counts.read(senderSubjectId('resident@example.org'));
    expect(reads).toHaveLength(2);
  });

  it("reads the one matched customer's counts as soon as the identity lookup answers", async () => {
    const { deps, reads } = fakeDeps(new Map([['cus_1', ['email']]]));
    const reading = readingAhead(deps, 'alex@example.org');
    await reading.register.findCustomersByIdentities([]);
    expect(reads).toEqual([senderSubjectId('alex@example.org'), 'cus_1']);
    await reading.counts.read('cus_1');
    expect(reads).toHaveLength(2);
  });

  it('reads nobody ahead when several customers match (who is counted is decided later)', async () => {
    const { deps, reads } = fakeDeps(
      new Map([
        ['cus_1', ['email']],
        ['cus_2', ['phone']],
      ]),
    );
    const reading = readingAhead(deps, undefined);
    await reading.register.findCustomersByIdentities([]);
    expect(reads).toEqual([]);
  });

  it('hands a failed read to counting, which reports it; an unused failed read is harmless', async () => {
    const { deps } = fakeDeps(new Map(), { readFails: true });
    const reading = readingAhead(deps, 'resident@example.org');
    await expect(reading.counts.read(senderSubjectId('resident@example.org'))).rejects.toThrow(
      'ECONNREFUSED',
    );
    readingAhead(deps, 'other@example.org'); // never used: no unhandled rejection
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
