import { describe, expect, it } from 'vitest';
import { detailTypes, reviewDueDetailSchema } from '../../lambdas/core/events';
import {
  classifyForReview,
  composeReviewDigest,
  type DigestEntry,
  dueSoonFrom,
  endedReportDays,
  type ReviewRestriction,
  reviewDueEvent,
  reviewStageOf,
} from '../../lambdas/core/review';
import { parseRegisterDate } from '../../lambdas/core/time';

const day = (date: string, edge: 'start' | 'end' = 'start') => parseRegisterDate(date, edge) as string;
const at = (iso: string) => new Date(iso).toISOString();
const ms = (instant: string, delta: number) => new Date(Date.parse(instant) + delta).toISOString();
const DAY = 86_400_000;

function restriction(overrides: Partial<ReviewRestriction> = {}): ReviewRestriction {
  return {
    id: 'res_1',
    customerId: 'cus_1',
    type: 'single-named-officer',
    startsAt: day('2026-01-01'),
    endsAt: day('2026-12-31', 'end'),
    reviewAt: day('2026-07-01'),
    ...overrides,
  };
}

describe('reviewStageOf: the boundaries, with a fake clock', () => {
  const r = restriction(); // review 1 Jul 2026 00:00 BST = 30 Jun 23:00Z; ends 1 Jan 2027 00:00 GMT

  it('is due soon from exactly 14 London days before the review, not a moment earlier', () => {
    const from = dueSoonFrom(r.reviewAt);
    expect(from).toBe(day('2026-06-17'));
    expect(reviewStageOf(r, ms(from, -1))).toBeUndefined();
    expect(reviewStageOf(r, from)).toBe('due-soon');
    expect(classifyForReview([r], from)[0]?.daysUntilReview).toBe(14);
  });

  it('is overdue from reviewAt itself (half-open), until endsAt', () => {
    expect(reviewStageOf(r, ms(r.reviewAt, -1))).toBe('due-soon');
    expect(classifyForReview([r], ms(r.reviewAt, -1))[0]?.daysUntilReview).toBe(1);
    expect(reviewStageOf(r, r.reviewAt)).toBe('overdue');
    expect(classifyForReview([r], r.reviewAt)[0]?.daysOverdue).toBe(0);
    expect(reviewStageOf(r, ms(r.endsAt, -1))).toBe('overdue');
  });

  it('is ended from endsAt itself, and only within the reporting window', () => {
    expect(reviewStageOf(r, r.endsAt)).toBe('ended');
    expect(reviewStageOf(r, ms(r.endsAt, endedReportDays * DAY - 1))).toBe('ended');
    expect(reviewStageOf(r, ms(r.endsAt, endedReportDays * DAY))).toBeUndefined();
  });

  it('ends before its review date: due soon before it lapses (to decide on an extension), then ended, never overdue', () => {
    const short = restriction({ endsAt: day('2026-03-31', 'end'), reviewAt: day('2027-01-01') });
    expect(reviewStageOf(short, day('2026-03-17'))).toBeUndefined();
    expect(reviewStageOf(short, day('2026-03-18'))).toBe('due-soon');
    expect(classifyForReview([short], day('2026-03-18'))[0]).toMatchObject({
      stage: 'due-soon',
      basis: short.endsAt,
      daysUntilReview: 14,
    });
    expect(reviewStageOf(short, day('2026-03-31'))).toBe('due-soon');
    expect(reviewStageOf(short, day('2026-04-01'))).toBe('ended');
    expect(classifyForReview([short], day('2026-04-01'))[0]).toMatchObject({
      stage: 'ended',
      basis: short.endsAt,
      reviewKey: `res_1#ended#${short.endsAt}`,
    });
  });

  it('leaves lifted restrictions out, whatever their dates', () => {
    const lifted = restriction({ liftedAt: day('2026-05-01') });
    for (const now of [dueSoonFrom(lifted.reviewAt), lifted.reviewAt, lifted.endsAt]) {
      expect(reviewStageOf(lifted, now)).toBeUndefined();
    }
    // Lifted later than now: still reviewed until the lift takes effect.
    expect(reviewStageOf(restriction({ liftedAt: day('2026-12-01') }), r.reviewAt)).toBe('overdue');
  });

  it('counts London calendar days across the clocks going forward (BST)', () => {
    // Review 10 Apr 2026 (BST); 14 days earlier is 27 Mar (GMT): midnight is 00:00Z, not 23:00Z.
    const bst = restriction({ reviewAt: day('2026-04-10') });
    expect(bst.reviewAt).toBe('2026-04-09T23:00:00.000Z');
    expect(dueSoonFrom(bst.reviewAt)).toBe('2026-03-27T00:00:00.000Z');
    expect(reviewStageOf(bst, at('2026-03-26T23:59:59.999Z'))).toBeUndefined();
    expect(reviewStageOf(bst, at('2026-03-27T00:00:00Z'))).toBe('due-soon');
    // 07:00 London on 9 Apr (BST) is 06:00Z: one day to go.
    expect(classifyForReview([bst], at('2026-04-09T06:00:00Z'))[0]?.daysUntilReview).toBe(1);
    // 00:30 BST on 10 Apr is 23:30Z on 9 Apr: overdue, 0 days.
    expect(classifyForReview([bst], at('2026-04-09T23:30:00Z'))[0]).toMatchObject({
      stage: 'overdue',
      daysOverdue: 0,
    });
  });

  it('and across the clocks going back (GMT)', () => {
    const gmt = restriction({ reviewAt: day('2026-11-05') });
    expect(dueSoonFrom(gmt.reviewAt)).toBe('2026-10-21T23:00:00.000Z'); // 22 Oct 00:00 BST
    expect(classifyForReview([gmt], at('2026-11-06T07:00:00Z'))[0]?.daysOverdue).toBe(1);
  });
});

