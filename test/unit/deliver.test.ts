import { describe, expect, it } from 'vitest';
import type { ContactRecord, ScreenedContact } from '../../lambdas/core/contact';
import {
  addSeconds,
  ContactBusyError,
  type DeliveryDeps,
  forwardContact,
  oncePerContact,
} from '../../lambdas/core/deliver';
import { defaultThresholds } from '../../lambdas/core/frequency';
import type { ClaimResult, ClaimTakenOver, ContactLedger, OutboundForward } from '../../lambdas/core/ports';
import {
  frequencyPorts,
  MemoryEventPublisher,
  MemoryFrequencyStore,
} from '../helpers/memory-frequency-store';
import { serviceInbox, testCouncil } from '../helpers/register-fixtures';

const reference = 'CS-2026-LEASE1';
const receivedAt = '2026-06-01T10:00:00.000Z';
/** The agreed numbers: the inbound lease, and when Lambda first retries a failed asynchronous invocation. */
const leaseSeconds = 45;
const lambdaRetrySeconds = 60;

/**
 * A contact ledger in memory that keeps leases as the DynamoDB one does (lease.ts): a claim holds
 * until its lease passes; a lapsed lease is taken over, telling when the unfinished attempt began;
 * a released one is claimed plainly. `finishFailures` makes that many finishing writes fail.
 */
function leasedLedger(options: { finishFailures?: number; logFails?: boolean } = {}) {
  const items = new Map<string, { status: string; leaseUntil: string; claimedAt: string }>();
  const records: ContactRecord[] = [];
  const logged: string[] = [];
  let finishFailures = options.finishFailures ?? 0;
  const ledger: ContactLedger = {
    claim: async (ref, now, leaseUntil): Promise<ClaimResult | ClaimTakenOver> => {
      const item = items.get(ref);
      if (item && item.status !== 'processing') return 'already-done';
      if (item && item.leaseUntil >= now) return 'in-progress';
      items.set(ref, { status: 'processing', leaseUntil, claimedAt: now });
      return item && item.leaseUntil !== '0000'
        ? { status: 'taken-over', lapsedAttemptAt: item.claimedAt }
        : 'claimed';
    },
    release: async (ref) => {
      const item = items.get(ref);
      if (item) item.leaseUntil = '0000';
    },
    finish: async (record) => {
      if (finishFailures > 0) {
        finishFailures--;
        throw new Error('connect ECONNREFUSED');
      }
      const item = items.get(record.reference);
      if (item && item.status !== 'processing') return 'finished-already';
      items.set(record.reference, { status: 'forwarded', leaseUntil: '', claimedAt: '' });
      records.push(record);
      return 'finished';
    },
    logContact: async (record) => {
      if (options.logFails) throw new Error('ProvisionedThroughputExceededException');
      logged.push(record.reference);
    },
    unlogContact: async (record) => {
      const at = logged.indexOf(record.reference);
      if (at >= 0) logged.splice(at, 1);
    },
    takeAutoReplyAllowance: async () => true,
    releaseAutoReplyAllowance: async () => undefined,
  };
  return { ledger, records, logged, setFinishFailures: (n: number) => (finishFailures = n) };
}

/** One contact's delivery through oncePerContact and forwardContact, with its fakes and a settable clock. */
function aDelivery(ledgerOptions: Parameters<typeof leasedLedger>[0] = {}) {
  const clock = { now: '2026-06-01T10:00:05.000Z' };
  const steps: string[] = [];
  const forwards: OutboundForward[] = [];
  const handled: string[] = [];
  const events = new MemoryEventPublisher();
  const memory = leasedLedger(ledgerOptions);
  const ledger: ContactLedger = {
    ...memory.ledger,
    finish: async (record) => {
      steps.push('finish');
      return memory.ledger.finish(record);
    },
    logContact: async (record) => {
      steps.push('log');
      return memory.ledger.logContact(record);
    },
    unlogContact: async (record) => {
      steps.push('unlog');
      return memory.ledger.unlogContact(record);
    },
  };
  const deps: DeliveryDeps = {
    register: {
      findCustomersByIdentities: async () => new Map(),
      loadCustomer: async () => undefined,
    },
    mailer: {
      forward: async (message) => {
        steps.push('forward');
        forwards.push(message);
        return `ses-${forwards.length}`;
      },
      notify: async () => {
        steps.push('acknowledge');
        return 'ses-ack';
      },
    },
    ledger,
    ...frequencyPorts(new MemoryFrequencyStore()),
    events: {
      publish: async (published) => {
        steps.push('event');
        await events.publish(published);
      },
    },
    thresholds: defaultThresholds,
    now: () => clock.now,
    settings: {
      serviceInbox,
      retentionDays: 730,
      council: { councilName: testCouncil.name, postalAddress: testCouncil.postalAddress },
      leaseSeconds,
    },
    onHandledFailure: (what) => handled.push(what),
  };
  const screened: ScreenedContact = {
    reference,
    channel: 'email',
    receivedAt,
    outcome: {
      route: 'unscreened',
      recipients: [serviceInbox],
      copyTo: [],
      reasons: [{ code: 'unscreened', clause: '9.1', text: 'Not screened.' }],
      notes: [],
      customerIds: ['cus_A'],
      appliedRestrictionIds: [],
      acknowledgement: 'standard',
    },
    sender: { addresses: ['alex.example@example.org'], verified: true },
    subject: 'About my bins',
    problems: [],
    acknowledgementSent: { kind: 'standard', sent: true },
  };
  const deliver = () =>
    oncePerContact(reference, deps, async () => {
      const { record } = await forwardContact(
        {
          screened,
          sourceId: 'ses-message-id',
          acknowledgement: {
            summary: { kind: 'standard', sent: true },
            send: { reference, to: 'alex.example@example.org', subject: 'Thank you', text: 'Received.' },
          },
        },
        deps,
      );
      return { result: 'forwarded' as const, record };
    });
  const at = (seconds: number) => {
    clock.now = addSeconds('2026-06-01T10:00:05.000Z', seconds);
  };
  return { deps, deliver, at, steps, forwards, handled, memory };
}

