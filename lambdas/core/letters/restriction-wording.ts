import { type Restriction, type RestrictionType, weekdays } from '../restriction';
import { clockInWords } from './dates-in-words';
import { listInWords } from './wording';

/** How the customer reads each type: the catalogue's titles are written for staff. */
export const customerTitles: Record<RestrictionType, string> = {
  'third-party-phone-only': 'telephone contact only through someone acting for you',
  'no-email-letter-only': 'contact by letter instead of email',
  'office-appointment-only': 'visits to our offices by appointment only',
  'single-named-officer': 'contact through one named member of staff',
  'phone-hours': 'telephone calls on set days and at set times',
  'witness-required': 'meetings only with a witness present',
  'topic-no-reply': 'no further replies on one matter',
  'social-media': 'access to our social media',
  'home-visits-paired': 'home visits',
  'all-contact-refused': 'no further replies to your contact',
};

/** 8.1.2: what the restriction means for the customer, in plain words, from its type-specific fields. */
export function describeAction(restriction: Restriction, postalAddress: string): string[] {
  switch (restriction.type) {
    case 'third-party-phone-only': {
      const parties = restriction.thirdParties?.length
        ? listInWords(restriction.thirdParties, 'or')
        : 'someone acting on your behalf, such as a solicitor, a councillor or a friend';
      return [
        'We will not take telephone calls from you. If something needs to be discussed by telephone, ' +
          `${parties} may call us for you.`,
        'You can still write to us by letter or email.',
      ];
    }
    case 'no-email-letter-only':
      return [
        'We will not accept emails or messages sent through our website from you. Please write to us by letter, ' +
          `at ${restriction.writeTo ?? postalAddress}.`,
        // 9.1: what arrives by email is still read
        'If you do send an email, it will not be ignored: it will be passed to the member of staff who reads ' +
          'your correspondence, but we will reply only by letter.',
      ];
    case 'office-appointment-only':
      return [
        'You may visit our offices only by appointment. Please do not come to our offices without one.',
        restriction.appointmentsVia
          ? `To make an appointment: ${restriction.appointmentsVia}.`
          : 'To make an appointment, please contact us using the details in this letter.',
      ];
    case 'single-named-officer': {
      // 7.3.4: the officer by name where the register has it, else by their mailbox; their telephone if given.
      const { namedOfficer, namedOfficerName, namedOfficerPhone } = restriction;
      const phone = namedOfficerPhone ? `telephone ${namedOfficerPhone}` : undefined;
      const officer = namedOfficerName
        ? `${namedOfficerName} (${[namedOfficer, phone].filter(Boolean).join(', ')})`
        : `the member of staff who uses the mailbox ${namedOfficer}${phone ? ` (${phone})` : ''}`;
      return [
        `From now on, all your contact with us should be with one member of staff: ${officer}. ` +
          `Please send all your correspondence to them${phone ? ', and make any telephone calls to them' : ''}.`,
        'If you contact anyone else at the council, your message will be passed to them to deal with.',
      ];
    }
    case 'phone-hours': {
      const days = daysInWords(restriction.days);
      const length = restriction.maxCallMinutes
        ? ` Each call will last no longer than ${restriction.maxCallMinutes} minute${restriction.maxCallMinutes === 1 ? '' : 's'}.`
        : '';
      return [
        `You may telephone us only ${days}, from ${clockInWords(restriction.from)} until ${clockInWords(restriction.until)}.${length}`,
        'Calls at other times will not be taken. You can still write to us by letter or email.',
      ];
    }
    case 'witness-required':
      return [
        'Any meeting with you, or other contact in person, will take place only with ' +
          `${restriction.witness ?? 'an appropriate witness'} present.`,
      ];
    case 'topic-no-reply':
      return [
        `We will not reply to, or acknowledge, any further contact from you about ${restriction.topic}.`,
        // 7.3.7: a designated member of staff reads future correspondence
        'A designated member of staff will still read everything you send us about it, so that anything new ' +
          'is not missed. Contact about other matters will be dealt with in the usual way.',
      ];
    case 'social-media': {
      const where = restriction.platforms?.length
        ? `our accounts on ${listInWords(restriction.platforms, 'and')}`
        : 'our social media accounts';
      return restriction.scope === 'blocked'
        ? [
            `We have blocked your access to ${where}. Please contact us by letter, email or telephone instead.`,
          ]
        : [
            `We have restricted your access to ${where}. Please contact us by letter, email or telephone rather ` +
              'than through social media.',
          ];
    }
    case 'home-visits-paired':
      return restriction.homeVisits === 'refused'
        ? [
            'We will not make home visits to you. We will deal with your matters by letter, email or telephone.',
          ]
        : ['If we need to visit you at home, two members of staff will attend together.'];
    case 'all-contact-refused':
      return [
        'We will not reply to any further contact from you, and we have stopped our investigation of the ' +
          'matters you raised.',
        // 8.2 and 9.1: a designated reader still reads everything
        'A designated member of staff will still read everything you send us, so that a genuinely new ' +
          'matter is not missed.',
      ];
    default:
      return assertNever(restriction);
  }
}

const dayNames: Record<(typeof weekdays)[number], string> = {
  monday: 'Mondays',
  tuesday: 'Tuesdays',
  wednesday: 'Wednesdays',
  thursday: 'Thursdays',
  friday: 'Fridays',
  saturday: 'Saturdays',
  sunday: 'Sundays',
};

/** `on weekdays (Monday to Friday)`, `on Mondays and Thursdays`. */
function daysInWords(days: readonly (typeof weekdays)[number][]): string {
  const ordered = weekdays.filter((day) => days.includes(day));
  if (ordered.length === 7) return 'on any day of the week';
  if (ordered.length === 5 && !ordered.includes('saturday') && !ordered.includes('sunday')) {
    return 'on weekdays (Monday to Friday)';
  }
  return `on ${listInWords(
    ordered.map((day) => dayNames[day]),
    'and',
  )}`;
}

function assertNever(value: never): never {
  throw new Error(`Unknown restriction type: ${(value as { type?: unknown }).type}`);
}
