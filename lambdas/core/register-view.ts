import { z } from 'zod';
import type { Customer } from './customer';
import {
  type Restriction,
  restrictionCatalogue,
  restrictionStatus,
  unacknowledgedConflicts,
} from './restriction';
import { reviewStageOf } from './review';
import type { Instant } from './time';

export const registerFilterSchema = z.strictObject({
  status: z
    .enum(['all', 'in-force', 'active', 'review-due', 'scheduled', 'review-overdue', 'ended', 'lifted'], {
      error: 'must be one of: all, in-force, active, review-due, scheduled, review-overdue, ended, lifted',
    })
    .default('all'),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  customerId: z.string().max(100).optional(),
});
export type RegisterFilter = z.output<typeof registerFilterSchema>;

/** Whether a restriction still applying has its review due soon or overdue: as the daily review job sees it (10.1). */
export function reviewDue(restriction: Restriction, now: Instant): boolean {
  const stage = reviewStageOf(restriction, now);
  return stage === 'due-soon' || stage === 'overdue';
}

function matches(restriction: Restriction, filter: RegisterFilter['status'], now: Instant): boolean {
  const status = restrictionStatus(restriction, now);
  switch (filter) {
    case 'all':
      return true;
    case 'in-force':
    case 'active':
      // "active" in the register means it applies now, whether or not its review is overdue (P5).
      return status === 'active' || status === 'review-overdue';
    case 'review-due':
      return reviewDue(restriction, now);
    default:
      return status === filter;
  }
}

/**
 * The central register (7.4, 10.2) as managers read it: one row per restriction with the 12.1
 * fields — who (name and address), when it came into force and ends, what it is, when the customer
 * and services were advised, measures when contact is necessary, who decided and why, the review.
 */
export function registerRows(
  restrictions: readonly Restriction[],
  customers: ReadonlyMap<string, Customer>,
  filter: Pick<RegisterFilter, 'status' | 'customerId'>,
  now: Instant,
) {
  return restrictions
    .filter((r) => (filter.customerId ? r.customerId === filter.customerId : true))
    .filter((r) => matches(r, filter.status, now))
    .sort((a, b) => a.reviewAt.localeCompare(b.reviewAt) || a.id.localeCompare(b.id))
    .map((restriction) => {
      const customer = customers.get(restriction.customerId);
      const conflicts = unacknowledgedConflicts(restriction);
      return {
        ...restriction,
        clause: restrictionCatalogue[restriction.type].clause,
        title: restrictionCatalogue[restriction.type].title,
        status: restrictionStatus(restriction, now),
        reviewDue: reviewDue(restriction, now),
        customer: customer
          ? {
              name: customer.name,
              ...(customer.address ? { address: customer.address } : {}),
              ...(customer.postcode ? { postcode: customer.postcode } : {}),
            }
          : { name: '(customer record missing)' },
        warnings: conflicts.map((c) => c.warning),
      };
    });
}

export type RegisterViewRow = ReturnType<typeof registerRows>[number];

const csvColumns: Array<[string, (row: RegisterViewRow) => unknown]> = [
  ['restrictionId', (r) => r.id],
  ['customerId', (r) => r.customerId],
  ['name', (r) => r.customer.name],
  ['address', (r) => r.customer.address],
  ['postcode', (r) => r.customer.postcode],
  ['type', (r) => r.type],
  ['clause', (r) => r.clause],
  ['restriction', (r) => r.title],
  ['status', (r) => r.status],
  ['startsAt', (r) => r.startsAt],
  ['endsAt', (r) => r.endsAt],
  ['reviewAt', (r) => r.reviewAt],
  ['customerAdvisedAt', (r) => r.customerAdvisedAt],
  ['servicesAdvisedAt', (r) => r.servicesAdvisedAt],
  ['measuresWhenContactNecessary', (r) => r.measuresWhenContactNecessary],
  ['decidedBy', (r) => r.decidedBy],
  ['reason', (r) => r.reason],
  ['liftedAt', (r) => r.liftedAt],
  ['warnings', (r) => r.warnings.join(' | ')],
];

/**
 * One cell: quoted when needed (RFC 4180), and a leading = + - @ (or tab/CR) neutralised so that
 * a spreadsheet never runs a name or reason as a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerCsv(rows: readonly RegisterViewRow[]): string {
  const lines = [csvColumns.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(csvColumns.map(([, value]) => csvCell(value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