describe('classifyForReview', () => {
  it('orders overdue, due soon, then ended, earliest first, and skips what is not due', () => {
    const now = at('2026-06-20T06:00:00Z');
    const items = classifyForReview(
      [
        restriction({ id: 'res_soon_late', reviewAt: day('2026-07-02') }),
        restriction({ id: 'res_ended', endsAt: day('2026-06-10', 'end'), reviewAt: day('2026-12-01') }),
        restriction({ id: 'res_soon', reviewAt: day('2026-06-25') }),
        restriction({ id: 'res_overdue', reviewAt: day('2026-06-01') }),
        restriction({ id: 'res_later', reviewAt: day('2026-08-01') }),
      ],
      now,
    );
    expect(items.map((item) => [item.restriction.id, item.stage])).toEqual([
      ['res_overdue', 'overdue'],
      ['res_soon', 'due-soon'],
      ['res_soon_late', 'due-soon'],
      ['res_ended', 'ended'],
    ]);
  });

  it('keys a stage by the date it was computed from: an extended review comes due again', () => {
    const now = day('2026-07-02');
    const [before] = classifyForReview([restriction()], now);
    const [after] = classifyForReview([restriction({ reviewAt: day('2026-07-10') })], now);
    expect(before?.reviewKey).not.toBe(after?.reviewKey);
    expect(after?.stage).toBe('due-soon');
  });
});

describe('the RestrictionReviewDue event', () => {
  it('carries ids, type, clause, stage and dates, and validates; no names or reasons', () => {
    const now = day('2026-07-03');
    const [item] = classifyForReview([restriction()], now);
    const event = reviewDueEvent(item!, now);
    expect(event.detailType).toBe(detailTypes.reviewDue);
    expect(event.resources).toEqual(['res_1', 'cus_1']);
    expect(reviewDueDetailSchema.parse(event.detail)).toEqual({
      reviewKey: item?.reviewKey,
      restrictionId: 'res_1',
      customerId: 'cus_1',
      type: 'single-named-officer',
      clause: '7.3.4',
      stage: 'overdue',
      reviewAt: restriction().reviewAt,
      endsAt: restriction().endsAt,
      daysOverdue: 2,
      asOf: now,
    });
  });
});

describe('composeReviewDigest', () => {
  const now = at('2026-06-20T06:00:00Z');
  const items = classifyForReview(
    [
      restriction({ id: 'res_overdue', customerId: 'cus_a', reviewAt: day('2026-06-01') }),
      restriction({
        id: 'res_soon',
        customerId: 'cus_b',
        type: 'topic-no-reply',
        reviewAt: day('2026-06-25'),
      }),
      restriction({
        id: 'res_ended',
        customerId: 'cus_c',
        type: 'all-contact-refused',
        endsAt: day('2026-06-10', 'end'),
        reviewAt: day('2026-12-01'),
      }),
    ],
    now,
  );
  const entries: DigestEntry[] = [
    { item: items[0]!, customerName: 'Ada Example', isNew: false },
    { item: items[1]!, customerName: 'Bo Example', isNew: true },
    { item: items[2]!, isNew: true },
  ];

  it('lists every stage with names, type and clause, dates, and marks what is new', () => {
    const digest = composeReviewDigest(entries, now);
    expect(digest.subject).toBe('Restriction reviews: 1 overdue, 1 due within 14 days, 1 ended (2 new)');
    const text = digest.text;
    expect(text).toContain('Restriction reviews — Saturday, 20 June 2026');
    expect(text).toContain('Reviews overdue (1)');
    expect(text).toContain('Reviews due within 14 days (1)');
    expect(text).toContain('Ended since the last digest (1)');
    expect(text).toMatch(/^ {7}Ada Example \(customer cus_a\)$/m);
    expect(text).toMatch(/^ {2}NEW {2}Bo Example \(customer cus_b\)$/m);
    expect(text).toContain('customer cus_c (no longer in the register)');
    expect(text).toContain('[7.3.4] Contact with one named officer only — restriction res_overdue');
    expect(text).toContain('[7.3.7] No reply on a topic; a designated reader reads — restriction res_soon');
    expect(text).toContain('[8.2] All contact refused; a designated reader reads — restriction res_ended');
    expect(text).toContain('Review was due:  Mon, 1 Jun 2026, 00:00 BST (19 days ago)');
    expect(text).toContain('Review due:      Thu, 25 Jun 2026, 00:00 BST (in 5 days)');
    expect(text).toContain('Ended:           Thu, 11 Jun 2026, 00:00 BST');
    expect(text).toContain('What to do (policy 10.1)');
    expect(text).toMatch(/extend it.*\n.*advise the customer/);
    expect(text).toContain('lift it');
    expect(text).toContain('record the review');
    // Sections in order: overdue, due soon, ended.
    expect(text.indexOf('Reviews overdue')).toBeLessThan(text.indexOf('Reviews due within'));
    expect(text.indexOf('Reviews due within')).toBeLessThan(text.indexOf('Ended since'));
  });

  it('says when nothing is new, and leaves empty stages out', () => {
    const digest = composeReviewDigest([{ ...entries[0]!, isNew: false }], now);
    expect(digest.subject).toBe('Restriction reviews: 1 overdue');
    expect(digest.text).toContain('Nothing is new since the last digest.');
    expect(digest.text).not.toContain('Reviews due within 14 days (');
    expect(digest.text).not.toContain('Ended since the last digest (');
  });
});
