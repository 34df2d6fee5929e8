import { describe, expect, it } from 'vitest';
import {
  composeLetter,
  endInWords,
  type LetterInput,
  letterText,
  periodInWords,
  renderLetterHtml,
} from '../../lambdas/core/letters';
import { letterReference, normaliseLetterReference } from '../../lambdas/core/reference';
import { type Restriction, type RestrictionType, restrictionTypes } from '../../lambdas/core/restriction';
import { aRestriction } from '../helpers/register-fixtures';

const council = {
  name: 'Example Borough Council',
  postalAddress: 'Customer Services, Council Offices, The Campus, Example Town, AL10 0ZZ',
  contactEmail: 'customer.services@council.example',
  contactPhone: '01707 357000',
};

const period = { startsAt: '2026-12-01', endsAt: '2027-11-30' };
const reason = 'Daily calls to different officers about one closed complaint (4.2.7, 4.2.8)';

/** One restriction of each type, with its type-specific fields, and a phrase its action must contain. */
const examples: { [T in RestrictionType]: { restriction: Restriction; action: string[] } } = {
  'third-party-phone-only': {
    restriction: aRestriction({
      type: 'third-party-phone-only',
      thirdParties: ['your solicitor', 'Cllr Sam Sample'],
      reason,
      ...period,
    }),
    action: ['not take telephone calls from you', 'your solicitor or Cllr Sam Sample'],
  },
  'no-email-letter-only': {
    restriction: aRestriction({
      type: 'no-email-letter-only',
      writeTo: 'Complaints Team, Council Offices, Example Town, AL10 0ZZ',
      reason,
      ...period,
    }),
    action: ['not accept emails', 'Complaints Team, Council Offices, Example Town, AL10 0ZZ'],
  },
  'office-appointment-only': {
    restriction: aRestriction({
      type: 'office-appointment-only',
      appointmentsVia: 'telephone 01707 357001',
      reason,
      ...period,
    }),
    action: ['offices only by appointment', 'telephone 01707 357001'],
  },
  'single-named-officer': {
    restriction: aRestriction({
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      namedOfficerName: 'Chris Caseworker',
      reason,
      ...period,
    }),
    action: ['one member of staff', 'Chris Caseworker (casework.officer@council.example)'],
  },
  'phone-hours': {
    restriction: aRestriction({
      type: 'phone-hours',
      days: ['wednesday', 'monday'],
      from: '10:00',
      until: '12:30',
      maxCallMinutes: 15,
      reason,
      ...period,
    }),
    action: ['on Mondays and Wednesdays, from 10am until 12:30pm', 'no longer than 15 minutes'],
  },
  'witness-required': {
    restriction: aRestriction({ type: 'witness-required', witness: 'a second officer', reason, ...period }),
    action: ['only with a second officer present'],
  },
  'topic-no-reply': {
    restriction: aRestriction({
      type: 'topic-no-reply',
      topic: 'the parking permit complaint CMP-10001',
      designatedReader: 'designated.reader@council.example',
      reason,
      ...period,
    }),
    action: [
      'not reply to, or acknowledge, any further contact from you about the parking permit complaint CMP-10001',
      'designated member of staff will still read',
    ],
  },
  'social-media': {
    restriction: aRestriction({
      type: 'social-media',
      platforms: ['Facebook', 'X'],
      scope: 'blocked',
      reason,
      ...period,
    }),
    action: ['blocked your access to our accounts on Facebook and X'],
  },
  'home-visits-paired': {
    restriction: aRestriction({ type: 'home-visits-paired', homeVisits: 'paired-only', reason, ...period }),
    action: ['two members of staff will attend together'],
  },
  'all-contact-refused': {
    restriction: aRestriction({
      type: 'all-contact-refused',
      designatedReader: 'designated.reader@council.example',
      seniorApprover: 'Pat Director, Head of Service',
      consultedWith: 'the Assistant Director (Customer and Transformation)',
      reason,
      ...period,
    }),
    action: ['not reply to any further contact', 'stopped our investigation', 'will still read everything'],
  },
};

const inputFor = (restriction: Restriction, overrides: Partial<LetterInput> = {}): LetterInput => ({
  kind: 'restriction-imposed',
  letterId: 'let_01JTEST',
  date: '2026-11-20T10:00:00.000Z',
  council,
  customer: { name: 'Alex Example', address: '1 Sample Street\nExample Town', postcode: 'AL100ZZ' },
  restriction,
  signedBy: restriction.decidedBy,
  ...overrides,
});

