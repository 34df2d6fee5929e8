import { z } from 'zod';
import { recordedChannels } from '../channels';
import { normaliseEmail, normalisePhone, normalisePostcode } from '../identity';

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

/** Who called, visited or wrote, as the officer took it down: any of these identify them (screen.ts). */
export const callerSchema = z
  .strictObject({
    name: text(200).optional(),
    phone: text(40)
      .refine((value) => normalisePhone(value) !== undefined, { error: 'must be a telephone number' })
      .optional(),
    email: text(320)
      .refine((value) => normaliseEmail(value) !== undefined, { error: 'must be an email address' })
      .optional(),
    postcode: text(16)
      .refine((value) => normalisePostcode(value) !== undefined, { error: 'must be a UK postcode' })
      .optional(),
  })
  .refine((caller) => Object.values(caller).some((value) => value !== undefined), {
    error: 'must give at least a name, phone, email or postcode',
  });

/**
 * A contact a member of staff records (POST /admin/contacts, the console's "Record a contact"):
 * a call, a visit, a letter or a message on social media (4.2.7 "by any means"). The summary is
 * personal data: kept with the contact record, never logged or put in an event (P7).
 */
export const recordedContactSchema = z
  .strictObject({
    channel: z.enum(recordedChannels, {
      error: (issue) =>
        issue.input === undefined ? 'is required' : `must be one of: ${recordedChannels.join(', ')}`,
    }),
    /** When the contact happened (ISO 8601 with offset); now when absent. */
    at: z.iso
      .datetime({ offset: true, error: 'must be a date-time with offset, e.g. 2026-12-01T10:30:00Z' })
      .optional(),
    customerId: text(100).optional(),
    caller: callerSchema.optional(),
    caseReference: text(100).optional(),
    topic: text(200).optional(),
    summary: text(10_000),
    recordedBy: text(200),
    /** The client's own id of this contact: sent again, it names the same contact (P6). */
    id: text(200).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.customerId === undefined && input.caller === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller'],
        message: 'is required unless customerId is given (who called, visited or wrote)',
      });
    }
  });

export type RecordedContactInput = z.input<typeof recordedContactSchema>;
export type RecordedContact = z.output<typeof recordedContactSchema>;

/** An `Idempotency-Key` header: printable, short. */
export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' });

/** How far ahead of the clock `at` may be (clocks differ a little between machines). */
export const allowedClockSkewMinutes = 5;
