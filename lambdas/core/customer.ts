import { z } from 'zod';
import { normaliseEmail, normalisePhone, normalisePostcode } from './identity';
import type { Instant } from './time';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

/**
 * The ways of being in touch a reasonable adjustment can depend on. A restriction that takes one
 * of them away clashes with the adjustment and is flagged (see conflicts.ts).
 */
export const adjustmentChannels = [
  'email',
  'telephone',
  'letter',
  'in-person',
  'home-visit',
  'social-media',
  'third-party',
] as const;
export type AdjustmentChannel = (typeof adjustmentChannels)[number];

/** Someone acting for the customer (7.3.1: a solicitor, councillor or friend). Not an identity: their own contact is not screened as the customer's. */
const representativeSchema = z.strictObject({
  name: text(200),
  relationship: text(200).optional(),
  email: z.email({ error: 'must be an email address' }).max(254).optional(),
  phone: text(40).optional(),
  address: text(1000).optional(),
});

const adjustmentSchema = z.strictObject({
  channel: z.enum(adjustmentChannels, {
    error: `must be one of: ${adjustmentChannels.join(', ')}`,
  }),
  detail: text(1000).optional(),
});

/** The fields a manager enters about a customer, before normalisation. */
export const customerFields = {
  name: text(200),
  address: text(1000).optional(),
  postcode: z.string().max(16).optional(),
  emails: z.array(z.string().max(320)).max(20).default([]),
  phones: z.array(z.string().max(40)).max(20).default([]),
  representatives: z.array(representativeSchema).max(10).optional(),
  /** Vulnerability the council knows of (the related Vulnerability policy); shown to managers, never logged. */
  vulnerability: text(2000).optional(),
  /** Reasonable adjustments in words, shown with alerts and in the register. */
  reasonableAdjustments: text(2000).optional(),
  /** Reasonable adjustments that depend on a way of being in touch, so that clashing restrictions are flagged. */
  adjustments: z.array(adjustmentSchema).max(20).optional(),
};

type CustomerFields = z.output<z.ZodObject<typeof customerFields>>;

/**
 * Normalises emails, phones and postcode; values that cannot be normalised are reported with the
 * index of the offending entry, so nothing unmatched is stored silently.
 */
function normaliseCustomer(input: CustomerFields, ctx: z.RefinementCtx) {
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
  if (postcode === undefined) delete customer.postcode;
  if (customer.emails.length === 0 && customer.phones.length === 0 && !postcode) {
    // Without an identity the register could never recognise this person's contact.
    ctx.addIssue({
      code: 'custom',
      path: ['emails'],
      message: 'give at least one email, phone or a postcode (with the name) to recognise the customer by',
    });
  }
  return customer;
}

/** A customer as a manager registers them (12.1.1: name and address). */
export const customerInputSchema = z.strictObject(customerFields).transform(normaliseCustomer);

/**
 * A change to a customer (PATCH): any of the fields, and why (kept in the audit trail). `null`
 * removes an optional field. The merged result is validated as a whole (customerInputSchema).
 */
export const customerPatchSchema = z
  .strictObject({
    ...Object.fromEntries(
      Object.entries(customerFields).map(([key, schema]) => [
        key,
        // No defaults here: a field left out of a change stays as it is.
        key === 'name' ? schema.optional() : z.union([unwrapDefault(schema), z.null()]).optional(),
      ]),
    ),
    why: text(2000),
  })
  .refine((patch) => Object.entries(patch).some(([key, value]) => key !== 'why' && value !== undefined), {
    error: 'name at least one field to change',
    path: ['(body)'],
  });

function unwrapDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

export type CustomerInput = z.input<typeof customerInputSchema>;
export type NewCustomer = z.output<typeof customerInputSchema>;

export type Customer = NewCustomer & {
  id: string;
  createdAt: Instant;
  createdBy: string;
  updatedAt?: Instant;
  /** Bumped by every change to the customer's part of the register; changes apply only to the version they read. */
  version?: number;
};

/** The fields a manager edits (not ids, timestamps or version), as they are now. */
export function editableFields(customer: Customer): Record<string, unknown> {
  const record = customer as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(customerFields)
      .filter((key) => record[key] !== undefined)
      .map((key) => [key, record[key]]),
  );
}
