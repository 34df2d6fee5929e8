import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EscalationStage } from '../../core/escalation';
import { clockInWords } from '../../core/letters';
import {
  type Restriction,
  type RestrictionStatus,
  type RestrictionType,
  restrictionCatalogue,
  unacknowledgedConflicts,
  weekdays,
} from '../../core/restriction';
import type { Permission } from '../../core/staff-roles';
import { lastDay, londonDay } from '../views/dates';

/** How the console shows the register's words: tags, labels and a restriction's details. */

/** The person in an audit actor (`Sam Manager (sub-…)`): their name, without the provider's subject. */
export const personOf = (actor: string) => actor.replace(/\s*\([^()]*\)$/, '') || actor;

/** A stored phone number (E.164) as staff dial it: `07700 900123` for UK numbers. */
export function phoneForPeople(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) return phone;
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational();
}

/** A GOV.UK tag per status: in force is what an officer must observe now. */
export const statusTags: Record<RestrictionStatus, { text: string; classes: string }> = {
  active: { text: 'In force', classes: 'govuk-tag--blue' },
  'review-overdue': { text: 'In force, review overdue', classes: 'govuk-tag--red' },
  scheduled: { text: 'Starts later', classes: 'govuk-tag--light-blue' },
  ended: { text: 'Ended', classes: 'govuk-tag--grey' },
  lifted: { text: 'Lifted', classes: 'govuk-tag--grey' },
};

export const stageLabels: Record<EscalationStage, { text: string; classes: string }> = {
  none: { text: 'No concerns recorded', classes: 'govuk-tag--grey' },
  'concern-raised': { text: 'Concern raised (7.2)', classes: 'govuk-tag--yellow' },
  'warning-given': { text: 'Warned (7.2.1)', classes: 'govuk-tag--orange' },
  'written-notice': { text: 'Written notice given (7.2.2)', classes: 'govuk-tag--orange' },
  restricted: { text: 'Restricted (7.3)', classes: 'govuk-tag--red' },
  'all-contact-refused': { text: 'All contact refused (8.2)', classes: 'govuk-tag--red' },
};

export const routeLabels: Record<string, string> = {
  service: 'Service inbox',
  'named-officer': 'Named officer (7.3.4)',
  'designated-reader': 'Designated reader (7.3.7, 8.2)',
  unscreened: 'Unscreened: service inbox (9.1)',
};

export const channelLabels: Record<string, string> = {
  email: 'Email',
  'web-form': 'Web form',
  telephone: 'Telephone',
  'in-person': 'In person',
  letter: 'Letter',
  'social-media': 'Social media',
};

export const titleOf = (type: RestrictionType) =>
  `${restrictionCatalogue[type].title} (${restrictionCatalogue[type].clause})`;

/** 8.2: refusing all contact, and changing such a refusal, is a senior manager's decision. */
export const permissionToManage = (type: RestrictionType): Permission =>
  type === 'all-contact-refused' ? 'refuse-all-contact' : 'manage-restrictions';

const days = (chosen: readonly string[]) =>
  weekdays
    .filter((day) => chosen.includes(day))
    .map((day) => day.charAt(0).toUpperCase() + day.slice(1))
    .join(', ');

/** The type's own fields, as rows (12.1.3: what the restriction is; 12.1.5: measures). */
function typeRows(restriction: Restriction): Array<[string, string]> {
  switch (restriction.type) {
    case 'third-party-phone-only':
      return restriction.thirdParties?.length
        ? [['Who may call for them', restriction.thirdParties.join(', ')]]
        : [];
    case 'no-email-letter-only':
      return [
        ...(restriction.designatedReader
          ? [['Designated reader', restriction.designatedReader] as [string, string]]
          : []),
        ...(restriction.writeTo ? [['Letters to', restriction.writeTo] as [string, string]] : []),
      ];
    case 'office-appointment-only':
      return restriction.appointmentsVia ? [['Appointments', restriction.appointmentsVia]] : [];
    case 'single-named-officer':
      return [
        [
          'Named officer',
          restriction.namedOfficerName
            ? `${restriction.namedOfficerName} (${restriction.namedOfficer})`
            : restriction.namedOfficer,
        ],
        ...(restriction.namedOfficerPhone
          ? [["Named officer's telephone", restriction.namedOfficerPhone] as [string, string]]
          : []),
      ];
    case 'phone-hours':
      return [
        [
          'Calls taken',
          `${days(restriction.days)}, ${clockInWords(restriction.from)} to ${clockInWords(restriction.until)}${
            restriction.maxCallMinutes ? `, at most ${restriction.maxCallMinutes} minutes a call` : ''
          }`,
        ],
      ];
    case 'witness-required':
      return restriction.witness ? [['Witness', restriction.witness]] : [];
    case 'topic-no-reply':
      return [
        ['Topic', restriction.topic],
        ['Designated reader', restriction.designatedReader],
      ];
    case 'social-media':
      return [
        ...(restriction.platforms?.length
          ? [['Platforms', restriction.platforms.join(', ')] as [string, string]]
          : []),
        ...(restriction.scope
          ? [['Access', restriction.scope === 'blocked' ? 'Blocked' : 'Restricted'] as [string, string]]
          : []),
      ];
    case 'home-visits-paired':
      return [
        ['Home visits', restriction.homeVisits === 'refused' ? 'Refused' : 'Only by two members of staff'],
      ];
    case 'all-contact-refused':
      return [
        ['Designated reader', restriction.designatedReader],
        ['Decided by (8.2)', restriction.seniorApprover],
        [
          'In consultation with',
          restriction.consultedWith ?? 'Assistant Director (Customer and Transformation)',
        ],
      ];
    default:
      return [];
  }
}

