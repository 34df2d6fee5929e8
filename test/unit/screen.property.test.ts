import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Restriction, restrictionTypes, weekdays } from '../../lambdas/core/restriction';
import { type ContactToScreen, type RegisterMatch, screenContact } from '../../lambdas/core/screen';
import { aCustomer, serviceInbox } from '../helpers/register-fixtures';

const staff = fc.constantFrom(
  'officer@council.example',
  'reader@council.example',
  'other.reader@council.example',
);
const day = 24 * 3600 * 1000;
const base = Date.parse('2026-01-01T00:00:00.000Z');
const instant = fc.integer({ min: -400, max: 800 }).map((d) => new Date(base + d * day).toISOString());

const restriction: fc.Arbitrary<Restriction> = fc
  .record({
    type: fc.constantFrom(...restrictionTypes),
    id: fc.uuid().map((u) => `res_${u}`),
    start: fc.integer({ min: -400, max: 400 }),
    length: fc.integer({ min: 1, max: 500 }),
    review: fc.integer({ min: 0, max: 500 }),
    lifted: fc.option(fc.integer({ min: -400, max: 800 }), { nil: undefined }),
    reader: fc.option(staff, { nil: undefined }),
    officer: staff,
    topic: fc.constantFrom('CMP-10001', 'Planning enforcement', 'noise'),
  })
  .map(({ type, id, start, length, review, lifted, reader, officer, topic }) => {
    const at = (d: number) => new Date(base + d * day).toISOString();
    const common = {
      id,
      customerId: 'cus_P',
      reason: 'r',
      decidedBy: 'm',
      startsAt: at(start),
      endsAt: at(start + length),
      reviewAt: at(start + review),
      createdAt: at(start),
      createdBy: 't',
      ...(lifted === undefined ? {} : { liftedAt: at(lifted) }),
    };
    const fields: Record<string, unknown> = {
      'single-named-officer': { namedOfficer: officer },
      'topic-no-reply': { topic, designatedReader: reader ?? officer },
      'all-contact-refused': { designatedReader: reader ?? officer },
      'no-email-letter-only': reader ? { designatedReader: reader } : {},
      'phone-hours': { days: [weekdays[0]], from: '09:00', until: '10:00' },
    };
    return { ...common, type, ...((fields[type] as object) ?? {}) } as Restriction;
  });

const contact: fc.Arbitrary<ContactToScreen> = fc.record({
  channel: fc.constantFrom('email' as const, 'web-form' as const),
  emails: fc.array(fc.string(), { maxLength: 2 }),
  senderVerified: fc.boolean(),
  subject: fc.option(
    fc.oneof(fc.string(), fc.constantFrom('CMP-10001', 're: noise', 'Planning Enforcement!')),
    { nil: undefined },
  ),
  topic: fc.option(fc.string(), { nil: undefined }),
  caseReferences: fc.array(fc.constantFrom('CMP-10001', 'CMP-2'), { maxLength: 2 }),
});

const matches: fc.Arbitrary<RegisterMatch[]> = fc
  .array(
    fc.record({
      restrictions: fc.array(restriction, { maxLength: 6 }),
      matchedBy: fc.subarray(['email', 'phone', 'name-postcode'] as const, { minLength: 1 }),
    }),
    { maxLength: 3 },
  )
  .map((list) => list.map((m, i) => ({ customer: aCustomer({ id: `cus_${i}` }), ...m })));

describe('screenContact properties', () => {
  it('always names at least one human mailbox, and only mailboxes (P1)', () => {
    fc.assert(
      fc.property(contact, matches, instant, (c, m, now) => {
        const decision = screenContact(c, { matches: m }, now, { serviceInbox });
        expect(decision.recipients.length).toBeGreaterThan(0);
        for (const mailbox of [...decision.recipients, ...decision.copyTo])
          expect(mailbox).toMatch(/^[^@\s]+@[^@\s]+$/);
        expect(new Set(decision.recipients).size).toBe(decision.recipients.length);
        for (const copy of decision.copyTo) expect(decision.recipients).not.toContain(copy);
      }),
      { numRuns: 500 },
    );
  });

  it('always explains itself (P3), and sends to the service inbox only when no routing restriction applies', () => {
    fc.assert(
      fc.property(contact, matches, instant, (c, m, now) => {
        const decision = screenContact(c, { matches: m }, now, { serviceInbox });
        expect(decision.reasons.length).toBeGreaterThan(0);
        if (decision.route !== 'service') expect(decision.appliedRestrictionIds.length).toBeGreaterThan(0);
        if (decision.acknowledgement === 'none') expect(decision.route).toBe('designated-reader');
      }),
      { numRuns: 500 },
    );
  });

  it('never applies a restriction outside its period or after it was lifted (P5)', () => {
    fc.assert(
      fc.property(contact, matches, instant, (c, m, now) => {
        const decision = screenContact(c, { matches: m }, now, { serviceInbox });
        const all = m.flatMap((x) => x.restrictions);
        for (const id of [...decision.appliedRestrictionIds, ...decision.notes.map((n) => n.restrictionId)]) {
          const r = all.find((x) => x.id === id)!;
          expect(r.startsAt <= now && now < r.endsAt).toBe(true);
          expect(r.liftedAt === undefined || r.liftedAt > now).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
