import { adjustmentConflicts } from '../../core/conflicts';
import { composeLetter, renderLetterHtml } from '../../core/letters';
import { imposeRestriction, noPostalAddressWarning, readCustomer } from '../../core/register';
import {
  type RestrictionType,
  restrictionCatalogue,
  restrictionInputSchema,
  restrictionStatus,
  restrictionTypes,
} from '../../core/restriction';
import { toInstant } from '../../core/time';
import { fieldProblems } from '../../core/validation';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { renderPage } from '../views/page';
import type { ConsoleDeps } from './deps';
import {
  type FieldSpec,
  type FormErrors,
  fieldViews,
  formErrors,
  hiddenValues,
  initialValues,
  noErrors,
  readFields,
} from './form-fields';
import { letterInFrame } from './letter-frame';
import { permissionToManage, restrictionRows, titleOf } from './present';
import { allowed, attempt, forbidden, notFound, orNotFound, problemsOf, redirect } from './respond';
import { imposeFields, restrictionForms } from './restriction-forms';

/**
 * Impose a restriction (7.3, 8.2): the type's form; a first POST checks it and shows what would
 * be saved, any clash with the customer's reasonable adjustments and the letter (8.1); a second
 * POST with `confirm` imposes it. People decide (P2): nothing is saved until they confirm.
 */
const pattern = '/staff/customers/:id/restrictions/new';
type Customer = Awaited<ReturnType<typeof readCustomer>>;

const isType = (value: string | undefined): value is RestrictionType =>
  value !== undefined && (restrictionTypes as readonly string[]).includes(value);

/** 7.2.1, 7.2.2: a warning or written notice on record. */
const wasWarned = (customer: Customer) =>
  customer.escalation.history.some(
    (entry) => entry.stage === 'warning-given' || entry.stage === 'written-notice',
  );

const addressOf = (customer: Customer, type: RestrictionType) =>
  `/staff/customers/${encodeURIComponent(customer.id)}/restrictions/new?type=${type}`;

function chooseType(request: ConsoleRequest, customer: Customer): ConsoleResponse {
  const types = restrictionTypes
    .filter((type) => allowed(request, permissionToManage(type)))
    .map((type) => ({
      href: addressOf(customer, type),
      title: titleOf(type),
      meaning: restrictionForms[type].meaning[0],
    }));
  return renderPage(request, 'impose-choose.njk', { title: 'Choose a restriction', customer, types });
}

function showForm(
  request: ConsoleRequest,
  customer: Customer,
  type: RestrictionType,
  values: ConsoleRequest['form'],
  errors: FormErrors,
): ConsoleResponse {
  const warned = wasWarned(customer);
  return renderPage(
    request,
    'impose.njk',
    {
      title: `Impose: ${restrictionCatalogue[type].title}`,
      customer,
      type,
      typeTitle: titleOf(type),
      clause: restrictionCatalogue[type].clause,
      meaning: restrictionForms[type].meaning,
      warned,
      action: addressOf(customer, type),
      fields: fieldViews(imposeFields(type, warned), values, errors),
      errors,
    },
    errors.summary.length > 0 ? 400 : 200,
  );
}

/** The body the admin API would be sent, from the form (its type and customer from the address). */
function bodyOf(
  request: ConsoleRequest,
  customer: Customer,
  type: RestrictionType,
  fields: readonly FieldSpec[],
) {
  const { body, problems } = readFields(fields, request.form);
  return { body: { ...body, type, customerId: customer.id } as Record<string, unknown>, problems };
}

