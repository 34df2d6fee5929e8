import { describe, expect, it } from 'vitest';
import { detailTypes, eventSource, type FrequencyAlertDetail } from '../../lambdas/core/events';
import { concernMessage } from '../../lambdas/core/notify/concern-message';
import { type AlertPerson, frequencyAlertMessage } from '../../lambdas/core/notify/messages';
import type { ConcernEvent } from '../../lambdas/core/notify/notify-events';
import {
  NoticeInProgressError,
  type NoticeLedger,
  type NotifyDeps,
  noticeKeyOf,
  notifyManagers,
} from '../../lambdas/core/notify/notify-managers';
import type { ClaimResult, CustomerRecord, OutboundNotice } from '../../lambdas/core/ports';
import { parseNotifyEvent } from '../../lambdas/notify/schema';
import { ConfigError, readNotifySettings } from '../../lambdas/wiring/config';
import { aCustomer, aRestriction } from '../helpers/register-fixtures';

const now = '2026-04-03T15:21:00.000Z';

function envelope(detailType: string, detail: unknown, id = 'evt-1') {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: eventSource,
    account: '111111111111',
    time: '2026-04-03T15:21:00Z',
    region: 'eu-west-2',
    resources: [],
    detail,
  };
}

function frequencyDetail(overrides: Partial<FrequencyAlertDetail> = {}): FrequencyAlertDetail {
  return {
    alertId: 'alt_1',
    subject: { kind: 'customer', customerId: 'cus_1' },
    window: 'topic',
    clause: '4.2.7',
    topic: { key: 'case:CMP-12345', label: 'CMP-12345', how: 'case-reference' },
    count: 6,
    threshold: 5,
    windowDays: 7,
    channels: ['email', 'web-form'],
    firstContactAt: '2026-03-30T08:00:00.000Z',
    lastContactAt: '2026-04-03T15:20:00.000Z',
    contactReferences: ['CS-AAAA-BBBB-C1'],
    ...overrides,
  };
}

/** An in-memory NoticeLedger with the DynamoDB one's semantics (claim, lease, complete, release). */
class MemoryNoticeLedger implements NoticeLedger {
  readonly markers = new Map<string, { status: 'sending' | 'sent'; leaseUntil: string }>();
  async claim(key: string, at: string, leaseUntil: string): Promise<ClaimResult> {
    const marker = this.markers.get(key);
    if (!marker || (marker.status === 'sending' && marker.leaseUntil < at)) {
      this.markers.set(key, { status: 'sending', leaseUntil });
      return 'claimed';
    }
    return marker.status === 'sending' ? 'in-progress' : 'already-done';
  }
  async complete(key: string) {
    this.markers.set(key, { status: 'sent', leaseUntil: '' });
  }
  async release(key: string) {
    const marker = this.markers.get(key);
    if (marker?.status === 'sending') marker.leaseUntil = '0000';
  }
}

function fakeDeps(
  options: {
    managers?: string[];
    notifyRestrictedRouted?: boolean;
    record?: CustomerRecord;
    failFor?: Set<string>;
    notices?: NoticeLedger;
  } = {},
) {
  const sent: OutboundNotice[] = [];
  const warnings: Array<{ message: string; fields: Record<string, unknown> }> = [];
  const deps: NotifyDeps = {
    register: { loadCustomer: async () => options.record },
    senders: { senderAddress: async () => undefined },
    mailer: {
      notify: async (notice) => {
        if (options.failFor?.has(notice.to))
          throw Object.assign(new Error('refused'), { name: 'MessageRejected' });
        sent.push(notice);
        return `msg-${sent.length}`;
      },
    },
    notices: options.notices ?? new MemoryNoticeLedger(),
    settings: {
      managers: options.managers ?? ['one@council.example', 'two@council.example'],
      notifyRestrictedRouted: options.notifyRestrictedRouted ?? false,
    },
    now: () => now,
    log: { info: () => undefined, warn: (message, fields) => warnings.push({ message, fields }) },
  };
  return { deps, sent, warnings };
}

