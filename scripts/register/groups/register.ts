import { type CommandSpec, getRequest, positiveInteger, str } from '../command-spec';

/** The register (10.2) and what it records: reviews, contacts, alerts and events. */
export const registerCommands: CommandSpec[] = [
  {
    name: 'list',
    group: 'The register',
    summary: 'The register (10.2), by review date',
    args: [],
    options: {
      status: str('active, review-due, ended, lifted, scheduled or all', '<status>'),
      csv: { type: 'boolean', help: 'print it as CSV' },
    },
    examples: ['list', 'list --status review-due', 'list --status all --csv > register.csv'],
    build: ({ values }) => ({
      ...getRequest('/admin/register', { status: values.status, format: values.csv ? 'csv' : undefined }),
      ...(values.csv ? { output: { raw: true } } : {}),
    }),
  },
  {
    name: 'reviews',
    group: 'The register',
    summary: 'Reviews due soon, overdue, and restrictions that have ended (10.1)',
    args: [],
    options: {},
    examples: ['reviews'],
    build: () => getRequest('/admin/reviews'),
  },
  {
    name: 'contacts',
    group: 'The register',
    summary: "A customer's recent contacts and how each was routed",
    args: ['customerId'],
    options: { limit: str('how many (newest first)', '<n>') },
    examples: ['contacts cus_01J… --limit 20'],
    build: ({ positionals, values }) =>
      getRequest('/admin/contacts', {
        customerId: positionals[0],
        limit: positiveInteger(values.limit, '--limit', 'contacts'),
      }),
  },
  {
    name: 'alerts',
    group: 'The register',
    summary: 'Frequency alerts (4.2.7, 4.2.8, 4.2.12), for everyone or one customer',
    args: [],
    options: { customer: str('only this customer', '<customerId>') },
    examples: ['alerts', 'alerts --customer cus_01J…'],
    build: ({ values }) => getRequest('/admin/alerts', { customerId: values.customer }),
  },
  {
    name: 'events',
    group: 'The register',
    summary: 'Events published to managers, newest first',
    args: [],
    options: { limit: str('how many', '<n>') },
    examples: ['events --limit 20'],
    build: ({ values }) =>
      getRequest('/admin/events', { limit: positiveInteger(values.limit, '--limit', 'events') }),
  },
];
