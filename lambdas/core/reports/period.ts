import { z } from 'zod';
import { addLondonMonths, type LondonDay, londonDay, startOfLondonDay } from '../london-day';
import type { Instant } from '../time';
import { parseOrThrow, ValidationError } from '../validation';

/** 13.1: a report covers whole London days, `from` to `to` inclusive, at most two years. */
export const maxReportDays = 2 * 366;

export const reportFormats = ['json', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const londonDate = z.string().superRefine((day, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    ctx.addIssue({ code: 'custom', message: 'must be a date such as 2026-10-01' });
  else if (startOfLondonDay(day) === undefined)
    ctx.addIssue({ code: 'custom', message: 'is not a real date' });
});

/** GET /admin/reports, the CLI and the console's period form: the same field names. */
export const reportQuerySchema = z.object({
  from: londonDate.optional(),
  to: londonDate.optional(),
  format: z.enum(reportFormats, { error: 'must be json, csv or pdf' }).optional(),
});

export interface ReportPeriod {
  from: LondonDay;
  to: LondonDay;
}

/** The last full calendar quarter before the London day of `now` (the default period). */
export function lastFullQuarter(now: Instant): ReportPeriod {
  const today = londonDay(now);
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const startMonth = quarter === 0 ? 9 : (quarter - 1) * 3;
  const startYear = quarter === 0 ? year - 1 : year;
  const from = `${startYear}-${String(startMonth + 1).padStart(2, '0')}-01`;
  const to = londonDay(new Date(Date.parse(addLondonMonths(startOfLondonDay(from) as string, 3)) - 1));
  return { from, to };
}

const dayMs = 86_400_000;
export const daysIn = (period: ReportPeriod) =>
  Math.round((Date.parse(`${period.to}T12:00:00Z`) - Date.parse(`${period.from}T12:00:00Z`)) / dayMs) + 1;

/** The period asked for (either end may be left out: the last full quarter fills it), or a ValidationError naming the field. */
export function reportPeriodOf(query: unknown, now: Instant): ReportPeriod & { format: ReportFormat } {
  const input = parseOrThrow(reportQuerySchema, query ?? {});
  const fallback = lastFullQuarter(now);
  const from = input.from ?? fallback.from;
  const to = input.to ?? (input.from ? londonDay(now) : fallback.to);
  if (to < from) throw new ValidationError([{ field: 'to', problem: 'must not be before from' }]);
  if (daysIn({ from, to }) > maxReportDays)
    throw new ValidationError([{ field: 'to', problem: 'the period must be at most 2 years' }]);
  return { from, to, format: input.format ?? 'json' };
}

/** The months (`YYYY-MM`) a period touches, in order. */
export function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  let [y, m] = period.from.split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) return months;
    months.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** Whether an instant falls on a London day of the period. */
export const within = (at: Instant | undefined, period: ReportPeriod): at is Instant => {
  if (!at) return false;
  const day = londonDay(at);
  return day >= period.from && day <= period.to;
};
