import { z } from 'zod';
import type { StepLetterKind } from '../incidents/kinds';
import type { Instant } from '../time';

/**
 * The letters before a restriction: asking the customer to moderate their behaviour (7.2.1), setting
 * out the procedures that will apply (7.2.2), and saying the tone of their correspondence is not
 * acceptable (5.9). Each is written from a recorded escalation step or incident as a draft a manager
 * edits; once marked as sent it is final, kept unchanged as the informing letters are (8.1, 12.1).
 */
export const stepLetterKinds = [
  'request-to-moderate',
  'procedures',
  'tone-unacceptable',
] as const satisfies readonly StepLetterKind[];
export type { StepLetterKind };

export const stepLetterRules: Readonly<
  Record<StepLetterKind, { clauses: readonly string[]; title: string; mainClause: string }>
> = {
  'request-to-moderate': {
    clauses: ['7.2', '7.2.1', '9.1'],
    title: 'Request to moderate behaviour',
    mainClause: '7.2.1',
  },
  procedures: {
    clauses: ['7.2', '7.2.2', '7.3', '9.1'],
    title: 'Letter setting out the procedures',
    mainClause: '7.2.2',
  },
  'tone-unacceptable': {
    clauses: ['5.8', '5.9', '9.1'],
    title: 'Tone of correspondence unacceptable',
    mainClause: '5.9',
  },
};

export type StepLetterStatus = 'draft' | 'sent';

export interface StepLetter {
  id: string;
  /** "Our reference", as the letter prints it (`LT-…`). */
  reference: string;
  customerId: string;
  kind: StepLetterKind;
  clauses: string[];
  status: StepLetterStatus;
  /** The step or incident it was written from. */
  from: { stepId: string } | { incidentId: string };
  subject: string;
  /** The body, a paragraph each: what the manager edits while it is a draft. */
  paragraphs: string[];
  /** Who signs it: a service manager or above (7.2.2). */
  signedBy: string;
  /** Goes up by one with each saved edit; an edit names the revision it was made on. */
  revision: number;
  createdAt: Instant;
  createdBy: string;
  updatedAt?: Instant;
  updatedBy?: string;
  sentAt?: Instant;
  sentBy?: string;
  /** How it went: by post, by email or by hand. */
  sentHow?: 'post' | 'email' | 'by-hand';
  /** False when no postal address was recorded when it was sent. */
  postable?: boolean;
  /** As sent: kept unchanged (only once sent). */
  html?: string;
  text?: string;
  pdf?: Uint8Array;
}

export type StepLetterSummary = Omit<StepLetter, 'html' | 'text' | 'pdf'>;

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const draftStepLetterSchema = z
  .strictObject({
    /** Defaults from what it is written from (a warning → 7.2.1, a written notice → 7.2.2, abusive correspondence → 5.9). */
    kind: z.enum(stepLetterKinds, { error: `must be one of: ${stepLetterKinds.join(', ')}` }).optional(),
    stepId: z.string().trim().min(1).max(100).optional(),
    incidentId: z.string().trim().min(1).max(100).optional(),
    signedBy: text(200),
  })
  .superRefine((input, ctx) => {
    if ((input.stepId === undefined) === (input.incidentId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['stepId'],
        message:
          'give the escalation step (stepId) or the incident (incidentId) the letter is written from, one of them',
      });
    }
  });

export const editStepLetterSchema = z.strictObject({
  subject: text(300).optional(),
  paragraphs: z.array(text(4000)).min(1, { error: 'must have at least one paragraph' }).max(40).optional(),
  signedBy: text(200).optional(),
  /** The revision the edit was made on: another edit saved meanwhile makes this one a conflict (409). */
  revision: z.number().int().nonnegative().optional(),
});
export type StepLetterEdit = z.output<typeof editStepLetterSchema>;

export const sendStepLetterSchema = z.strictObject({
  how: z.enum(['post', 'email', 'by-hand'], { error: 'must be post, email or by-hand' }),
  sentBy: text(200),
});
