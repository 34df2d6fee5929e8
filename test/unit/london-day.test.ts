import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLondonDays,
  addLondonMonths,
  dateInWords,
  dateWithWeekdayInWords,
  dayBefore,
  dayInWords,
  formatForPeople,
  isStartOfLondonDay,
  lastLondonDayOf,
  londonDay,
  londonDaysBetween,
  londonTimeOfDay,
  londonZoneName,
  startOfLondonDay,
} from '../../lambdas/core/london-day';

/**
 * The council's calendar. The clocks go forward at 01:00 UTC on the last Sunday of March (a 23-hour day)
 * and back at 01:00 UTC on the last Sunday of October (a 25-hour day); in 2026 those are 29 March and
 * 25 October.
 */

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

describe('the clock changes', () => {
  it.each([
    { day: '2026-03-29', start: '2026-03-29T00:00:00.000Z', next: '2026-03-29T23:00:00.000Z', length: 23 },
    { day: '2026-10-25', start: '2026-10-24T23:00:00.000Z', next: '2026-10-26T00:00:00.000Z', length: 25 },
    { day: '2027-03-28', start: '2027-03-28T00:00:00.000Z', next: '2027-03-28T23:00:00.000Z', length: 23 },
    { day: '2027-10-31', start: '2027-10-30T23:00:00.000Z', next: '2027-11-01T00:00:00.000Z', length: 25 },
  ])('make $day a $length-hour London day', ({ day, start, next, length }) => {
    // Act
    const first = startOfLondonDay(day);
    const following = startOfLondonDay(dayBefore(day, -1));

    // Assess
    expect([first, following]).toEqual([start, next]);
    expect(hours(first!, following!)).toBe(length);
    expect(lastLondonDayOf(following!)).toBe(day);
    expect(londonDaysBetween(first!, following!)).toBe(1);
  });

  it.each([
    // Forward: 00:59 GMT is followed by 02:00 BST.
    ['2026-03-29T00:59:00Z', '2026-03-29', '00:59', 'GMT'],
    ['2026-03-29T01:00:00Z', '2026-03-29', '02:00', 'BST'],
    ['2026-03-29T22:59:59.999Z', '2026-03-29', '23:59', 'BST'],
    ['2026-03-29T23:00:00Z', '2026-03-30', '00:00', 'BST'],
    // Back: 01:30 comes twice, first in BST, then in GMT.
    ['2026-10-24T22:59:59.999Z', '2026-10-24', '23:59', 'BST'],
    ['2026-10-25T00:30:00Z', '2026-10-25', '01:30', 'BST'],
    ['2026-10-25T01:30:00Z', '2026-10-25', '01:30', 'GMT'],
    ['2026-10-25T23:59:59.999Z', '2026-10-25', '23:59', 'GMT'],
  ])('%s is %s at %s %s in London', (at, day, time, zone) => {
    expect([londonDay(at), londonTimeOfDay(at), londonZoneName(at)]).toEqual([day, time, zone]);
  });

  it('count calendar days, not 24-hour spans, and keep the London clock time', () => {
    expect(londonDaysBetween('2026-03-28T12:00:00Z', '2026-03-30T11:30:00Z')).toBe(2);
    // 27 March 00:00 GMT plus 14 days is 10 April 00:00 BST, 23:00 UTC the day before.
    expect(addLondonDays('2026-03-27T00:00:00.000Z', 14)).toBe('2026-04-09T23:00:00.000Z');
    // 5 November 00:00 GMT less 14 days is 22 October 00:00 BST.
    expect(addLondonDays('2026-11-05T00:00:00.000Z', -14)).toBe('2026-10-21T23:00:00.000Z');
    expect(addLondonMonths('2026-03-29T23:00:00.000Z', 12)).toBe('2027-03-29T23:00:00.000Z');
  });
});