function showCheck(
  request: ConsoleRequest,
  deps: ConsoleDeps,
  customer: Customer,
  type: RestrictionType,
): ConsoleResponse {
  const warned = wasWarned(customer);
  const fields = imposeFields(type, warned);
  const { body, problems } = bodyOf(request, customer, type, fields);
  const parsed = restrictionInputSchema.safeParse(body);
  const all = [...problems, ...(parsed.success ? [] : fieldProblems(parsed.error))];
  // 8.3: the core refuses to impose without a warning or a reason; say so before the check step.
  if (!warned && !body.withoutWarningReason)
    all.push({ field: 'withoutWarningReason', problem: 'is required' });
  if (!parsed.success || all.length > 0)
    return showForm(request, customer, type, request.form, formErrors(fields, all, request.form));
  const { acknowledgeConflicts: _ack, ...input } = parsed.data;
  const now = toInstant(deps.now());
  const preview = { ...input, id: 'preview', createdAt: now, createdBy: request.actor };
  const letter = composeLetter({
    kind: 'restriction-imposed',
    letterId: 'preview',
    reference: '[given when imposed]',
    date: now,
    council: deps.register.council,
    customer: {
      name: customer.name,
      ...(customer.address ? { address: customer.address } : {}),
      ...(customer.postcode ? { postcode: customer.postcode } : {}),
    },
    restriction: preview,
    signedBy: input.decidedBy,
  });
  return renderPage(request, 'impose-check.njk', {
    title: 'Check the restriction before imposing it',
    customer,
    type,
    typeTitle: titleOf(type),
    action: addressOf(customer, type),
    rows: restrictionRows({ ...preview, status: restrictionStatus(preview, now) }),
    conflicts: adjustmentConflicts(parsed.data, customer),
    // 8.1: said before the letter is made, so the address can be recorded first.
    postalWarning: noPostalAddressWarning(customer),
    letterHtml: letterInFrame(renderLetterHtml(letter)),
    hidden: hiddenValues(request.form, ['csrfToken', 'confirm', 'edit', 'acknowledgeConflicts']),
  });
}

async function impose(
  request: ConsoleRequest,
  deps: ConsoleDeps,
  customer: Customer,
  type: RestrictionType,
): Promise<ConsoleResponse> {
  const fields = imposeFields(type, wasWarned(customer));
  const { body, problems } = bodyOf(request, customer, type, fields);
  if (problems.length > 0)
    return showForm(request, customer, type, request.form, formErrors(fields, problems, request.form));
  const acknowledge = request.form.acknowledgeConflicts === 'yes';
  const result = await attempt(() =>
    imposeRestriction(
      { ...body, ...(acknowledge ? { acknowledgeConflicts: true } : {}) },
      request.actor,
      deps.register,
    ),
  );
  if ('refused' in result) {
    return showForm(
      request,
      customer,
      type,
      request.form,
      formErrors(fields, problemsOf(result.refused), request.form),
    );
  }
  return redirect(
    `/staff/customers/${encodeURIComponent(customer.id)}?done=imposed#restriction-${encodeURIComponent(result.done.id)}`,
  );
}

/** The customer and type of the address, or the answer when there is none or the role may not. */
async function context(
  request: ConsoleRequest,
  deps: ConsoleDeps,
): Promise<ConsoleResponse | { customer: Customer; type?: RestrictionType }> {
  const customer = await orNotFound(readCustomer(request.params.id ?? '', deps.register));
  if (!customer) return notFound(request, 'customer');
  const type = request.query.type;
  if (!isType(type)) return { customer };
  // 8.2: refusing all contact needs a senior manager; the shell checked only manage-restrictions.
  const permission = permissionToManage(type);
  if (!allowed(request, permission)) return forbidden(request, permission);
  return { customer, type };
}

const answered = (value: ConsoleResponse | object): value is ConsoleResponse => 'kind' in value;

export const imposePages: ConsolePage<ConsoleDeps>[] = [
  {
    method: 'GET',
    pattern,
    permission: 'manage-restrictions',
    async handle(request, deps) {
      const found = await context(request, deps);
      if (answered(found)) return found;
      const { customer, type } = found;
      if (!type) return chooseType(request, customer);
      const values = initialValues({ decidedBy: request.user.name, startsAt: deps.now() });
      return showForm(request, customer, type, values, noErrors);
    },
  },
  {
    method: 'POST',
    pattern,
    permission: 'manage-restrictions',
    async handle(request, deps) {
      const found = await context(request, deps);
      if (answered(found)) return found;
      const { customer, type } = found;
      if (!type) return chooseType(request, customer);
      if (request.form.edit) return showForm(request, customer, type, request.form, noErrors);
      if (request.form.confirm) return impose(request, deps, customer, type);
      return showCheck(request, deps, customer, type);
    },
  },
];
