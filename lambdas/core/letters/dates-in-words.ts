import { dateInWords, dayInWords, isStartOfLondonDay, lastLondonDayOf, londonTimeOfDay } from '../london-day';
import type { Instant } from '../time';

/**
 * Dates and times as a letter says them, in the council's time zone (london-day.ts): `9am on 1 December
 * 2026`, `the end of 30 November 2027`.
 */

/** `9am`, `2:30pm`, `12 noon`, `midnight`, from a time of day (`14:30`). */
export function clockInWords(hhmm: string): string {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  if (minute === 0 && hour === 12) return '12 noon';
  if (minute === 0 && hour === 0) return 'midnight';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** A start in words: the day, with the time only when it is not the start of the day. */
export function startInWords(startsAt: Instant): string {
  if (isStartOfLondonDay(startsAt)) return dateInWords(startsAt);
  return `${clockInWords(londonTimeOfDay(startsAt))} on ${dateInWords(startsAt)}`;
}

/**
 * An end in words. Periods are half-open (restriction.ts): a date-only end is stored as the first moment of
 * the next day, so an end at London midnight is read as "the end of" the day before, the last day the
 * restriction applies. An end in the last minute of a day also means the end of that day; any other time is
 * said as it is.
 */
export function endInWords(endsAt: Instant): string {
  if (isStartOfLondonDay(endsAt)) return `the end of ${dayInWords(lastLondonDayOf(endsAt))}`;
  const time = londonTimeOfDay(endsAt);
  if (time === '23:59') return `the end of ${dateInWords(endsAt)}`;
  return `${clockInWords(time)} on ${dateInWords(endsAt)}`;
}

/** 8.1.3: `from 1 December 2026 until the end of 30 November 2027`. */
export function periodInWords(startsAt: Instant, endsAt: Instant): string {
  return `from ${startInWords(startsAt)} until ${endInWords(endsAt)}`;
}