/** The rows of a restriction's summary card: 12.1.2 to 12.1.5, who decided and why (8.1), its review (10.1). */
export function restrictionRows(restriction: Restriction & { status: RestrictionStatus }) {
  const rows: Array<[string, string]> = [
    ['Starts', londonDay(restriction.startsAt)],
    ['Last day', lastDay(restriction.endsAt)],
    ['Review', londonDay(restriction.reviewAt)],
    ...typeRows(restriction),
    ['Decided by', restriction.decidedBy],
    ['Why (8.1.1)', restriction.reason],
  ];
  if (restriction.withoutWarningReason)
    rows.push(['Not warned first because (8.3)', restriction.withoutWarningReason]);
  if (restriction.measuresWhenContactNecessary) {
    rows.push(['When contact is necessary (12.1.5)', restriction.measuresWhenContactNecessary]);
  }
  rows.push([
    'Customer advised (12.1.4)',
    restriction.customerAdvisedAt
      ? `${londonDay(restriction.customerAdvisedAt)}${restriction.customerAdvisedHow ? `, ${restriction.customerAdvisedHow}` : ''}`
      : 'Not yet recorded',
  ]);
  rows.push([
    'Services advised (12.1.4)',
    restriction.servicesAdvisedAt ? londonDay(restriction.servicesAdvisedAt) : 'Not yet recorded',
  ]);
  for (const extension of restriction.extensions ?? []) {
    rows.push([
      `Extended ${londonDay(extension.at)}`,
      `by ${extension.by}: last day was ${lastDay(extension.previousEndsAt)}. ${extension.reason}`,
    ]);
  }
  for (const review of restriction.reviews ?? []) {
    rows.push([`Reviewed ${londonDay(review.at)}`, `by ${review.by}: ${review.notes}`]);
  }
  if (restriction.conflictsAcknowledged) {
    const ack = restriction.conflictsAcknowledged;
    rows.push(['Clash acknowledged', `${londonDay(ack.at)} by ${ack.by}: ${ack.reason}`]);
  }
  if (restriction.liftedAt) {
    rows.push([
      'Lifted',
      `${londonDay(restriction.liftedAt)} by ${restriction.liftedBy ?? ''}: ${restriction.liftReason ?? ''}`,
    ]);
  }
  return rows.map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
}

/** The changes a person may make to a restriction now, as links (buttons a role cannot use are not shown). */
export function restrictionActions(
  restriction: Restriction & { status: RestrictionStatus },
  can: (permission: Permission) => boolean,
) {
  const live = ['active', 'review-overdue', 'scheduled'].includes(restriction.status);
  const manage = can(permissionToManage(restriction.type));
  const base = `/staff/restrictions/${restriction.id}`;
  // The summary card names its title after each action for screen readers; no hidden text is needed here.
  const actions: Array<{ href: string; text: string }> = [];
  const add = (when: boolean, path: string, text: string) => {
    if (when) actions.push({ href: `${base}/${path}`, text });
  };
  add(manage && restriction.status !== 'scheduled' && live, 'review', 'Record review');
  add(manage && live, 'extend', 'Extend');
  add(manage && live, 'lift', 'Lift');
  add(
    can('record-advice') && live && (!restriction.customerAdvisedAt || !restriction.servicesAdvisedAt),
    'advised',
    'Record advice',
  );
  add(
    can('acknowledge-conflicts') && unacknowledgedConflicts(restriction).length > 0,
    'acknowledge-conflicts',
    'Acknowledge clash',
  );
  return actions;
}

/**
 * A tag per content-signal category (core/signals), with its clauses: a person judges the flag
 * (5.8, 3.3, 3.2.5); it changed nothing about the contact's route (P2).
 */
export const signalTags: Record<string, { text: string; classes: string; clauses: string }> = {
  threat: { text: 'Threat', classes: 'govuk-tag--red', clauses: '3.2.3, 3.3, 6.1' },
  'self-harm': { text: 'Self-harm risk', classes: 'govuk-tag--red', clauses: '3.2.5' },
  intimidation: { text: 'Intimidation', classes: 'govuk-tag--orange', clauses: '3.2.8' },
  offensive: { text: 'Offensive language', classes: 'govuk-tag--yellow', clauses: '3.1, 5.8' },
};

/** The tag for a category, whatever the category (a later detector may add one). */
export const signalTagOf = (category: string) =>
  signalTags[category] ?? { text: category, classes: 'govuk-tag--grey', clauses: '' };
