import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * The commands of `npm run register`: how each one's arguments become one admin API request.
 * Everything here is pure (the one exception, reading a `--body` file, is injectable), so that
 * each command can be tested without a server.
 */

/** A mistake in how the command was typed: usage on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to show; none for the general usage. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Under the API's base URL, e.g. `/admin/customers/cus_1`; ids are URL-encoded. */
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  /** Where the answer goes when it is not printed as JSON or a table. */
  output?: {
    /** The answer as it came (CSV, HTML, PDF bytes), not parsed as JSON. */
    raw?: boolean;
    /** Write the answer to this file (`-` for stdout) instead of printing it. */
    file?: string;
  };
}

interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in usage, e.g. `<date>`. */
  value?: string;
  help: string;
  /** Shown as required in usage (the command checks it, after merging `--body`). */
  required?: boolean;
}

interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** `--body` merged with `--field`s: what the flags add to (commands that send a body only). */
  extra: Record<string, unknown>;
}

export interface CommandSpec {
  name: string;
  group: 'Customers' | 'Restrictions' | 'Letters' | 'The register';
  summary: string;
  /** Positional arguments, all required, e.g. `['customerId']`. */
  args: string[];
  options: Record<string, OptionSpec>;
  /** Sends a JSON body: accepts `--body` and `--field`. */
  sendsBody?: boolean;
  examples: string[];
  build(parsed: Parsed): ApiRequest;
}

/** Options every command takes. */
export const globalOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: "print the API's JSON answer as it is (for scripts)" },
  help: { type: 'boolean', short: 'h', help: 'show how to use the command' },
};

const bodyOptions: Record<string, OptionSpec> = {
  body: {
    type: 'string',
    value: '<file.json|->',
    help: 'a JSON object to send (- reads stdin); the flags given add to it and win',
  },
  field: {
    type: 'string',
    multiple: true,
    value: '<key=value>',
    help: 'any other field: key=value (numbers, true/false and a,b,c lists typed), key:=<JSON>; repeatable',
  },
};

const str = (help: string, value = '<text>'): OptionSpec => ({ type: 'string', value, help });
const date = (help: string): OptionSpec => ({ type: 'string', value: '<date>', help });
const required = (option: OptionSpec): OptionSpec => ({ ...option, required: true });
const many = (help: string, value: string): OptionSpec => ({ type: 'string', multiple: true, value, help });

const customerFields: Record<string, OptionSpec> = {
  name: str('full name'),
  address: str('postal address (12.1.1)'),
  postcode: str('postcode', '<postcode>'),
  email: many('an email address the customer writes from; repeatable', '<email>'),
  phone: many('a telephone number; repeatable', '<phone>'),
  vulnerability: str('vulnerability to keep in mind'),
  'reasonable-adjustments': str('reasonable adjustments, in words'),
  adjustment: many(
    'an adjustment by channel: channel[=detail] (email, telephone, letter, in-person, home-visit, social-media, third-party); repeatable',
    '<channel=detail>',
  ),
};

function customerBody(values: Parsed['values']): Record<string, unknown> {
  return compact({
    name: values.name,
    address: values.address,
    postcode: values.postcode,
    emails: values.email,
    phones: values.phone,
    vulnerability: values.vulnerability,
    reasonableAdjustments: values['reasonable-adjustments'],
    adjustments: (values.adjustment as string[] | undefined)?.map(parseAdjustment),
  });
}

function parseAdjustment(text: string): { channel: string; detail?: string } {
  const at = text.indexOf('=');
  if (at < 0) return { channel: text.trim() };
  return compact({ channel: text.slice(0, at).trim(), detail: text.slice(at + 1).trim() || undefined }) as {
    channel: string;
  };
}

const id = (value: string | undefined) => encodeURIComponent(value ?? '');

