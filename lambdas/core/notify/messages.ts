import type { FrequencyAlertDetail, FrequencyWindow, RestrictedRoutedDetail } from '../events';
import { type RestrictionStatus, type RestrictionType, restrictionCatalogue } from '../restriction';
import { formatForPeople, type Instant } from '../time';

/**
 * The texts managers receive (plain text, read in a mail program). They say what happened in the
 * council's own words, with the clause it relates to, and what a person does next: the system alerts,
 * people decide (P2). Message bodies never appear here; events carry ids and counts only (P7).
 */

export interface ManagerMessage {
  subject: string;
  text: string;
}

/** A restriction in force, as the alert shows it. */
export interface RestrictionInForce {
  id: string;
  type: RestrictionType;
  status: RestrictionStatus;
  endsAt: Instant;
  reviewAt: Instant;
}

/** What the register (or the frequency counts) says about who the alert is about. */
export type AlertPerson =
  | {
      kind: 'customer';
      customerId: string;
      /** False when the event names a customer the register no longer holds. */
      inRegister: true;
      name: string;
      restrictions: RestrictionInForce[];
      reasonableAdjustments?: string;
    }
  | { kind: 'customer'; customerId: string; inRegister: false }
  | {
      kind: 'sender';
      senderId: string;
      /** The address (or other identity) kept with the counts, when there is one. */
      address?: string;
    };

const windowWords: Record<FrequencyWindow, { pattern: string; clause: string }> = {
  topic: {
    clause: '4.2.7',
    pattern: 'a large number of contacts about the same matter, whatever the means of contact',
  },
  'all-topics': {
    clause: '4.2.8',
    pattern:
      'a high volume of contact across different matters, which can place unreasonable demands on officers',
  },
  channels: {
    clause: '4.2.12',
    pattern: 'the same person pursuing matters through several channels at once',
  },
};

const channelNames: Record<string, string> = {
  email: 'email',
  'web-form': 'web form',
  telephone: 'telephone',
  'in-person': 'in person',
  letter: 'letter',
  'social-media': 'social media',
};
/** `web-form` → `web form`; `email:<mailbox>` (email to one of the council's addresses) → `email to <mailbox>`. */
const channelName = (channel: string) => {
  const [kind = '', ...rest] = channel.split(':');
  const name = channelNames[kind] ?? kind;
  return rest.length > 0 ? `${name} to ${rest.join(':')}` : name;
};
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const topicHow: Record<string, string> = {
  'case-reference': 'a case reference in the subject or the message',
  'form-topic': 'the topic chosen on the web form',
  'similar-text': 'messages with nearly the same text',
  'new-text': 'the text of the message',
};

/** `6 contacts on CMP-12345 in 7 days`, `16 contacts on all topics in 30 days`, `3 channels in 7 days`. */
function headline(detail: FrequencyAlertDetail): string {
  const days = plural(detail.windowDays, 'day');
  switch (detail.window) {
    case 'topic':
      return `${plural(detail.count, 'contact')} on ${detail.topic?.label ?? 'one topic'} in ${days}`;
    case 'all-topics':
      return `${plural(detail.count, 'contact')} on all topics in ${days}`;
    case 'channels':
      return `contact through ${plural(detail.count, 'channel')} in ${days}`;
  }
}

function personInSubject(person: AlertPerson): string {
  if (person.kind === 'sender') return 'a sender not in the register';
  return person.inRegister ? person.name : `customer ${person.customerId}`;
}

function describeRestriction(restriction: RestrictionInForce): string {
  const { clause, title } = restrictionCatalogue[restriction.type];
  const review =
    restriction.status === 'review-overdue'
      ? `review overdue since ${formatForPeople(restriction.reviewAt)}`
      : `review due ${formatForPeople(restriction.reviewAt)}`;
  return `  - [${clause}] ${title} (${restriction.id}), until ${formatForPeople(restriction.endsAt)}; ${review}`;
}

