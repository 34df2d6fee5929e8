import { z } from 'zod';
import { addLondonDays, addLondonMonths, formatForPeople, startOfLondonDay, toInstant } from './london-day';

export { formatForPeople, toInstant };

/** Instants are stored as UTC ISO strings with milliseconds, so that they compare as strings in DynamoDB. */
export type Instant = string;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a register date. A full ISO 8601 date-time must carry its offset (`Z` or `+01:00`).
 * A date alone (`2027-03-31`) means that calendar day in the council's time zone (london-day.ts): as a
 * start it is the first moment of the day; as an end (`edge: 'end'`) the restriction runs to the end of
 * that day, i.e. it ends at the first moment of the next day.
 */
export function parseRegisterDate(value: string, edge: 'start' | 'end'): Instant | undefined {
  if (dateOnly.test(value)) {
    const midnight = startOfLondonDay(value);
    if (midnight === undefined) return undefined;
    return edge === 'end' ? addLondonDays(midnight, 1) : midnight;
  }
  if (!z.iso.datetime({ offset: true }).safeParse(value).success) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : toInstant(instant);
}

/** The default review date (10.1): twelve calendar months after the start, in the council's time zone. */
export function defaultReviewAt(startsAt: Instant): Instant {
  return addLondonMonths(startsAt, 12);
}