const frequencyEvent = (overrides: Partial<FrequencyAlertDetail> = {}, id?: string) =>
  parseNotifyEvent(envelope(detailTypes.frequency, frequencyDetail(overrides), id));

describe('notifyManagers', () => {
  it('sends one notice to each manager, with the alert id as its reference', async () => {
    const { deps, sent } = fakeDeps({
      managers: ['one@council.example', 'two@council.example', 'One@Council.example'],
    });
    const result = await notifyManagers(frequencyEvent(), deps);
    expect(result).toEqual({ status: 'sent', noticeKey: 'alert:alt_1', sent: 2, alreadySent: 0 });
    expect(sent.map((notice) => notice.to)).toEqual(['one@council.example', 'two@council.example']);
    expect(sent.every((notice) => notice.reference === 'alt_1')).toBe(true);
  });

  it('warns with the alert id and sends nothing when MANAGERS is empty', async () => {
    const { deps, sent, warnings } = fakeDeps({ managers: [] });
    const result = await notifyManagers(frequencyEvent(), deps);
    expect(result).toEqual({ status: 'no-managers', noticeKey: 'alert:alt_1' });
    expect(sent).toEqual([]);
    expect(warnings).toEqual([
      {
        message: 'no managers to notify: MANAGERS is empty',
        fields: { eventId: 'evt-1', detailType: detailTypes.frequency, noticeKey: 'alert:alt_1' },
      },
    ]);
  });

  it('fails when a send fails, and on the retry sends only to the managers not yet told (P6)', async () => {
    const notices = new MemoryNoticeLedger();
    const failing = fakeDeps({ failFor: new Set(['two@council.example']), notices });
    await expect(notifyManagers(frequencyEvent(), failing.deps)).rejects.toMatchObject({
      name: 'MessageRejected',
    });
    expect(failing.sent.map((notice) => notice.to)).toEqual(['one@council.example']);
    expect(failing.warnings[0]?.fields).toMatchObject({ sent: 1, failed: 1, errors: 'MessageRejected' });

    const retry = fakeDeps({ notices });
    const result = await notifyManagers(frequencyEvent({}, 'evt-retry'), retry.deps);
    expect(result).toMatchObject({ sent: 1, alreadySent: 1 });
    expect(retry.sent.map((notice) => notice.to)).toEqual(['two@council.example']);

    const duplicate = fakeDeps({ notices });
    expect(await notifyManagers(frequencyEvent({}, 'evt-duplicate'), duplicate.deps)).toMatchObject({
      sent: 0,
      alreadySent: 2,
    });
    expect(duplicate.sent).toEqual([]);
  });

  it('fails (to be retried) while another delivery of the same notice is sending it', async () => {
    const busy: NoticeLedger = {
      claim: async () => 'in-progress',
      complete: async () => undefined,
      release: async () => undefined,
    };
    const { deps, sent } = fakeDeps({ notices: busy });
    await expect(notifyManagers(frequencyEvent(), deps)).rejects.toBeInstanceOf(NoticeInProgressError);
    expect(sent).toEqual([]);
  });

  it('mails RestrictedContactRouted only when NOTIFY_RESTRICTED_ROUTED is on', async () => {
    const routed = parseNotifyEvent(
      envelope(detailTypes.restrictedRouted, {
        reference: 'CS-ROUT-ED00-01',
        customerIds: ['cus_1'],
        route: 'designated-reader',
        appliedRestrictionIds: ['res_1'],
        clauses: ['7.3.7'],
        channel: 'web-form',
        receivedAt: now,
      }),
    );
    const off = fakeDeps();
    expect(await notifyManagers(routed, off.deps)).toMatchObject({ status: 'ignored' });
    expect(off.sent).toEqual([]);

    const on = fakeDeps({ notifyRestrictedRouted: true });
    expect(await notifyManagers(routed, on.deps)).toMatchObject({ status: 'sent', sent: 2 });
    expect(on.sent[0]?.subject).toBe('Restricted contact routed: CS-ROUT-ED00-01 (designated-reader)');
    expect(on.sent[0]?.text).toContain('by web form');
  });

  it('describes the customer from the register, with only the restrictions in force now (P5)', async () => {
    const customer = aCustomer({ name: 'Ada Testperson', reasonableAdjustments: 'Large print' });
    const inForce = aRestriction(
      { type: 'topic-no-reply', topic: 'CMP-12345', designatedReader: 'reader@council.example' },
      { customerId: customer.id, startsAt: '2025-01-01T00:00:00.000Z', reviewAt: '2026-01-01T00:00:00.000Z' },
    );
    const lifted = aRestriction(
      { type: 'witness-required' },
      { customerId: customer.id, liftedAt: '2026-02-01T00:00:00.000Z' },
    );
    const { deps, sent } = fakeDeps({ record: { customer, restrictions: [inForce, lifted], steps: [] } });
    await notifyManagers(frequencyEvent({ subject: { kind: 'customer', customerId: customer.id } }), deps);
    const text = sent[0]?.text ?? '';
    expect(text).toContain('[7.3.7] No reply on a topic; a designated reader reads');
    expect(text).toContain('review overdue since Thu, 1 Jan 2026');
    expect(text).not.toContain('7.3.6');
    expect(text).toContain('Reasonable adjustments and vulnerability notes recorded: Large print');
    expect(text).toContain('Keep the reasonable adjustments above in mind');
  });
});

