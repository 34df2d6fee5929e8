import { describe, expect, it } from 'vitest';
import { restrictionInputSchema, restrictionStatus, restrictionTypes } from '../../lambdas/core/restriction';
import { defaultReviewAt, parseRegisterDate } from '../../lambdas/core/time';
import { fieldProblems } from '../../lambdas/core/validation';

const base = {
  customerId: 'cus_1',
  reason: 'Repeated contact on a closed complaint (4.2.13)',
  decidedBy: 'Jo Manager, Service Manager',
  startsAt: '2026-01-01',
  endsAt: '2026-06-30',
};

const problemsOf = (body: unknown) => {
  const result = restrictionInputSchema.safeParse(body);
  return result.success ? [] : fieldProblems(result.error);
};

describe('restriction input', () => {
  it('knows the ten types of 7.3 and 8.2 by their API ids', () => {
    expect(restrictionTypes).toEqual([
      'third-party-phone-only',
      'no-email-letter-only',
      'office-appointment-only',
      'single-named-officer',
      'phone-hours',
      'witness-required',
      'topic-no-reply',
      'social-media',
      'home-visits-paired',
      'all-contact-refused',
    ]);
  });

  it('reads date-only entries in London time and runs to the end of the last day', () => {
    const parsed = restrictionInputSchema.parse({ ...base, type: 'witness-required' });
    expect(parsed.startsAt).toBe('2026-01-01T00:00:00.000Z'); // GMT
    expect(parsed.endsAt).toBe('2026-06-30T23:00:00.000Z'); // midnight BST at the end of 30 June
  });

  it('defaults the review to twelve months after the start (10.1)', () => {
    const parsed = restrictionInputSchema.parse({
      ...base,
      type: 'witness-required',
      startsAt: '2026-04-15',
    });
    expect(parsed.reviewAt).toBe('2027-04-14T23:00:00.000Z'); // 15 April 2027, 00:00 BST
    const given = restrictionInputSchema.parse({ ...base, type: 'witness-required', reviewAt: '2026-03-01' });
    expect(given.reviewAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('carries each type’s own fields', () => {
    const hours = restrictionInputSchema.parse({
      ...base,
      type: 'phone-hours',
      days: ['tuesday', 'thursday'],
      from: '10:00',
      until: '12:00',
      maxCallMinutes: 15,
    });
    expect(hours).toMatchObject({
      days: ['tuesday', 'thursday'],
      from: '10:00',
      until: '12:00',
      maxCallMinutes: 15,
    });
  });

  it.each([
    [{ ...base, type: 'ban-everything' }, 'type', /must be one of: third-party-phone-only/],
    [{ ...base, type: 'single-named-officer' }, 'namedOfficer', /is required/],
    [
      { ...base, type: 'single-named-officer', namedOfficer: 'Bob in housing' },
      'namedOfficer',
      /email address/,
    ],
    [{ ...base, type: 'topic-no-reply', designatedReader: 'reader@council.example' }, 'topic', /is required/],
    [{ ...base, type: 'topic-no-reply', topic: 'CMP-1' }, 'designatedReader', /is required/],
    [{ ...base, type: 'all-contact-refused', seniorApprover: 'Director' }, 'designatedReader', /is required/],
    [
      { ...base, type: 'all-contact-refused', designatedReader: 'reader@council.example' },
      'seniorApprover',
      /is required/,
    ],
    [{ ...base, type: 'witness-required', endsAt: '2025-12-31' }, 'endsAt', /after startsAt/],
    [{ ...base, type: 'witness-required', endsAt: '2026-01-01T00:00:00Z' }, 'endsAt', /after startsAt/],
    [{ ...base, type: 'witness-required', startsAt: '2026-02-30' }, 'startsAt', /not a real date/],
    [{ ...base, type: 'witness-required', startsAt: '2026-02-03T10:00:00' }, 'startsAt', /offset/],
    [{ ...base, type: 'witness-required', reviewAt: '2025-06-01' }, 'reviewAt', /before startsAt/],
    [{ ...base, type: 'witness-required', reason: '   ' }, 'reason', /must not be empty/],
    [
      { ...base, type: 'witness-required', namedOfficer: 'o@council.example' },
      'namedOfficer',
      /not a known field/,
    ],
    [{ ...base, type: 'phone-hours', days: [], from: '10:00', until: '12:00' }, 'days', /at least one day/],
    [
      { ...base, type: 'phone-hours', days: ['monday'], from: '14:00', until: '12:00' },
      'until',
      /later in the day/,
    ],
    [{ ...base, type: 'phone-hours', days: ['funday'], from: '10:00', until: '12:00' }, 'days.0', /.+/],
  ])('rejects %j with a message on %s', (body, field, message) => {
    const problems = problemsOf(body);
    expect(problems.find((p) => p.field === field)?.problem).toMatch(message);
  });
});

describe('restrictionStatus: derived from the clock (P5)', () => {
  const r = {
    startsAt: '2026-01-01T00:00:00.000Z',
    reviewAt: '2026-09-01T00:00:00.000Z',
    endsAt: '2026-12-01T00:00:00.000Z',
  };
  it.each([
    ['2025-12-31T23:59:59.999Z', 'scheduled'],
    ['2026-01-01T00:00:00.000Z', 'active'], // applies from startsAt inclusive
    ['2026-08-31T23:59:59.999Z', 'active'],
    ['2026-09-01T00:00:00.000Z', 'review-overdue'], // exactly at review: due, and still applying
    ['2026-11-30T23:59:59.999Z', 'review-overdue'],
    ['2026-12-01T00:00:00.000Z', 'ended'], // endsAt exclusive
  ])('at %s it is %s', (now, status) => {
    expect(restrictionStatus(r, now)).toBe(status);
  });

  it('is lifted from the moment a manager lifted it, not before', () => {
    const lifted = { ...r, liftedAt: '2026-03-01T12:00:00.000Z' };
    expect(restrictionStatus(lifted, '2026-03-01T11:59:59.999Z')).toBe('active');
    expect(restrictionStatus(lifted, '2026-03-01T12:00:00.000Z')).toBe('lifted');
  });
});

describe('register dates across the clock changes (Europe/London)', () => {
  it('puts midnight in the right hour on either side of BST starting (29 March 2026)', () => {
    expect(parseRegisterDate('2026-03-29', 'start')).toBe('2026-03-29T00:00:00.000Z');
    expect(parseRegisterDate('2026-03-30', 'start')).toBe('2026-03-29T23:00:00.000Z');
    expect(parseRegisterDate('2026-03-29', 'end')).toBe('2026-03-29T23:00:00.000Z'); // a 23-hour day
  });

  it('and on either side of BST ending (25 October 2026)', () => {
    expect(parseRegisterDate('2026-10-25', 'start')).toBe('2026-10-24T23:00:00.000Z');
    expect(parseRegisterDate('2026-10-25', 'end')).toBe('2026-10-26T00:00:00.000Z'); // a 25-hour day
  });

  it('keeps explicit offsets as given', () => {
    expect(parseRegisterDate('2026-06-01T09:00:00+01:00', 'start')).toBe('2026-06-01T08:00:00.000Z');
    expect(parseRegisterDate('2026-06-01T09:00:00Z', 'start')).toBe('2026-06-01T09:00:00.000Z');
  });

  it('reviews twelve calendar months on in London time, whatever the offset then', () => {
    expect(defaultReviewAt('2026-01-15T00:00:00.000Z')).toBe('2027-01-15T00:00:00.000Z');
    expect(defaultReviewAt('2026-03-29T23:00:00.000Z')).toBe('2027-03-29T23:00:00.000Z'); // 30 Mar 00:00 BST both years
    expect(defaultReviewAt('2024-02-29T00:00:00.000Z')).toBe('2025-02-28T00:00:00.000Z'); // leap day
  });
});