/** The commands, in the order the general usage lists them. */
export const commands: CommandSpec[] = [
  {
    name: 'customer add',
    group: 'Customers',
    summary: 'Register a customer (name and at least one email, phone or postcode)',
    args: [],
    options: { ...customerFields, name: required(customerFields.name!) },
    sendsBody: true,
    examples: [
      'customer add --name "Pat Example" --email pat@example.org --email pat@work.example --phone "07700 900456" --postcode "AL10 0ZZ"',
      'customer add --name "Sam Example" --postcode "AL10 9AB" --adjustment "letter=large print"',
    ],
    build: ({ values, extra }) => {
      const body = { ...extra, ...customerBody(values) };
      requireFields('customer add', body, { name: '--name' });
      return { method: 'POST', path: '/admin/customers', query: {}, body };
    },
  },
  {
    name: 'customer list',
    group: 'Customers',
    summary: 'List customers, or find them by email or phone',
    args: [],
    options: { email: str('find by this email', '<email>'), phone: str('find by this phone', '<phone>') },
    examples: ['customer list', 'customer list --email pat@example.org'],
    build: ({ values }) => ({
      method: 'GET',
      path: '/admin/customers',
      query: compact({ email: values.email, phone: values.phone }) as Record<string, string>,
    }),
  },
  {
    name: 'customer show',
    group: 'Customers',
    summary: 'A customer with their restrictions and escalation',
    args: ['customerId'],
    options: {},
    examples: ['customer show cus_01J…'],
    build: ({ positionals }) => ({
      method: 'GET',
      path: `/admin/customers/${id(positionals[0])}`,
      query: {},
    }),
  },
  {
    name: 'customer update',
    group: 'Customers',
    summary: "Change a customer's details, saying why (--email and --phone replace the lists held)",
    args: ['customerId'],
    options: { why: required(str('why the change is made (kept in the audit trail)')), ...customerFields },
    sendsBody: true,
    examples: [
      'customer update cus_01J… --why "Moved house" --address "1 New Road, Hatfield" --postcode "AL10 9AB"',
    ],
    build: ({ positionals, values, extra }) => {
      const body = { ...extra, ...customerBody(values), ...compact({ why: values.why }) };
      requireFields('customer update', body, { why: '--why' });
      if (Object.keys(body).length < 2) {
        throw new UsageError('nothing to change: give at least one field besides --why', 'customer update');
      }
      return { method: 'PATCH', path: `/admin/customers/${id(positionals[0])}`, query: {}, body };
    },
  },
  {
    name: 'escalate',
    group: 'Customers',
    summary: 'Record a step of the escalation before restricting (7.2): concern, warning, written notice',
    args: ['customerId'],
    options: {
      step: required(str('concern-raised, warning-given or written-notice', '<step>')),
      by: required(str('who took the step')),
      how: str('phone, letter, email or in-person', '<how>'),
      at: date('when (default now)'),
      note: str('a note'),
      'skip-reason': str('why an earlier step was skipped'),
    },
    sendsBody: true,
    examples: [
      'escalate cus_01J… --step concern-raised --by "Jo Manager" --note "Asked to moderate calls"',
      'escalate cus_01J… --step warning-given --how letter --by "Jo Manager"',
    ],
    build: ({ positionals, values, extra }) => {
      const body = {
        ...extra,
        ...compact({
          step: values.step,
          at: values.at,
          how: values.how,
          by: values.by,
          note: values.note,
          skipReason: values['skip-reason'],
        }),
      };
      requireFields('escalate', body, { step: '--step', by: '--by' });
      return { method: 'POST', path: `/admin/customers/${id(positionals[0])}/escalation`, query: {}, body };
    },
  },
  {
    name: 'restrict',
    group: 'Restrictions',
    summary: 'Record a restriction a manager has decided (7.3, 8.2)',
    args: ['customerId'],
    options: {
      type: required(
        str('single-named-officer, no-email-letter-only, topic-no-reply, all-contact-refused, …', '<type>'),
      ),
      reason: required(str('why, with the policy clauses')),
      'decided-by': required(str('who decided (name, role)')),
      starts: required(date('first day, e.g. 2026-12-01')),
      ends: required(date('last day, e.g. 2027-11-30')),
      review: date('review date (default 12 months after the start, 10.1)'),
      'named-officer': str("the officer's mailbox (single-named-officer)", '<email>'),
      'designated-reader': str(
        "the reader's mailbox (topic-no-reply, no-email-letter-only, all-contact-refused)",
        '<email>',
      ),
      topic: str('case reference or label (topic-no-reply)'),
      days: many('days for phone-hours: monday,tuesday; repeatable', '<days>'),
      from: str('phone-hours from, e.g. 09:30', '<hh:mm>'),
      until: str('phone-hours until, e.g. 12:00', '<hh:mm>'),
      measures: str('measures to take when contact is necessary (12.1.5)'),
      'without-warning-reason': str('why no warning was given first'),
      'senior-approver': str('the senior manager who approved (8.2)'),
      'acknowledge-conflicts': {
        type: 'boolean',
        help: 'record it even though it conflicts with adjustments',
      },
    },
    sendsBody: true,
    examples: [
      'restrict cus_01J… --type single-named-officer --named-officer officer@council.example --reason "Daily calls to different officers (4.2.7, 4.2.8)" --decided-by "Jo Manager, Service Manager" --starts 2026-12-01 --ends 2027-11-30',
      'restrict cus_01J… --type phone-hours --days monday,thursday --from 10:00 --until 11:00 --reason … --decided-by … --starts 2026-12-01 --ends 2027-05-31',
    ],
    build: ({ positionals, values, extra }) => {
      const days = (values.days as string[] | undefined)?.flatMap((day) =>
        day
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      );
      const body = {
        customerId: positionals[0],
        ...extra,
        ...compact({
          type: values.type,
          reason: values.reason,
          decidedBy: values['decided-by'],
          startsAt: values.starts,
          endsAt: values.ends,
          reviewAt: values.review,
          namedOfficer: values['named-officer'],
          designatedReader: values['designated-reader'],
          topic: values.topic,
          days,
          from: values.from,
          until: values.until,
          measuresWhenContactNecessary: values.measures,
          withoutWarningReason: values['without-warning-reason'],
          seniorApprover: values['senior-approver'],
          acknowledgeConflicts: values['acknowledge-conflicts'] ? true : undefined,
        }),
      };
      requireFields('restrict', body, {
        type: '--type',
        reason: '--reason',
        decidedBy: '--decided-by',
        startsAt: '--starts',
        endsAt: '--ends',
      });
      return { method: 'POST', path: '/admin/restrictions', query: {}, body };
    },
  },
  {
    name: 'restriction show',
    group: 'Restrictions',
    summary: 'One restriction and its status',
    args: ['restrictionId'],
    options: {},
    examples: ['restriction show res_01J…'],
    build: ({ positionals }) => ({
      method: 'GET',
      path: `/admin/restrictions/${id(positionals[0])}`,
      query: {},
    }),
  },
  {
    name: 'lift',
    group: 'Restrictions',
    summary: "Lift a restriction early (a manager's decision)",
    args: ['restrictionId'],
    options: { reason: required(str('why it is lifted')), 'decided-by': required(str('who decided')) },
    sendsBody: true,
    examples: ['lift res_01J… --reason "Behaviour has improved" --decided-by "Jo Manager"'],
    build: ({ positionals, values, extra }) => {
      const body = { ...extra, ...compact({ reason: values.reason, decidedBy: values['decided-by'] }) };
      requireFields('lift', body, { reason: '--reason', decidedBy: '--decided-by' });
      return { method: 'POST', path: `/admin/restrictions/${id(positionals[0])}/lift`, query: {}, body };
    },
  },
  {
    name: 'extend',
    group: 'Restrictions',
    summary: 'Extend a restriction to a later end',
    args: ['restrictionId'],
    options: {
      ends: required(date('the new last day')),
      review: date('the new review date'),
      reason: required(str('why it is extended')),
      'decided-by': required(str('who decided')),
    },
    sendsBody: true,
    examples: [
      'extend res_01J… --ends 2028-05-31 --reason "Calls continued (10.1)" --decided-by "Jo Manager"',
    ],
    build: ({ positionals, values, extra }) => {
      const body = {
        ...extra,
        ...compact({
          endsAt: values.ends,
          reviewAt: values.review,
          reason: values.reason,
          decidedBy: values['decided-by'],
        }),
      };
      requireFields('extend', body, { endsAt: '--ends', reason: '--reason', decidedBy: '--decided-by' });
      return { method: 'POST', path: `/admin/restrictions/${id(positionals[0])}/extend`, query: {}, body };
    },
  },
  {
    name: 'advised',
    group: 'Restrictions',
    summary: 'Record when the customer and the services were told (12.1.4)',
    args: ['restrictionId'],
    options: {
      customer: date('when the customer was told'),
      services: date('when the services were told'),
      how: str('how they were told (letter, email, …)', '<how>'),
    },
    sendsBody: true,
    examples: ['advised res_01J… --customer 2026-12-02 --services 2026-12-02 --how letter'],
    build: ({ positionals, values, extra }) => {
      const body = {
        ...extra,
        ...compact({
          customerAdvisedAt: values.customer,
          servicesAdvisedAt: values.services,
          how: values.how,
        }),
      };
      if (body.customerAdvisedAt === undefined && body.servicesAdvisedAt === undefined) {
        throw new UsageError('give --customer <date>, --services <date> or both', 'advised');
      }
      return { method: 'POST', path: `/admin/restrictions/${id(positionals[0])}/advised`, query: {}, body };
    },
  },
  {
    name: 'reviewed',
    group: 'Restrictions',
    summary: 'Record a review of a restriction and when the next falls due (10.1)',
    args: ['restrictionId'],
    options: {
      by: required(str('who reviewed')),
      notes: required(str('what the review found')),
      next: required(date('the next review date')),
    },
    sendsBody: true,
    examples: ['reviewed res_01J… --by "Jo Manager" --notes "Still needed" --next 2027-06-01'],
    build: ({ positionals, values, extra }) => {
      const body = {
        ...extra,
        ...compact({ reviewedBy: values.by, notes: values.notes, nextReviewAt: values.next }),
      };
      requireFields('reviewed', body, { reviewedBy: '--by', notes: '--notes', nextReviewAt: '--next' });
      return { method: 'POST', path: `/admin/restrictions/${id(positionals[0])}/review`, query: {}, body };
    },
  },
  {
    name: 'acknowledge',
    group: 'Restrictions',
    summary: "Acknowledge a restriction's conflicts with the customer's adjustments",
    args: ['restrictionId'],
    options: {
      by: required(str('who acknowledges')),
      reason: required(str('why the restriction stands all the same')),
    },
    sendsBody: true,
    examples: ['acknowledge res_01J… --by "Jo Manager" --reason "Letters still reach them in large print"'],
    build: ({ positionals, values, extra }) => {
      const body = { ...extra, ...compact({ by: values.by, reason: values.reason }) };
      requireFields('acknowledge', body, { by: '--by', reason: '--reason' });
      return {
        method: 'POST',
        path: `/admin/restrictions/${id(positionals[0])}/acknowledge-conflicts`,
        query: {},
        body,
      };
    },
  },
  {
    name: 'letter',
    group: 'Letters',
    summary: 'A letter informing of a restriction: details, or saved as PDF or HTML',
    args: ['letterId'],
    options: {
      pdf: str('save it as PDF to this file (- for stdout)', '<file>'),
      html: str('save it as HTML to this file (- for stdout)', '<file>'),
    },
    examples: ['letter let_01J…', 'letter let_01J… --pdf letter.pdf'],
    build: ({ positionals, values }) => {
      const path = `/admin/letters/${id(positionals[0])}`;
      if (values.pdf !== undefined && values.html !== undefined) {
        throw new UsageError('give --pdf or --html, not both', 'letter');
      }
      const format = values.pdf !== undefined ? 'pdf' : values.html !== undefined ? 'html' : undefined;
      if (!format) return { method: 'GET', path, query: { format: 'json' } };
      return {
        method: 'GET',
        path,
        query: { format },
        output: { raw: true, file: (values.pdf ?? values.html) as string },
      };
    },
  },
  {
    name: 'letters',
    group: 'Letters',
    summary: "A customer's letters",
    args: ['customerId'],
    options: {},
    examples: ['letters cus_01J…'],
    build: ({ positionals }) => ({
      method: 'GET',
      path: `/admin/customers/${id(positionals[0])}/letters`,
      query: {},
    }),
  },
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
      method: 'GET',
      path: '/admin/register',
      query: compact({ status: values.status, format: values.csv ? 'csv' : undefined }) as Record<
        string,
        string
      >,
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
    build: () => ({ method: 'GET', path: '/admin/reviews', query: {} }),
  },
  {
    name: 'contacts',
    group: 'The register',
    summary: "A customer's recent contacts and how each was routed",
    args: ['customerId'],
    options: { limit: str('how many (newest first)', '<n>') },
    examples: ['contacts cus_01J… --limit 20'],
    build: ({ positionals, values }) => ({
      method: 'GET',
      path: '/admin/contacts',
      query: compact({
        customerId: positionals[0],
        limit: positiveInteger(values.limit, '--limit', 'contacts'),
      }) as Record<string, string>,
    }),
  },
  {
    name: 'alerts',
    group: 'The register',
    summary: 'Frequency alerts (4.2.7, 4.2.8, 4.2.12), for everyone or one customer',
    args: [],
    options: { customer: str('only this customer', '<customerId>') },
    examples: ['alerts', 'alerts --customer cus_01J…'],
    build: ({ values }) => ({
      method: 'GET',
      path: '/admin/alerts',
      query: compact({ customerId: values.customer }) as Record<string, string>,
    }),
  },
  {
    name: 'events',
    group: 'The register',
    summary: 'Events published to managers, newest first',
    args: [],
    options: { limit: str('how many', '<n>') },
    examples: ['events --limit 20'],
    build: ({ values }) => ({
      method: 'GET',
      path: '/admin/events',
      query: compact({ limit: positiveInteger(values.limit, '--limit', 'events') }) as Record<string, string>,
    }),
  },
  {
    name: 'audit',
    group: 'Customers',
    summary: "A customer's audit trail: who changed what, when and why",
    args: ['customerId'],
    options: {},
    examples: ['audit cus_01J…'],
    build: ({ positionals }) => ({
      method: 'GET',
      path: `/admin/customers/${id(positionals[0])}/audit`,
      query: {},
    }),
  },
  {
    name: 'export',
    group: 'Customers',
    summary: 'Everything held about a customer, as JSON (subject access)',
    args: ['customerId'],
    options: { out: str('write it to this file', '<file>') },
    examples: ['export cus_01J… --out pat-example.json'],
    build: ({ positionals, values }) => ({
      method: 'GET',
      path: `/admin/customers/${id(positionals[0])}/export`,
      query: {},
      ...(values.out !== undefined ? { output: { file: values.out as string } } : {}),
    }),
  },
];

