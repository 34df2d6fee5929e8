import {
  bodyRequest,
  type CommandSpec,
  date,
  getRequest,
  id,
  many,
  type OptionSpec,
  required,
  str,
  UsageError,
} from '../command-spec';
import { callerOf, callerOptions } from './caller';

const flag = (help: string): OptionSpec => ({ type: 'boolean', help });

/**
 * Incidents (5.4.2, 5.7, 5.8, 3.3, 6.1, 3.2.5) and the letters before a restriction (7.2.1, 7.2.2,
 * 5.9): `incident add` is POST /admin/incidents; the managers are emailed at once.
 */
export const incidentCommands: CommandSpec[] = [
  {
    name: 'incident add',
    group: 'Customers',
    summary: 'Record an incident on a customer (--customer) or on someone not in the register (--caller-…)',
    args: [],
    options: {
      customer: str('the customer it is about', '<customerId>'),
      ...callerOptions("an unknown person's"),
      kind: required(
        str(
          'call-terminated, meeting-ended, abusive-correspondence, threat-to-staff, violence or threat-of-self-harm',
          '<kind>',
        ),
      ),
      channel: required(str('telephone, in-person, letter, social-media, email or web-form', '<channel>')),
      what: required(str('what happened (the file note; personal data, never logged)')),
      at: date('when it happened (default now)'),
      warned: flag('the customer was warned first that it would end (5.4.1)'),
      police: flag('the police were told (3.3, 6.1)'),
      emergency: flag('emergency services were called (3.3)'),
      'staff-protection': flag('referred under the Staff Protection Policy (2.3, 6.2)'),
      'recorded-by': required(str('who is recording it')),
      'idempotency-key': str('sent again with the same key, nothing is recorded twice', '<key>'),
    },
    sendsBody: true,
    examples: [
      'incident add --customer cus_01J… --kind call-terminated --channel telephone --what "Abusive after a warning" --warned --recorded-by "Olive Officer"',
      'incident add --caller-phone "07700 900777" --kind threat-to-staff --channel telephone --what "…" --police --recorded-by "Olive Officer"',
    ],
    build: ({ values, extra }) => {
      const caller = callerOf(values);
      if (values.customer !== undefined && Object.keys(caller).length > 0) {
        throw new UsageError('give --customer or --caller-…, not both', 'incident add');
      }
      const yes = (name: string) => (values[name] ? true : undefined);
      const request = bodyRequest(
        'incident add',
        { method: 'POST', path: '/admin/incidents' },
        extra,
        {
          customerId: values.customer,
          caller: Object.keys(caller).length > 0 ? caller : undefined,
          kind: values.kind,
          channel: values.channel,
          what: values.what,
          at: values.at,
          warningGiven: yes('warned'),
          policeInformed: yes('police'),
          emergencyServices: yes('emergency'),
          staffProtectionReferral: yes('staff-protection'),
          recordedBy: values['recorded-by'],
        },
        { kind: '--kind', channel: '--channel', what: '--what', recordedBy: '--recorded-by' },
      );
      const key = values['idempotency-key'];
      return typeof key === 'string' ? { ...request, headers: { 'idempotency-key': key } } : request;
    },
  },
  {
    name: 'incident show',
    group: 'Customers',
    summary: 'One incident: its file note and answers',
    args: ['incidentId'],
    options: {},
    examples: ['incident show inc_…'],
    build: ({ positionals }) => getRequest(`/admin/incidents/${id(positionals[0])}`),
  },
  {
    name: 'incidents',
    group: 'Customers',
    summary: "A customer's incidents, joined ones too",
    args: ['customerId'],
    options: {},
    examples: ['incidents cus_01J…'],
    build: ({ positionals }) => getRequest(`/admin/customers/${id(positionals[0])}/incidents`),
  },
  {
    name: 'step-letter draft',
    group: 'Letters',
    summary: 'Draft a letter before a restriction (7.2.1, 7.2.2, 5.9) from an escalation step or an incident',
    args: ['customerId'],
    options: {
      step: str('the escalation step it is written from', '<stepId>'),
      incident: str('the incident it is written from', '<incidentId>'),
      kind: str(
        'request-to-moderate, procedures or tone-unacceptable (default from what it is written from)',
        '<kind>',
      ),
      'signed-by': required(str('the service manager who signs it')),
    },
    sendsBody: true,
    examples: ['step-letter draft cus_01J… --incident inc_… --signed-by "Sam Manager"'],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'step-letter draft',
        { method: 'POST', path: `/admin/customers/${id(positionals[0])}/step-letters` },
        extra,
        {
          stepId: values.step,
          incidentId: values.incident,
          kind: values.kind,
          signedBy: values['signed-by'],
        },
        { signedBy: '--signed-by' },
      ),
  },
  {
    name: 'step-letter edit',
    group: 'Letters',
    summary: 'Change a draft letter before a restriction (a sent one cannot change)',
    args: ['letterId'],
    options: {
      subject: str('the subject'),
      paragraph: many('a paragraph of the body, in order; repeatable (replaces the body)', '<text>'),
      'signed-by': str('who signs it'),
      revision: str('the revision you edited (refused if it changed meanwhile)', '<n>'),
    },
    sendsBody: true,
    examples: ['step-letter edit stl_01J… --paragraph "First." --paragraph "Second." --revision 0'],
    build: ({ positionals, values, extra }) => {
      const revision = values.revision;
      if (revision !== undefined && !/^\d+$/.test(String(revision))) {
        throw new UsageError('--revision must be a whole number', 'step-letter edit');
      }
      return bodyRequest(
        'step-letter edit',
        { method: 'PATCH', path: `/admin/step-letters/${id(positionals[0])}` },
        extra,
        {
          subject: values.subject,
          paragraphs: values.paragraph,
          signedBy: values['signed-by'],
          revision: revision === undefined ? undefined : Number(revision),
        },
      );
    },
  },
  {
    name: 'step-letter sent',
    group: 'Letters',
    summary: 'Mark a letter before a restriction as sent: it is kept unchanged from then on',
    args: ['letterId'],
    options: {
      how: required(str('post, email or by-hand', '<how>')),
      'sent-by': required(str('who sent it')),
    },
    sendsBody: true,
    examples: ['step-letter sent stl_01J… --how post --sent-by "Sam Manager"'],
    build: ({ positionals, values, extra }) =>
      bodyRequest(
        'step-letter sent',
        { method: 'POST', path: `/admin/step-letters/${id(positionals[0])}/sent` },
        extra,
        { how: values.how, sentBy: values['sent-by'] },
        { how: '--how', sentBy: '--sent-by' },
      ),
  },
  {
    name: 'step-letter show',
    group: 'Letters',
    summary: 'A letter before a restriction: details, or saved as PDF or HTML',
    args: ['letterId'],
    options: {
      pdf: str('save it as PDF to this file (- for stdout)', '<file>'),
      html: str('save it as HTML to this file (- for stdout)', '<file>'),
    },
    examples: ['step-letter show stl_01J… --pdf letter.pdf'],
    build: ({ positionals, values }) => {
      const path = `/admin/step-letters/${id(positionals[0])}`;
      if (values.pdf !== undefined && values.html !== undefined) {
        throw new UsageError('give --pdf or --html, not both', 'step-letter show');
      }
      const format = values.pdf !== undefined ? 'pdf' : values.html !== undefined ? 'html' : undefined;
      if (!format) return getRequest(path);
      return {
        ...getRequest(path, { format }),
        output: { raw: true, file: (values.pdf ?? values.html) as string },
      };
    },
  },
];
