import { describe, expect, it } from 'vitest';
import { recordedChannels } from '../../lambdas/core/channels';
import {
  checkPhoneHours,
  londonWeekday,
  type Measure,
  measureOf,
  measurePhrasings,
  measuresFor,
  recordedContactSchema,
} from '../../lambdas/core/recorded-contacts';
import { restrictionCatalogue, restrictionTypes } from '../../lambdas/core/restriction';
import type { ContactToScreen } from '../../lambdas/core/screen';
import { fieldProblems } from '../../lambdas/core/validation';
import { aRestriction } from '../helpers/register-fixtures';

// Tuesday 1 December 2026, 10:30 in London (GMT: London time is UTC).
const tuesdayMorning = '2026-12-01T10:30:00.000Z';
const contact = (overrides: Partial<ContactToScreen> = {}): ContactToScreen => ({
  channel: 'telephone',
  ...overrides,
});
const phoneHours = () =>
  aRestriction({ type: 'phone-hours', days: ['tuesday'], from: '10:00', until: '12:00', maxCallMinutes: 10 });

describe('checkPhoneHours (7.3.5): is the contact inside the allowed window, on the London clock', () => {
  it('is inside from the start (inclusive) until the end (exclusive) on an allowed day', () => {
    const r = phoneHours();
    expect(checkPhoneHours(r, '2026-12-01T10:00:00.000Z')).toMatchObject({ inside: true, at: 'Tue 10:00' });
    expect(checkPhoneHours(r, '2026-12-01T11:59:00.000Z').inside).toBe(true);
    expect(checkPhoneHours(r, '2026-12-01T12:00:00.000Z')).toMatchObject({ inside: false, at: 'Tue 12:00' });
    expect(checkPhoneHours(r, '2026-12-01T09:59:00.000Z').inside).toBe(false);
  });

  it('is outside on a day not allowed, whatever the time', () => {
    expect(checkPhoneHours(phoneHours(), '2026-12-02T10:30:00.000Z')).toMatchObject({
      inside: false,
      at: 'Wed 10:30',
      allowed: 'Tue 10:00–12:00',
      maxCallMinutes: 10,
    });
  });

  it('reads the time in BST in summer: 09:30 UTC is 10:30 in London', () => {
    // Tuesday 2 June 2026.
    expect(checkPhoneHours(phoneHours(), '2026-06-02T09:30:00.000Z')).toMatchObject({
      inside: true,
      at: 'Tue 10:30',
    });
    // 11:30 UTC is 12:30 BST: past the end.
    expect(checkPhoneHours(phoneHours(), '2026-06-02T11:30:00.000Z').inside).toBe(false);
  });

  it('takes the London day: 23:30 UTC on a Monday in summer is already Tuesday', () => {
    expect(londonWeekday('2026-06-01T23:30:00.000Z')).toBe('tuesday');
  });

  it('lists the allowed days in week order', () => {
    const r = aRestriction({
      type: 'phone-hours',
      days: ['thursday', 'monday'],
      from: '09:00',
      until: '10:00',
    });
    expect(checkPhoneHours(r, tuesdayMorning).allowed).toBe('Mon, Thu 09:00–10:00');
  });
});

