import { dateInWords, endInWords, startInWords } from '../../core/letters';
import { londonTimeZone } from '../../core/london-day';
import type { Instant } from '../../core/time';

/**
 * Register dates as staff read them: London calendar days, in the letters' own words, so the
 * console and the customer's letter never disagree about a date (P5: periods are half-open).
 */

/** `1 December 2026`. */
export const londonDay = (at: Instant): string => dateInWords(at);

/** A start: the day, with the time only when it is not the start of the day. */
export const startDay = (at: Instant): string => startInWords(at);

/**
 * The last day a restriction applies. An end stored as the first moment of a day is the end of
 * the day before (letters.ts `endInWords`: "the end of 30 November 2027" → `30 November 2027`).
 */
export const lastDay = (endsAt: Instant): string => endInWords(endsAt).replace(/^the end of /, '');

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: londonTimeZone,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const shortFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: londonTimeZone,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** `1 Dec 2026`, for tables with many dates. */
export const shortDay = (at: Instant): string => shortFormat.format(new Date(at));

/** The last day, short (`30 Nov 2027`): the day of the moment before the end (half-open periods). */
export const shortLastDay = (endsAt: Instant): string =>
  shortDay(new Date(Date.parse(endsAt) - 1).toISOString());

/** `1 December 2026, 14:05` (London). */
export const londonDateTime = (at: Instant): string =>
  dateTimeFormat.format(new Date(at)).replace(' at ', ', ');

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: londonTimeZone,
  day: 'numeric',
  month: 'numeric',
  year: 'numeric',
});

/** The London day of an instant as a GOV.UK date input's parts. */
export function dateParts(at: Instant | Date): { day: string; month: string; year: string } {
  const parts = Object.fromEntries(
    partsFormat.formatToParts(typeof at === 'string' ? new Date(at) : at).map((p) => [p.type, p.value]),
  );
  const plain = (value: string | undefined) => String(Number(value ?? ''));
  return { day: plain(parts.day), month: plain(parts.month), year: parts.year ?? '' };
}

/** The London calendar day (`2026-12-01`) of an instant. */
export function londonIsoDay(at: Instant | Date): string {
  const { day, month, year } = dateParts(at);
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
