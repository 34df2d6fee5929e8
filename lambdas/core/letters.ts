import { z } from 'zod';
import { type Restriction, type RestrictionType, restrictionCatalogue, weekdays } from './restriction';
import { defaultTimeZone, type Instant } from './time';

/**
 * Informing letters (8.1): a service manager or above writes to the customer to say why a restriction was
 * decided, what it is and how long it lasts; when it is reviewed and extended (10.1); and when it is lifted.
 * Every letter names the Ombudsman (11). Pure: composing gives a `Letter`, which renders to HTML, plain text
 * or (lambdas/adapters/pdf/letter-pdf.ts) PDF, all with the same words.
 */
export const letterKinds = ['restriction-imposed', 'restriction-extended', 'restriction-lifted'] as const;
export type LetterKind = (typeof letterKinds)[number];

const instant = z.iso.datetime({ offset: true, error: 'must be a date-time with an offset' });
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const letterInputSchema = z
  .object({
    kind: z.enum(letterKinds),
    /** Shown as "Our reference". */
    letterId: text(100),
    /** The date of the letter. */
    date: instant,
    council: z.object({
      name: text(200),
      postalAddress: text(500),
      contactEmail: z.email({ error: 'must be an email address' }).max(254).optional(),
      contactPhone: text(50).optional(),
    }),
    customer: z.object({ name: text(200), address: text(1000).optional(), postcode: text(16).optional() }),
    /** As the register holds it; for an extension, the restriction after it was extended. */
    restriction: z.custom<Restriction>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { type?: unknown }).type === 'string' &&
        Object.hasOwn(restrictionCatalogue, (value as { type: string }).type),
      { error: 'must be a restriction from the register' },
    ),
    /** 10.1: the end and review dates before the extension. */
    previous: z.object({ endsAt: instant, reviewAt: instant }).optional(),
    /** When and why it was lifted; the reason may be left empty (lifting needs no 8.1 statement). */
    lift: z.object({ at: instant, reason: z.string().trim().max(4000) }).optional(),
    /** The manager who decided (8.1: a service manager or above). */
    signedBy: text(200),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'restriction-extended' && !input.previous) {
      ctx.addIssue({ code: 'custom', path: ['previous'], message: 'is required for an extension (10.1)' });
    }
    if (input.kind === 'restriction-lifted' && !input.lift) {
      ctx.addIssue({ code: 'custom', path: ['lift'], message: 'is required when a restriction is lifted' });
    }
  });

export type LetterInput = z.input<typeof letterInputSchema>;
type CheckedInput = z.output<typeof letterInputSchema>;

export interface LetterSection {
  heading: string;
  paragraphs: string[];
}

export interface Letter {
  kind: LetterKind;
  letterId: string;
  restrictionId: string;
  date: Instant;
  /** The date as printed: `1 December 2026`. */
  dateText: string;
  subject: string;
  council: { name: string; addressLines: string[]; contactEmail?: string; contactPhone?: string };
  recipient: { name: string; addressLines: string[] };
  salutation: string;
  /** The paragraphs before the first heading. */
  opening: string[];
  sections: LetterSection[];
  closing: { valediction: string; signedBy: string; onBehalfOf: string };
  /** The clauses of the policy the letter rests on, in the order it uses them. */
  clauses: string[];
}

export const ombudsman = {
  name: 'Local Government and Social Care Ombudsman',
  website: 'www.lgo.org.uk',
  phone: '0300 061 0614',
} as const;