describe('the frequency alert text', () => {
  const registered: AlertPerson = {
    kind: 'customer',
    customerId: 'cus_1',
    inRegister: true,
    name: 'Ada Testperson',
    restrictions: [],
  };

  it.each([
    [
      'topic',
      '4.2.7',
      'Contact frequency alert: Ada Testperson — 6 contacts on CMP-12345 in 7 days',
      'same matter',
    ],
    [
      'all-topics',
      '4.2.8',
      'Contact frequency alert: Ada Testperson — 6 contacts on all topics in 7 days',
      'different matters',
    ],
    [
      'channels',
      '4.2.12',
      'Contact frequency alert: Ada Testperson — contact through 6 channels in 7 days',
      'several channels',
    ],
  ] as const)('explains the %s window with clause %s in our words', (window, clause, subject, words) => {
    const message = frequencyAlertMessage(frequencyDetail({ window, clause }), registered);
    expect(message.subject).toBe(subject);
    expect(message.text).toContain(`(policy ${clause})`);
    expect(message.text).toContain(words);
    expect(message.text).toContain('What happens next (policy 7.2.1)');
  });

  it('says one of each in the singular, and "none recorded" for empty lists', () => {
    const message = frequencyAlertMessage(
      frequencyDetail({
        count: 1,
        threshold: 1,
        windowDays: 1,
        channels: [],
        contactReferences: [],
        topic: undefined,
      }),
      registered,
    );
    expect(message.subject).toBe('Contact frequency alert: Ada Testperson — 1 contact on one topic in 1 day');
    expect(message.text).toMatch(/Channels: +none recorded/);
    expect(message.text).toContain('Contact references (0)\n  none recorded');
  });

  it('names channels for people, including which council mailbox an email went to', () => {
    const message = frequencyAlertMessage(
      frequencyDetail({ channels: ['email:customer.services@council.example', 'web-form', 'phone'] }),
      registered,
    );
    expect(message.text).toMatch(/Channels: +email to customer\.services@council\.example, web form, phone/);
  });

  it('says how the topic was found', () => {
    const message = frequencyAlertMessage(
      frequencyDetail({
        topic: { key: 'text:1', label: 'a message like "Missed bins…"', how: 'similar-text' },
      }),
      registered,
    );
    expect(message.text).toContain(
      'a message like "Missed bins…" (found from messages with nearly the same text)',
    );
  });
});

