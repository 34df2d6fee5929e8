import { z } from 'zod';
import type { QueuedSubmission } from '../core/ports';

/**
 * The SQS event of an event source mapping, as AWS sends it: only what the handler reads is
 * required (each record's id, for batchItemFailures, and its body); AWS adds fields over time.
 */
export const sqsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        messageId: z.string().min(1),
        body: z.string(),
        attributes: z.object({ ApproximateReceiveCount: z.string().optional() }).partial().optional(),
      }),
    )
    .min(1),
});

export type SqsRecord = z.infer<typeof sqsEventSchema>['Records'][number];

const text = z.string().max(10_000);
const optionalText = text.optional();

/**
 * One message of the form's queue (lambdas/adapters/sqs/submission-queue.ts): the submission the
 * endpoint validated, with its reference. Checked again here, so that a message that is not one
 * is reported and left to the failure queue rather than half screened.
 */
export const queuedSubmissionSchema = z.object({
  version: z.literal(1),
  reference: z.string().regex(/^CS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/, { error: 'must be a reference' }),
  sourceId: z.string().min(1).max(300),
  receivedAt: z.iso.datetime(),
  form: z.object({
    name: text,
    email: optionalText,
    emailAsTyped: optionalText,
    phone: optionalText,
    postcode: optionalText,
    caseReference: optionalText,
    topic: text,
    subject: text,
    message: text,
    website: optionalText,
  }),
}) satisfies z.ZodType<QueuedSubmission>;
