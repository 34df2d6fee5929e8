import { randomUUID } from 'node:crypto';
import { TZDate } from '@date-fns/tz/date';
import { recordedChannels } from '../../core/channels';
import { londonDay, londonTimeZone } from '../../core/london-day';
import type { RecordedContactAnswer } from '../../core/recorded-contacts';
import { readCustomer } from '../../core/register';
import type { FieldProblem } from '../../core/validation';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { londonDateTime } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref } from './cells';
import type { ConsoleDeps } from './deps';
import {
  type FieldSpec,
  type FormErrors,
  fieldViews,
  formErrors,
  initialValues,
  noErrors,
  readFields,
} from './form-fields';
import { channelLabels } from './present';
import { attempt, notFound, orNotFound, problemsOf } from './respond';

/**
 * Record a contact staff took — a call, a visit, a letter, a message on social media (4.2.7 "by any
 * means") — for a customer (`/staff/customers/{id}/contacts/new`) or for someone not known yet
 * (`/staff/contacts/new`, also the quick form on Home). The answer is the decision page: what the
 * restrictions in force ask of the officer now, one line each with its clause. Inputs are named as
 * the admin API's fields (POST /admin/contacts); the caller's as `caller.name`, `caller.phone`, ….
 */

const channelOptions = recordedChannels.map((value) => ({ value, text: channelLabels[value] ?? value }));

const common: FieldSpec[] = [
  {
    name: 'channel',
    kind: 'radios',
    label: 'How did they get in touch?',
    options: channelOptions,
    inline: true,
    missing: 'Select how they got in touch',
  },
  {
    name: 'at',
    kind: 'date',
    label: 'Date of the contact',
    hint: 'Leave the date and time empty for a contact happening now. For example, 1 12 2026.',
    optional: true,
  },
  {
    name: 'at-time',
    kind: 'time',
    label: 'Time',
    hint: 'On the 24-hour clock, for example 14:05.',
    optional: true,
  },
  {
    name: 'caseReference',
    kind: 'text',
    label: 'Case reference',
    hint: 'The complaint or case it is about, for example CMP-12345.',
    optional: true,
  },
  { name: 'topic', kind: 'text', label: 'Topic', hint: 'What it is about, in a few words.', optional: true },
  {
    name: 'summary',
    kind: 'textarea',
    label: 'Summary',
    hint: 'What was said or written. Kept with the contact record for staff only.',
    missing: 'Enter a summary of the contact',
  },
  { name: 'recordedBy', kind: 'text', label: 'Recorded by', missing: 'Enter who took the contact' },
];

export const callerFields: FieldSpec[] = [
  {
    name: 'caller.name',
    kind: 'text',
    label: "Caller's name",
    optional: true,
    missing: "Enter the caller's name, phone, email or postcode",
  },
  { name: 'caller.phone', kind: 'text', label: "Caller's telephone number", optional: true },
  { name: 'caller.email', kind: 'email', label: "Caller's email address", optional: true },
  { name: 'caller.postcode', kind: 'text', label: "Caller's postcode", optional: true },
];

const [channelField, ...restOfCommon] = common;
const customerForm = common;
const callerForm: FieldSpec[] = [channelField!, ...callerFields, ...restOfCommon];

/** `1 12 2026` and `14:05` on the London clock, as an instant with its offset. */
function londonInstant(day: string, time: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  return new Date(new TZDate(y, m - 1, d, hh, mm, londonTimeZone).getTime()).toISOString();
}

/** The posted form as the admin API's body: the caller nested, the date and time one instant. */
export function contactBodyOf(
  specs: readonly FieldSpec[],
  form: ConsoleRequest['form'],
  today: string,
): { body: Record<string, unknown>; problems: FieldProblem[] } {
  const { body: flat, problems } = readFields(specs, form);
  const body: Record<string, unknown> = {};
  const caller: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    if (name.startsWith('caller.')) caller[name.slice('caller.'.length)] = value;
    else if (name !== 'at' && name !== 'at-time') body[name] = value;
  }
  if (Object.keys(caller).length > 0) body.caller = caller;
  const time = typeof flat['at-time'] === 'string' ? flat['at-time'] : undefined;
  const day = typeof flat.at === 'string' ? flat.at : time ? today : undefined;
  if (day && !time) problems.push({ field: 'at-time', problem: 'is required' });
  else if (time && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(time))
    problems.push({ field: 'at-time', problem: 'must be a time such as 14:05' });
  else if (day && time) body.at = londonInstant(day, time);
  const id = form.id;
  if (typeof id === 'string' && id) body.id = id;
  return { body, problems };
}

interface FormPage {
  request: ConsoleRequest;
  specs: readonly FieldSpec[];
  values: ConsoleRequest['form'];
  errors: FormErrors;
  caption: string;
  back: { href: string; text: string };
  intro: string[];
}

function showForm(page: FormPage): ConsoleResponse {
  const { request, values, errors } = page;
  // A new id for each form shown: the same form posted twice is one contact (P6).
  const id = typeof values.id === 'string' && values.id ? values.id : randomUUID();
  return renderPage(
    request,
    'form-page.njk',
    {
      title: 'Record a contact',
      caption: page.caption,
      back: page.back,
      intro: page.intro,
      action: request.path,
      hidden: [{ name: 'id', value: id }],
      fields: fieldViews(page.specs, values, errors),
      button: 'Record and see what applies',
      errors,
    },
    errors.summary.length > 0 ? 400 : 200,
  );
}

