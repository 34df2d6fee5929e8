import { describe, expect, it } from 'vitest';
import {
  type ContactToCount,
  type CountingDeps,
  countContact,
  dayBefore,
  defaultThresholds,
  londonDay,
} from '../../lambdas/core/frequency';
import { decideTopic, hammingDistance, nearCopyDistance, simhash } from '../../lambdas/core/topic';
import {
  frequencyPorts,
  MemoryEventPublisher,
  MemoryFrequencyStore,
} from '../helpers/memory-frequency-store';

function setup() {
  let clock = '2026-06-01T09:00:00.000Z';
  const events = new MemoryEventPublisher();
  const frequency = new MemoryFrequencyStore();
  let id = 0;
  const deps: CountingDeps = {
    ...frequencyPorts(frequency),
    events,
    thresholds: defaultThresholds,
    now: () => clock,
    newId: () => `alr_${++id}`,
  };
  let n = 0;
  const contact = (overrides: Partial<ContactToCount> = {}): ContactToCount => ({
    reference: `CS-${++n}`,
    receivedAt: clock,
    channel: 'email:customer.services@council.example',
    customerIds: ['cus_A'],
    caseReferences: ['CMP-12345'],
    text: 'About my complaint',
    ...overrides,
  });
  return { deps, events, frequency, contact, at: (instant: string) => (clock = instant) };
}

