// One module a function: `npm run register` loads this at every start, and date-fns' index is hundreds.
import { TZDate } from '@date-fns/tz/date';
import { tz } from '@date-fns/tz/tz';
import { tzOffset } from '@date-fns/tz/tzOffset';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import type { Instant } from './time';

/**
 * The council's calendar: every London day, clock time and date in words the product uses, computed in
 * Europe/London so that BST and GMT alike give the day a person in the council sees. Register dates are
 * London days (10.2); restrictions run from the start of a day to the end of their last day (8.1.3);
 * reviews fall due by calendar days (10.1); contacts are counted per London day (4.2.7).
 */
export const londonTimeZone = 'Europe/London';

/** A London calendar day: `2026-12-01`. */
export type LondonDay = string;

const inLondon = tz(londonTimeZone);
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The stored form of an instant: UTC with milliseconds (`2026-03-29T23:00:00.000Z`), so that instants
 * compare as strings in DynamoDB. A TZDate's own `toISOString` keeps its offset instead.
 */
export function toInstant(date: Date): Instant {
  return new Date(date.getTime()).toISOString();
}

const inLondonAt = (when: Instant | Date) => new TZDate(new Date(when).getTime(), londonTimeZone);
const digits = (value: number, length = 2) => String(value).padStart(length, '0');

/** Noon of a London day: calendar arithmetic from there never crosses into another day. */
function noonOf(day: LondonDay): TZDate {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new TZDate(y, m - 1, d, 12, londonTimeZone);
}

/** The London calendar day of an instant: `2026-06-07T23:00:00Z` is `2026-06-08` (BST). */
export function londonDay(when: Instant | Date): LondonDay {
  const date = inLondonAt(when);
  return `${digits(date.getFullYear(), 4)}-${digits(date.getMonth() + 1)}-${digits(date.getDate())}`;
}

/** The London time of day of an instant, to the minute: `14:05`. */
export function londonTimeOfDay(when: Instant | Date): string {
  const date = inLondonAt(when);
  return `${digits(date.getHours())}:${digits(date.getMinutes())}`;
}

/** The first moment of a London day (00:00 GMT or BST); undefined when there is no such day (`2026-02-30`). */
export function startOfLondonDay(day: LondonDay): Instant | undefined {
  const parts = day.match(isoDay);
  if (!parts) return undefined;
  const [, y, m, d] = parts.map(Number) as [number, number, number, number];
  const midnight = new TZDate(y, m - 1, d, londonTimeZone);
  if (midnight.getFullYear() !== y || midnight.getMonth() !== m - 1 || midnight.getDate() !== d)
    return undefined;
  return toInstant(midnight);
}

/** Whether an instant is exactly the first moment of its London day. */
export function isStartOfLondonDay(when: Instant | Date): boolean {
  return startOfLondonDay(londonDay(when)) === new Date(when).toISOString();
}

/**
 * The last London day a period ending at `endsAt` covers. Periods are half-open (restriction.ts): a
 * date-only end is stored as the first moment of the next day, so an end at London midnight has the day
 * before as its last day; an end at any other time has its own day.
 */
export function lastLondonDayOf(endsAt: Instant | Date): LondonDay {
  return londonDay(new Date(new Date(endsAt).getTime() - 1));
}

/** The London day `n` days before `day` (calendar days: a 23- or 25-hour day counts as one). */
export function dayBefore(day: LondonDay, n: number): LondonDay {
  return londonDay(addDays(noonOf(day), -n));
}

/** Whole London calendar days from the day of `from` to the day of `to` (negative if `to` is earlier). */
export function londonDaysBetween(from: Instant | Date, to: Instant | Date): number {
  return differenceInCalendarDays(to, from, { in: inLondon });
}

/**
 * `n` calendar days later at the same London clock time: 14 days before 10 April 00:00 BST is
 * 27 March 00:00 GMT.
 */
export function addLondonDays(when: Instant | Date, n: number): Instant {
  return toInstant(addDays(inLondonAt(when), n));
}

/** `n` calendar months later at the same London clock time; a day the month lacks becomes its last day. */
export function addLondonMonths(when: Instant | Date, n: number): Instant {
  return toInstant(addMonths(inLondonAt(when), n));
}

/** `BST` in summer time (UTC+1), `GMT` otherwise. */
export function londonZoneName(when: Instant | Date): 'BST' | 'GMT' {
  return tzOffset(londonTimeZone, new Date(when)) === 60 ? 'BST' : 'GMT';
}

// Words are Intl's en-GB, as people in the council read them (`Sept` for short): no formatter to load.
const words = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: londonTimeZone, ...options });
const dayWords = words({ day: 'numeric', month: 'long', year: 'numeric' });
const weekdayWords = words({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const peopleWords = words({
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** `1 December 2026`: a London day in words. */
export function dayInWords(day: LondonDay): string {
  return dayWords.format(noonOf(day));
}

/** `1 December 2026`: the London day of an instant, in words. */
export function dateInWords(when: Instant | Date): string {
  return dayWords.format(new Date(when));
}

/** `Tuesday, 1 December 2026`: the London day of an instant with its weekday. */
export function dateWithWeekdayInWords(when: Instant | Date): string {
  return weekdayWords.format(new Date(when));
}

/** A register date as a person in the council reads it: `Mon, 30 Mar 2026, 00:00 BST`. */
export function formatForPeople(when: Instant | Date): string {
  return peopleWords.format(new Date(when));
}