const byName = new Map(commands.map((command) => [command.name, command]));
/** Words that start a two-word command. */
const groups = new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));

export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}

export function isGroup(word: string): boolean {
  return groups.has(word);
}

export interface Resolved {
  /** The command's name (`customer add`), a group's name (`customer`) or undefined when none was given. */
  command?: string;
  /** Every other argument, in order. */
  rest: string[];
}

/**
 * Finds the command in the arguments: its word (or two words) may follow global flags
 * (`--json customer list`). Does not check that it exists.
 */
export function resolveCommand(argv: string[]): Resolved {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && ['--json', '--help', '-h'].includes(argv[i]!)) lead.push(argv[i++]!);
  const first = argv[i];
  if (first === undefined || first.startsWith('-')) return { rest: argv };
  const second = argv[i + 1];
  if (isGroup(first) && second !== undefined && !second.startsWith('-')) {
    return { command: `${first} ${second}`, rest: [...lead, ...argv.slice(i + 2)] };
  }
  return { command: first, rest: [...lead, ...argv.slice(i + 1)] };
}

export type BodyReader = (source: string) => string;

/** Reads `--body`'s file, or stdin for `-`. */
export const readBodySource: BodyReader = (source) => readFileSync(source === '-' ? 0 : source, 'utf8');

