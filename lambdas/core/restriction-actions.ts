import { z } from 'zod';
import { parseRegisterDate } from './time';

/** What a manager sends to change a restriction that is already in the register (10.1, 12.1.4). */

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const registerDate = (edge: 'start' | 'end') =>
  z.string().transform((value, ctx) => {
    const instant = parseRegisterDate(value, edge);
    if (!instant) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (2027-03-31) or a date-time with offset' });
      return z.NEVER;
    }
    return instant;
  });

/** Lifting ends a restriction early; a person decides it (P2) and the customer is told (8.1). */
export const liftInputSchema = z.strictObject({ reason: text(4000), decidedBy: text(200) });

/** 10.1: contact continued, so the restriction runs longer; the customer must be advised again. */
export const extendInputSchema = z.strictObject({
  endsAt: registerDate('end'),
  reviewAt: registerDate('start').optional(),
  reason: text(4000),
  decidedBy: text(200),
});

/** 10.1: the review kept the restriction as it is; the next review is set. */
export const reviewInputSchema = z.strictObject({
  reviewedBy: text(200),
  notes: text(4000),
  nextReviewAt: registerDate('start'),
});

/** 12.1.4: when the customer and the services were advised. */
export const advisedInputSchema = z
  .strictObject({
    customerAdvisedAt: registerDate('start').optional(),
    servicesAdvisedAt: registerDate('start').optional(),
    how: text(200).optional(),
  })
  .refine((input) => input.customerAdvisedAt !== undefined || input.servicesAdvisedAt !== undefined, {
    error: 'give customerAdvisedAt, servicesAdvisedAt or both',
    path: ['customerAdvisedAt'],
  });

/** A manager accepts the clashes with the customer's reasonable adjustments, saying why. */
export const acknowledgeConflictsInputSchema = z.strictObject({
  by: text(200).optional(),
  reason: text(2000),
});
