import { describe, expect, it } from 'vitest';
import type { Restriction } from '../../lambdas/core/restriction';
import {
  type ContactToScreen,
  routingPrecedence,
  screenContact,
  topicRelation,
} from '../../lambdas/core/screen';
import { aCustomer, aMatch, aRestriction, serviceInbox } from '../helpers/register-fixtures';

const now = '2026-06-01T10:00:00.000Z';
const options = { serviceInbox };
const email = (overrides: Partial<ContactToScreen> = {}): ContactToScreen => ({
  channel: 'email',
  emails: ['alex.example@example.org'],
  subject: 'About my bins',
  ...overrides,
});

const officer = () => aRestriction({ type: 'single-named-officer', namedOfficer: 'officer@council.example' });
const letterOnly = (reader?: string) =>
  aRestriction({ type: 'no-email-letter-only', ...(reader ? { designatedReader: reader } : {}) });
const topicNoReply = (topic = 'CMP-10001') =>
  aRestriction({ type: 'topic-no-reply', topic, designatedReader: 'reader@council.example' });
const refused = () =>
  aRestriction({
    type: 'all-contact-refused',
    designatedReader: 'senior.reader@council.example',
    seniorApprover: 'Director of Customer Services',
  });

function screenWith(restrictions: Restriction[], contact = email(), at = now) {
  return screenContact(contact, { matches: [aMatch(aCustomer({ id: 'cus_A' }), restrictions)] }, at, options);
}

describe('screenContact: where a contact goes', () => {
  it('sends an unknown sender to the service inbox, saying why', () => {
    const decision = screenContact(email(), { matches: [] }, now, options);
    expect(decision).toMatchObject({
      route: 'service',
      recipients: [serviceInbox],
      copyTo: [],
      customerIds: [],
      acknowledgement: 'standard',
    });
    expect(decision.reasons.map((r) => r.code)).toEqual(['not-in-register', 'service-inbox']);
  });

  it('sends a registered customer with no restriction in force to the service inbox', () => {
    const decision = screenWith([]);
    expect(decision.route).toBe('service');
    expect(decision.customerIds).toEqual(['cus_A']);
    expect(decision.reasons.map((r) => r.code)).toContain('no-restriction-applies');
  });

  it('7.3.4: routes to the named officer', () => {
    const decision = screenWith([officer()]);
    expect(decision).toMatchObject({
      route: 'named-officer',
      recipients: ['officer@council.example'],
      acknowledgement: 'standard',
    });
    expect(decision.reasons.find((r) => r.code === 'single-named-officer')?.clause).toBe('7.3.4');
  });

  it('7.3.2: email goes to the designated reader and the customer is told to write instead', () => {
    const decision = screenWith([letterOnly('reader@council.example')]);
    expect(decision).toMatchObject({
      route: 'designated-reader',
      recipients: ['reader@council.example'],
      acknowledgement: 'email-not-accepted',
    });
    expect(decision.reasons.find((r) => r.code === 'no-email-letter-only')?.clause).toBe('7.3.2');
  });

  it('7.3.2: the notice goes to the registered address only (P4)', () => {
    const customer = aCustomer({ id: 'cus_A', emails: ['first@example.org', 'alex.example@example.org'] });
    const restriction = aRestriction({ type: 'no-email-letter-only', writeTo: 'PO Box 1, Example Town' });
    const fromRegistered = screenContact(
      email(),
      { matches: [aMatch(customer, [restriction])] },
      now,
      options,
    );
    expect(fromRegistered.restrictionNotice).toEqual({
      to: 'alex.example@example.org',
      writeTo: 'PO Box 1, Example Town',
    });
    // Matched by phone from an address the register does not hold: the notice still goes to the registered one.
    const fromElsewhere = screenContact(
      email({ emails: ['someone.else@example.net'], phones: ['07700 900123'] }),
      { matches: [aMatch(customer, [restriction], ['phone'])] },
      now,
      options,
    );
    expect(fromElsewhere.restrictionNotice?.to).toBe('first@example.org');
    expect(screenWith([officer()]).restrictionNotice).toBeUndefined();
  });

  it('7.3.2 without a designated reader falls back to the named officer, then to the service inbox (9.1)', () => {
    expect(screenWith([letterOnly(), officer()])).toMatchObject({
      route: 'named-officer',
      recipients: ['officer@council.example'],
      acknowledgement: 'email-not-accepted',
    });
    expect(screenWith([letterOnly()])).toMatchObject({ route: 'service', recipients: [serviceInbox] });
  });

  it('7.3.2 applies to the web form too (it is not a letter)', () => {
    const decision = screenWith([letterOnly('reader@council.example')], email({ channel: 'web-form' }));
    expect(decision.route).toBe('designated-reader');
    expect(decision.reasons.find((r) => r.code === 'no-email-letter-only')?.text).toMatch(
      /electronic contact/,
    );
  });

  it('7.3.7 on topic: designated reader, no acknowledgement', () => {
    const decision = screenWith([topicNoReply()], email({ subject: 'Re: cmp-10001 AGAIN' }));
    expect(decision).toMatchObject({
      route: 'designated-reader',
      recipients: ['reader@council.example'],
      acknowledgement: 'none',
      copyTo: [],
    });
  });

  it('7.3.7 on another topic: routed normally as a new matter, the designated reader sees a copy (9.1)', () => {
    const decision = screenWith(
      [topicNoReply(), officer()],
      email({ subject: 'Missed bin collection', caseReferences: ['CMP-20002'] }),
    );
    expect(decision).toMatchObject({
      route: 'named-officer',
      recipients: ['officer@council.example'],
      copyTo: ['reader@council.example'],
      acknowledgement: 'standard',
    });
    const reason = decision.reasons.find((r) => r.code === 'topic-new-matter');
    expect(reason?.clause).toBe('9.1');
    expect(decision.notes.map((n) => n.type)).toContain('topic-no-reply');
  });

  it('7.3.7 when the topic cannot be told: routed normally, the designated reader checks', () => {
    const decision = screenWith([topicNoReply()], email({ subject: undefined }));
    expect(decision).toMatchObject({ route: 'service', copyTo: ['reader@council.example'] });
    expect(decision.reasons.map((r) => r.code)).toContain('topic-unknown');
  });

  it('7.3.7 matches the case reference or the form topic as well as the subject', () => {
    expect(
      screenWith([topicNoReply()], email({ subject: 'hello', caseReferences: ['CMP-10001'] })).route,
    ).toBe('designated-reader');
    expect(
      screenWith(
        [topicNoReply('Planning enforcement')],
        email({ subject: 'x', topic: 'planning  ENFORCEMENT' }),
      ).route,
    ).toBe('designated-reader');
    // Whole words only: CMP-100010 is another case.
    expect(screenWith([topicNoReply()], email({ subject: 'CMP-100010' })).route).toBe('service');
  });

  it('8.2: all contact refused goes to the designated reader without acknowledgement', () => {
    const decision = screenWith([refused()]);
    expect(decision).toMatchObject({
      route: 'designated-reader',
      recipients: ['senior.reader@council.example'],
      acknowledgement: 'none',
    });
    expect(decision.reasons.find((r) => r.code === 'all-contact-refused')?.clause).toBe('8.2');
  });
});

