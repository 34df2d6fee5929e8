import { randomUUID } from 'node:crypto';
import {
  type IncidentKind,
  incidentChannels,
  incidentKinds,
  incidentRules,
  questionLabels,
} from '../../core/incidents';
import type { ConsoleRequest } from '../types';
import { type FieldSpec, type FormValues, readFields } from './form-fields';
import { channelLabels } from './present';

/**
 * The "Record an incident" form as data: field names are the admin API's (POST /admin/incidents),
 * the caller's as `caller.<field>`; the yes-or-no questions are one set of checkboxes, `answers`,
 * each read as true or false for the questions the chosen kind asks (kinds.ts).
 */
const allQuestions = [
  'warningGiven',
  'policeInformed',
  'emergencyServices',
  'staffProtectionReferral',
] as const;

export const incidentFields: FieldSpec[] = [
  {
    name: 'kind',
    kind: 'radios',
    label: 'What happened',
    missing: 'Select what happened',
    options: incidentKinds.map((kind) => ({
      value: kind,
      text: incidentRules[kind].label,
      hint: `${incidentRules[kind].severity === 'urgent' ? 'Urgent: also a safeguarding concern. ' : ''}Policy ${incidentRules[kind].clauses.join(', ')}`,
    })),
  },
  {
    name: 'channel',
    kind: 'radios',
    label: 'How the contact came',
    inline: true,
    missing: 'Select how the contact came',
    options: incidentChannels.map((channel) => ({ value: channel, text: channelLabels[channel] ?? channel })),
  },
  {
    name: 'at',
    kind: 'date',
    label: 'When it happened',
    hint: 'Leave blank for now. For example, 27 3 2027',
    optional: true,
  },
  {
    name: 'what',
    kind: 'textarea',
    label: 'What happened, in your words',
    hint: 'The file note (5.4.2, 5.7). Kept with the incident and shown to staff; never put in emails or events.',
    missing: 'Enter what happened',
  },
  {
    name: 'answers',
    kind: 'checkboxes',
    label: 'What was done',
    hint: 'Tick what applies; what you leave unticked is recorded as not done.',
    optional: true,
    options: allQuestions.map((question) => ({
      value: question,
      text: questionLabels[question].label,
      hint: `Policy ${questionLabels[question].clause}`,
    })),
  },
  { name: 'recordedBy', kind: 'text', label: 'Recorded by', missing: 'Enter who is recording it' },
];

export const callerFields: FieldSpec[] = [
  { name: 'caller.name', kind: 'text', label: 'Their name', optional: true },
  { name: 'caller.phone', kind: 'text', label: 'Their phone number', optional: true },
  { name: 'caller.email', kind: 'email', label: 'Their email address', optional: true },
  {
    name: 'caller.postcode',
    kind: 'text',
    label: 'Their postcode',
    hint: 'With their name, so they are recognised if they are registered later.',
    optional: true,
  },
];

/** The posted form as the admin API's body. */
export function incidentBody(form: FormValues, specs: readonly FieldSpec[]) {
  const { body, problems } = readFields(specs, form);
  const answers = (body.answers as string[] | undefined) ?? [];
  delete body.answers;
  const rule = incidentRules[body.kind as IncidentKind] as (typeof incidentRules)[IncidentKind] | undefined;
  for (const question of rule?.questions ?? []) body[question] = answers.includes(question);
  const caller: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (!key.startsWith('caller.')) continue;
    caller[key.slice('caller.'.length)] = body[key];
    delete body[key];
  }
  if (specs.some((spec) => spec.name.startsWith('caller.'))) body.caller = caller;
  return { body, problems };
}

/** The key that makes sending the same form twice record one incident (P6). */
export const formIdempotencyKey = (request: ConsoleRequest) => {
  const posted = request.form.idempotencyKey;
  const value = Array.isArray(posted) ? posted[0] : posted;
  return value && /^[\x21-\x7e]{1,200}$/.test(value) ? value : `console-${randomUUID()}`;
};