/** What the letter prints as "Our reference" in place of its 30-character id. */
const reference = letterReference('let_01JTEST');

const sectionText = (letter: ReturnType<typeof composeLetter>, heading: string) =>
  letter.sections.find((section) => section.heading === heading)?.paragraphs.join(' ') ?? '';

describe('composeLetter: a restriction imposed (8.1)', () => {
  it('has an example for each of the ten types', () => {
    expect(Object.keys(examples).sort()).toEqual([...restrictionTypes].sort());
  });

  it.each(restrictionTypes)(
    '%s: says why, what, how long, the review, whom to contact, 9.1 and 11',
    (type) => {
      // Prepare
      const { restriction, action } = examples[type];

      // Act
      const letter = composeLetter(inputFor(restriction));
      const text = letterText(letter);

      // Assess
      expect(sectionText(letter, 'Why we have made this decision')).toContain(reason); // 8.1.1
      for (const phrase of action) expect(sectionText(letter, 'What we are doing')).toContain(phrase); // 8.1.2
      expect(sectionText(letter, 'How long it will last')).toContain(
        'from 1 December 2026 until the end of 30 November 2027', // 8.1.3
      );
      // 10.1: the default review, twelve months on, falls at the end here: it is reviewed before it ends
      expect(sectionText(letter, 'When we will review it')).toContain(
        'It ends at the end of 30 November 2027, before a review would be due',
      );
      expect(sectionText(letter, 'New matters')).toMatch(/genuinely new/); // 9.1
      const ombudsman = sectionText(letter, 'If you are unhappy with our decision'); // 11
      expect(ombudsman).toContain('Local Government and Social Care Ombudsman');
      expect(ombudsman).toContain('www.lgo.org.uk');
      expect(ombudsman).toContain('0300 061 0614');
      expect(sectionText(letter, 'Contacting us about this letter')).toContain(
        `Please quote our reference, ${reference}.`,
      );
      expect(letter.subject).toMatch(/^Changes to how you can contact us: /);
      expect(letter.closing).toEqual({
        valediction: 'Yours sincerely',
        signedBy: 'Service Manager',
        onBehalfOf: council.name,
      });
      expect(letter.clauses).toEqual(
        expect.arrayContaining(['8.1.1', '8.1.2', '8.1.3', '10.1', '9.1', '11']),
      );
      // The text version carries the same words.
      expect(text).toContain('Ombudsman');
      expect(text).toContain(`Our reference: ${reference}`);
      expect(text).not.toContain('let_01JTEST');
    },
  );

  it('names the policy clause of the type', () => {
    const letter = composeLetter(inputFor(examples['topic-no-reply'].restriction));
    expect(letter.opening.join(' ')).toContain('paragraph 7.3.7');
    expect(composeLetter(inputFor(examples['all-contact-refused'].restriction)).opening.join(' ')).toContain(
      'paragraph 8.2',
    );
  });

  it('prints a short reference a person can read out on the phone, the same for the same letter', () => {
    const letter = composeLetter(inputFor(examples['witness-required'].restriction));
    expect(letter.reference).toBe(reference);
    expect(reference).toMatch(/^LT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/); // no I, L, O or U
    expect(letterReference('let_01JTEST')).toBe(reference);
    expect(letterReference('let_01JTESU')).not.toBe(reference);
    expect(renderLetterHtml(letter)).toContain(`<dd>${reference}</dd>`);
    expect(renderLetterHtml(letter)).not.toContain('let_01JTEST');
  });

  it('finds a reference however it was typed or heard', () => {
    const spoken = reference.toLowerCase().replace(/-/g, ' ');
    expect(normaliseLetterReference(spoken)).toBe(reference);
    expect(normaliseLetterReference(reference.replace(/-/g, ''))).toBe(reference);
    expect(normaliseLetterReference('LT-0000-1111'.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(
      'LT-0000-1111',
    );
    expect(normaliseLetterReference('let_01JTEST')).toBeUndefined();
    expect(normaliseLetterReference('CS-7K3F-9Q2M-XW')).toBeUndefined();
    expect(normaliseLetterReference('LT-7K3F-9Q2')).toBeUndefined();
  });

  it('names the officer and gives their telephone where the register has them (7.3.4)', () => {
    const restriction = aRestriction({
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      namedOfficerName: 'Chris Caseworker',
      namedOfficerPhone: '01707 357123',
      reason,
      ...period,
    });
    const letter = composeLetter(inputFor(restriction));
    expect(sectionText(letter, 'What we are doing')).toContain(
      'one member of staff: Chris Caseworker (casework.officer@council.example, telephone 01707 357123). ' +
        'Please send all your correspondence to them, and make any telephone calls to them.',
    );
    expect(sectionText(letter, 'Contacting us about this letter')).toContain(
      'please contact Chris Caseworker, at casework.officer@council.example or by telephone on 01707 357123.',
    );
  });

  it('falls back to the mailbox when the officer is not named, and leaves out a telephone not given', () => {
    const restriction = aRestriction({
      type: 'single-named-officer',
      namedOfficer: 'casework.officer@council.example',
      reason,
      ...period,
    });
    const letter = composeLetter(inputFor(restriction));
    const action = sectionText(letter, 'What we are doing');
    expect(action).toContain('the member of staff who uses the mailbox casework.officer@council.example.');
    expect(action).not.toContain('telephone');
    expect(sectionText(letter, 'Contacting us about this letter')).toContain(
      `please contact casework.officer@council.example. Please quote our reference, ${reference}.`,
    );
  });

  it('sends questions to the named officer where there is one (7.3.4), else to the council', () => {
    const named = composeLetter(inputFor(examples['single-named-officer'].restriction));
    expect(sectionText(named, 'Contacting us about this letter')).toContain(
      'Chris Caseworker, at casework.officer@council.example',
    );
    expect(sectionText(named, 'Contacting us about this letter')).not.toContain(council.contactEmail);

    const other = composeLetter(inputFor(examples['witness-required'].restriction));
    const contact = sectionText(other, 'Contacting us about this letter');
    expect(contact).toContain(council.contactEmail);
    expect(contact).toContain(council.contactPhone);
    expect(contact).toContain(council.postalAddress);
  });

  it('offers only the ways of contact the restriction allows', () => {
    const letterOnly = sectionText(
      composeLetter(inputFor(examples['no-email-letter-only'].restriction)),
      'Contacting us about this letter',
    );
    expect(letterOnly).not.toContain(council.contactEmail);
    expect(letterOnly).toContain('Complaints Team, Council Offices');

    const noPhone = sectionText(
      composeLetter(inputFor(examples['third-party-phone-only'].restriction)),
      'Contacting us about this letter',
    );
    expect(noPhone).not.toContain('please contact us by telephone');
    expect(noPhone).toContain('Someone acting on your behalf may telephone us on 01707 357000');
  });

  it('writes to the council postal address when a letters-only restriction names none (7.3.2)', () => {
    const restriction = aRestriction({ type: 'no-email-letter-only', reason, ...period });
    const letter = composeLetter(inputFor(restriction));
    expect(sectionText(letter, 'What we are doing')).toContain(`at ${council.postalAddress}.`);
  });

  it('says who was consulted before refusing all contact (8.2)', () => {
    const letter = composeLetter(inputFor(examples['all-contact-refused'].restriction));
    expect(sectionText(letter, 'Why we have made this decision')).toContain(
      'taken by Pat Director, Head of Service, a member of our Senior Management Team, in consultation with ' +
        'the Assistant Director (Customer and Transformation)',
    );
  });

  it('includes the measures when contact is necessary (12.1.5) only when there are some', () => {
    const restriction = aRestriction({
      type: 'witness-required',
      reason,
      measuresWhenContactNecessary: 'We will write to you first to arrange any meeting.',
      ...period,
    });
    const withMeasures = composeLetter(inputFor(restriction));
    expect(sectionText(withMeasures, 'When we need to be in contact')).toBe(
      'We will write to you first to arrange any meeting.',
    );
    expect(withMeasures.clauses).toContain('12.1.5');

    const without = composeLetter(inputFor(examples['witness-required'].restriction));
    expect(without.sections.map((section) => section.heading)).not.toContain('When we need to be in contact');
  });

  it('addresses the customer with the postcode spaced, once', () => {
    const letter = composeLetter(inputFor(examples['home-visits-paired'].restriction));
    expect(letter.recipient).toEqual({
      name: 'Alex Example',
      addressLines: ['1 Sample Street', 'Example Town', 'AL10 0ZZ'],
    });
    const already = composeLetter(
      inputFor(examples['home-visits-paired'].restriction, {
        customer: {
          name: 'Alex Example',
          address: '1 Sample Street, Example Town, AL10 0ZZ',
          postcode: 'AL100ZZ',
        },
      }),
    );
    expect(already.recipient.addressLines).toEqual(['1 Sample Street', 'Example Town', 'AL10 0ZZ']);
  });

  it('refuses an extension without the previous dates and a lift without its date', () => {
    const restriction = examples['phone-hours'].restriction;
    expect(() => composeLetter(inputFor(restriction, { kind: 'restriction-extended' }))).toThrow(/previous/);
    expect(() => composeLetter(inputFor(restriction, { kind: 'restriction-lifted' }))).toThrow(/lift/);
  });
});

describe('dates in words, in London time', () => {
  it('says the last day a date-only end applies, in GMT and in BST', () => {
    // A date-only end is stored as the first moment of the next London day (restriction.ts).
    const winter = aRestriction({ type: 'witness-required', startsAt: '2026-12-01', endsAt: '2027-11-30' });
    const summer = aRestriction({ type: 'witness-required', startsAt: '2027-04-01', endsAt: '2027-06-30' });
    const acrossChange = aRestriction({
      type: 'witness-required',
      startsAt: '2027-03-01',
      endsAt: '2027-03-28',
    });
    expect(winter.endsAt).toBe('2027-12-01T00:00:00.000Z');
    expect(summer.endsAt).toBe('2027-06-30T23:00:00.000Z');

    expect(periodInWords(winter.startsAt, winter.endsAt)).toBe(
      'from 1 December 2026 until the end of 30 November 2027',
    );
    expect(periodInWords(summer.startsAt, summer.endsAt)).toBe(
      'from 1 April 2027 until the end of 30 June 2027',
    );
    // The clocks go forward on 28 March 2027: the end is midnight BST, 23:00 UTC.
    expect(acrossChange.endsAt).toBe('2027-03-28T23:00:00.000Z');
    expect(endInWords(acrossChange.endsAt)).toBe('the end of 28 March 2027');
  });

  it('reads an end in the last minute of a day as that day, and any other time as it is', () => {
    expect(endInWords('2026-12-31T23:59:59Z')).toBe('the end of 31 December 2026');
    expect(endInWords('2027-07-01T00:00:00Z')).toBe('1am on 1 July 2027'); // midnight UTC is 1am BST
    expect(endInWords('2027-01-15T14:30:00Z')).toBe('2:30pm on 15 January 2027');
    expect(periodInWords('2027-06-01T11:00:00Z', '2027-09-01T00:00:00+01:00')).toBe(
      'from 12 noon on 1 June 2027 until the end of 31 August 2027',
    );
  });

  it('says when the review falls, also when it falls after the end (10.1)', () => {
    const before = aRestriction({
      type: 'witness-required',
      startsAt: '2026-12-01',
      endsAt: '2027-11-30',
      reviewAt: '2027-09-01',
    });
    const after = aRestriction({ type: 'witness-required', startsAt: '2026-12-01', endsAt: '2027-05-31' });
    expect(sectionText(composeLetter(inputFor(before)), 'When we will review it')).toMatch(
      /^A service manager will review the arrangement on 1 September 2027\. If the contact/,
    );
    expect(sectionText(composeLetter(inputFor(after)), 'When we will review it')).toMatch(
      /^It ends at the end of 31 May 2027, before a review would be due, so a service manager will look at it before then\./,
    );
  });

  it('dates the letter itself by the London calendar', () => {
    const letter = composeLetter(
      inputFor(examples['witness-required'].restriction, { date: '2027-06-30T23:30:00.000Z' }),
    );
    expect(letter.dateText).toBe('1 July 2027');
  });
});

describe('composeLetter: extended (10.1) and lifted', () => {
  it('gives the previous end, the new end and that the contact continued', () => {
    // Prepare: extended from 30 November 2027 to 31 May 2028, with a new review date.
    const before = examples['single-named-officer'].restriction;
    const after = {
      ...before,
      endsAt: '2028-05-31T23:00:00.000Z',
      reviewAt: '2028-03-01T00:00:00.000Z',
      extensions: [
        {
          at: '2027-11-24T12:00:00.000Z',
          by: 'Jo Manager, Service Manager',
          reason: 'Calls to other officers continued every week.',
          previousEndsAt: before.endsAt,
          previousReviewAt: before.reviewAt,
        },
      ],
    } as Restriction;

    // Act
    const letter = composeLetter(
      inputFor(after, {
        kind: 'restriction-extended',
        date: '2027-11-25T09:00:00.000Z',
        previous: { endsAt: before.endsAt, reviewAt: before.reviewAt },
      }),
    );

    // Assess
    expect(letter.subject).toMatch(/^We are extending the arrangement/);
    expect(letter.opening.join(' ')).toMatch(/contact that led to it has continued/);
    expect(sectionText(letter, 'How long it will last')).toBe(
      'The arrangement was due to end at the end of 30 November 2027. It will now apply until the end of 31 May 2028. ' +
        'After that, unless we write to you again, you may contact us in the usual ways.',
    );
    expect(sectionText(letter, 'When we will review it')).toContain('1 March 2028');
    expect(sectionText(letter, 'Why we have extended it')).toBe(
      'The contact that led to the arrangement has continued during this period. ' +
        'Calls to other officers continued every week. When we made the arrangement, our reason was: ' +
        reason,
    );
    expect(sectionText(letter, 'What the arrangement is')).toContain('Chris Caseworker');
    expect(sectionText(letter, 'If you are unhappy with our decision')).toContain('www.lgo.org.uk');
    expect(letter.clauses).toContain('10.1');
  });

  it('says when the restriction ended and why, and names the Ombudsman', () => {
    const restriction = examples['topic-no-reply'].restriction;
    const letter = composeLetter(
      inputFor(restriction, {
        kind: 'restriction-lifted',
        date: '2027-03-02T10:00:00.000Z',
        lift: { at: '2027-03-01T16:00:00.000Z', reason: 'The complaint has been resolved at stage 2.' },
        signedBy: 'Jo Manager, Service Manager',
      }),
    );
    expect(letter.subject).toMatch(/^The arrangement for contacting us has ended/);
    expect(sectionText(letter, 'What has changed')).toContain('ended on 1 March 2027');
    expect(sectionText(letter, 'Why we have ended it')).toBe('The complaint has been resolved at stage 2.');
    expect(sectionText(letter, 'If you are unhappy with our decision')).toContain('0300 061 0614');
    // No longer restricted: the usual ways of contact are offered.
    expect(sectionText(letter, 'Contacting us about this letter')).toContain(council.contactEmail);
    expect(letter.closing.signedBy).toBe('Jo Manager, Service Manager');
  });

  it('still explains a lift recorded without a reason', () => {
    const letter = composeLetter(
      inputFor(examples['phone-hours'].restriction, {
        kind: 'restriction-lifted',
        lift: { at: '2027-03-01T16:00:00.000Z', reason: '' },
      }),
    );
    expect(sectionText(letter, 'Why we have ended it')).toMatch(/no longer needed/);
  });
});

describe('renderLetterHtml', () => {
  const hostile = '<script>alert("x")</script> & O\'Brien';

  it('is a complete en-GB document with print styles and every item of 8.1', () => {
    const letter = composeLetter(inputFor(examples['phone-hours'].restriction));
    const html = renderLetterHtml(letter);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<title>${letter.subject}</title>`);
    expect(html).toContain('@media print');
    expect(html).toContain('@page { size: A4;');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    for (const section of letter.sections) expect(html).toContain(`<h2>${section.heading}</h2>`);
    expect(html).toContain('<time datetime="2026-11-20T10:00:00.000Z">20 November 2026</time>');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('escapes hostile text wherever it appears', () => {
    // Prepare: hostile text in every field a person typed.
    const restriction = aRestriction({
      type: 'topic-no-reply',
      topic: hostile,
      designatedReader: 'designated.reader@council.example',
      reason: hostile,
      measuresWhenContactNecessary: hostile,
      ...period,
    });

    // Act
    const html = renderLetterHtml(
      composeLetter(
        inputFor(restriction, {
          customer: { name: hostile, address: `<img src=x onerror=alert(1)>\n${hostile}` },
          council: { ...council, name: `${hostile} Council` },
          reference: '<b>ref</b>',
          signedBy: hostile,
        }),
      ),
    );

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>ref');
    expect(html).toContain('&lt;b&gt;ref&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Brien');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('letterText', () => {
  it('wraps at 76 characters and keeps every paragraph', () => {
    const letter = composeLetter(inputFor(examples['all-contact-refused'].restriction));
    const text = letterText(letter);
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(76);
    const flat = text.replace(/\s+/g, ' ');
    for (const section of letter.sections) {
      for (const paragraph of section.paragraphs) expect(flat).toContain(paragraph.replace(/\s+/g, ' '));
    }
  });
});