function showDecision(request: ConsoleRequest, answer: RecordedContactAnswer): ConsoleResponse {
  const { decision } = answer;
  const counts = answer.counts;
  return renderPage(request, 'recorded-contact.njk', {
    title: `Contact ${answer.reference} recorded`,
    answer,
    duplicate: answer.status === 'duplicate',
    channel: channelLabels[answer.channel] ?? answer.channel,
    at: londonDateTime(answer.at),
    lines: decision.measures.length > 0 ? decision.measures : decision.lines.map((text) => ({ text })),
    rows: [
      { key: { text: 'Reference' }, value: { text: answer.reference } },
      { key: { text: 'When' }, value: { text: londonDateTime(answer.at) } },
      { key: { text: 'Channel' }, value: { text: channelLabels[answer.channel] ?? answer.channel } },
      ...(answer.topic ? [{ key: { text: 'Topic' }, value: { text: answer.topic.label } }] : []),
      ...(counts
        ? [
            {
              key: { text: 'Contacts counted' },
              value: {
                text: `${counts.topic} on this topic, ${counts.allTopics} on all topics, ${counts.channels} channels`,
              },
            },
          ]
        : []),
    ],
    customers: decision.customers.map((customer) => ({
      href: customerHref(customer.id),
      name: customer.name ?? customer.id,
    })),
    contactHref: `/staff/contacts/${encodeURIComponent(answer.reference)}`,
    againHref:
      decision.customerIds.length === 1
        ? `${customerHref(decision.customerIds[0]!)}/contacts/new`
        : '/staff/contacts/new',
  });
}

async function recordAndShow(
  request: ConsoleRequest,
  deps: ConsoleDeps,
  specs: readonly FieldSpec[],
  extra: Record<string, unknown>,
  again: (values: ConsoleRequest['form'], errors: FormErrors) => ConsoleResponse,
): Promise<ConsoleResponse> {
  const { body, problems } = contactBodyOf(specs, request.form, londonDay(deps.now()));
  if (problems.length > 0) return again(request.form, formErrors(specs, problems, request.form));
  const result = await attempt(() => deps.recordContact({ ...body, ...extra }, { actor: request.actor }));
  if ('refused' in result)
    return again(request.form, formErrors(specs, problemsOf(result.refused), request.form));
  return showDecision(request, result.done);
}

/** Home's quick form for a caller not known yet: the fewest fields; it posts to `/staff/contacts/new`. */
export function quickContactForm(request: ConsoleRequest) {
  const names = ['channel', 'caller.phone', 'caller.name', 'summary', 'recordedBy'];
  const specs = callerForm.filter((spec) => names.includes(spec.name));
  return {
    action: '/staff/contacts/new',
    hidden: [{ name: 'id', value: randomUUID() }],
    fields: fieldViews(specs, starting(request), noErrors),
  };
}

const customerPattern = '/staff/customers/:id/contacts/new';
const callerPattern = '/staff/contacts/new';
const loadCustomer = (request: ConsoleRequest, deps: ConsoleDeps) =>
  orNotFound(readCustomer(request.params.id ?? '', deps.register));
const starting = (request: ConsoleRequest) => initialValues({ recordedBy: request.user.name });

export const recordContactPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: customerPattern,
    permission: 'record-contacts',
    async handle(request, deps) {
      const customer = await loadCustomer(request, deps);
      if (!customer) return notFound(request, 'customer');
      return showForm(forCustomer(request, customer, starting(request), noErrors));
    },
  },
  {
    method: 'POST',
    pattern: customerPattern,
    permission: 'record-contacts',
    async handle(request, deps) {
      const customer = await loadCustomer(request, deps);
      if (!customer) return notFound(request, 'customer');
      return recordAndShow(request, deps, customerForm, { customerId: customer.id }, (values, errors) =>
        showForm(forCustomer(request, customer, values, errors)),
      );
    },
  },
  {
    method: 'GET',
    pattern: callerPattern,
    permission: 'record-contacts',
    async handle(request) {
      return showForm(forCaller(request, starting(request), noErrors));
    },
  },
  {
    method: 'POST',
    pattern: callerPattern,
    permission: 'record-contacts',
    async handle(request, deps) {
      return recordAndShow(request, deps, callerForm, {}, (values, errors) =>
        showForm(forCaller(request, values, errors)),
      );
    },
  },
];

function forCustomer(
  request: ConsoleRequest,
  customer: { id: string; name: string },
  values: ConsoleRequest['form'],
  errors: FormErrors,
): FormPage {
  return {
    request,
    specs: customerForm,
    values,
    errors,
    caption: customer.name,
    back: { href: `${customerHref(customer.id)}#contacts`, text: `Back to ${customer.name}` },
    intro: [
      'A call, a visit, a letter or a message on social media is counted with the others (4.2.7, 4.2.12). The next page says what the restrictions in force ask of you.',
    ],
  };
}

function forCaller(request: ConsoleRequest, values: ConsoleRequest['form'], errors: FormErrors): FormPage {
  return {
    request,
    specs: callerForm,
    values,
    errors,
    caption: 'Someone not found in the register',
    back: { href: '/staff/', text: 'Back to Home' },
    intro: [
      'Give what the person told you: their telephone number, email, or name and postcode. They are checked against the register as any contact is, and the next page says what applies.',
    ],
  };
}