describe('the day in words', () => {
  it('says the London day, with its weekday where asked', () => {
    expect(dayInWords('2026-12-01')).toBe('1 December 2026');
    expect(dateInWords('2026-06-30T23:00:00Z')).toBe('1 July 2026'); // midnight BST
    expect(dateInWords('2026-12-31T23:59:59Z')).toBe('31 December 2026');
    expect(dateWithWeekdayInWords('2026-06-20T06:00:00Z')).toBe('Saturday, 20 June 2026');
    expect(dateWithWeekdayInWords('2026-03-29T23:30:00Z')).toBe('Monday, 30 March 2026');
  });

  it('gives a register date as people read it, with BST or GMT', () => {
    expect(formatForPeople('2026-03-29T23:00:00.000Z')).toBe('Mon, 30 Mar 2026, 00:00 BST');
    expect(formatForPeople('2026-12-01T09:30:00.000Z')).toBe('Tue, 1 Dec 2026, 09:30 GMT');
  });

  it('reads a half-open end at London midnight as the day before (8.1.3)', () => {
    expect(lastLondonDayOf('2027-12-01T00:00:00.000Z')).toBe('2027-11-30');
    expect(lastLondonDayOf('2027-07-01T00:00:00.000Z')).toBe('2027-07-01'); // 01:00 BST
    expect(lastLondonDayOf('2027-01-15T14:30:00Z')).toBe('2027-01-15');
  });

  it('knows the start of a day exactly, and refuses days that do not exist', () => {
    expect(isStartOfLondonDay('2026-06-30T23:00:00.000Z')).toBe(true);
    expect(isStartOfLondonDay('2026-06-30T23:00:00.001Z')).toBe(false);
    expect(isStartOfLondonDay('2026-07-01T00:00:00.000Z')).toBe(false); // 01:00 BST
    expect(startOfLondonDay('2026-02-30')).toBeUndefined();
    expect(startOfLondonDay('2025-02-29')).toBeUndefined();
    expect(startOfLondonDay('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(startOfLondonDay('1 March 2026')).toBeUndefined();
  });

  it('steps over months, years and leap days', () => {
    expect(dayBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(dayBefore('2024-03-01', 1)).toBe('2024-02-29');
    expect(dayBefore('2027-01-01', 1)).toBe('2026-12-31');
    expect(dayBefore('2026-12-31', -1)).toBe('2027-01-01');
    expect(addLondonMonths('2024-02-29T00:00:00.000Z', 12)).toBe('2025-02-28T00:00:00.000Z');
  });
});

// Any instant from 1996 (when the UK's clock changes took today's dates) to 2060, many close to a change.
const ms = fc.oneof(
  fc.integer({ min: Date.parse('1996-01-01T00:00:00Z'), max: Date.parse('2060-12-31T00:00:00Z') }),
  fc
    .tuple(
      fc.integer({ min: 1996, max: 2060 }),
      fc.constantFrom(2, 9),
      fc.integer({ min: 24, max: 31 }),
      fc.integer({ min: -180, max: 180 }),
    )
    .map(([year, month, day, minutes]) => Date.UTC(year, month, day, 1) + minutes * 60_000),
);
const instant = ms.map((value) => new Date(value).toISOString());
const someDay = instant.map(londonDay);

describe('properties', () => {
  it('every instant lies in its London day, which starts at midnight London time', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const day = londonDay(at);
        const start = startOfLondonDay(day)!;
        const next = startOfLondonDay(dayBefore(day, -1))!;
        expect(start <= at && at < next).toBe(true);
        expect(londonTimeOfDay(start)).toBe('00:00');
        expect(isStartOfLondonDay(start)).toBe(true);
      }),
    );
  });

  it('a London day lasts 24 hours, 23 only on the last Sunday of March, 25 only on the last Sunday of October', () => {
    fc.assert(
      fc.property(someDay, (day) => {
        const length = hours(startOfLondonDay(day)!, startOfLondonDay(dayBefore(day, -1))!);
        const [year = 0, month = 0, date = 0] = day.split('-').map(Number);
        const lastSunday = new Date(Date.UTC(year, month - 1, date)).getUTCDay() === 0 && date > 24;
        expect(length).toBe(lastSunday && month === 3 ? 23 : lastSunday && month === 10 ? 25 : 24);
      }),
    );
  });

  it('BST is exactly when the London clock is an hour ahead of UTC', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const londonHour = Number(londonTimeOfDay(at).slice(0, 2));
        const utcHour = new Date(at).getUTCHours();
        expect(londonZoneName(at)).toBe(londonHour === (utcHour + 1) % 24 ? 'BST' : 'GMT');
      }),
    );
  });

  it('days between and days before agree, both ways round', () => {
    fc.assert(
      fc.property(someDay, fc.integer({ min: -800, max: 800 }), (day, n) => {
        const earlier = dayBefore(day, n);
        expect(londonDaysBetween(startOfLondonDay(day)!, startOfLondonDay(earlier)!) + n).toBe(0);
        expect(londonDaysBetween(startOfLondonDay(earlier)!, startOfLondonDay(day)!)).toBe(n);
        expect(addLondonDays(startOfLondonDay(day)!, -n)).toBe(startOfLondonDay(earlier));
      }),
    );
  });

  it('a period ending at the start of a day has the day before as its last day', () => {
    fc.assert(
      fc.property(someDay, (day) => {
        expect(lastLondonDayOf(startOfLondonDay(dayBefore(day, -1))!)).toBe(day);
      }),
    );
  });
});
