import { type RestrictionType, weekdays } from '../../core/restriction';
import type { FieldSpec } from './form-fields';

/**
 * The impose form of each restriction type (7.3, 8.2): what the clause lets the council do, in
 * the console's own words, and the type's fields, named as the admin API's (core/restriction.ts).
 */
interface RestrictionForm {
  /** What the clause means in practice, for the manager deciding. */
  meaning: string[];
  fields: FieldSpec[];
}

const mailbox = (name: string, label: string, hint: string, optional = false): FieldSpec => ({
  name,
  kind: 'email',
  label,
  hint,
  optional,
  missing: `Enter the ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
});

const designatedReader = (optional: boolean) =>
  mailbox(
    'designatedReader',
    "Designated reader's mailbox",
    'The member of staff who still reads everything the customer sends, so nothing new is missed (9.1). A council mailbox.',
    optional,
  );

export const restrictionForms: Record<RestrictionType, RestrictionForm> = {
  'third-party-phone-only': {
    meaning: [
      'The customer may no longer telephone the council themselves. Calls are taken only from someone speaking for them, for example their solicitor, a councillor or a friend.',
      'Letters and emails from the customer are dealt with as usual.',
    ],
    fields: [
      {
        name: 'thirdParties',
        kind: 'lines',
        label: 'Who may telephone for the customer',
        hint: 'One a line, for example "Their solicitor, Smith & Co". Leave blank to allow anyone acting for them.',
        optional: true,
      },
    ],
  },
  'no-email-letter-only': {
    meaning: [
      'The council stops corresponding with the customer by email and asks them to write by letter instead.',
      'Screening still passes any email or web-form message that arrives to a designated reader, who reads it (9.1); the customer gets a notice saying how to write.',
    ],
    fields: [
      designatedReader(true),
      {
        name: 'writeTo',
        kind: 'textarea',
        label: 'Address the customer should write to',
        hint: "Leave blank for the council's postal address.",
        optional: true,
      },
    ],
  },
  'office-appointment-only': {
    meaning: ['The customer may come to council offices only with an appointment made beforehand.'],
    fields: [
      {
        name: 'appointmentsVia',
        kind: 'text',
        label: 'How the customer makes an appointment',
        hint: 'Shown in the letter, for example "call 01234 567890 on weekdays".',
        optional: true,
      },
    ],
  },
  'single-named-officer': {
    meaning: [
      "All the customer's contact is with one member of staff. Screening forwards their email and web-form messages to that officer's mailbox.",
    ],
    fields: [
      mailbox(
        'namedOfficer',
        "Named officer's mailbox",
        'A council mailbox, for example casework.officer@council.example.',
      ),
      {
        name: 'namedOfficerName',
        kind: 'text',
        label: "Named officer's name",
        hint: 'Shown in the letter so the customer knows who to contact.',
        optional: true,
      },
      {
        name: 'namedOfficerPhone',
        kind: 'text',
        label: "Named officer's telephone",
        hint: 'Shown in the letter, for example 01707 357123.',
        optional: true,
      },
    ],
  },
  'phone-hours': {
    meaning: [
      'The customer may telephone only on the days and between the times set here, and each call may be limited in length.',
    ],
    fields: [
      {
        name: 'days',
        kind: 'checkboxes',
        label: 'Days calls are taken',
        missing: 'Select at least one day calls are taken',
        options: weekdays.map((day) => ({ value: day, text: day.charAt(0).toUpperCase() + day.slice(1) })),
      },
      {
        name: 'from',
        kind: 'time',
        label: 'Calls taken from',
        hint: 'A time of day, for example 09:30.',
        missing: 'Enter the time calls are taken from',
      },
      {
        name: 'until',
        kind: 'time',
        label: 'Calls taken until',
        hint: 'For example 12:00.',
        missing: 'Enter the time calls are taken until',
      },
      { name: 'maxCallMinutes', kind: 'number', label: 'Longest call, in minutes', optional: true },
    ],
  },
  'witness-required': {
    meaning: [
      'Any meeting or other personal contact with the customer happens only with a suitable witness present.',
    ],
    fields: [
      {
        name: 'witness',
        kind: 'text',
        label: 'Who acts as witness',
        hint: 'For example "a second officer or a team leader". Leave blank for "an appropriate witness".',
        optional: true,
      },
    ],
  },
  'topic-no-reply': {
    meaning: [
      'The council stops replying to, or acknowledging, contact from the customer about one topic or complaint.',
      'A designated member of staff must still read everything on that topic, so that anything new is noticed. Contact on other matters is dealt with as usual (9.1).',
    ],
    fields: [
      {
        name: 'topic',
        kind: 'text',
        label: 'Topic or case reference',
        hint: 'As the customer would name it, or a case reference such as CMP-12345.',
        missing: 'Enter the topic or case reference',
      },
      designatedReader(false),
    ],
  },
  'social-media': {
    meaning: [
      "The customer's access to the council's social media accounts is restricted, or blocked altogether.",
    ],
    fields: [
      {
        name: 'platforms',
        kind: 'lines',
        label: 'Platforms',
        hint: 'One a line. Leave blank for all of them.',
        optional: true,
      },
      {
        name: 'scope',
        kind: 'radios',
        label: 'Access',
        optional: true,
        options: [
          { value: 'restricted', text: 'Restricted' },
          { value: 'blocked', text: 'Blocked' },
        ],
      },
    ],
  },
  'home-visits-paired': {
    meaning: [
      'The council either makes no home visits to the customer, or sends two members of staff together.',
    ],
    fields: [
      {
        name: 'homeVisits',
        kind: 'radios',
        label: 'Home visits',
        optional: true,
        options: [
          { value: 'paired-only', text: 'Only by two members of staff together' },
          { value: 'refused', text: 'No home visits' },
        ],
      },
    ],
  },
  'all-contact-refused': {
    meaning: [
      'When the behaviour continues after other restrictions, the council may refuse all contact with the customer and stop investigating what they raised.',
      'Only a member of the Senior Management Team may decide this, after consulting the Assistant Director (Customer and Transformation). A designated reader still reads everything, so a genuinely new matter is not missed (9.1, 9.2).',
    ],
    fields: [
      designatedReader(false),
      {
        name: 'seniorApprover',
        kind: 'text',
        label: 'Senior manager who decided',
        hint: 'A member of the Senior Management Team (8.2). Named in the letter.',
        missing: 'Enter the senior manager who decided',
      },
      {
        name: 'consultedWith',
        kind: 'text',
        label: 'Decided in consultation with',
        hint: 'Leave blank for the Assistant Director (Customer and Transformation).',
        optional: true,
      },
    ],
  },
};

/** What every restriction needs: why, who decided, its period and review (7.3, 8.1, 10.1, 12.1). */
export const commonRestrictionFields: FieldSpec[] = [
  {
    name: 'reason',
    kind: 'textarea',
    label: 'Why the restriction is needed',
    hint: 'Written into the letter to the customer (8.1.1). Say what the behaviour was and which parts of the policy it meets, for example 4.2.7.',
    missing: 'Enter why the restriction is needed',
  },
  {
    name: 'decidedBy',
    kind: 'text',
    label: 'Decided by',
    hint: 'A service manager or above (8.1). Signs the letter.',
    missing: 'Enter who decided',
  },
  {
    name: 'startsAt',
    kind: 'date',
    label: 'Start date',
    hint: 'For example 1 12 2026.',
    missing: 'Enter the start date',
  },
  {
    name: 'endsAt',
    kind: 'date',
    label: 'Last day',
    hint: 'The restriction applies until the end of this day; the customer is told how long it lasts (7.3, 8.1.3).',
    missing: 'Enter the last day the restriction applies',
  },
  {
    name: 'reviewAt',
    kind: 'date',
    label: 'Review date',
    hint: 'Leave blank for 12 months after the start (10.1).',
    optional: true,
  },
  {
    name: 'measuresWhenContactNecessary',
    kind: 'textarea',
    label: 'What staff do when contact is necessary',
    hint: 'For example "Urgent repairs: the named officer phones the customer" (12.1.5).',
    optional: true,
  },
];

/** 8.3: without a recorded warning, the reason for restricting at once. */
export const withoutWarningField: FieldSpec = {
  name: 'withoutWarningReason',
  kind: 'textarea',
  label: 'Why the customer was not warned first',
  hint: 'For example threats to the safety of staff (8.3).',
  missing: 'Enter why the customer was not warned first, or record a warning before imposing',
};

/** The fields of one type's form, in order: the type's own, then the common ones, then 8.3 when needed. */
export const imposeFields = (type: RestrictionType, warned: boolean): FieldSpec[] => [
  ...restrictionForms[type].fields,
  ...commonRestrictionFields,
  ...(warned ? [] : [withoutWarningField]),
];
