import type { FieldProblem } from '../../core/validation';
import type { ConsoleRequest } from '../types';
import { dateParts } from '../views/dates';

/**
 * The console's forms as data: one list of fields serves reading the posted form into the admin
 * API's body (dates from GOV.UK date inputs, lists from one-a-line text areas), rendering each
 * field with its GOV.UK macro, and showing the core's validation problems beside the fields.
 */
export type FieldKind =
  | 'text'
  | 'email'
  | 'textarea'
  | 'date'
  | 'time'
  | 'number'
  | 'lines'
  | 'checkboxes'
  | 'radios';

export interface FieldOption {
  value: string;
  text: string;
  hint?: string;
}

export interface FieldSpec {
  /** The admin API's field name; a date input's parts are `<name>-day`, `-month`, `-year`. */
  name: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  optional?: boolean;
  options?: readonly FieldOption[];
  /** What to say when it is left empty ("Enter why …"). */
  missing?: string;
  /** Short choices side by side (radios). */
  inline?: boolean;
}

export type FormValues = ConsoleRequest['form'];

const text = (values: FormValues, name: string): string => {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
};

const list = (values: FormValues, name: string): string[] => {
  const value = values[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => v !== '');
};

/** A GOV.UK date input's three parts as `YYYY-MM-DD`: undefined when all are empty, a problem when incomplete. */
function readDate(values: FormValues, name: string): { value?: string; problem?: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(values, `${name}-${part}`));
  if (!day && !month && !year) return {};
  if (!day || !month || !year) return { problem: 'must include a day, month and year' };
  if (![day, month, year].every((part) => /^\d+$/.test(part)) || year.length !== 4) {
    return { problem: 'must be a real date, for example 31 3 2027' };
  }
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return { problem: 'must be a real date, for example 31 3 2027' };
  }
  return { value: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
}

/** The posted form as the admin API's body: empty fields left out, so the core says what is required. */
export function readFields(specs: readonly FieldSpec[], values: FormValues) {
  const body: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const spec of specs) {
    switch (spec.kind) {
      case 'date': {
        const { value, problem } = readDate(values, spec.name);
        if (problem) problems.push({ field: spec.name, problem });
        if (value) body[spec.name] = value;
        break;
      }
      case 'lines': {
        const lines = text(values, spec.name)
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean);
        if (lines.length > 0) body[spec.name] = lines;
        break;
      }
      case 'checkboxes': {
        const chosen = list(values, spec.name);
        if (chosen.length > 0) body[spec.name] = chosen;
        break;
      }
      case 'number': {
        const raw = text(values, spec.name);
        if (!raw) break;
        if (/^\d+$/.test(raw)) body[spec.name] = Number(raw);
        else problems.push({ field: spec.name, problem: 'must be a whole number' });
        break;
      }
      default: {
        const raw = text(values, spec.name);
        if (raw) body[spec.name] = raw;
      }
    }
  }
  return { body, problems };
}

const lowerFirst = (value: string) => value.charAt(0).toLowerCase() + value.slice(1);
const upperFirst = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const choosing = (spec: FieldSpec) => spec.kind === 'radios' || spec.kind === 'checkboxes';

/** The element an error summary link moves focus to (GOV.UK: the first input of the field). */
export function anchorOf(spec: FieldSpec): string {
  return spec.kind === 'date' ? `${spec.name}-day` : spec.name;
}

/** Whether nothing was given for the field (then any problem is that it is missing). */
function isEmpty(spec: FieldSpec, values: FormValues): boolean {
  const names =
    spec.kind === 'date' ? ['day', 'month', 'year'].map((part) => `${spec.name}-${part}`) : [spec.name];
  return names.every((name) => list(values, name).every((value) => value.trim() === ''));
}

/** The core's problem in words a manager reads beside the field, naming other fields by their labels. */
function messageFor(spec: FieldSpec, problem: string, specs: readonly FieldSpec[], empty: boolean): string {
  if (empty || /^(is required|must not be empty|must name at least one day)$/.test(problem)) {
    return spec.missing ?? `${choosing(spec) ? 'Select' : 'Enter'} ${lowerFirst(spec.label)}`;
  }
  const worded = specs.reduce(
    (words, other) => words.replace(new RegExp(`\\b${other.name}\\b`, 'g'), `the ${lowerFirst(other.label)}`),
    problem,
  );
  return `${upperFirst(spec.label)} ${worded}`;
}

export interface FormErrors {
  /** For govukErrorSummary, in the order of the form. */
  summary: Array<{ text: string; href?: string }>;
  byField: Record<string, string>;
}