/** True when the arguments ask for help rather than a request. */
export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** True when the arguments ask for the raw JSON answer. */
export function wantsJson(args: string[]): boolean {
  return args.includes('--json');
}

/**
 * The one admin API request a command line stands for: `command` is the command's name
 * (`customer add`), `args` everything after it. Throws a UsageError for an unknown command or
 * option, a missing argument or a missing required field.
 */
export function buildRequest(
  command: string,
  args: string[],
  readBody: BodyReader = readBodySource,
): ApiRequest {
  const spec = byName.get(command);
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  const options = { ...globalOptions, ...(spec.sendsBody ? bodyOptions : {}), ...spec.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), spec.name);
  }
  const { positionals, values } = parsed;
  if (positionals.length < spec.args.length) {
    const missing = spec.args.slice(positionals.length).map((name) => `<${name}>`);
    throw new UsageError(`missing ${missing.join(' ')}`, spec.name);
  }
  if (positionals.length > spec.args.length) {
    throw new UsageError(`unexpected argument "${positionals[spec.args.length]}"`, spec.name);
  }
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '' && name !== 'body') {
      throw new UsageError(`--${name} must not be empty`, spec.name);
    }
  }
  const extra = spec.sendsBody
    ? {
        ...(typeof values.body === 'string' ? parseBody(values.body, readBody, spec.name) : {}),
        ...parseFields((values.field as string[] | undefined) ?? [], spec.name),
      }
    : {};
  return spec.build({ positionals, values: values as Parsed['values'], extra });
}

