import {
  bodyRequest,
  type CommandSpec,
  compact,
  date,
  getRequest,
  id,
  many,
  type OptionSpec,
  type Parsed,
  required,
  str,
  UsageError,
} from '../command-spec';

/** The fields of a customer's record (12.1.1), as `customer add` and `customer update` take them. */
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

/** Customers: registering, finding, changing and escalating (7.2), their audit trail and export. */
export const customerCommands: CommandSpec[] = [
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
    build: ({ values, extra }) =>
      bodyRequest('customer add', { method: 'POST', path: '/admin/customers' }, extra, customerBody(values), {
        name: '--name',
      }),
  },
  {
    name: 'customer list',
    group: 'Customers',
    summary: 'List customers, or find them by email or phone',
    args: [],
    options: { email: str('find by this email', '<email>'), phone: str('find by this phone', '<phone>') },
    examples: ['customer list', 'customer list --email pat@example.org'],
    build: ({ values }) => getRequest('/admin/customers', { email: values.email, phone: values.phone }),
  },
  {
    name: 'customer show',
    group: 'Customers',
    summary: 'A customer with their restrictions and escalation',
    args: ['customerId'],
    options: {},
    examples: ['customer show cus_01J…'],
    build: ({ positionals }) => getRequest(`/admin/customers/${id(positionals[0])}`),
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
      const target = { method: 'PATCH', path: `/admin/customers/${id(positionals[0])}` } as const;
      const fields = { ...customerBody(values), why: values.why };
      const request = bodyRequest('customer update', target, extra, fields, { why: '--why' });
      if (Object.keys(request.body).length < 2) {
        throw new UsageError('nothing to change: give at least one field besides --why', 'customer update');
      }
      return request;
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
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'escalate',
        { method: 'POST', path: `/admin/customers/${id(positionals[0])}/escalation` },
        extra,
        {
          step: values.step,
          at: values.at,
          how: values.how,
          by: values.by,
          note: values.note,
          skipReason: values['skip-reason'],
        },
        { step: '--step', by: '--by' },
      ),
  },
  {
    name: 'audit',
    group: 'Customers',
    summary: "A customer's audit trail: who changed what, when and why",
    args: ['customerId'],
    options: {},
    examples: ['audit cus_01J…'],
    build: ({ positionals }) => getRequest(`/admin/customers/${id(positionals[0])}/audit`),
  },
  {
    name: 'export',
    group: 'Customers',
    summary: 'Everything held about a customer, as JSON (subject access)',
    args: ['customerId'],
    options: { out: str('write it to this file', '<file>') },
    examples: ['export cus_01J… --out pat-example.json'],
    build: ({ positionals, values }) => ({
      ...getRequest(`/admin/customers/${id(positionals[0])}/export`),
      ...(values.out !== undefined ? { output: { file: values.out as string } } : {}),
    }),
  },
];
