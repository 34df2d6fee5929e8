import type { Customer } from '../customer';
import type { EscalationStep } from '../escalation';
import type { Incident } from '../incidents/incident';
import type { Letter, LetterInput } from '../letters';
import { addressLines, listInWords, recipientAddressLines } from '../letters/wording';
import { dateInWords } from '../london-day';
import type { Instant } from '../time';
import { type StepLetter, type StepLetterKind, stepLetterRules } from './step-letter';

/**
 * What the letters before a restriction say, in the council's own words: a first draft for the
 * manager to edit (defaultDraft), and the letter as printed from the draft (stepLetterOf), rendered
 * by the same HTML, text and PDF renderers as the informing letters (8.1).
 */

const policyName = 'our Unreasonably Persistent and Abusive Behaviour Policy';

/** What a letter is written from, as its wording needs it. */
export type LetterSource =
  | { step: Pick<EscalationStep, 'id' | 'step' | 'at' | 'how'> }
  | { incident: Pick<Incident, 'id' | 'kind' | 'at' | 'channel'> };

const incidentWords: Record<Incident['kind'], string> = {
  'call-terminated':
    'a telephone call with a member of our staff was ended because of the way the conversation went',
  'meeting-ended':
    'a meeting with a member of our staff was brought to an end because of the behaviour during it',
  'abusive-correspondence': 'we received correspondence from you whose language and tone we found abusive',
  'threat-to-staff': 'a member of our staff was threatened during contact with you',
  violence: 'there was violence during contact with a member of our staff',
  'threat-of-self-harm': 'you told us you might harm yourself',
};

const channelWords: Record<string, string> = {
  email: 'email',
  letter: 'letter',
  'web-form': 'message sent through our website',
  'social-media': 'message on social media',
  telephone: 'telephone call',
  'in-person': 'visit',
};

/** For an incident, what happened in neutral words; a step is the letter's own occasion. */
function whatHappened(source: LetterSource): string | undefined {
  if ('incident' in source) {
    return `On ${dateInWords(source.incident.at)}, ${incidentWords[source.incident.kind]}.`;
  }
  return undefined;
}

/** The subject and body of a new draft (the manager edits both before sending). */
export function defaultDraft(
  kind: StepLetterKind,
  source: LetterSource,
  councilName: string,
): { subject: string; paragraphs: string[] } {
  const clause = stepLetterRules[kind].mainClause;
  const happened = whatHappened(source);
  switch (kind) {
    // 7.2.1: explain why the behaviour causes concern, ask for it to change, say what may follow.
    case 'request-to-moderate':
      return {
        subject: 'The way you contact us',
        paragraphs: [
          `We are writing about the way you have been in contact with ${councilName}.${happened ? ` ${happened}` : ''}`,
          'We want to go on helping you with your enquiries. The way you have been contacting us is causing us concern, because it makes it hard for our staff to deal with your enquiries and with those of other customers.',
          'We are asking you to change this: please keep your contact with us courteous, and about the matters you need our help with.',
          'If it does not change, we may limit how you can contact us for a set period: for example, asking you to deal with one named member of staff, to write rather than telephone, or to visit only by appointment. If we do, we will write to tell you why, what the arrangement is and how long it will last.',
          `We are writing under paragraph ${clause} of ${policyName}. This does not stop us dealing with any new complaint or request for a service you make.`,
        ],
      };
    // 7.2.2: the behaviour continued; a service manager sets out the procedures now in place.
    case 'procedures':
      return {
        subject: 'How we will deal with your contact from now on',
        paragraphs: [
          `We have asked you before to change the way you contact ${councilName}${happened ? `. ${happened}` : '.'} The behaviour that concerned us has continued, so I am writing, as a service manager, to tell you what we will do now.`,
          'From now on, your enquiries will be dealt with in this way: the service responsible will reply to you in writing; a telephone call that becomes abusive or threatening will be ended; a meeting will be brought to an end if the behaviour during it becomes aggressive or abusive.',
          'If the behaviour still continues, we may restrict how you can contact us for a set period. If we do, we will write to tell you why, what the restriction is, how long it will last and when we will review it.',
          `We are writing under paragraph ${clause} of ${policyName}. This does not stop us dealing with any new complaint or request for a service you make: we will consider it on its own merits.`,
        ],
      };
    // 5.9: the tone is not acceptable; no further correspondence unless it changes (5.8: receipt is acknowledged).
    case 'tone-unacceptable': {
      const what =
        'incident' in source
          ? `your ${channelWords[source.incident.channel] ?? 'correspondence'} of ${dateInWords(source.incident.at)}`
          : 'your recent correspondence';
      return {
        subject: 'The tone of your correspondence',
        paragraphs: [
          `We have received ${what}, and a service manager has reviewed it.`,
          'The language and tone of that correspondence are not acceptable to us. Our staff should be able to do their work without being abused or threatened.',
          'We will not enter into further correspondence with you about it unless the tone of what you send us changes. We will still read everything you send, so that nothing new is missed.',
          'If you write to us again in a courteous way, we will deal with it as we would for any other customer.',
          `We are writing under paragraph ${clause} of ${policyName}.`,
        ],
      };
    }
    default:
      return assertNever(kind);
  }
}

/** The kind a letter takes from what it is written from (the manager may choose another). */
export function kindFor(source: LetterSource, incidentLetter?: StepLetterKind): StepLetterKind {
  if ('incident' in source) return incidentLetter ?? 'request-to-moderate';
  return source.step.step === 'written-notice' ? 'procedures' : 'request-to-moderate';
}

/** The draft (or sent letter) as a printable letter, for the customer as the register holds them now. */
export function stepLetterOf(
  letter: Pick<StepLetter, 'id' | 'reference' | 'kind' | 'subject' | 'paragraphs' | 'signedBy' | 'clauses'>,
  customer: Pick<Customer, 'name' | 'address' | 'postcode'>,
  council: LetterInput['council'],
  date: Instant,
): Letter {
  return {
    kind: letter.kind,
    letterId: letter.id,
    reference: letter.reference,
    date,
    dateText: dateInWords(date),
    subject: letter.subject,
    council: {
      name: council.name,
      addressLines: addressLines(council.postalAddress),
      ...(council.contactEmail ? { contactEmail: council.contactEmail } : {}),
      ...(council.contactPhone ? { contactPhone: council.contactPhone } : {}),
    },
    recipient: {
      name: customer.name,
      addressLines: recipientAddressLines(customer.address, customer.postcode),
    },
    salutation: `Dear ${customer.name}`,
    opening: letter.paragraphs,
    sections: [
      {
        heading: 'Contacting us about this letter',
        paragraphs: [
          `If you have any questions about this letter, please contact us ${listInWords(
            [
              ...(council.contactEmail ? [`by email to ${council.contactEmail}`] : []),
              ...(council.contactPhone ? [`by telephone on ${council.contactPhone}`] : []),
              `by letter to ${council.postalAddress}`,
            ],
            'or',
          )}. Please quote our reference, ${letter.reference}.`,
        ],
      },
    ],
    closing: { valediction: 'Yours sincerely', signedBy: letter.signedBy, onBehalfOf: council.name },
    clauses: [...letter.clauses],
  };
}

function assertNever(value: never): never {
  throw new Error(`Unknown letter kind: ${String(value)}`);
}