describe('screenContact: precedence when several restrictions apply', () => {
  const onTopic = email({ subject: 'CMP-10001' });
  it('is 8.2, then 7.3.7, then 7.3.2, then 7.3.4', () => {
    // Read off the routing itself: screen with all four, take away the one that decided, screen again.
    let left: Restriction[] = [officer(), letterOnly('letters@council.example'), topicNoReply(), refused()];
    const order: string[] = [];
    while (left.length > 0) {
      const decision = screenWith(left, onTopic);
      const decided = left.find((r) => decision.appliedRestrictionIds.includes(r.id));
      expect(decided, `no restriction decided among ${left.map((r) => r.type).join(', ')}`).toBeDefined();
      order.push(decided!.type);
      left = left.filter((r) => r !== decided);
    }
    expect(order).toEqual([
      'all-contact-refused',
      'topic-no-reply',
      'no-email-letter-only',
      'single-named-officer',
    ]);
    // The exported precedence (which the README shows) is the one the routing follows.
    expect(routingPrecedence).toEqual(order);
  });

  it('8.2 over 7.3.7 over 7.3.4', () => {
    const all = [officer(), topicNoReply(), refused()];
    expect(screenWith(all, onTopic).recipients).toEqual(['senior.reader@council.example']);
    expect(screenWith([officer(), topicNoReply()], onTopic).recipients).toEqual(['reader@council.example']);
    expect(screenWith([officer()], onTopic).recipients).toEqual(['officer@council.example']);
  });

  it('7.3.7 over 7.3.2 (no reply at all beats "write instead")', () => {
    const decision = screenWith([letterOnly('letters@council.example'), topicNoReply()], onTopic);
    expect(decision).toMatchObject({ recipients: ['reader@council.example'], acknowledgement: 'none' });
  });

  it('7.3.2 over 7.3.4', () => {
    const decision = screenWith([officer(), letterOnly('letters@council.example')]);
    expect(decision.recipients).toEqual(['letters@council.example']);
  });

  it('keeps the restrictions that did not decide the route as notes for the reader', () => {
    const decision = screenWith([officer(), refused()]);
    expect(decision.appliedRestrictionIds).toHaveLength(1);
    expect(decision.notes).toEqual([
      expect.objectContaining({
        type: 'single-named-officer',
        clause: '7.3.4',
        text: expect.stringContaining('officer@council.example'),
      }),
    ]);
  });
});