describe('countContact', () => {
  it('counts per topic and says so ("5th contact on CMP-12345 in 7 days"), alerting once at the threshold (4.2.7)', async () => {
    const t = setup();
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await countContact(t.contact(), t.deps));
    expect(outcomes.map((o) => o?.counts.topic)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcomes[4]?.lines[0]).toBe('5th contact on CMP-12345 in 7 days (alert at 5).');
    expect(outcomes[4]?.alerts).toEqual(['topic']);
    expect(t.events.published).toHaveLength(1);
    expect(t.events.published[0]).toMatchObject({
      detailType: 'ContactFrequencyThresholdExceeded',
      detail: {
        subject: { kind: 'customer', customerId: 'cus_A' },
        window: 'topic',
        clause: '4.2.7',
        topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
        count: 5,
        threshold: 5,
        windowDays: 7,
        channels: ['email:customer.services@council.example'],
        contactReferences: ['CS-1', 'CS-2', 'CS-3', 'CS-4', 'CS-5'],
      },
      resources: ['cus_A'],
    });
  });

  it('counts the same contact once, however often it is delivered', async () => {
    const t = setup();
    const same = t.contact();
    await countContact(same, t.deps);
    const again = await countContact(same, t.deps);
    expect(again?.counts.topic).toBe(1);
  });

  it('keeps rolling windows of whole London days: day 7 still counts, day 8 does not', async () => {
    const t = setup();
    t.at('2026-06-01T08:00:00.000Z'); // 09:00 BST, 1 June
    await countContact(t.contact(), t.deps);
    t.at('2026-06-07T22:59:59.000Z'); // 23:59 BST, 7 June: the seventh day
    expect((await countContact(t.contact(), t.deps))?.counts.topic).toBe(2);
    t.at('2026-06-07T23:00:00.000Z'); // 00:00 BST, 8 June: 1 June has left the window
    expect((await countContact(t.contact(), t.deps))?.counts.topic).toBe(2);
  });

  it('alerts across topics (4.2.8) and across channels (4.2.12)', async () => {
    const t = setup();
    const channels = [
      'email:customer.services@council.example',
      'web-form',
      'email:councillor.smith@council.example',
    ];
    for (let i = 0; i < 15; i++) {
      await countContact(
        t.contact({ caseReferences: [`CMP-${1000 + i}`], channel: channels[i % 3]! }),
        t.deps,
      );
    }
    const windows = t.events.published.map((e) => (e.detail as { window: string }).window);
    expect(windows).toEqual(['channels', 'all-topics']);
    const channelAlert = t.events.published[0]?.detail as {
      clause: string;
      count: number;
      channels: string[];
    };
    expect(channelAlert).toMatchObject({ clause: '4.2.12', count: 3 });
    expect(channelAlert.channels).toHaveLength(3);
  });

  it('does not alert again for the same person and topic within the window (cooldown), but does after it', async () => {
    const t = setup();
    const topicAlerts = () =>
      t.events.published.filter((e) => (e.detail as { window: string }).window === 'topic');
    t.at('2026-06-01T09:00:00.000Z');
    for (let i = 0; i < 4; i++) await countContact(t.contact(), t.deps);
    t.at('2026-06-07T09:00:00.000Z');
    await countContact(t.contact(), t.deps); // the 5th in 7 days: alert, cooldown to 14 June
    expect(topicAlerts()).toHaveLength(1);
    // 1 June leaves the window, and the count climbs back to 5 within the cooldown: no second alert.
    t.at('2026-06-08T09:00:00.000Z');
    for (let i = 0; i < 4; i++) await countContact(t.contact(), t.deps);
    expect(topicAlerts()).toHaveLength(1);
    // A fresh run after the cooldown alerts again.
    t.at('2026-06-20T09:00:00.000Z');
    for (let i = 0; i < 5; i++) await countContact(t.contact(), t.deps);
    expect(topicAlerts()).toHaveLength(2);
  });

  it('counts senders who are not in the register by address, with an opaque id in the event', async () => {
    const t = setup();
    for (let i = 0; i < 5; i++) {
      await countContact(t.contact({ customerIds: [], senderIdentity: 'stranger@example.net' }), t.deps);
    }
    const detail = t.events.published[0]?.detail as { subject: { kind: string; senderId: string } };
    expect(detail.subject).toEqual({ kind: 'sender', senderId: expect.stringMatching(/^snd_[0-9a-f]{24}$/) });
    expect(JSON.stringify(t.events.published)).not.toContain('stranger@example.net');
  });

  it('never loses the contact when the alert cannot be published: reported and recorded as failed', async () => {
    const t = setup();
    t.events.failing = true;
    const failures: string[] = [];
    for (let i = 0; i < 5; i++)
      await countContact(t.contact(), { ...t.deps, onHandledFailure: (what) => failures.push(what) });
    expect(failures).toEqual(['publish alert']);
    expect(t.frequency.recorded).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('counts nothing for a contact with neither a register match nor a sender address', async () => {
    const t = setup();
    expect(
      await countContact(t.contact({ customerIds: [], senderIdentity: undefined }), t.deps),
    ).toBeUndefined();
  });
});

describe('londonDay and dayBefore', () => {
  it('uses the London calendar day, across BST', () => {
    expect(londonDay('2026-06-07T22:59:59.000Z')).toBe('2026-06-07');
    expect(londonDay('2026-06-07T23:00:00.000Z')).toBe('2026-06-08');
    expect(londonDay('2026-12-07T23:59:59.000Z')).toBe('2026-12-07');
    expect(dayBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(dayBefore('2026-03-30', 6)).toBe('2026-03-24');
  });
});

const complaint =
  'My bins were not collected again on Elm Road this week. This is the third time this month and nobody has called me back about it.';
const nearCopies = [
  'My bins were not collected AGAIN on Elm Road this week!! This is the fourth time this month and nobody has rung me back about it.',
  'Re: My bins were not collected again on Elm Road this week. This is the third time this month and nobody has called me back about it. Please respond.',
  'my bins were not collected again on elm road this week, this is the third time this month and nobody has called me back about it',
  '> earlier message quoted\nMy bins were not collected again on Elm Road this week. This is the third time this month and nobody called me back about it.',
];
const different = [
  'I would like to report a pothole on the High Street outside the bakery, it is very deep and dangerous for cyclists.',
  'Council tax bill for my flat seems wrong, I have been charged for the wrong band and want a refund for last year.',
  'The neighbours play loud music every night after midnight and I cannot sleep; please send someone from environmental health.',
  'Can I book a bulky waste collection for an old sofa and a fridge next Tuesday? I live on Elm Road.',
];

describe('topics: the same message with minor differences lands on the same topic (4.2.14)', () => {
  it.each(nearCopies)('groups a near-copy: %s', (copy) => {
    expect(hammingDistance(simhash(complaint), simhash(copy))).toBeLessThanOrEqual(nearCopyDistance);
  });

  it.each(different)('keeps a different message apart: %s', (other) => {
    expect(hammingDistance(simhash(complaint), simhash(other))).toBeGreaterThan(nearCopyDistance);
  });

  it('prefers a case reference, then a near-copy of a recent topic (any channel), then the form topic, then new text', () => {
    const known = [
      {
        key: 'text:abc',
        label: 'the matter first raised in CS-2026-AAAA-1111 (1 June 2026)',
        fingerprint: simhash(complaint),
      },
    ];
    expect(decideTopic({ caseReferences: ['cmp-1'], text: complaint }, known)).toMatchObject({
      key: 'case:CMP-1',
      how: 'case-reference',
    });
    expect(
      decideTopic({ caseReferences: [], formTopic: 'Bins and recycling', text: nearCopies[0]! }, known),
    ).toMatchObject({
      key: 'text:abc',
      how: 'similar-text',
    });
    expect(
      decideTopic({ caseReferences: [], formTopic: 'Bins and recycling', text: different[0]! }, known),
    ).toMatchObject({
      key: 'form:bins and recycling',
      how: 'form-topic',
    });
    const fresh = decideTopic(
      {
        caseReferences: [],
        subject: 'Pothole',
        text: different[0]!,
        reference: 'CS-2026-BBBB-2222',
        receivedAt: '2026-12-02T09:30:00.000Z',
      },
      known,
    );
    // Words a person understands, naming the contact that raised it: staff look it up by reference.
    expect(fresh).toMatchObject({
      how: 'new-text',
      label: 'the matter first raised in CS-2026-BBBB-2222 (2 December 2026)',
    });
    expect(fresh.label).not.toContain('Pothole'); // no words of the message (P7)
    expect(fresh.key).toMatch(/^text:[0-9a-f]{16}$/);
  });
});
