import type { RecordedChannel } from '../channels';
import {
  type Restriction,
  type RestrictionOf,
  type RestrictionType,
  restrictionCatalogue,
} from '../restriction';
import { topicRelation } from '../routing-rules';
import type { ContactToScreen, ReaderNote } from '../screen';
import type { Instant } from '../time';
import { checkPhoneHours, type PhoneHoursCheck } from './phone-hours';

/**
 * What a restriction in force asks of the officer who is taking a contact now, in words for the
 * channel it came by (a call, a visit, a letter, a message on social media): one line per
 * restriction, ending with its clause. `attention` marks a line the officer must act on before
 * going on (the call should go elsewhere, it is outside the allowed hours, a witness is needed).
 */
export interface Measure extends ReaderNote {
  attention: boolean;
}

export interface MeasureContext {
  channel: RecordedChannel;
  at: Instant;
  /** The contact as screened: its topic and case references, for 7.3.7. */
  contact: ContactToScreen;
}

interface Phrase {
  text: string;
  attention?: boolean;
}

type Phrasing<T extends RestrictionType> = (restriction: RestrictionOf<T>, context: MeasureContext) => Phrase;

/** One entry per restriction type: the wording for each channel that needs its own, and the default. */
type PhrasingTable = {
  [T in RestrictionType]: { default: Phrasing<T> } & Partial<Record<RecordedChannel, Phrasing<T>>>;
};

const inBrackets = (values: readonly string[] | undefined) =>
  values && values.length > 0 ? ` (${values.join(', ')})` : '';
const officerOf = (r: RestrictionOf<'single-named-officer'>) =>
  `${r.namedOfficerName ? `${r.namedOfficerName}, ` : ''}${r.namedOfficer}${r.namedOfficerPhone ? `, ${r.namedOfficerPhone}` : ''}`;
const lengthOf = (check: PhoneHoursCheck) =>
  check.maxCallMinutes ? `, at most ${check.maxCallMinutes} minutes a call` : '';

/**
 * The phrasing table (STYLE 9: decisions as data). The README and the tests read the same table.
 * The words are this product's, not the policy's; each line cites its clause.
 */
