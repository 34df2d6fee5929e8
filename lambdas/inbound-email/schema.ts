import { z } from 'zod';

const verdict = z.object({
  status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']),
});

/**
 * The SES receipt event for a Lambda action, as AWS sends it (Records[].ses.mail and .receipt).
 * It carries headers and verdicts, never the body: that is in S3 (the rule's S3 action ran first).
 * Unknown fields are allowed: AWS adds fields over time.
 */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        eventVersion: z.string(),
        ses: z.object({
          mail: z.object({
            timestamp: z.iso.datetime({ offset: true }),
            source: z.string(),
            messageId: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, { error: 'must be an SES message id' }),
            destination: z.array(z.string()),
            headersTruncated: z.boolean().optional(),
            headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
            commonHeaders: z.record(z.string(), z.unknown()).optional(),
          }),
          receipt: z.object({
            timestamp: z.iso.datetime({ offset: true }),
            recipients: z.array(z.string()),
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
            processingTimeMillis: z.number().optional(),
            action: z.object({ type: z.string() }).loose().optional(),
          }),
        }),
      }),
    )
    .min(1),
});

export type SesReceiptEvent = z.infer<typeof sesReceiptEventSchema>;
export type SesReceiptRecord = SesReceiptEvent['Records'][number];
