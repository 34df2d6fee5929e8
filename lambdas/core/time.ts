import { TZDate } from '@date-fns/tz';
import { addDays, addMonths } from 'date-fns';
import { z } from 'zod';

/** The council's own time zone: date-only register entries are read in it (BST and GMT alike). */
export const defaultTimeZone = 'Europe/London';

/** Instants are stored as UTC ISO strings with milliseconds, so that they compare as strings in DynamoDB. */
export type Instant = string;

export function toInstant(date: Date): Instant {
  return new Date(date.getTime()).toISOString();
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a register date. A full ISO 8601 date-time must carry its offset (`Z` or `+01:00`).
 * A date alone (`2027-03-31`) means that calendar day in the council's time zone: as a start it
 * is the first moment of the day; as an end (`edge: 'end'`) the restriction runs to the end of
 * that day, i.e. it ends at the first moment of the next day.
 */
export function parseRegisterDate(
  value: string,
  edge: 'start' | 'end',
  timeZone: string = defaultTimeZone,
): Instant | undefined {
  const day = value.match(dateOnly);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    const midnight = new TZDate(y, m - 1, d, timeZone);
    if (midnight.getFullYear() !== y || midnight.getMonth() !== m - 1 || midnight.getDate() !== d)
      return undefined;
    return toInstant(edge === 'end' ? addDays(midnight, 1) : midnight);
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : toInstant(instant);
}

/** The default review date (10.1): twelve calendar months after the start, in the council's time zone. */
export function defaultReviewAt(startsAt: Instant, timeZone: string = defaultTimeZone): Instant {
  return toInstant(addMonths(new TZDate(new Date(startsAt).getTime(), timeZone), 12));
}

/** A register date as a person in the council reads it: `Mon 30 Mar 2026, 00:00 (BST)`. */
export function formatForPeople(instant: Instant, timeZone: string = defaultTimeZone): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(instant));
}