describe('screenContact: restrictions that travel as notes', () => {
  it.each([
    [
      aRestriction({ type: 'third-party-phone-only', thirdParties: ['Ms Solicitor'] }),
      '7.3.1',
      /third party \(Ms Solicitor\)/,
    ],
    [aRestriction({ type: 'office-appointment-only' }), '7.3.3', /appointment/],
    [
      aRestriction({
        type: 'phone-hours',
        days: ['thursday', 'tuesday'],
        from: '10:00',
        until: '12:00',
        maxCallMinutes: 15,
      }),
      '7.3.5',
      /tue, thu 10:00–12:00, at most 15 minutes/,
    ],
    [aRestriction({ type: 'witness-required' }), '7.3.6', /witness/],
    [
      aRestriction({ type: 'social-media', platforms: ['the council Facebook page'], scope: 'blocked' }),
      '7.3.8',
      /blocked on the council Facebook page/,
    ],
    [
      aRestriction({ type: 'home-visits-paired', homeVisits: 'paired-only' }),
      '7.3.9',
      /two members of staff/,
    ],
    [aRestriction({ type: 'home-visits-paired', homeVisits: 'refused' }), '7.3.9', /No home visits/],
  ])('%#: %s does not change the route but travels with it', (restriction, clause, text) => {
    const decision = screenWith([restriction]);
    expect(decision.route).toBe('service');
    expect(decision.notes).toEqual([expect.objectContaining({ clause, text: expect.stringMatching(text) })]);
  });

  it('adds the measures to take when contact is necessary (12.1.5)', () => {
    const decision = screenWith([
      aRestriction({
        type: 'witness-required',
        measuresWhenContactNecessary: 'Meet at the civic offices only',
      }),
    ]);
    expect(decision.notes[0]?.text).toMatch(
      /When contact is necessary: Meet at the civic offices only \(12\.1\.5\)/,
    );
  });
});

describe('screenContact: the clock decides (P5)', () => {
  const r = officer();
  const timed = {
    ...r,
    startsAt: '2026-03-29T00:00:00.000Z',
    endsAt: '2026-10-26T00:00:00.000Z',
    reviewAt: '2026-09-01T00:00:00.000Z',
  };

  it.each([
    ['2026-03-28T23:59:59.999Z', 'service'], // scheduled: not yet
    ['2026-03-29T00:00:00.000Z', 'named-officer'], // starts at: applies
    ['2026-09-01T00:00:00.000Z', 'named-officer'], // exactly at review: still applies
    ['2026-10-25T23:59:59.999Z', 'named-officer'],
    ['2026-10-26T00:00:00.000Z', 'service'], // ends at: no longer applies
  ])('at %s the route is %s', (at, route) => {
    expect(screenWith([timed], email(), at).route).toBe(route);
  });

  it('says when a review is overdue (10.1) but keeps applying the restriction', () => {
    const decision = screenWith([timed], email(), '2026-09-15T12:00:00.000Z');
    expect(decision.route).toBe('named-officer');
    const reason = decision.reasons.find((x) => x.code === 'review-overdue');
    expect(reason?.clause).toBe('10.1');
    expect(reason?.text).toMatch(/Tue, 1 Sept 2026, 01:00 BST/);
  });

  it('ignores a lifted restriction from the moment it was lifted', () => {
    const lifted = { ...timed, liftedAt: '2026-05-01T09:00:00.000Z' };
    expect(screenWith([lifted], email(), '2026-05-01T08:59:59.000Z').route).toBe('named-officer');
    expect(screenWith([lifted], email(), '2026-05-01T09:00:00.000Z').route).toBe('service');
  });

  it('reads a restriction entered as London dates correctly in both GMT and BST', () => {
    const londonDates = aRestriction({
      type: 'single-named-officer',
      namedOfficer: 'officer@council.example',
      startsAt: '2026-03-30',
      endsAt: '2026-10-25',
    });
    // 30 March starts at 23:00 UTC on the 29th (BST); 25 October ends at 00:00 GMT on the 26th.
    expect(screenWith([londonDates], email(), '2026-03-29T22:59:59.999Z').route).toBe('service');
    expect(screenWith([londonDates], email(), '2026-03-29T23:00:00.000Z').route).toBe('named-officer');
    expect(screenWith([londonDates], email(), '2026-10-25T23:59:59.999Z').route).toBe('named-officer');
    expect(screenWith([londonDates], email(), '2026-10-26T00:00:00.000Z').route).toBe('service');
  });
});