/** How the customer reads each type: the catalogue's titles are written for staff. */
const customerTitles: Record<RestrictionType, string> = {
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

export function composeLetter(raw: LetterInput): Letter {
  const input = letterInputSchema.parse(raw);
  const { restriction, council } = input;
  const title = customerTitles[restriction.type];
  const clause = restrictionCatalogue[restriction.type].clause;
  const common = {
    kind: input.kind,
    letterId: input.letterId,
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
        contactSection(input, { restricted: false }),
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
  sections.push(contactSection(input, { restricted: true }), ombudsmanSection());

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

/** 8.1.2: what the restriction means for the customer, in plain words, from its type-specific fields. */
function describeAction(restriction: Restriction, postalAddress: string): string[] {
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
      const officer = restriction.namedOfficerName
        ? `${restriction.namedOfficerName} (${restriction.namedOfficer})`
        : `the member of staff who uses the mailbox ${restriction.namedOfficer}`;
      return [
        `From now on, all your contact with us should be with one member of staff: ${officer}. ` +
          'Please send all your correspondence to them.',
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

/** Who to contact about the letter: the named officer where there is one, else the council. */
function contactSection(input: CheckedInput, { restricted }: { restricted: boolean }): LetterSection {
  const { restriction, council } = input;
  const reference = `Please quote our reference, ${input.letterId}.`;
  if (restricted && restriction.type === 'single-named-officer') {
    const officer = restriction.namedOfficerName
      ? `${restriction.namedOfficerName}, at ${restriction.namedOfficer}`
      : restriction.namedOfficer;
    return {
      heading: 'Contacting us about this letter',
      paragraphs: [`If you have any questions about this letter, please contact ${officer}. ${reference}`],
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
    `If you have any questions about this letter, please contact us ${listInWords(ways, 'or')}. ${reference}`,
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

// ——— dates, in words, in the council's time zone ———

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: defaultTimeZone,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const clockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: defaultTimeZone,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `1 December 2026`: the London calendar day of an instant. */
export function dateInWords(at: Instant): string {
  return dayFormat.format(new Date(at));
}

function londonClock(at: Instant): { hour: number; minute: number; second: number; ms: number } {
  const parts = Object.fromEntries(
    clockFormat.formatToParts(new Date(at)).map((part) => [part.type, part.value] as const),
  );
  return {
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    ms: new Date(at).getUTCMilliseconds(),
  };
}

/** `9am`, `2:30pm`, `12 noon`, `midnight`, from a time of day (`14:30`). */
export function clockInWords(hhmm: string): string {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  if (minute === 0 && hour === 12) return '12 noon';
  if (minute === 0 && hour === 0) return 'midnight';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minute).padStart(2, '0')}${suffix}`;
}

function hhmmOf(at: Instant): string {
  const { hour, minute } = londonClock(at);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** A start in words: the day, with the time only when it is not the start of the day. */
export function startInWords(startsAt: Instant): string {
  const { hour, minute, second, ms } = londonClock(startsAt);
  if (hour === 0 && minute === 0 && second === 0 && ms === 0) return dateInWords(startsAt);
  return `${clockInWords(hhmmOf(startsAt))} on ${dateInWords(startsAt)}`;
}

/**
 * An end in words. Periods are half-open (restriction.ts): a date-only end is stored as the first moment of
 * the next day, so an end at London midnight is read as "the end of" the day before, the last day the
 * restriction applies. An end in the last minute of a day also means the end of that day; any other time is
 * said as it is.
 */
export function endInWords(endsAt: Instant): string {
  const { hour, minute, second, ms } = londonClock(endsAt);
  if (hour === 0 && minute === 0 && second === 0 && ms === 0) {
    return `the end of ${dateInWords(new Date(new Date(endsAt).getTime() - 1).toISOString())}`;
  }
  if (hour === 23 && minute === 59) return `the end of ${dateInWords(endsAt)}`;
  return `${clockInWords(hhmmOf(endsAt))} on ${dateInWords(endsAt)}`;
}

/** 8.1.3: `from 1 December 2026 until the end of 30 November 2027`. */
export function periodInWords(startsAt: Instant, endsAt: Instant): string {
  return `from ${startInWords(startsAt)} until ${endInWords(endsAt)}`;
}

// ——— small wording helpers ———

function listInWords(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
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

/** Free text entered by staff: blank lines separate paragraphs; single line breaks are kept as spaces. */
function paragraphsOf(value: string): string[] {
  return value
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 0);
}

/** An address held on one line (`Council Offices, The Campus, Example Town, AL10 0ZZ`) or on several. */
function addressLines(value: string): string[] {
  return value
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The register keeps postcodes compact (`AL100ZZ`); a letter prints them with their space (`AL10 0ZZ`). */
export function postcodeForPrint(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

function recipientAddressLines(address: string | undefined, postcode: string | undefined): string[] {
  const lines = address ? addressLines(address) : [];
  if (postcode) {
    const printed = postcodeForPrint(postcode);
    const compact = printed.replace(/\s+/g, '');
    if (!lines.some((line) => line.replace(/\s+/g, '').toUpperCase().includes(compact))) lines.push(printed);
  }
  return lines;
}

function assertNever(value: never): never {
  throw new Error(`Unknown restriction type: ${(value as { type?: unknown }).type}`);
}

// ——— rendering ———

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => escapes[char]!);
}

/** A complete, self-contained HTML document: no scripts, no external resources, every text escaped. */
export function renderLetterHtml(letter: Letter): string {
  const e = escapeHtml;
  const lines = (values: string[]) => values.map(e).join('<br>\n        ');
  const contact = [
    ...(letter.council.contactEmail
      ? [`Email: <a href="mailto:${e(letter.council.contactEmail)}">${e(letter.council.contactEmail)}</a>`]
      : []),
    ...(letter.council.contactPhone ? [`Telephone: ${e(letter.council.contactPhone)}`] : []),
  ];
  const sections = letter.sections
    .map(
      (section) =>
        `      <section>\n        <h2>${e(section.heading)}</h2>\n${section.paragraphs
          .map((paragraph) => `        <p>${e(paragraph)}</p>`)
          .join('\n')}\n      </section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="author" content="${e(letter.council.name)}">
    <title>${e(letter.subject)}</title>
    <style>
      :root { color: #0b0c0c; background: #fff; }
      body { font-family: Arial, Helvetica, sans-serif; font-size: 1.0625rem; line-height: 1.5;
             max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
      .letterhead { text-align: right; border-bottom: 1px solid #505a5f; padding-bottom: 0.75rem; }
      .letterhead .council { font-size: 1.5rem; font-weight: bold; margin: 0; }
      .letterhead address, .recipient { font-style: normal; }
      .recipient { margin: 2rem 0 1.5rem; }
      dl.details { display: grid; grid-template-columns: max-content auto; gap: 0 0.75rem; margin: 0 0 1.5rem; }
      dl.details dt { font-weight: bold; }
      dl.details dd { margin: 0; }
      h1 { font-size: 1.25rem; margin: 1.5rem 0 1rem; }
      h2 { font-size: 1.0625rem; margin: 1.5rem 0 0.25rem; }
      p { margin: 0 0 0.75rem; }
      a { color: #1d70b8; }
      .closing { margin-top: 2rem; }
      @media print {
        @page { size: A4; margin: 20mm; }
        body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
        a { color: inherit; text-decoration: none; }
        h2 { break-after: avoid; page-break-after: avoid; }
        p { orphans: 3; widows: 3; }
        .closing { break-inside: avoid; }
      }
    </style>
  </head>
  <body>
    <header class="letterhead">
      <p class="council">${e(letter.council.name)}</p>
      <address>
        ${lines([...letter.council.addressLines])}${contact.length ? `<br>\n        ${contact.join('<br>\n        ')}` : ''}
      </address>
    </header>
    <main>
      <address class="recipient" aria-label="Recipient">
        ${lines([letter.recipient.name, ...letter.recipient.addressLines])}
      </address>
      <dl class="details">
        <dt>Date</dt>
        <dd><time datetime="${e(letter.date)}">${e(letter.dateText)}</time></dd>
        <dt>Our reference</dt>
        <dd>${e(letter.letterId)}</dd>
      </dl>
      <p>${e(letter.salutation)}</p>
      <h1>${e(letter.subject)}</h1>
${letter.opening.map((paragraph) => `      <p>${e(paragraph)}</p>`).join('\n')}
${sections}
      <div class="closing">
        <p>${e(letter.closing.valediction)}</p>
        <p>${e(letter.closing.signedBy)}<br>
        on behalf of ${e(letter.closing.onBehalfOf)}</p>
      </div>
    </main>
  </body>
</html>
`;
}

/** The plain-text version (email bodies, records): the same words, wrapped at 76 characters. */
export function letterText(letter: Letter): string {
  const out: string[] = [];
  const blank = () => out.push('');
  const para = (value: string) => {
    out.push(...wrap(value, 76));
    blank();
  };
  out.push(letter.council.name, ...letter.council.addressLines);
  if (letter.council.contactEmail) out.push(`Email: ${letter.council.contactEmail}`);
  if (letter.council.contactPhone) out.push(`Telephone: ${letter.council.contactPhone}`);
  blank();
  out.push(letter.recipient.name, ...letter.recipient.addressLines);
  blank();
  out.push(`Date: ${letter.dateText}`, `Our reference: ${letter.letterId}`);
  blank();
  para(letter.salutation);
  para(letter.subject);
  for (const paragraph of letter.opening) para(paragraph);
  for (const section of letter.sections) {
    out.push(section.heading, '-'.repeat(Math.min(section.heading.length, 76)));
    for (const paragraph of section.paragraphs) para(paragraph);
  }
  out.push(
    letter.closing.valediction,
    '',
    letter.closing.signedBy,
    `on behalf of ${letter.closing.onBehalfOf}`,
  );
  return `${out.join('\n')}\n`;
}

function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
