import type { z } from 'zod';
import { ConflictError } from '../ports';
import { type Restriction, restrictionStatus } from '../restriction';
import {
  acknowledgeConflictsInputSchema,
  advisedInputSchema,
  extendInputSchema,
  liftInputSchema,
  reviewInputSchema,
} from '../restriction-actions';
import { defaultReviewAt, type Instant } from '../time';
import { parseOrThrow, ValidationError } from '../validation';
import type { RegisterChangeDeps, RegisterDeps } from './context';
import { changeRestriction, type RestrictionDecision } from './restrictions';

/**
 * What a manager does to a restriction in force: lift it (P2), extend or review it (10.1), record when
 * the customer and services were advised (12.1.4), accept its clashes with reasonable adjustments.
 */

/** A lifted or ended restriction is over: it cannot be lifted, extended or reviewed again. */
const refuseIfOver = (restriction: Restriction, now: Instant, doing: string) => {
  const status = restrictionStatus(restriction, now);
  if (status === 'lifted')
    throw new ConflictError(`restriction ${restriction.id} was already lifted; it cannot be ${doing}`);
  if (status === 'ended') {
    throw new ConflictError(
      `restriction ${restriction.id} has ended; it cannot be ${doing} (impose a new one if it is needed)`,
    );
  }
};

type RestrictionUseCase<D extends RegisterDeps> = (
  restrictionId: string,
  body: unknown,
  actor: string,
  deps: D,
) => ReturnType<typeof changeRestriction>;

/**
 * A use case that changes a restriction: the body is validated first, before anything is read; a
 * restriction that is over is refused where `refusedOnceOver` names what it can no longer be; then
 * `decide` makes the change from the restriction as read (changeRestriction applies and audits it).
 */
function restrictionAction<S extends z.ZodType>(
  schema: S,
  refusedOnceOver: 'lifted' | 'extended' | 'reviewed' | undefined,
  decide: (input: z.output<S>, restriction: Restriction, now: Instant, actor: string) => RestrictionDecision,
) {
  return (
    restrictionId: string,
    body: unknown,
    actor: string,
    deps: RegisterDeps & Partial<RegisterChangeDeps>,
  ) => {
    const input = parseOrThrow(schema, body);
    return changeRestriction(restrictionId, actor, deps, (restriction, now) => {
      if (refusedOnceOver) refuseIfOver(restriction, now, refusedOnceOver);
      return decide(input, restriction, now, actor);
    });
  };
}

/** Ends a restriction now (P2: a person decides); the customer is written to (8.1). */
export const liftRestriction: RestrictionUseCase<RegisterChangeDeps> = restrictionAction(
  liftInputSchema,
  'lifted',
  (input, restriction, now) => ({
    after: { ...restriction, liftedAt: now, liftedBy: input.decidedBy, liftReason: input.reason },
    action: 'restriction-lifted',
    why: input.reason,
    letter: 'restriction-lifted',
  }),
);

/** 10.1: extends the period; the customer must be advised again, so the advice date is cleared. */
export const extendRestriction: RestrictionUseCase<RegisterChangeDeps> = restrictionAction(
  extendInputSchema,
  'extended',
  (input, restriction, now) => {
    if (input.endsAt <= restriction.endsAt) {
      throw new ValidationError([
        { field: 'endsAt', problem: `must be after the current end (${restriction.endsAt})` },
      ]);
    }
    const reviewAt = input.reviewAt ?? defaultReviewAt(now);
    if (reviewAt < now)
      throw new ValidationError([{ field: 'reviewAt', problem: 'must not be in the past' }]);
    const { customerAdvisedAt: _advised, customerAdvisedHow: _how, ...rest } = restriction;
    return {
      after: {
        ...rest,
        endsAt: input.endsAt,
        reviewAt,
        extensions: [
          ...(restriction.extensions ?? []),
          {
            at: now,
            by: input.decidedBy,
            reason: input.reason,
            previousEndsAt: restriction.endsAt,
            previousReviewAt: restriction.reviewAt,
          },
        ],
      },
      action: 'restriction-extended',
      why: input.reason,
      letter: 'restriction-extended',
    };
  },
);

/** 10.1: the review kept the restriction as it is; the next review date is set. */
export const recordReview: RestrictionUseCase<RegisterDeps> = restrictionAction(
  reviewInputSchema,
  'reviewed',
  (input, restriction, now) => {
    if (input.nextReviewAt <= now) {
      throw new ValidationError([{ field: 'nextReviewAt', problem: 'must be in the future' }]);
    }
    return {
      after: {
        ...restriction,
        reviewAt: input.nextReviewAt,
        reviews: [
          ...(restriction.reviews ?? []),
          {
            at: now,
            by: input.reviewedBy,
            notes: input.notes,
            nextReviewAt: input.nextReviewAt,
            previousReviewAt: restriction.reviewAt,
          },
        ],
      },
      action: 'restriction-reviewed',
      why: input.notes,
    };
  },
);

/** 12.1.4: records when the customer and the services were advised (sending letters stays a human act). */
export const recordAdvised: RestrictionUseCase<RegisterDeps> = restrictionAction(
  advisedInputSchema,
  undefined,
  (input, restriction) => ({
    after: {
      ...restriction,
      ...(input.customerAdvisedAt ? { customerAdvisedAt: input.customerAdvisedAt } : {}),
      ...(input.servicesAdvisedAt ? { servicesAdvisedAt: input.servicesAdvisedAt } : {}),
      ...(input.how ? { customerAdvisedHow: input.how } : {}),
    },
    action: 'restriction-advised',
  }),
);

/** A manager accepts the clashes with reasonable adjustments, with a reason; the warning goes. */
export const acknowledgeConflicts: RestrictionUseCase<RegisterDeps> = restrictionAction(
  acknowledgeConflictsInputSchema,
  undefined,
  (input, restriction, now, actor) => {
    if ((restriction.conflicts ?? []).length === 0) {
      throw new ConflictError(
        `restriction ${restriction.id} has no clashes with reasonable adjustments to acknowledge`,
      );
    }
    if (restriction.conflictsAcknowledged) {
      throw new ConflictError(`the clashes of restriction ${restriction.id} were already acknowledged`);
    }
    return {
      after: {
        ...restriction,
        conflictsAcknowledged: { by: input.by ?? actor, at: now, reason: input.reason },
      },
      action: 'conflicts-acknowledged',
      why: input.reason,
    };
  },
);
