import { londonTimeOfDay } from '../london-day';
import { type RestrictionOf, weekdays } from '../restriction';
import type { Instant } from '../time';

type Weekday = (typeof weekdays)[number];

const weekdayInLondon = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' });

/** The London weekday of an instant: `2026-12-01T10:30:00Z` is `tuesday`. */
export function londonWeekday(when: Instant | Date): Weekday {
  return weekdayInLondon.format(new Date(when)).toLowerCase() as Weekday;
}

const short = (day: Weekday) => `${day.charAt(0).toUpperCase()}${day.slice(1, 3)}`;

/** `Tue, Thu 10:00–12:00`: the allowed days (in week order) and times of a phone-hours restriction. */
export function allowedHoursInWords(
  restriction: Pick<RestrictionOf<'phone-hours'>, 'days' | 'from' | 'until'>,
) {
  const days = weekdays.filter((day) => restriction.days.includes(day)).map(short);
  return `${days.join(', ')} ${restriction.from}–${restriction.until}`;
}

export interface PhoneHoursCheck {
  /** Whether the instant falls on an allowed day, from `from` (inclusive) until `until` (exclusive). */
  inside: boolean;
  /** When the contact was, as the officer's clock shows it: `Wed 14:05` (Europe/London). */
  at: string;
  /** `Tue 10:00–12:00`. */
  allowed: string;
  maxCallMinutes?: number;
}

/**
 * 7.3.5: calls only on set days and times. Whether the contact's time, on the council's clock
 * (Europe/London, BST or GMT as the day has it), is inside the allowed window.
 */
export function checkPhoneHours(
  restriction: Pick<RestrictionOf<'phone-hours'>, 'days' | 'from' | 'until' | 'maxCallMinutes'>,
  at: Instant,
): PhoneHoursCheck {
  const day = londonWeekday(at);
  const time = londonTimeOfDay(at);
  const inside = restriction.days.includes(day) && restriction.from <= time && time < restriction.until;
  return {
    inside,
    at: `${short(day)} ${time}`,
    allowed: allowedHoursInWords(restriction),
    ...(restriction.maxCallMinutes ? { maxCallMinutes: restriction.maxCallMinutes } : {}),
  };
}
