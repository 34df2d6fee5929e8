import { z } from 'zod';
import { normaliseEmail, normalisePhone, normalisePostcode } from './identity';
import type { Instant } from './time';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

/**
 * A customer as a manager registers them (12.1.1: name and address). Emails, phones and
 * postcode are normalised on the way in; values that cannot be normalised are rejected with
 * the index of the offending entry, so nothing unmatched is stored silently.
 */
export const customerInputSchema = z
  .strictObject({
    name: text(200),
    address: text(1000).optional(),
    postcode: z.string().max(16).optional(),
    emails: z.array(z.string().max(320)).max(20).default([]),
    phones: z.array(z.string().max(40)).max(20).default([]),
    /** Vulnerability or reasonable adjustments to keep in mind (the related Vulnerability policy). */
    reasonableAdjustments: text(2000).optional(),
  })
  .transform((input, ctx) => {
    const emails = input.emails.map((raw, i) => {
      const email = normaliseEmail(raw);
      if (!email) ctx.addIssue({ code: 'custom', path: ['emails', i], message: 'is not an email address' });
      return email ?? '';
    });
    const phones = input.phones.map((raw, i) => {
      const phone = normalisePhone(raw);
      if (!phone) ctx.addIssue({ code: 'custom', path: ['phones', i], message: 'is not a telephone number' });
      return phone ?? '';
    });
    let postcode: string | undefined;
    if (input.postcode !== undefined) {
      postcode = normalisePostcode(input.postcode);
      if (!postcode) ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'is not a UK postcode' });
    }
    const customer = { ...input, emails: [...new Set(emails)], phones: [...new Set(phones)], postcode };
    if (customer.emails.length === 0 && customer.phones.length === 0 && !postcode) {
      // Without an identity the register could never recognise this person's contact.
      ctx.addIssue({
        code: 'custom',
        path: ['emails'],
        message: 'give at least one email, phone or a postcode (with the name) to recognise the customer by',
      });
    }
    return customer;
  });

export type CustomerInput = z.input<typeof customerInputSchema>;
export type NewCustomer = z.output<typeof customerInputSchema>;

export type Customer = NewCustomer & { id: string; createdAt: Instant; createdBy: string };
