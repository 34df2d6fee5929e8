import {
  type Incident,
  incidentRules,
  questionLabels,
  readIncident,
  recordIncident,
  suggestNextStep,
} from '../../core/incidents';
import { readCustomer } from '../../core/register';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { londonDateTime } from '../views/dates';
import { renderPage } from '../views/page';
import { customerHref, linkCell } from './cells';
import type { ConsoleDeps } from './deps';
import {
  type FieldSpec,
  type FormErrors,
  fieldViews,
  formErrors,
  initialValues,
  noErrors,
} from './form-fields';
import { callerFields, formIdempotencyKey, incidentBody, incidentFields } from './incident-forms';
import { channelLabels, personOf, phoneForPeople } from './present';
import { allowed, attempt, notFound, noticeFor, orNotFound, problemsOf, redirect } from './respond';

/**
 * Recording an incident (5.4.2, 5.7, 5.8, 3.3, 6.1, 3.2.5): from the customer's page, or from Home for
 * someone not in the register; and one incident with the next step the console suggests (P2: a link
 * to the form where a manager decides, never an action taken here).
 */
type Customer = Awaited<ReturnType<typeof readCustomer>>;

const intro = [
  'The incident is kept as a file note, and the managers are emailed at once (5.4.2, 5.7, 5.8).',
  'A threat to staff, violence or a threat of self-harm is also raised as an urgent safeguarding concern (3.2.5, 3.3, 6.1). Report threats and violence to the police (6.1).',
];

function showForm(
  request: ConsoleRequest,
  specs: readonly FieldSpec[],
  values: ConsoleRequest['form'],
  errors: FormErrors,
  context: { caption: string; back: { href: string; text: string } },
  status?: number,
): ConsoleResponse {
  return renderPage(
    request,
    'incident-form.njk',
    {
      title: 'Record an incident',
      ...context,
      intro,
      action: request.path,
      fields: fieldViews(specs, values, errors),
      idempotencyKey: formIdempotencyKey(request),
      button: 'Record the incident',
      errors,
    },
    status ?? (errors.summary.length > 0 ? 400 : 200),
  );
}

async function submit(
  request: ConsoleRequest,
  deps: ConsoleDeps,
  specs: readonly FieldSpec[],
  context: { caption: string; back: { href: string; text: string } },
  customerId?: string,
): Promise<ConsoleResponse> {
  const { body, problems } = incidentBody(request.form, specs);
  if (problems.length > 0)
    return showForm(request, specs, request.form, formErrors(specs, problems, request.form), context);
  const result = await attempt(() =>
    recordIncident(
      { ...body, ...(customerId ? { customerId } : {}) },
      request.actor,
      { idempotencyKey: formIdempotencyKey(request) },
      deps.incidents,
    ),
  );
  if ('refused' in result) {
    return showForm(
      request,
      specs,
      request.form,
      formErrors(specs, problemsOf(result.refused), request.form),
      context,
    );
  }
  return redirect(`/staff/incidents/${encodeURIComponent(result.done.incident.id)}?done=incident-recorded`);
}

const customerContext = (customer: Customer) => ({
  caption: customer.name,
  back: { href: `${customerHref(customer.id)}#incidents`, text: `Back to ${customer.name}` },
});
const unknownContext = {
  caption: 'Someone not in the register',
  back: { href: '/staff/', text: 'Back to Home' },
};
const unknownSpecs = [...callerFields, ...incidentFields];

const loadCustomer = (request: ConsoleRequest, deps: ConsoleDeps) =>
  orNotFound(readCustomer(request.params.id ?? '', deps.register));

/** What the console suggests next, as a link to the form where it is decided. */
function suggestionLink(incident: Incident, next: string): { href: string; text: string } | undefined {
  const customerId = incident.customerId;
  if (next === 'register-customer') return undefined;
  if (!customerId) return undefined;
  const base = customerHref(customerId);
  if (next === 'consider-restriction')
    return { href: `${base}/restrictions/new`, text: 'Consider a restriction (7.3)' };
  return { href: `${base}/escalation?step=${next}`, text: 'Record the escalation step' };
}

