import { dateInWords } from '../london-day';
import { letterReference } from '../reference';
import { restrictionCatalogue } from '../restriction';
import { endInWords, periodInWords } from './dates-in-words';
import {
  type CheckedInput,
  type Letter,
  type LetterInput,
  type LetterSection,
  letterInputSchema,
  ombudsman,
} from './letter';
import { customerTitles, describeAction } from './restriction-wording';
import { addressLines, listInWords, paragraphsOf, recipientAddressLines } from './wording';

/** The letter for a restriction imposed, extended (10.1) or lifted, from the register's record of it. */
export function composeLetter(raw: LetterInput): Letter {
  const input = letterInputSchema.parse(raw);
  const { restriction, council } = input;
  const title = customerTitles[restriction.type];
  const clause = restrictionCatalogue[restriction.type].clause;
  const reference = input.reference ?? letterReference(input.letterId);
  const common = {
    kind: input.kind,
    letterId: input.letterId,
    reference,
    restrictionId: restriction.id,
    date: input.date,
    dateText: dateInWords(input.date),
    council: {
      name: council.name,
      addressLines: addressLines(council.postalAddress),
      ...(council.contactEmail ? { contactEmail: council.contactEmail } : {}),
      ...(council.contactPhone ? { contactPhone: council.contactPhone } : {}),
    },
    recipient: {
      name: input.customer.name,
      addressLines: recipientAddressLines(input.customer.address, input.customer.postcode),
    },
    salutation: `Dear ${input.customer.name}`,
    closing: { valediction: 'Yours sincerely', signedBy: input.signedBy, onBehalfOf: council.name },
  };
  const policy = `our Unreasonably Persistent and Abusive Behaviour Policy, paragraph ${clause}`;

  if (input.kind === 'restriction-lifted') {
    const lift = input.lift!;
    return {
      ...common,
      subject: `The arrangement for contacting us has ended: ${title}`,
      opening: [
        `We wrote to you about an arrangement for how you may contact ${council.name} (${title}), made under ${policy}. ` +
          'We are writing to tell you that it has now ended.',
      ],
      sections: [
        {
          heading: 'What has changed',
          paragraphs: [
            `The arrangement ended on ${dateInWords(lift.at)}. From that date you may contact us in the usual ways, ` +
              'and we will deal with your contact as we do for any other customer.',
          ],
        },
        {
          heading: 'Why we have ended it',
          paragraphs: lift.reason
            ? paragraphsOf(lift.reason)
            : ['We have reviewed the arrangement and decided that it is no longer needed.'],
        },
        {
          heading: 'Our records',
          // 7.4 and 12.1: the register keeps the restriction and when the customer was told.
          paragraphs: [
            'As our policy requires, we keep a record of the arrangement, of when it ended and of this letter.',
          ],
        },
        contactSection(input, reference, { restricted: false }),
        ombudsmanSection(),
      ],
      clauses: [clause, '7.4', '12.1', '11'],
    };
  }

  const extended = input.kind === 'restriction-extended';
  const previous = input.previous;
  const opening = extended
    ? [
        `We wrote to you about an arrangement for how you may contact ${council.name} (${title}), made under ${policy}. ` +
          `It was due to end at ${endInWords(previous!.endsAt)}.`,
        // 10.1: reviewed by the service manager; extended because contact continued.
        'A service manager has reviewed it. Because the contact that led to it has continued, we have decided ' +
          'to extend it. This letter explains the decision and what it means for you.',
      ]
    : [
        `We are writing to tell you about a decision we have made about how you may contact ${council.name}: ` +
          `${title}. We have made it under ${policy}.`,
        'We want to go on helping you with your enquiries. We also have a duty to look after our staff and to ' +
          'be fair to all our customers, and this letter explains the decision and what it means for you.',
      ];

  const sections: LetterSection[] = [
    // 8.1.1: why we have taken the decision
    {
      heading: extended ? 'Why we have extended it' : 'Why we have made this decision',
      paragraphs: [
        ...(extended
          ? [
              'The contact that led to the arrangement has continued during this period.',
              ...paragraphsOf(restriction.extensions?.at(-1)?.reason ?? ''),
              'When we made the arrangement, our reason was:',
            ]
          : ['We have made this decision for the following reason:']),
        ...paragraphsOf(restriction.reason),
        ...(restriction.type === 'all-contact-refused'
          ? [
              // 8.2: a member of the Senior Management Team decides, in consultation with the Assistant Director.
              `This decision was taken by ${
                restriction.seniorApprover
                  ? `${restriction.seniorApprover}, a member of our Senior Management Team,`
                  : 'a member of our Senior Management Team'
              } in consultation with ${
                restriction.consultedWith ?? 'the Assistant Director (Customer and Transformation)'
              }, as our policy requires for a decision to refuse all contact.`,
            ]
          : []),
      ],
    },
    // 8.1.2: what action we are taking
    {
      heading: extended ? 'What the arrangement is' : 'What we are doing',
      paragraphs: describeAction(restriction, council.postalAddress),
    },
    // 8.1.3: how long
    {
      heading: 'How long it will last',
      paragraphs: extended
        ? [
            `The arrangement was due to end at ${endInWords(previous!.endsAt)}. ` +
              `It will now apply until ${endInWords(restriction.endsAt)}.`,
            'After that, unless we write to you again, you may contact us in the usual ways.',
          ]
        : [
            `The arrangement applies ${periodInWords(restriction.startsAt, restriction.endsAt)}.`,
            'After that, unless we write to you again, you may contact us in the usual ways.',
          ],
    },
    // 10.1: reviewed by a service manager; extended, with a letter, if the contact continued
    {
      heading: 'When we will review it',
      paragraphs: [
        (restriction.reviewAt < restriction.endsAt
          ? `A service manager will review the arrangement on ${dateInWords(restriction.reviewAt)}. `
          : `It ends at ${endInWords(restriction.endsAt)}, before a review would be due, so a service manager will look at it before then. `) +
          'If the contact that led to it has continued, we may extend it, and we will write to tell you if we do.',
      ],
    },
  ];
  // 12.1.5: measures when contact is necessary
  if (restriction.measuresWhenContactNecessary) {
    sections.push({
      heading: 'When we need to be in contact',
      paragraphs: paragraphsOf(restriction.measuresWhenContactNecessary),
    });
  }
  // 9.1: no blanket ignoring; genuinely new matters are considered separately
  sections.push({
    heading: 'New matters',
    paragraphs: [
      'This arrangement does not stop us dealing with a genuinely new complaint or request for a service. ' +
        'We will consider any new matter you raise separately, on its own merits.',
    ],
  });
  sections.push(contactSection(input, reference, { restricted: true }), ombudsmanSection());

  return {
    ...common,
    subject: extended
      ? `We are extending the arrangement for contacting us: ${title}`
      : `Changes to how you can contact us: ${title}`,
    opening,
    sections,
    clauses: [
      '8.1',
      clause,
      '8.1.1',
      '8.1.2',
      '8.1.3',
      '10.1',
      ...(restriction.measuresWhenContactNecessary ? ['12.1.5'] : []),
      '9.1',
      '11',
    ],
  };
}