function aboutThePerson(person: AlertPerson): string[] {
  if (person.kind === 'sender') {
    return [
      person.address
        ? `The contacts came from ${person.address}, a sender who is not in the register (sender id ${person.senderId}).`
        : `The contacts came from a sender who is not in the register (sender id ${person.senderId}).`,
      'No restriction applies to them. If they are a customer the register already knows under another',
      'address, a manager can add that address to their record.',
    ];
  }
  if (!person.inRegister) {
    return [
      `The alert names customer ${person.customerId}, whom the register no longer holds.`,
      'Check the register before acting on it.',
    ];
  }
  const lines = [`In the register: ${person.name} (customer ${person.customerId}).`];
  if (person.restrictions.length === 0) {
    lines.push('No restriction on their contact is in force now.');
  } else {
    lines.push(
      `Already restricted: ${plural(person.restrictions.length, 'restriction')} in force now —`,
      ...person.restrictions.map(describeRestriction),
    );
  }
  lines.push(
    '',
    person.reasonableAdjustments
      ? `Reasonable adjustments and vulnerability notes recorded: ${person.reasonableAdjustments}`
      : 'No reasonable adjustments or vulnerability notes are recorded for them.',
  );
  return lines;
}

function nextStep(person: AlertPerson): string[] {
  const restricted = person.kind === 'customer' && person.inRegister && person.restrictions.length > 0;
  return [
    'What happens next (policy 7.2.1)',
    'The officer dealing with the matter, or their service manager, contacts the person — by phone,',
    'letter or email — explains why the amount of contact is a concern, asks them to moderate it,',
    'and says what the council may do if it carries on.',
    ...(person.kind === 'customer' && person.inRegister && person.reasonableAdjustments
      ? ['Keep the reasonable adjustments above in mind when you do.']
      : []),
    ...(restricted
      ? [
          'They are already restricted: check whether these contacts are within what the restriction',
          'allows before deciding anything else.',
        ]
      : []),
    '',
    'This alert restricts nobody. Whether to restrict or change anyone’s contact is a decision for',
    'a person (policy 7.2, 8.2), recorded in the register with its reasons, period and review date.',
  ];
}

/** The managers' email for ContactFrequencyThresholdExceeded. */
export function frequencyAlertMessage(detail: FrequencyAlertDetail, person: AlertPerson): ManagerMessage {
  const words = windowWords[detail.window];
  const channels = detail.channels.map(channelName);
  const lines = [
    `Contact frequency alert ${detail.alertId}`,
    '',
    'What happened',
    `${capitalise(headline(detail))} (threshold ${detail.threshold}).`,
    `This is the pattern of ${words.pattern} (policy ${detail.clause}).`,
    '',
    'The counts',
    `  Contacts counted:   ${detail.count} in ${plural(detail.windowDays, 'day')} (threshold ${detail.threshold})`,
    ...(detail.totalInWindow === undefined
      ? []
      : [`  On all topics:      ${detail.totalInWindow} in the longer window`]),
    `  Channels:           ${channels.length > 0 ? channels.join(', ') : 'none recorded'}`,
    ...(detail.topic
      ? [
          `  Topic:              ${detail.topic.label} (found from ${topicHow[detail.topic.how] ?? detail.topic.how})`,
        ]
      : []),
    `  First contact:      ${formatForPeople(detail.firstContactAt)}`,
    `  Last contact:       ${formatForPeople(detail.lastContactAt)}`,
    '',
    `Contact references (${detail.contactReferences.length})`,
    ...(detail.contactReferences.length > 0
      ? detail.contactReferences.map((reference) => `  ${reference}`)
      : ['  none recorded']),
    '',
    'Who it is',
    ...aboutThePerson(person),
    '',
    ...nextStep(person),
    '',
    'Each reference above is in the X-Screening-Reference header of the forwarded contact it names.',
  ];
  return {
    subject: `Contact frequency alert: ${personInSubject(person)} — ${headline(detail)}`,
    text: lines.join('\n'),
  };
}

/** The managers' email for RestrictedContactRouted (only when NOTIFY_RESTRICTED_ROUTED is true). */
export function restrictedRoutedMessage(detail: RestrictedRoutedDetail): ManagerMessage {
  return {
    subject: `Restricted contact routed: ${detail.reference} (${detail.route})`,
    text: [
      `Contact ${detail.reference} came from a customer whose contact is restricted, and was routed`,
      `to the ${detail.route.replaceAll('-', ' ')} as the register says.`,
      '',
      `  Received:       ${formatForPeople(detail.receivedAt)} by ${channelName(detail.channel)}`,
      `  Customers:      ${detail.customerIds.join(', ') || 'none'}`,
      `  Restrictions:   ${detail.appliedRestrictionIds.join(', ') || 'none'}`,
      `  Clauses:        ${detail.clauses.join(', ') || 'none'}`,
      '',
      'Nothing needs doing unless the contact shows the restriction is no longer working; the forward',
      'itself explains every routing decision. Managers get this notice because NOTIFY_RESTRICTED_ROUTED is on.',
    ].join('\n'),
  };
}