describe('the phrasing table: one line per restriction, for the channel, ending with its clause', () => {
  const all = [
    aRestriction({ type: 'third-party-phone-only', thirdParties: ['Jo Solicitor'] }),
    aRestriction({ type: 'no-email-letter-only', writeTo: 'PO Box 1' }),
    aRestriction({ type: 'office-appointment-only' }),
    aRestriction({
      type: 'single-named-officer',
      namedOfficer: 'casey@council.example',
      namedOfficerName: 'Casey',
    }),
    phoneHours(),
    aRestriction({ type: 'witness-required' }),
    aRestriction({ type: 'topic-no-reply', topic: 'CMP-12345', designatedReader: 'reader@council.example' }),
    aRestriction({ type: 'social-media', scope: 'blocked' }),
    aRestriction({ type: 'home-visits-paired', homeVisits: 'refused' }),
    aRestriction({
      type: 'all-contact-refused',
      designatedReader: 'reader@council.example',
      seniorApprover: 'Director',
    }),
  ];

  it('has an entry for every restriction type, and every line cites that type’s clause', () => {
    expect(Object.keys(measurePhrasings).sort()).toEqual([...restrictionTypes].sort());
    expect(all.map((r) => r.type).sort()).toEqual([...restrictionTypes].sort());
    for (const channel of recordedChannels) {
      for (const restriction of all) {
        const measure = measureOf(restriction, {
          channel,
          at: tuesdayMorning,
          contact: contact({ channel }),
        });
        const { clause } = restrictionCatalogue[restriction.type];
        expect(measure.clause).toBe(clause);
        expect(measure.text).toMatch(new RegExp(`\\(${clause.replaceAll('.', '\\.')}\\)\\.$`));
      }
    }
  });

  const phrase = (
    restriction: (typeof all)[number],
    channel: (typeof recordedChannels)[number],
    extra = {},
  ) => measureOf(restriction, { channel, at: tuesdayMorning, contact: contact({ channel, ...extra }) });

  it('7.3.1: a caller who may phone only through their representative is told so, and flagged', () => {
    const measure = phrase(all[0]!, 'telephone');
    expect(measure.text).toBe(
      'This caller may phone only through their representative (Jo Solicitor): go on only if the representative is calling (7.3.1).',
    );
    expect(measure.attention).toBe(true);
    expect(phrase(all[0]!, 'letter').attention).toBe(false);
  });

  it('7.3.4: a call is passed to the named officer', () => {
    expect(phrase(all[3]!, 'telephone').text).toBe(
      'Pass the call to the named officer, Casey, casey@council.example (7.3.4).',
    );
  });

  it('7.3.5: says whether this call is inside the hours, and flags it when it is not', () => {
    const inside = phrase(phoneHours(), 'telephone');
    expect(inside.text).toBe(
      'Calls only Tue 10:00–12:00, at most 10 minutes a call; this call (Tue 10:30) is inside those hours (7.3.5).',
    );
    expect(inside.attention).toBe(false);
    const outside = measureOf(phoneHours(), {
      channel: 'telephone',
      at: '2026-12-02T14:05:00.000Z',
      contact: contact(),
    });
    expect(outside.text).toContain('this call (Wed 14:05) is OUTSIDE those hours');
    expect(outside.attention).toBe(true);
    // A letter is not a call: the hours are said, not checked.
    expect(phrase(phoneHours(), 'letter').text).toBe(
      'Telephone calls only Tue 10:00–12:00, at most 10 minutes a call (7.3.5).',
    );
  });

  it('7.3.3 and 7.3.6: a visit needs an appointment and a witness', () => {
    expect(phrase(all[2]!, 'in-person')).toMatchObject({ attention: true });
    expect(phrase(all[2]!, 'in-person').text).toContain('Offices only by appointment');
    expect(phrase(all[5]!, 'in-person').text).toBe(
      'This meeting needs a witness present: do not go on without one (7.3.6).',
    );
  });

  it('7.3.7: names the topic, and tells on-topic from another matter (9.1)', () => {
    const topicRule = all[6]!;
    const onTopic = phrase(topicRule, 'telephone', { caseReferences: ['CMP-12345'] });
    expect(onTopic.text).toBe(
      'Topic CMP-12345: no reply; the designated reader, reader@council.example, reads what comes in on it (7.3.7).',
    );
    expect(onTopic.attention).toBe(true);
    const other = phrase(topicRule, 'telephone', { caseReferences: ['CMP-99999'] });
    expect(other.text).toContain('another matter');
    expect(other.attention).toBe(false);
    expect(phrase(topicRule, 'telephone').text).toContain('check whether this contact is about it');
  });

  it('8.2, 7.3.8, 7.3.9: refusal of all contact, social media and home visits', () => {
    expect(phrase(all[9]!, 'letter')).toMatchObject({ attention: true });
    expect(phrase(all[9]!, 'letter').text).toContain('All contact from this customer is refused');
    expect(phrase(all[7]!, 'social-media').text).toContain("access to the council's social media is blocked");
    expect(phrase(all[8]!, 'in-person').text).toBe(
      'No home visits: meet this customer only at the office (7.3.9).',
    );
  });

  it('adds the measures when contact is necessary (12.1.5)', () => {
    const r = aRestriction({
      type: 'witness-required',
      measuresWhenContactNecessary: 'Meet at the Civic Centre',
    });
    expect(phrase(r, 'letter').text).toMatch(
      /When contact is necessary: Meet at the Civic Centre \(12\.1\.5\)\.$/,
    );
  });

  it('puts the lines that need acting on first', () => {
    const measures: Measure[] = measuresFor([all[5]!, all[0]!, all[3]!], {
      channel: 'telephone',
      at: tuesdayMorning,
      contact: contact(),
    });
    expect(measures.map((m) => [m.clause, m.attention])).toEqual([
      ['7.3.1', true],
      ['7.3.4', true],
      ['7.3.6', false],
    ]);
  });
});

describe('recordedContactSchema: bad input names the field', () => {
  const problems = (body: unknown) => {
    const result = recordedContactSchema.safeParse(body);
    return result.success ? [] : fieldProblems(result.error);
  };
  const valid = {
    channel: 'telephone',
    customerId: 'cus_1',
    summary: 'Called about bins',
    recordedBy: 'Casey',
  };

  it('accepts a complete contact', () => {
    expect(problems(valid)).toEqual([]);
    expect(problems({ ...valid, customerId: undefined, caller: { phone: '07700 900123' } })).toEqual([]);
  });

  it('requires a summary of at most 10,000 characters', () => {
    expect(problems({ ...valid, summary: undefined })).toEqual([
      { field: 'summary', problem: 'is required' },
    ]);
    expect(problems({ ...valid, summary: '  ' })).toEqual([
      { field: 'summary', problem: 'must not be empty' },
    ]);
    expect(problems({ ...valid, summary: 'x'.repeat(10_001) })).toEqual([
      { field: 'summary', problem: 'must be at most 10000 characters' },
    ]);
  });

  it('takes only the recorded channels', () => {
    expect(problems({ ...valid, channel: 'email' })).toEqual([
      { field: 'channel', problem: 'must be one of: telephone, in-person, letter, social-media' },
    ]);
  });

  it('needs a caller or a customerId, and a caller needs something to identify them', () => {
    expect(problems({ ...valid, customerId: undefined })).toEqual([
      { field: 'caller', problem: 'is required unless customerId is given (who called, visited or wrote)' },
    ]);
    expect(problems({ ...valid, customerId: undefined, caller: {} })).toEqual([
      { field: 'caller', problem: 'must give at least a name, phone, email or postcode' },
    ]);
    expect(problems({ ...valid, caller: { phone: 'call me' } })).toEqual([
      { field: 'caller.phone', problem: 'must be a telephone number' },
    ]);
  });

  it('needs an instant with offset, and refuses unknown fields', () => {
    expect(problems({ ...valid, at: '2026-12-01 10:30' })[0]?.field).toBe('at');
    expect(problems({ ...valid, body: 'x' })).toEqual([{ field: 'body', problem: 'is not a known field' }]);
  });
});