function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages carry advice about `--` that does not fit here; keep the first sentence.
  return message.split('. ')[0]!.replace(/\.$/, '');
}

function parseBody(source: string, readBody: BodyReader, command: string): Record<string, unknown> {
  let text: string;
  try {
    text = readBody(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : error);
    throw new UsageError(`cannot read --body ${source} (${reason})`, command);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--body ${source} is not valid JSON`, command);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--body ${source} must hold a JSON object`, command);
  }
  return value as Record<string, unknown>;
}

/**
 * `--field` values: `key=value` typed (a plain number, `true`/`false`/`null`, or a list
 * `a,b,c` without spaces), `key:=<JSON>` as JSON, anything else a string. A key given more than
 * once collects a list.
 */
export function parseFields(fields: string[], command = 'register'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const field of fields) {
    const match = field.match(/^([A-Za-z_][\w.-]*)(:?=)([\s\S]*)$/);
    if (!match) throw new UsageError(`--field ${field}: write key=value or key:=<JSON>`, command);
    const [, key, operator, raw] = match as unknown as [string, string, string, string];
    let value: unknown;
    if (operator === ':=') {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new UsageError(`--field ${key}:= is not valid JSON`, command);
      }
    } else {
      value = typedValue(raw);
    }
    if (key in out) {
      const previous = out[key];
      const list = repeated.has(key) ? (previous as unknown[]) : [previous].flat();
      out[key] = [...list, ...[value].flat()];
      repeated.add(key);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** `12` → 12, `true` → true, `a,b` → ['a', 'b']; `07700900456` and `1.2.3` stay text. */
export function typedValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw.includes(',') && !/\s/.test(raw)) {
    return raw
      .split(',')
      .filter((item) => item !== '')
      .map(typedValue);
  }
  return raw;
}

