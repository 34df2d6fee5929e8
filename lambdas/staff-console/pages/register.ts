import { registerCsv, registerFilterSchema, registerRows } from '../../core/register-view';
import { toInstant } from '../../core/time';
import type { ConsolePage } from '../types';
import { shortDay, shortLastDay } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref, dayCell, linkCell, tagCell, textCell } from './cells';
import type { ConsoleDeps } from './deps';
import { statusTags, titleOf } from './present';

/** The central register (7.4, 10.2) with its filters and the CSV download managers keep (12.1). */
const filters = [
  { status: 'all', text: 'All' },
  { status: 'active', text: 'In force' },
  { status: 'review-due', text: 'Review due' },
  { status: 'review-overdue', text: 'Review overdue' },
  { status: 'scheduled', text: 'Starts later' },
  { status: 'ended', text: 'Ended' },
  { status: 'lifted', text: 'Lifted' },
] as const;

export const registerPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/register',
    permission: 'view',
    async handle(request, deps) {
      const parsed = registerFilterSchema.safeParse({
        status: request.query.status || undefined,
        format: request.query.format || undefined,
      });
      const filter = parsed.success ? parsed.data : registerFilterSchema.parse({});
      const { store } = deps.register;
      const [restrictions, customers] = await Promise.all([store.listRestrictions(), store.listCustomers()]);
      const rows = registerRows(
        restrictions,
        new Map(customers.map((c) => [c.id, c])),
        filter,
        toInstant(deps.now()),
      );
      if (filter.format === 'csv') {
        return {
          kind: 'file',
          contentType: 'text/csv; charset=utf-8',
          body: registerCsv(rows),
          filename: `restriction-register-${filter.status}.csv`,
        };
      }
      const current = filters.find((f) => f.status === filter.status) ?? filters[0];
      return renderPage(request, 'register.njk', {
        title: 'Register',
        filters: filters.map((f) => ({
          ...f,
          href: f.status === 'all' ? '/staff/register' : `/staff/register?status=${f.status}`,
          current: f.status === filter.status,
        })),
        currentText: current.text,
        csvHref: `/staff/register?status=${filter.status}&format=csv`,
        rows: rows.map((row) => [
          linkCell(customerHref(row.customerId), row.customer.name),
          linkCell(`${customerHref(row.customerId)}#restriction-${row.id}`, titleOf(row.type)),
          tagCell(statusTags[row.status]),
          dayCell(shortDay(row.startsAt)),
          dayCell(shortLastDay(row.endsAt)),
          dayCell(shortDay(row.reviewAt)),
          textCell(row.warnings.length ? `${row.warnings.length} clash to acknowledge` : ''),
        ]),
      });
    },
  },
];
