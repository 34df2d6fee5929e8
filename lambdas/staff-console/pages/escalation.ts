import { readCustomer, recordEscalationStep } from '../../core/register';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { renderPage } from '../views/page';
import { escalationFields } from './change-forms';
import type { ConsoleDeps } from './deps';
import { type FormErrors, fieldViews, formErrors, initialValues, noErrors, readFields } from './form-fields';
import { stageLabels } from './present';
import { attempt, notFound, orNotFound, problemsOf, redirect } from './respond';

/** Record a step of staged escalation (7.2): a concern, a warning (7.2.1) or a written notice (7.2.2). */
const pattern = '/staff/customers/:id/escalation';
type Customer = Awaited<ReturnType<typeof readCustomer>>;

function show(
  request: ConsoleRequest,
  customer: Customer,
  values: ConsoleRequest['form'],
  errors: FormErrors,
): ConsoleResponse {
  return renderPage(
    request,
    'form-page.njk',
    {
      title: 'Record an escalation step',
      caption: customer.name,
      back: {
        href: `/staff/customers/${encodeURIComponent(customer.id)}#escalation`,
        text: `Back to ${customer.name}`,
      },
      tag: stageLabels[customer.escalation.stage],
      intro: [
        'Steps go forward: a concern, then a warning asking the customer to moderate their behaviour (7.2.1), then a written notice from a service manager (7.2.2). A step may be repeated.',
      ],
      action: request.path,
      fields: fieldViews(escalationFields, values, errors),
      button: 'Record the step',
      errors,
    },
    errors.summary.length > 0 ? 400 : 200,
  );
}

const load = (request: ConsoleRequest, deps: ConsoleDeps) =>
  orNotFound(readCustomer(request.params.id ?? '', deps.register));

export const escalationPages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern,
    permission: 'record-escalation',
    async handle(request, deps) {
      const customer = await load(request, deps);
      if (!customer) return notFound(request, 'customer');
      // `?step=` comes from a suggestion after an incident: the step is chosen, not recorded (P2).
      const step = ['concern-raised', 'warning-given', 'written-notice'].includes(request.query.step ?? '')
        ? request.query.step
        : undefined;
      return show(request, customer, initialValues({ by: request.user.name, step }), noErrors);
    },
  },
  {
    method: 'POST',
    pattern,
    permission: 'record-escalation',
    async handle(request, deps) {
      const customer = await load(request, deps);
      if (!customer) return notFound(request, 'customer');
      const { body, problems } = readFields(escalationFields, request.form);
      if (problems.length > 0)
        return show(request, customer, request.form, formErrors(escalationFields, problems, request.form));
      const result = await attempt(() =>
        recordEscalationStep(customer.id, body, request.actor, deps.register),
      );
      if ('refused' in result) {
        return show(
          request,
          customer,
          request.form,
          formErrors(escalationFields, problemsOf(result.refused), request.form),
        );
      }
      return redirect(`/staff/customers/${encodeURIComponent(customer.id)}?done=step-recorded#escalation`);
    },
  },
];
