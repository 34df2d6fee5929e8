import { z } from 'zod';
import { normaliseEmail, normalisePhone, normalisePostcode } from '../core/identity';

/** The services a message can be about, unless configured otherwise (CONTACT_TOPICS). */
export const defaultTopics = [
  'Bins and recycling',
  'Council tax',
  'Housing',
  'Planning',
  'Parking',
  'Environmental health',
  'A complaint',
  'Something else',
] as const;

export const messageMaxLength = 5000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being refused
const controlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks and tabs are allowed in the message
const controlCharactersButLines = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * One line of text that may end up in a mail header (name, subject, …): a line break in it is
 * refused rather than cleaned, because it is either a mistake or a header-injection attempt.
 */
const oneLine = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .max(max, { error: `${capitalise(label)} must be ${max} characters or fewer` })
    .refine((value) => !controlCharacters.test(value), { error: `${capitalise(label)} must be on one line` });

const optionalOneLine = (label: string, max: number) =>
  oneLine(label, max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Checkbox values as browsers and JSON clients send them. */
const consent = z.union([z.literal(true), z.enum(['on', 'yes', 'true'])], {
  error: 'Confirm that you have read the privacy notice',
});

const checked = (
  base: ReturnType<typeof optionalOneLine>,
  normalise: (value: string) => string | undefined,
  error: string,
) => base.refine((value) => value === undefined || normalise(value) !== undefined, { error });

/**
 * The contact form's fields (the page's inputs use the same names). Messages are written for the
 * person filling the form in, in the GOV.UK style: what to do, not what went wrong. Every field
 * is checked on its own, so that one submission shows every problem at once.
 */
export function contactFormSchema(topics: readonly string[] = defaultTopics) {
  return z
    .object({
      name: oneLine('your name', 200).pipe(z.string().min(1, { error: 'Enter your name' })),
      email: checked(
        optionalOneLine('your email address', 254),
        normaliseEmail,
        'Enter an email address in the correct format, like name@example.com',
      ),
      phone: checked(
        optionalOneLine('your phone number', 40),
        normalisePhone,
        'Enter a phone number, like 01632 960 001 or 07700 900 982',
      ),
      postcode: checked(
        optionalOneLine('your postcode', 16),
        normalisePostcode,
        'Enter a real postcode, like AL10 0ZZ',
      ),
      caseReference: optionalOneLine('the case reference', 50),
      topic: z.enum(topics as [string, ...string[]], { error: 'Select what your message is about' }),
      subject: oneLine('a subject', 150).pipe(z.string().min(1, { error: 'Enter a subject' })),
      message: z
        .string({ error: 'Enter your message' })
        // A plain form post sends line breaks as CRLF, the page's script as LF: count them alike.
        .transform((value) => value.replace(/\r\n?/g, '\n'))
        .pipe(
          z
            .string()
            .trim()
            .min(1, { error: 'Enter your message' })
            .max(messageMaxLength, {
              error: `Your message must be ${messageMaxLength.toLocaleString('en-GB')} characters or fewer`,
            })
            .refine((value) => !controlCharactersButLines.test(value), {
              error: 'Your message contains characters that cannot be sent',
            }),
        ),
      consent,
      /** Honeypot: hidden from people, filled in by bots. */
      website: z.string().max(500).optional(),
    })
    .refine(
      (form) => typeof form !== 'object' || form === null || Boolean(form.email) || Boolean(form.phone),
      {
        path: ['email'],
        error: 'Enter an email address or a phone number so that we can reply',
        // Checked even when other fields have problems, so the summary lists everything at once.
        when: (payload) => typeof payload.value === 'object' && payload.value !== null,
      },
    )
    .transform((form) => ({
      ...form,
      /** As typed, for the reader; the normalised forms are what screening matches on. */
      emailAsTyped: form.email,
      email: form.email === undefined ? undefined : normaliseEmail(form.email),
      phone: form.phone === undefined ? undefined : normalisePhone(form.phone),
      postcode: form.postcode === undefined ? undefined : normalisePostcode(form.postcode),
    }));
}

export type ContactFormInput = z.input<ReturnType<typeof contactFormSchema>>;
export type ContactForm = z.output<ReturnType<typeof contactFormSchema>>;

/** The order in which the page shows fields, so that the error summary lists problems in that order. */
export const formFieldOrder = [
  'name',
  'email',
  'phone',
  'postcode',
  'caseReference',
  'topic',
  'subject',
  'message',
  'consent',
] as const;