function positiveInteger(value: unknown, flag: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`${flag} must be a whole number above 0`, command);
  }
  return value;
}

function requireFields(command: string, body: Record<string, unknown>, fields: Record<string, string>) {
  const missing = Object.entries(fields)
    .filter(([field]) => body[field] === undefined || body[field] === '')
    .map(([, flag]) => flag);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')}`, command);
}

/** The object without its undefined members. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

// --- Usage ---------------------------------------------------------------------------------------

const PROGRAM = 'npm run register --';

function optionLine(name: string, option: OptionSpec): [string, string] {
  const short = option.short ? `-${option.short}, ` : '';
  return [
    `${short}--${name}${option.value ? ` ${option.value}` : ''}`,
    option.required ? `${option.help} (required)` : option.help,
  ];
}

function columns(
  rows: [string, string][],
  width = Math.max(0, ...rows.map(([left]) => left.length)),
): string {
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

const commandLine = (command: CommandSpec): [string, string] => [
  [command.name, ...command.args.map((arg) => `<${arg}>`)].join(' '),
  command.summary,
];

/** The general usage: every command, by group, and how to reach the API. */
export function generalUsage(): string {
  const width = Math.max(...commands.map((command) => commandLine(command)[0].length));
  const sections = (['Customers', 'Restrictions', 'Letters', 'The register'] as const).map(
    (group) =>
      `${group}\n${columns(commands.filter((command) => command.group === group).map(commandLine), width)}`,
  );
  const examples = [
    'customer add --name "Pat Example" --email pat@example.org --postcode "AL10 0ZZ"',
    'restrict cus_01J… --type single-named-officer --named-officer officer@council.example \\\n' +
      '      --reason "…" --decided-by "Jo Manager" --starts 2026-12-01 --ends 2027-11-30',
    'list --status review-due',
    'letter let_01J… --pdf letter.pdf',
    '--json customer list | jq -r ".customers[].id"',
  ];
  return [
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    "The council's register of contact restrictions, over the admin API.",
    '',
    ...sections.flatMap((section) => [section, '']),
    'Options',
    columns(
      [...Object.entries(globalOptions), ...Object.entries(bodyOptions)].map(([name, option]) =>
        optionLine(name, option),
      ),
      width,
    ),
    '  (--body and --field: for the commands that send something)',
    '',
    'Where it sends',
    columns(
      [
        ['ADMIN_API_URL', 'the API (default http://127.0.0.1:$PORT, PORT default 3000)'],
        ['ADMIN_TOKEN', 'the bearer token (default: $DATA_DIR/admin-token, DATA_DIR default .data)'],
        ['AWS_REGION', 'https and no token: requests are signed with AWS SigV4 (IAM)'],
      ],
      width,
    ),
    '',
    'Examples',
    ...examples.map((example) => `  ${PROGRAM} ${example}`),
    '',
    `${PROGRAM} <command> --help shows each command's options and examples.`,
  ].join('\n');
}

/** A group's usage (`customer`): its commands. */
export function groupUsage(group: string): string {
  const rows = commands.filter((command) => command.name.startsWith(`${group} `)).map(commandLine);
  return [`Usage: ${PROGRAM} ${group} <command> …`, '', columns(rows)].join('\n');
}

/** One command's usage: arguments, options and examples. */
export function commandUsage(name: string): string {
  const spec = byName.get(name);
  if (!spec) return generalUsage();
  const synopsis = [PROGRAM, spec.name, ...spec.args.map((arg) => `<${arg}>`), '[options]'].join(' ');
  const options = { ...spec.options, ...(spec.sendsBody ? bodyOptions : {}), ...globalOptions };
  return [
    `Usage: ${synopsis}`,
    '',
    spec.summary,
    '',
    'Options',
    columns(Object.entries(options).map(([option, o]) => optionLine(option, o))),
    '',
    'Examples',
    spec.examples.map((example) => `  ${PROGRAM} ${example}`).join('\n'),
  ].join('\n');
}
