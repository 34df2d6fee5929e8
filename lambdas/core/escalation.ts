import { z } from 'zod';
import { type Restriction, restrictionStatus } from './restriction';
import { type Instant, parseRegisterDate } from './time';

/**
 * Staged escalation (7.2): a concern is raised; the customer is warned (7.2.1); a service manager
 * writes with the procedures that will apply (7.2.2); restrictions follow (7.3); all contact may be
 * refused (8.2). The first three are recorded as steps; the last two follow from the restrictions.
 */
export const escalationStages = [
  'none',
  'concern-raised',
  'warning-given',
  'written-notice',
  'restricted',
  'all-contact-refused',
] as const;
export type EscalationStage = (typeof escalationStages)[number];

/** Each stage in words, with the clause it rests on: for forwards, pages and letters alike. */
export const escalationStageTitles: Record<EscalationStage, { title: string; clause?: string }> = {
  none: { title: 'No escalation step recorded' },
  'concern-raised': { title: 'Concern raised', clause: '7.2' },
  'warning-given': { title: 'Warning given', clause: '7.2.1' },
  'written-notice': { title: 'Written to with the procedures that will apply', clause: '7.2.2' },
  restricted: { title: 'Restrictions decided', clause: '7.3' },
  'all-contact-refused': { title: 'All contact refused', clause: '8.2' },
};

export const escalationSteps = ['concern-raised', 'warning-given', 'written-notice'] as const;
export type EscalationStepKind = (typeof escalationSteps)[number];

const stepClause: Record<EscalationStepKind, string> = {
  'concern-raised': '7.2',
  'warning-given': '7.2.1',
  'written-notice': '7.2.2',
};

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const escalationStepInputSchema = z
  .strictObject({
    step: z.enum(escalationSteps, { error: `must be one of: ${escalationSteps.join(', ')}` }),
    /** When it happened; defaults to now. A date alone is that London day. */
    at: z.string().optional(),
    /** 7.2.1: the warning may be given by phone, in writing or by email. */
    how: z.enum(['phone', 'letter', 'email', 'in-person']).optional(),
    by: text(200),
    note: text(4000).optional(),
    /** Why an earlier step was left out (e.g. threats, 8.3). */
    skipReason: text(2000).optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.step === 'warning-given' || input.step === 'written-notice') && !input.how) {
      ctx.addIssue({
        code: 'custom',
        path: ['how'],
        message: 'say how the customer was told: phone, letter, email or in-person (7.2.1)',
      });
    }
    if (input.at !== undefined && !parseRegisterDate(input.at, 'start')) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'must be a date or a date-time with offset' });
    }
  });

export type EscalationStepInput = z.output<typeof escalationStepInputSchema>;

export interface EscalationStep {
  id: string;
  customerId: string;
  step: EscalationStepKind;
  clause: string;
  at: Instant;
  how?: EscalationStepInput['how'];
  by: string;
  note?: string;
  skipReason?: string;
  recordedAt: Instant;
  recordedBy: string;
}

export interface EscalationHistoryEntry {
  stage: EscalationStage;
  clause: string;
  at: Instant;
  by: string;
  how?: string;
  note?: string;
  skipReason?: string;
  restrictionId?: string;
  /** The recorded step's id (a letter before a restriction is written from it). */
  stepId?: string;
}

export interface Escalation {
  stage: EscalationStage;
  /** Steps and restrictions in the order they happened. */
  history: EscalationHistoryEntry[];
}

const rank = (stage: EscalationStage) => escalationStages.indexOf(stage);

/**
 * Where a customer stands now (P5: derived from the clock, never stored). Restrictions in force
 * or scheduled decide; otherwise the last step recorded since the last restriction was imposed.
 */
export function escalationOf(
  steps: readonly EscalationStep[],
  restrictions: readonly Restriction[],
  now: Instant,
): Escalation {
  const history: EscalationHistoryEntry[] = [
    ...steps.map((s) => ({
      stepId: s.id,
      stage: s.step,
      clause: s.clause,
      at: s.at,
      by: s.by,
      ...(s.how ? { how: s.how } : {}),
      ...(s.note ? { note: s.note } : {}),
      ...(s.skipReason ? { skipReason: s.skipReason } : {}),
    })),
    ...restrictions.map((r) => ({
      stage: (r.type === 'all-contact-refused' ? 'all-contact-refused' : 'restricted') as EscalationStage,
      clause: r.type === 'all-contact-refused' ? '8.2' : '7.3',
      at: r.createdAt,
      by: r.decidedBy,
      restrictionId: r.id,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const live = restrictions.filter((r) => {
    const status = restrictionStatus(r, now);
    return status === 'active' || status === 'review-overdue' || status === 'scheduled';
  });
  if (live.some((r) => r.type === 'all-contact-refused')) return { stage: 'all-contact-refused', history };
  if (live.length > 0) return { stage: 'restricted', history };
  return { stage: lastStepSinceRestriction(steps, restrictions) ?? 'none', history };
}

/** The furthest step recorded since the last restriction was imposed. */
function lastStepSinceRestriction(
  steps: readonly EscalationStep[],
  restrictions: readonly Restriction[],
): EscalationStepKind | undefined {
  // Recorded after the last restriction was imposed (a warning may be recorded late, dated earlier).
  const lastImposed =
    restrictions
      .map((r) => r.createdAt)
      .sort()
      .at(-1) ?? '';
  const since = steps.filter((s) => s.recordedAt >= lastImposed).map((s) => rank(s.step));
  return since.length > 0 ? (escalationStages[Math.max(...since)] as EscalationStepKind) : undefined;
}

/**
 * Checks a new step against where the customer stands: steps go forward (the same step may be
 * repeated, e.g. a second warning); leaving one out needs a recorded reason. Returns the problem,
 * or nothing when the step may be recorded.
 */
export function stepProblem(
  input: EscalationStepInput,
  current: Escalation,
): { field: string; problem: string; conflict?: boolean } | undefined {
  const from =
    current.stage === 'restricted' || current.stage === 'all-contact-refused' ? 'none' : current.stage;
  // While restricted, further concerns and warnings are recorded as they come (they may lead to 8.2).
  if (current.stage === 'restricted' || current.stage === 'all-contact-refused') return undefined;
  if (rank(input.step) < rank(from)) {
    return {
      field: 'step',
      problem: `the customer is already at "${current.stage}"; a step cannot go back (record a new concern once restrictions have ended)`,
      conflict: true,
    };
  }
  const skipped = escalationSteps.filter((s) => rank(s) > rank(from) && rank(s) < rank(input.step));
  if (skipped.length > 0 && !input.skipReason) {
    return {
      field: 'skipReason',
      problem: `"${skipped.join('", "')}" was not recorded first; give the reason for leaving it out (e.g. threats, 8.3)`,
    };
  }
  return undefined;
}

export function newStep(
  input: EscalationStepInput,
  ids: { id: string; customerId: string },
  now: Instant,
  actor: string,
): EscalationStep {
  const at = input.at ? (parseRegisterDate(input.at, 'start') ?? now) : now;
  return {
    ...ids,
    step: input.step,
    clause: stepClause[input.step],
    at,
    ...(input.how ? { how: input.how } : {}),
    by: input.by,
    ...(input.note ? { note: input.note } : {}),
    ...(input.skipReason ? { skipReason: input.skipReason } : {}),
    recordedAt: now,
    recordedBy: actor,
  };
}

/** Whether the customer was warned (7.2.1) before a restriction is imposed. */
export const wasWarned = (steps: readonly EscalationStep[]) =>
  steps.some((s) => s.step === 'warning-given' || s.step === 'written-notice');
