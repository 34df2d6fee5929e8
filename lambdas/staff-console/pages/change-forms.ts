import type { Permission } from '../../core/staff-roles';
import type { FieldOption, FieldSpec } from './form-fields';

/**
 * The forms that change what is already recorded: a restriction's extension, lifting, review,
 * advice dates and acknowledged clashes (10.1, 12.1.4), an escalation step (7.2) and an alert's
 * outcome. Field names are the admin API's (core/restriction-actions.ts, core/escalation.ts).
 */

const decidedBy: FieldSpec = {
  name: 'decidedBy',
  kind: 'text',
  label: 'Decided by',
  hint: 'A service manager or above (8.1). Signs the letter.',
  missing: 'Enter who decided',
};

export const howOptions: readonly FieldOption[] = [
  { value: 'phone', text: 'Phone' },
  { value: 'letter', text: 'Letter' },
  { value: 'email', text: 'Email' },
  { value: 'in-person', text: 'In person' },
];

export interface ChangeForm {
  /** The last part of `/staff/restrictions/:id/<path>`, and the admin API's. */
  path: 'extend' | 'lift' | 'review' | 'advised' | 'acknowledge-conflicts';
  heading: string;
  intro: string;
  button: string;
  /** The `?done=` code of the banner on the customer page. */
  done: string;
  /** What the role needs (8.2: for a refusal of all contact, extending or lifting needs a senior manager). */
  permission: Permission;
  /** Whether the change writes a letter to the customer (8.1, 10.1). */
  writesLetter?: true;
  /** Whether the person's name goes into this field to start with. */
  signedBy?: string;
  fields: FieldSpec[];
}

export const changeForms: readonly ChangeForm[] = [
  {
    path: 'extend',
    heading: 'Extend the restriction',
    intro:
      'At review, if the contact has continued, the restriction may run longer (10.1). The customer is written to about the new period, and must be advised again.',
    button: 'Extend and write the letter',
    writesLetter: true,
    done: 'extended',
    permission: 'manage-restrictions',
    signedBy: 'decidedBy',
    fields: [
      {
        name: 'endsAt',
        kind: 'date',
        label: 'New last day',
        hint: 'The restriction applies until the end of this day.',
        missing: 'Enter the new last day',
      },
      {
        name: 'reviewAt',
        kind: 'date',
        label: 'Next review date',
        hint: 'Leave blank for 12 months from today (10.1).',
        optional: true,
      },
      {
        name: 'reason',
        kind: 'textarea',
        label: 'Why it is extended',
        hint: 'Written into the letter: what contact continued (10.1).',
        missing: 'Enter why the restriction is extended',
      },
      decidedBy,
    ],
  },
  {
    path: 'lift',
    heading: 'Lift the restriction',
    intro:
      'Lifting ends the restriction today. The customer is written to that it has ended; the register keeps the record (7.4, 12.1).',
    button: 'Lift and write the letter',
    writesLetter: true,
    done: 'lifted',
    permission: 'manage-restrictions',
    signedBy: 'decidedBy',
    fields: [
      {
        name: 'reason',
        kind: 'textarea',
        label: 'Why it is lifted',
        hint: 'Written into the letter to the customer.',
        missing: 'Enter why the restriction is lifted',
      },
      decidedBy,
    ],
  },
  {
    path: 'review',
    heading: 'Record a review',
    intro:
      'The service manager reviews the restriction after 12 months (10.1). Record a review that keeps it as it is; to change its period, extend or lift it instead.',
    button: 'Record the review',
    done: 'reviewed',
    permission: 'manage-restrictions',
    signedBy: 'reviewedBy',
    fields: [
      {
        name: 'notes',
        kind: 'textarea',
        label: 'What the review found',
        hint: 'For example whether contact continued and why the restriction is still needed.',
        missing: 'Enter what the review found',
      },
      {
        name: 'nextReviewAt',
        kind: 'date',
        label: 'Next review date',
        missing: 'Enter the next review date',
      },
      { name: 'reviewedBy', kind: 'text', label: 'Reviewed by', missing: 'Enter who reviewed it' },
    ],
  },
  {
    path: 'advised',
    heading: 'Record when the customer and services were advised',
    intro:
      'The register records when the customer and the services were told of the restriction (12.1.4). The letter is sent by a person; record the date it went.',
    button: 'Record the dates',
    done: 'advised',
    permission: 'record-advice',
    fields: [
      { name: 'customerAdvisedAt', kind: 'date', label: 'Customer advised on', optional: true },
      {
        name: 'how',
        kind: 'text',
        label: 'How the customer was advised',
        hint: 'For example "letter sent first class" or "email".',
        optional: true,
      },
      { name: 'servicesAdvisedAt', kind: 'date', label: 'Services advised on', optional: true },
    ],
  },
  {
    path: 'acknowledge-conflicts',
    heading: 'Acknowledge the clash with reasonable adjustments',
    intro:
      'The restriction takes away a way of contact that a recorded reasonable adjustment relies on. Say how the adjustment will still be met; the warning then leaves the register.',
    button: 'Acknowledge the clash',
    done: 'acknowledged',
    permission: 'acknowledge-conflicts',
    signedBy: 'by',
    fields: [
      {
        name: 'reason',
        kind: 'textarea',
        label: 'How the adjustment will still be met',
        missing: 'Enter how the adjustment will still be met',
      },
      { name: 'by', kind: 'text', label: 'Acknowledged by', optional: true },
    ],
  },
];