export const measurePhrasings: PhrasingTable = {
  'third-party-phone-only': {
    telephone: (r) => ({
      text: `This caller may phone only through their representative${inBrackets(r.thirdParties)}: go on only if the representative is calling`,
      attention: true,
    }),
    default: (r) => ({
      text: `Telephone contact only through their representative${inBrackets(r.thirdParties)}`,
    }),
  },
  'no-email-letter-only': {
    letter: (r) => ({
      text: `This customer corresponds by letter${r.writeTo ? `, to ${r.writeTo}` : ''}; emails from them are not accepted`,
    }),
    default: (r) => ({
      text: `This customer corresponds by letter only${r.writeTo ? `, to ${r.writeTo}` : ''}: ask them to write`,
      attention: true,
    }),
  },
  'office-appointment-only': {
    'in-person': (r) => ({
      text: `Offices only by appointment${r.appointmentsVia ? `, booked via ${r.appointmentsVia}` : ''}: see this customer only if they have one`,
      attention: true,
    }),
    default: (r) => ({
      text: `Offices only by appointment${r.appointmentsVia ? `, booked via ${r.appointmentsVia}` : ''}`,
    }),
  },
  'single-named-officer': {
    telephone: (r) => ({ text: `Pass the call to the named officer, ${officerOf(r)}`, attention: true }),
    'in-person': (r) => ({
      text: `Only the named officer deals with this customer: ask ${officerOf(r)} to see them`,
      attention: true,
    }),
    default: (r) => ({ text: `Pass this to the named officer, ${officerOf(r)}`, attention: true }),
  },
  'phone-hours': {
    telephone: (r, { at }) => {
      const check = checkPhoneHours(r, at);
      return check.inside
        ? {
            text: `Calls only ${check.allowed}${lengthOf(check)}; this call (${check.at}) is inside those hours`,
          }
        : {
            text: `Calls only ${check.allowed}${lengthOf(check)}; this call (${check.at}) is OUTSIDE those hours`,
            attention: true,
          };
    },
    default: (r, { at }) => {
      const check = checkPhoneHours(r, at);
      return { text: `Telephone calls only ${check.allowed}${lengthOf(check)}` };
    },
  },
  'witness-required': {
    'in-person': (r) => ({
      text: `This meeting needs a witness present${r.witness ? ` (${r.witness})` : ''}: do not go on without one`,
      attention: true,
    }),
    default: (r) => ({
      text: `Meetings and personal contact need a witness present${r.witness ? ` (${r.witness})` : ''}`,
    }),
  },
  'topic-no-reply': {
    default: (r, { contact }) => {
      const relation = topicRelation(contact, r.topic);
      if (relation === 'on-topic')
        return {
          text: `Topic ${r.topic}: no reply; the designated reader, ${r.designatedReader}, reads what comes in on it`,
          attention: true,
        };
      return relation === 'other-topic'
        ? {
            text: `Topic ${r.topic}: no reply; this contact is about another matter and is dealt with as usual`,
          }
        : {
            text: `Topic ${r.topic}: no reply; check whether this contact is about it (the designated reader is ${r.designatedReader})`,
            attention: true,
          };
    },
  },
  'social-media': {
    'social-media': (r) => ({
      text: `This customer's access to the council's social media is ${r.scope === 'blocked' ? 'blocked' : 'restricted'}${r.platforms?.length ? ` on ${r.platforms.join(', ')}` : ''}: do not take the matter further there`,
      attention: true,
    }),
    default: (r) => ({
      text: `Social media access ${r.scope === 'blocked' ? 'blocked' : 'restricted'}${r.platforms?.length ? ` on ${r.platforms.join(', ')}` : ''}`,
    }),
  },
  'home-visits-paired': {
    'in-person': (r) => ({
      text:
        r.homeVisits === 'refused'
          ? 'No home visits: meet this customer only at the office'
          : 'Home visits only by two members of staff together',
      attention: true,
    }),
    default: (r) => ({
      text:
        r.homeVisits === 'refused' ? 'No home visits' : 'Home visits only by two members of staff together',
    }),
  },
  'all-contact-refused': {
    default: (r) => ({
      text: `All contact from this customer is refused; tell the designated reader, ${r.designatedReader}, who looks for genuine new matters (9.1)`,
      attention: true,
    }),
  },
};

/** The line for one restriction in force, phrased for the channel the contact came by. */
export function measureOf(restriction: Restriction, context: MeasureContext): Measure {
  const entry = measurePhrasings[restriction.type] as {
    default: Phrasing<RestrictionType>;
  } & Partial<Record<RecordedChannel, Phrasing<RestrictionType>>>;
  const phrase = (entry[context.channel] ?? entry.default)(restriction as never, context);
  const { clause } = restrictionCatalogue[restriction.type];
  const measures = restriction.measuresWhenContactNecessary
    ? ` When contact is necessary: ${restriction.measuresWhenContactNecessary} (12.1.5).`
    : '';
  return {
    restrictionId: restriction.id,
    type: restriction.type,
    clause,
    text: `${phrase.text} (${clause}).${measures}`,
    attention: phrase.attention ?? false,
  };
}

/** Every restriction in force, most urgent first (those that need acting on), then by clause. */
export function measuresFor(restrictions: readonly Restriction[], context: MeasureContext): Measure[] {
  return restrictions
    .map((restriction) => measureOf(restriction, context))
    .sort(
      (a, b) =>
        Number(b.attention) - Number(a.attention) ||
        a.clause.localeCompare(b.clause, 'en', { numeric: true }) ||
        a.restrictionId.localeCompare(b.restrictionId),
    );
}

/** 7.3.5: the phone-hours checks of the restrictions in force, for the decision's summary. */
export function phoneHoursChecks(restrictions: readonly Restriction[], at: Instant): PhoneHoursCheck[] {
  return restrictions.flatMap((r) => (r.type === 'phone-hours' ? [checkPhoneHours(r, at)] : []));
}
