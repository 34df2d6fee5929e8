import { z } from 'zod';
import type { VerdictStatus } from '../core/contact';

const knownStatuses: readonly string[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

/**
 * A verdict as SES sends it (`{ status }`). Absent, malformed or a status we do not know (AWS adds
 * values; its own published sample has no dmarcVerdict), it reads as UNKNOWN: the sender is then
 * not verified — never a refusal of the message.
 */
const verdict = z
  .unknown()
  .optional()
  .transform((value): VerdictStatus => {
    const status =
      typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
    return typeof status === 'string' && knownStatuses.includes(status)
      ? (status as VerdictStatus)
      : 'UNKNOWN';
  });

/** The key of the stored message in S3 (the S3 action writes it under the message id). */
export const sesMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,200}$/, { error: 'must be an SES message id' });

const instant = z.iso.datetime({ offset: true });
/** A field the handler can do without: a wrong value is dropped rather than refusing the message. */
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/**
 * One SES receipt record for a Lambda action, as AWS sends it (Records[].ses.mail and .receipt).
 * It carries headers and verdicts, never the body: that is in S3 (the rule's S3 action ran first).
 * Only what the handler needs is required: the message id, when it arrived (the mail's or the
 * receipt's timestamp) and to whom (the receipt's recipients or the mail's destination). Other
 * fields are read when usable and otherwise left out; unknown fields are allowed (AWS adds them).
 */
export const sesReceiptRecordSchema = z
  .object({
    eventSource: z.literal('aws:ses'),
    eventVersion: optional(z.string()),
    ses: z.object({
      mail: z.object({
        messageId: sesMessageIdSchema,
        timestamp: optional(instant),
        source: optional(z.string()),
        destination: optional(z.array(z.string())),
      }),
      receipt: z
        .object({
          timestamp: optional(instant),
          recipients: optional(z.array(z.string())),
          spamVerdict: verdict,
          virusVerdict: verdict,
          spfVerdict: verdict,
          dkimVerdict: verdict,
          dmarcVerdict: verdict,
        })
        .optional(),
    }),
  })
  .refine(({ ses }) => ses.mail.timestamp ?? ses.receipt?.timestamp, {
    path: ['ses', 'mail', 'timestamp'],
    error: 'is required (or the receipt timestamp)',
  })
  .refine(({ ses }) => ses.receipt?.recipients ?? ses.mail.destination, {
    path: ['ses', 'receipt', 'recipients'],
    error: 'are required (or the mail destination)',
  });

/** The event: at least one record, each read on its own (sesReceiptRecordSchema). */
export const sesReceiptEnvelopeSchema = z.object({ Records: z.array(z.unknown()).min(1) });

/** What is left of a record that cannot be read otherwise: the key of its message in S3. */
export const sesMessageOnlySchema = z.object({
  ses: z.object({ mail: z.object({ messageId: sesMessageIdSchema }) }),
});

export type SesReceiptRecord = z.infer<typeof sesReceiptRecordSchema>;
/** The event as AWS sends it (the fixture in test/fixtures/ses/ is one). */
export interface SesReceiptEvent {
  Records: z.input<typeof sesReceiptRecordSchema>[];
}