describe('concern notices', () => {
  it('show the ids, categories and confidence only, and use the alertId to recognise duplicates', () => {
    const event = parseNotifyEvent(
      envelope(detailTypes.abusive, {
        alertId: 'contact:CS-1',
        reference: 'CS-1',
        customerIds: ['cus_1'],
        categories: ['offensive'],
        confidence: { offensive: 0.9 },
        urgent: false,
        source: 'content-signal',
        channel: 'email',
      }),
    ) as ConcernEvent;
    const message = concernMessage(event);
    expect(message.subject).toBe('Abusive content flagged: CS-1');
    expect(message.text).toContain('offensive language (3.1, 3.2.1–3.2.4), confidence 0.90');
    expect(message.text).toContain('Customers: cus_1');
    expect(message.text).toContain('5.8');
    expect(noticeKeyOf(event)).toBe('AbusiveContentFlagged:contact:CS-1');
  });

  it('make a safeguarding concern urgent, with the steps it carries or the configured ones', () => {
    const detail = {
      incidentId: 'inc_1',
      categories: ['self-harm'],
      urgent: true,
      source: 'incident',
    };
    const withSteps = parseNotifyEvent(
      envelope(detailTypes.safeguarding, { ...detail, guidance: 'Ring the duty team on 0100.' }),
    ) as ConcernEvent;
    expect(concernMessage(withSteps, 'fallback steps').subject).toBe('URGENT — safeguarding concern: inc_1');
    expect(concernMessage(withSteps, 'fallback steps').text).toContain('Ring the duty team on 0100.');
    const without = parseNotifyEvent(envelope(detailTypes.safeguarding, detail)) as ConcernEvent;
    expect(concernMessage(without, 'fallback steps').text).toContain('fallback steps');
  });

  it('refuse a safeguarding concern that is not urgent, or a concern naming nothing', () => {
    expect(() =>
      parseNotifyEvent(
        envelope(detailTypes.safeguarding, {
          reference: 'CS-1',
          categories: ['threat'],
          urgent: false,
          source: 'content-signal',
        }),
      ),
    ).toThrow(/urgent/);
    expect(() =>
      parseNotifyEvent(
        envelope(detailTypes.abusive, { categories: ['threat'], urgent: false, source: 'content-signal' }),
      ),
    ).toThrow(/reference/);
    expect(() =>
      parseNotifyEvent(
        envelope(detailTypes.abusive, {
          reference: 'CS-1',
          categories: ['rude'],
          urgent: false,
          source: 'content-signal',
        }),
      ),
    ).toThrow(/categories/);
  });
});

describe('parseNotifyEvent', () => {
  it('names the bad field of the detail', () => {
    expect(() =>
      parseNotifyEvent(envelope(detailTypes.frequency, { ...frequencyDetail(), window: 'weekly' })),
    ).toThrow(/detail\.window/);
    expect(() =>
      parseNotifyEvent(envelope(detailTypes.frequency, { ...frequencyDetail(), firstContactAt: 'soon' })),
    ).toThrow(/detail\.firstContactAt/);
  });

  it('refuses detail types the rule does not carry to notify', () => {
    expect(() => parseNotifyEvent(envelope(detailTypes.failed, {}))).toThrow(
      /detail-type: ContactScreeningFailed is not/,
    );
  });
});

describe('readNotifySettings', () => {
  it('is off unless NOTIFY_RESTRICTED_ROUTED is true, and names the setting when it is neither', () => {
    expect(readNotifySettings({}).NOTIFY_RESTRICTED_ROUTED).toBe(false);
    expect(readNotifySettings({ NOTIFY_RESTRICTED_ROUTED: 'true' }).NOTIFY_RESTRICTED_ROUTED).toBe(true);
    expect(() => readNotifySettings({ NOTIFY_RESTRICTED_ROUTED: 'yes' })).toThrow(ConfigError);
    expect(() => readNotifySettings({ NOTIFY_RESTRICTED_ROUTED: 'yes' })).toThrow(/NOTIFY_RESTRICTED_ROUTED/);
  });
});