/** Problems (from readFields and the core's ValidationError) placed on their fields; others summarised alone. */
export function formErrors(
  specs: readonly FieldSpec[],
  problems: readonly FieldProblem[],
  values: FormValues,
): FormErrors {
  const byField: Record<string, string> = {};
  const loose: FormErrors['summary'] = [];
  for (const problem of problems) {
    const name = problem.field.split('.')[0] ?? '';
    // A nested field (`caller.phone`) is its own input; a problem with the whole (`caller`) goes on its first.
    const spec =
      specs.find((candidate) => candidate.name === problem.field) ??
      specs.find((candidate) => candidate.name === name) ??
      specs.find((candidate) => candidate.name.startsWith(`${name}.`));
    if (!spec) {
      loose.push({
        text: problem.field === '(body)' ? problem.problem : `${problem.field}: ${problem.problem}`,
      });
      continue;
    }
    byField[spec.name] ??= messageFor(spec, problem.problem, specs, isEmpty(spec, values));
  }
  const summary = specs
    .filter((spec) => byField[spec.name])
    .map((spec) => ({ text: byField[spec.name] as string, href: `#${anchorOf(spec)}` }));
  return { summary: [...summary, ...loose], byField };
}

export const noErrors: FormErrors = { summary: [], byField: {} };

/** Starting values for a form: a date field's parts from a day, the rest as given. */
export function initialValues(values: Record<string, string | Date | undefined>): FormValues {
  const form: FormValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value instanceof Date) {
      const parts = dateParts(value);
      form[`${name}-day`] = parts.day;
      form[`${name}-month`] = parts.month;
      form[`${name}-year`] = parts.year;
    } else form[name] = value;
  }
  return form;
}

/** One field as its GOV.UK macro's parameters (the template picks the macro by `kind`). */
export function fieldView(spec: FieldSpec, values: FormValues, errors: FormErrors) {
  const error = errors.byField[spec.name];
  const errorMessage = error ? { text: error } : undefined;
  const label = spec.optional ? `${spec.label} (optional)` : spec.label;
  const hint = spec.hint ? { text: spec.hint } : undefined;
  const legend = { text: label, classes: 'govuk-fieldset__legend--s' };
  const common = { id: spec.name, name: spec.name, hint, errorMessage };
  const params = (() => {
    switch (spec.kind) {
      case 'date':
        return {
          id: spec.name,
          namePrefix: spec.name,
          fieldset: { legend },
          hint,
          errorMessage,
          items: (['day', 'month', 'year'] as const).map((part) => ({
            name: part,
            classes: `govuk-input--width-${part === 'year' ? 4 : 2}${error ? ' govuk-input--error' : ''}`,
            value: text(values, `${spec.name}-${part}`),
          })),
        };
      case 'checkboxes':
      case 'radios': {
        const chosen = list(values, spec.name);
        return {
          idPrefix: spec.name,
          name: spec.name,
          fieldset: { legend },
          hint,
          errorMessage,
          classes:
            spec.kind === 'checkboxes'
              ? 'govuk-checkboxes--small'
              : spec.inline
                ? 'govuk-radios--inline'
                : undefined,
          items: (spec.options ?? []).map((option) => ({
            value: option.value,
            text: option.text,
            hint: option.hint ? { text: option.hint } : undefined,
            checked: chosen.includes(option.value),
          })),
        };
      }
      case 'textarea':
      case 'lines':
        return {
          ...common,
          label: { text: label, classes: 'govuk-label--s' },
          value: text(values, spec.name),
          rows: 4,
        };
      default:
        return {
          ...common,
          label: { text: label, classes: 'govuk-label--s' },
          value: text(values, spec.name),
          type: spec.kind === 'email' ? 'email' : 'text',
          classes:
            spec.kind === 'time'
              ? 'govuk-input--width-5'
              : spec.kind === 'number'
                ? 'govuk-input--width-3'
                : 'govuk-!-width-two-thirds',
          ...(spec.kind === 'number' ? { inputmode: 'numeric' } : {}),
          ...(spec.kind === 'email' ? { spellcheck: false, autocomplete: 'off' } : {}),
        };
    }
  })();
  return { kind: spec.kind, params };
}

export const fieldViews = (specs: readonly FieldSpec[], values: FormValues, errors: FormErrors) =>
  specs.map((spec) => fieldView(spec, values, errors));

/** The form's values as hidden inputs (a check step carries them to the confirming POST). */
export function hiddenValues(
  values: FormValues,
  leaveOut: readonly string[] = ['csrfToken', 'confirm', 'edit'],
) {
  return Object.entries(values)
    .filter(([name]) => !leaveOut.includes(name))
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v })));
}