const answerWords = (value: boolean | undefined) =>
  value === undefined ? 'Not recorded' : value ? 'Yes' : 'No';

async function showIncident(request: ConsoleRequest, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const incident = await orNotFound(readIncident(request.params.id ?? '', deps.incidents.incidents));
  if (!incident) return notFound(request, 'incident');
  const rule = incidentRules[incident.kind];
  const customer = incident.customerId
    ? await orNotFound(readCustomer(incident.customerId, deps.register))
    : undefined;
  const suggestion = suggestNextStep(incident, customer?.escalation);
  const caller = incident.caller;
  const who = customer
    ? linkCell(`${customerHref(customer.id)}#incidents`, customer.name)
    : {
        text: [
          caller?.name,
          caller?.phone ? phoneForPeople(caller.phone) : undefined,
          caller?.email,
          caller?.postcode,
        ]
          .filter(Boolean)
          .join(', '),
      };
  const rows = [
    { key: { text: 'What happened' }, value: { text: `${rule.label} (${incident.clauses.join(', ')})` } },
    { key: { text: 'When' }, value: { text: londonDateTime(incident.at) } },
    { key: { text: 'Channel' }, value: { text: channelLabels[incident.channel] ?? incident.channel } },
    { key: { text: customer ? 'Customer' : 'The person' }, value: who },
    { key: { text: 'File note' }, value: { text: incident.what } },
    ...rule.questions.map((question) => ({
      key: { text: `${questionLabels[question].label} (${questionLabels[question].clause})` },
      value: { text: answerWords(incident[question]) },
    })),
    {
      key: { text: 'Recorded' },
      value: {
        text: `${londonDateTime(incident.recordedAt)} by ${incident.recordedBy} (${personOf(incident.actor)})`,
      },
    },
  ];
  const canWrite = Boolean(customer && rule.letter && allowed(request, 'write-step-letters'));
  return renderPage(request, 'incident.njk', {
    title: rule.label,
    caption: customer ? customer.name : 'Incident',
    notice: noticeFor(request),
    urgent: incident.severity === 'urgent',
    rows,
    consider: rule.consider,
    suggestion: { why: suggestion.why, link: suggestionLink(incident, suggestion.next) },
    letter: canWrite
      ? { customerId: incident.customerId, incidentId: incident.id, kind: rule.letter }
      : undefined,
    back: customer
      ? { href: `${customerHref(customer.id)}#incidents`, text: `Back to ${customer.name}` }
      : { href: '/staff/', text: 'Back to Home' },
  });
}

export const incidentPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern: '/staff/customers/:id/incidents/new',
    permission: 'record-incidents',
    async handle(request, deps) {
      const customer = await loadCustomer(request, deps);
      if (!customer) return notFound(request, 'customer');
      const kind = request.query.kind;
      const values = initialValues({
        recordedBy: request.user.name,
        ...(kind && kind in incidentRules
          ? { kind, channel: incidentRules[kind as keyof typeof incidentRules].channels[0] }
          : {}),
      });
      return showForm(request, incidentFields, values, noErrors, customerContext(customer));
    },
  },
  {
    method: 'POST',
    pattern: '/staff/customers/:id/incidents/new',
    permission: 'record-incidents',
    async handle(request, deps) {
      const customer = await loadCustomer(request, deps);
      if (!customer) return notFound(request, 'customer');
      return submit(request, deps, incidentFields, customerContext(customer), customer.id);
    },
  },
  {
    method: 'GET',
    pattern: '/staff/incidents/new',
    permission: 'record-incidents',
    async handle(request) {
      return showForm(
        request,
        unknownSpecs,
        initialValues({ recordedBy: request.user.name }),
        noErrors,
        unknownContext,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/staff/incidents/new',
    permission: 'record-incidents',
    handle: (request, deps) => submit(request, deps, unknownSpecs, unknownContext),
  },
  { method: 'GET', pattern: '/staff/incidents/:id', permission: 'view', handle: showIncident },
];