/** Who to contact about the letter: the named officer where there is one (7.3.4), else the council. */
function contactSection(
  input: CheckedInput,
  reference: string,
  { restricted }: { restricted: boolean },
): LetterSection {
  const { restriction, council } = input;
  const quote = `Please quote our reference, ${reference}.`;
  if (restricted && restriction.type === 'single-named-officer') {
    const { namedOfficer, namedOfficerName, namedOfficerPhone } = restriction;
    const officer =
      (namedOfficerName ? `${namedOfficerName}, at ${namedOfficer}` : namedOfficer) +
      (namedOfficerPhone ? ` or by telephone on ${namedOfficerPhone}` : '');
    return {
      heading: 'Contacting us about this letter',
      paragraphs: [`If you have any questions about this letter, please contact ${officer}. ${quote}`],
    };
  }
  const byPost = restricted && restriction.type === 'no-email-letter-only' ? restriction.writeTo : undefined;
  const ways: string[] = [];
  const emailAllowed =
    !restricted ||
    (restriction.type !== 'no-email-letter-only' && restriction.type !== 'all-contact-refused');
  const phoneAllowed =
    !restricted ||
    (restriction.type !== 'third-party-phone-only' && restriction.type !== 'all-contact-refused');
  if (emailAllowed && council.contactEmail) ways.push(`by email to ${council.contactEmail}`);
  if (phoneAllowed && council.contactPhone) {
    ways.push(
      restricted && restriction.type === 'phone-hours'
        ? `by telephone on ${council.contactPhone} (at the times set out above)`
        : `by telephone on ${council.contactPhone}`,
    );
  }
  ways.push(`by letter to ${byPost ?? council.postalAddress}`);
  const paragraphs = [
    `If you have any questions about this letter, please contact us ${listInWords(ways, 'or')}. ${quote}`,
  ];
  if (restricted && restriction.type === 'third-party-phone-only' && council.contactPhone) {
    paragraphs.push(`Someone acting on your behalf may telephone us on ${council.contactPhone}.`);
  }
  return { heading: 'Contacting us about this letter', paragraphs };
}

/** 11: the customer may go to the Ombudsman, and how to reach it. */
function ombudsmanSection(): LetterSection {
  return {
    heading: 'If you are unhappy with our decision',
    paragraphs: [
      `If you think we have not followed our own policy, or you are unhappy with how we have dealt with you, you can ask the ${ombudsman.name} to look into it. ` +
        'The Ombudsman usually expects you to have finished our complaints process first, but can also help if ' +
        'we have not responded to your complaint.',
      `You can contact the Ombudsman through its website, ${ombudsman.website}, or by telephone on ${ombudsman.phone}. ` +
        'If your complaint is about a council home you rent from us, the Housing Ombudsman Service ' +
        '(www.housing-ombudsman.org.uk) may deal with it instead.',
    ],
  };
}
