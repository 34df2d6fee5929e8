import { z } from 'zod';
import { type Restriction, restrictionCatalogue } from '../restriction';
import type { Instant } from '../time';

/**
 * Informing letters (8.1): a service manager or above writes to the customer to say why a restriction was
 * decided, what it is and how long it lasts; when it is reviewed and extended (10.1); and when it is lifted.
 * Every letter names the Ombudsman (11). Pure: composing gives a `Letter`, which renders to HTML, plain text
 * or (lambdas/adapters/pdf/letter-pdf.ts) PDF, all with the same words.
 */
export const letterKinds = ['restriction-imposed', 'restriction-extended', 'restriction-lifted'] as const;
export type LetterKind = (typeof letterKinds)[number];

const instant = z.iso.datetime({ offset: true, error: 'must be a date-time with an offset' });
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const letterInputSchema = z
  .object({
    kind: z.enum(letterKinds),
    /** The register's id of the letter; the admin API serves it by this id. */
    letterId: text(100),
    /** Shown as "Our reference"; by default the short reference derived from the id (reference.ts). */
    reference: text(40).optional(),
    /** The date of the letter. */
    date: instant,
    council: z.object({
      name: text(200),
      postalAddress: text(500),
      contactEmail: z.email({ error: 'must be an email address' }).max(254).optional(),
      contactPhone: text(50).optional(),
    }),
    customer: z.object({ name: text(200), address: text(1000).optional(), postcode: text(16).optional() }),
    /** As the register holds it; for an extension, the restriction after it was extended. */
    restriction: z.custom<Restriction>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { type?: unknown }).type === 'string' &&
        Object.hasOwn(restrictionCatalogue, (value as { type: string }).type),
      { error: 'must be a restriction from the register' },
    ),
    /** 10.1: the end and review dates before the extension. */
    previous: z.object({ endsAt: instant, reviewAt: instant }).optional(),
    /** When and why it was lifted; the reason may be left empty (lifting needs no 8.1 statement). */
    lift: z.object({ at: instant, reason: z.string().trim().max(4000) }).optional(),
    /** The manager who decided (8.1: a service manager or above). */
    signedBy: text(200),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'restriction-extended' && !input.previous) {
      ctx.addIssue({ code: 'custom', path: ['previous'], message: 'is required for an extension (10.1)' });
    }
    if (input.kind === 'restriction-lifted' && !input.lift) {
      ctx.addIssue({ code: 'custom', path: ['lift'], message: 'is required when a restriction is lifted' });
    }
  });

export type LetterInput = z.input<typeof letterInputSchema>;
export type CheckedInput = z.output<typeof letterInputSchema>;

export interface LetterSection {
  heading: string;
  paragraphs: string[];
}

export interface Letter {
  /** An informing letter (8.1), or one of the letters before a restriction (core/step-letters: 7.2.1, 7.2.2, 5.9). */
  kind: LetterKind | 'request-to-moderate' | 'procedures' | 'tone-unacceptable';
  letterId: string;
  /** "Our reference": short enough to read out on the phone (`LT-7K3F-9Q2M`). */
  reference: string;
  /** The restriction an informing letter is about; a letter before a restriction has none. */
  restrictionId?: string;
  date: Instant;
  /** The date as printed: `1 December 2026`. */
  dateText: string;
  subject: string;
  council: { name: string; addressLines: string[]; contactEmail?: string; contactPhone?: string };
  recipient: { name: string; addressLines: string[] };
  salutation: string;
  /** The paragraphs before the first heading. */
  opening: string[];
  sections: LetterSection[];
  closing: { valediction: string; signedBy: string; onBehalfOf: string };
  /** The clauses of the policy the letter rests on, in the order it uses them. */
  clauses: string[];
}

export const ombudsman = {
  name: 'Local Government and Social Care Ombudsman',
  website: 'www.lgo.org.uk',
  phone: '0300 061 0614',
} as const;
