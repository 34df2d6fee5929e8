import {
  acknowledgeConflicts,
  extendRestriction,
  liftRestriction,
  noPostalAddressWarning,
  type RegisterChangeDeps,
  readRestriction,
  recordAdvised,
  recordReview,
} from '../../core/register';
import { unacknowledgedConflicts } from '../../core/restriction';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { lastDay, londonDay } from '../views/dates';
import { renderPage } from '../views/page';
import { type ChangeForm, changeForms } from './change-forms';
import type { ConsoleDeps } from './deps';
import { type FormErrors, fieldViews, formErrors, initialValues, noErrors, readFields } from './form-fields';
import { permissionToManage, statusTags, titleOf } from './present';
import { allowed, attempt, forbidden, notFound, orNotFound, problemsOf, redirect } from './respond';

/**
 * Extend, lift, review, record advice and acknowledge clashes (10.1, 12.1.4): a form on a
 * restriction, posted to its own address, calling the same core use case as the admin API.
 */
const acts: Record<
  ChangeForm['path'],
  (id: string, body: unknown, actor: string, deps: RegisterChangeDeps) => Promise<{ id: string }>
> = {
  extend: extendRestriction,
  lift: liftRestriction,
  review: recordReview,
  advised: recordAdvised,
  'acknowledge-conflicts': acknowledgeConflicts,
};

/** 8.2: changing the period of a refusal of all contact is a senior manager's decision too. */
const decidesPeriod = (form: ChangeForm) =>
  form.path === 'extend' || form.path === 'lift' || form.path === 'review';

type Found = Awaited<ReturnType<typeof readRestriction>>;

async function load(request: ConsoleRequest, deps: ConsoleDeps, form: ChangeForm) {
  const restriction = await orNotFound(readRestriction(request.params.id ?? '', deps.register));
  if (!restriction) return notFound(request, 'restriction');
  const record = await deps.register.store.loadCustomer(restriction.customerId);
  if (!record) return notFound(request, 'customer');
  if (decidesPeriod(form) && !allowed(request, permissionToManage(restriction.type))) {
    return forbidden(request, permissionToManage(restriction.type));
  }
  return { restriction, customer: record.customer };
}

/** What the manager must know before acting: the clashes to accept, or a letter that cannot be posted (8.1). */
function warningsOf(form: ChangeForm, { restriction, customer }: Parameters<typeof show>[2]): string[] {
  if (form.path === 'acknowledge-conflicts')
    return unacknowledgedConflicts(restriction).map((c) => c.warning);
  const postal = form.writesLetter ? noPostalAddressWarning(customer) : undefined;
  return postal ? [postal] : [];
}

function show(
  request: ConsoleRequest,
  form: ChangeForm,
  found: { restriction: Found; customer: { id: string; name: string; address?: string } },
  values: ConsoleRequest['form'],
  errors: FormErrors,
): ConsoleResponse {
  const { restriction, customer } = found;
  return renderPage(
    request,
    'form-page.njk',
    {
      title: form.heading,
      caption: `${customer.name}: ${titleOf(restriction.type)}`,
      back: {
        href: `/staff/customers/${encodeURIComponent(customer.id)}#restriction-${restriction.id}`,
        text: `Back to ${customer.name}`,
      },
      intro: [form.intro],
      tag: statusTags[restriction.status],
      rows: [
        { key: { text: 'Starts' }, value: { text: londonDay(restriction.startsAt) } },
        { key: { text: 'Last day' }, value: { text: lastDay(restriction.endsAt) } },
        { key: { text: 'Review' }, value: { text: londonDay(restriction.reviewAt) } },
      ],
      warnings: warningsOf(form, found),
      action: request.path,
      fields: fieldViews(form.fields, values, errors),
      button: form.button,
      errors,
    },
    errors.summary.length > 0 ? 400 : 200,
  );
}

const pagesOf = (form: ChangeForm): ConsolePage<ConsoleDeps>[] => {
  const pattern = `/staff/restrictions/:id/${form.path}`;
  return [
    {
      method: 'GET',
      pattern,
      permission: form.permission,
      async handle(request, deps) {
        const found = await load(request, deps, form);
        if ('kind' in found) return found;
        const values = initialValues(form.signedBy ? { [form.signedBy]: request.user.name } : {});
        return show(request, form, found, values, noErrors);
      },
    },
    {
      method: 'POST',
      pattern,
      permission: form.permission,
      async handle(request, deps) {
        const found = await load(request, deps, form);
        if ('kind' in found) return found;
        const { body, problems } = readFields(form.fields, request.form);
        if (problems.length > 0)
          return show(request, form, found, request.form, formErrors(form.fields, problems, request.form));
        const result = await attempt(() =>
          acts[form.path](found.restriction.id, body, request.actor, deps.register),
        );
        if ('refused' in result) {
          return show(
            request,
            form,
            found,
            request.form,
            formErrors(form.fields, problemsOf(result.refused), request.form),
          );
        }
        return redirect(
          `/staff/customers/${encodeURIComponent(found.customer.id)}?done=${form.done}#restriction-${encodeURIComponent(found.restriction.id)}`,
        );
      },
    },
  ];
};

export const restrictionChangePages: ConsolePage<ConsoleDeps>[] = changeForms.flatMap(pagesOf);