describe('delivering a contact exactly once across partial failures (P6)', () => {
  it('records the forward, with the acknowledgement it got, together with its log entries and events', async () => {
    const d = aDelivery();
    expect(await d.deliver()).toBe('forwarded');
    // After the forward and its acknowledgement; the three started together (one round trip).
    expect(d.steps.slice(0, 2)).toEqual(['forward', 'acknowledge']);
    expect([...d.steps.slice(2)].sort()).toEqual(['event', 'finish', 'log']);
    expect(d.memory.records[0]).toMatchObject({
      reference,
      acknowledgement: { kind: 'standard', sent: true },
      customerIds: ['cus_A'],
    });
    expect(d.memory.logged).toEqual([reference]);
  });

  it('rides out a table that refuses the finishing write once: recorded, and the redelivery is a duplicate', async () => {
    const d = aDelivery({ finishFailures: 1 });
    expect(await d.deliver()).toBe('forwarded');
    expect(d.steps.filter((step) => step === 'finish')).toHaveLength(2);
    expect(d.handled).toEqual([]);
    d.at(lambdaRetrySeconds);
    expect(await d.deliver()).toBe('duplicate');
    expect(d.forwards).toHaveLength(1);
  });

  it('never throws once the forward is sent, though the record cannot be written; no log entry without it', async () => {
    const d = aDelivery({ finishFailures: 99 });
    expect(await d.deliver()).toBe('forwarded');
    expect(d.handled).toEqual(['record']);
    // Written beside the record, then taken back when the record could not be written.
    expect(d.steps.filter((step) => step === 'log' || step === 'unlog')).toEqual(['log', 'unlog']);
    expect(d.memory.logged).toEqual([]);
  });

  it('rides out a table that refuses the log entries once, beside a record that is kept', async () => {
    const d = aDelivery();
    let refusals = 1;
    const logContact = d.deps.ledger.logContact;
    d.deps.ledger.logContact = async (record) => {
      if (refusals-- > 0) throw new Error('connect ECONNREFUSED');
      return logContact(record);
    };
    expect(await d.deliver()).toBe('forwarded');
    expect(d.memory.logged).toEqual([reference]);
    expect(d.memory.records).toHaveLength(1);
    expect(d.handled).toEqual([]);
  });

  it('reports log entries that cannot be written, after the record is kept', async () => {
    const d = aDelivery({ logFails: true });
    expect(await d.deliver()).toBe('forwarded');
    expect(d.memory.records).toHaveLength(1);
    expect(d.handled).toEqual(['contact log']);
  });
});

describe('the lease and the retry schedule agree (P6)', () => {
  it('refuses a redelivery within the lease; the retry after it takes over and says the forward may be a repeat', async () => {
    const d = aDelivery({ finishFailures: 99 });
    await d.deliver(); // forwarded; the record never written: the claim stays `processing`
    d.memory.setFinishFailures(0);

    d.at(leaseSeconds - 15); // e.g. SES delivering the event again while the first attempt may still run
    await expect(d.deliver()).rejects.toBeInstanceOf(ContactBusyError);
    expect(d.forwards).toHaveLength(1);

    d.at(lambdaRetrySeconds); // Lambda's retry of that failed invocation: the lease has lapsed
    expect(await d.deliver()).toBe('forwarded');
    expect(d.forwards).toHaveLength(2);
    expect(d.forwards[0]?.summary).not.toMatch(/earlier attempt/);
    expect(d.forwards[1]?.summary).toContain(
      '- An earlier attempt at Mon, 1 Jun 2026, 11:00 BST did not finish: if this contact already reached you, this one is a repeat.',
    );
    expect(d.memory.records.at(-1)?.problems).toEqual([expect.stringMatching(/earlier attempt/)]);

    d.at(2 * lambdaRetrySeconds);
    expect(await d.deliver()).toBe('duplicate');
    expect(d.forwards).toHaveLength(2);
  });

  it('answers the retry after the lease with duplicate when the first attempt finished', async () => {
    const d = aDelivery();
    await d.deliver();
    d.at(lambdaRetrySeconds);
    expect(await d.deliver()).toBe('duplicate');
    expect(d.forwards).toHaveLength(1);
  });

  it('says nothing of a repeat when the earlier attempt failed to forward and gave the claim up', async () => {
    const d = aDelivery();
    const forward = d.deps.mailer.forward;
    d.deps.mailer.forward = async () => {
      throw new Error('Throttling');
    };
    await expect(d.deliver()).rejects.toThrow('Throttling');
    d.deps.mailer.forward = forward;
    d.at(lambdaRetrySeconds);
    expect(await d.deliver()).toBe('forwarded');
    expect(d.forwards).toHaveLength(1);
    expect(d.forwards[0]?.summary).not.toMatch(/earlier attempt/);
  });
});