/** Staged escalation (7.2): the step, when and how the customer was told, and why a step was left out. */
export const escalationFields: FieldSpec[] = [
  {
    name: 'step',
    kind: 'radios',
    label: 'Step',
    missing: 'Select the step',
    options: [
      {
        value: 'concern-raised',
        text: 'Concern raised (7.2)',
        hint: 'The behaviour is proving time consuming or disruptive.',
      },
      {
        value: 'warning-given',
        text: 'Warning given (7.2.1)',
        hint: 'The customer was told why their behaviour causes concern, asked to moderate it, and told what may follow.',
      },
      {
        value: 'written-notice',
        text: 'Written notice sent (7.2.2)',
        hint: 'A service manager wrote about the further action and the procedures that will apply.',
      },
    ],
  },
  { name: 'at', kind: 'date', label: 'When', hint: 'Leave blank for today.', optional: true },
  {
    name: 'how',
    kind: 'radios',
    label: 'How the customer was told',
    hint: 'Needed for a warning or written notice.',
    optional: true,
    missing: 'Select how the customer was told (7.2.1)',
    inline: true,
    options: howOptions,
  },
  {
    name: 'by',
    kind: 'text',
    label: 'Who',
    hint: 'Who raised the concern or told the customer.',
    missing: 'Enter who',
  },
  { name: 'note', kind: 'textarea', label: 'Note', optional: true },
  {
    name: 'skipReason',
    kind: 'textarea',
    label: 'Why an earlier step was left out',
    hint: 'Only when this step comes without the one before it, for example after threats to staff (8.3).',
    optional: true,
    missing: 'Give the reason the earlier step was left out, or record that step first',
  },
];

/** A manager's outcome of a frequency alert (4.2.7, 7.2.1): it closes the alert. */
export const alertOutcomeFields: FieldSpec[] = [
  {
    name: 'outcome',
    kind: 'radios',
    label: 'Outcome',
    missing: 'Select the outcome',
    options: [
      {
        value: 'no-action',
        text: 'No action needed',
        hint: 'The contact was reasonable, for example about a new matter (9.1).',
      },
      {
        value: 'customer-contacted',
        text: 'Customer contacted and asked to moderate their contact (7.2.1)',
      },
      {
        value: 'warning-given',
        text: 'Warning given (7.2.1)',
        hint: "Also records the warning on the customer's escalation timeline.",
      },
    ],
  },
  {
    name: 'how',
    kind: 'radios',
    label: 'How the customer was contacted',
    hint: 'Needed when the customer was contacted or warned.',
    optional: true,
    missing: 'Select how the customer was contacted (7.2.1)',
    inline: true,
    options: howOptions,
  },
  { name: 'by', kind: 'text', label: 'Who', missing: 'Enter who decided the outcome' },
  { name: 'note', kind: 'textarea', label: 'Note', optional: true },
];