describe('screenContact: who the contact is from', () => {
  it('prefers the stronger evidence: an email match outweighs a name + postcode match', () => {
    const byEmail = aMatch(aCustomer({ id: 'cus_EMAIL' }), [officer()], ['email']);
    const byName = aMatch(aCustomer({ id: 'cus_NAME' }), [refused()], ['name-postcode']);
    const decision = screenContact(email(), { matches: [byName, byEmail] }, now, options);
    expect(decision.customerIds).toEqual(['cus_EMAIL']);
    expect(decision.route).toBe('named-officer');
    expect(decision.reasons.find((r) => r.code === 'identity-weaker-match')?.text).toMatch(/cus_NAME/);
  });

  it('applies the restrictions of every equally matched customer and flags the ambiguity', () => {
    const one = aMatch(aCustomer({ id: 'cus_ONE' }), [officer()], ['email']);
    const two = aMatch(aCustomer({ id: 'cus_TWO' }), [refused()], ['email']);
    const decision = screenContact(email(), { matches: [one, two] }, now, options);
    expect(decision.customerIds).toEqual(['cus_ONE', 'cus_TWO']);
    expect(decision.route).toBe('designated-reader');
    expect(decision.reasons.map((r) => r.code)).toContain('identity-ambiguous');
  });

  it('still screens an unverified sender, but says the match is no proof', () => {
    const decision = screenWith([officer()], email({ senderVerified: false }));
    expect(decision.route).toBe('named-officer');
    expect(decision.reasons.map((r) => r.code)).toContain('identity-unverified');
  });

  it('merges the recipients of two applicable restrictions of one kind without duplicates', () => {
    const a = officer();
    const b = { ...officer(), namedOfficer: 'second.officer@council.example' };
    const c = officer();
    expect(screenWith([a, b, c]).recipients).toEqual([
      'officer@council.example',
      'second.officer@council.example',
    ]);
  });
});

describe('topicRelation', () => {
  it('is unknown without any subject, topic or case reference', () => {
    expect(topicRelation({ channel: 'email', subject: '  ' }, 'CMP-1')).toBe('unknown');
  });
});

describe('screenContact: where the customer stands, for the officer who reads it', () => {
  it('names the escalation stage and the restrictions decided but not yet in force', () => {
    const warned = {
      id: 'stp_1',
      customerId: 'cus_A',
      step: 'warning-given' as const,
      clause: '7.2.1',
      at: '2026-05-01T09:00:00.000Z',
      by: 'Service Manager',
      recordedAt: '2026-05-01T09:00:00.000Z',
      recordedBy: 'Service Manager',
    };
    const coming = aRestriction(
      { type: 'witness-required' },
      {
        startsAt: '2026-07-01T00:00:00.000Z',
        endsAt: '2026-12-31T00:00:00.000Z',
        createdAt: '2026-05-20T00:00:00.000Z',
      },
    );
    const customer = aCustomer({ id: 'cus_A' });
    const onlyWarned = screenContact(
      email(),
      { matches: [{ ...aMatch(customer, []), steps: [warned] }] },
      now,
      options,
    );
    expect(onlyWarned.customers?.[0]).toMatchObject({
      escalation: { stage: 'warning-given', clause: '7.2.1' },
      scheduled: [],
    });

    const decided = screenContact(
      email(),
      { matches: [{ ...aMatch(customer, [coming]), steps: [warned] }] },
      now,
      options,
    );
    expect(decided.customers?.[0]).toMatchObject({
      escalation: { stage: 'restricted', clause: '7.3' },
      scheduled: [{ restrictionId: coming.id, type: 'witness-required', clause: '7.3.6' }],
    });
    // Not in force yet: no note for the reader, and the route is unchanged (P5).
    expect(decided.notes).toEqual([]);
    expect(decided.route).toBe('service');
  });
});
