import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Restriction,
  restrictionApplies,
  restrictionCatalogue,
  restrictionTypes,
} from '../../lambdas/core/restriction';
import {
  type RoutingType,
  routingPrecedence,
  routingRules,
  topicRelation,
} from '../../lambdas/core/routing-rules';
import {
  type Acknowledgement,
  type ContactToScreen,
  type Route,
  screenContact,
} from '../../lambdas/core/screen';
import { aCustomer, aMatch, aRestriction, serviceInbox } from '../helpers/register-fixtures';

const now = '2026-06-01T10:00:00.000Z';
const ruleOf = (type: RoutingType) => routingRules.find((rule) => rule.type === type)!;
const serviceRule = routingRules.at(-1)!;

/** One restriction of each routing type, in force at `now`, with every mailbox it can name. */
const routingRestriction: Record<RoutingType, () => Restriction> = {
  'all-contact-refused': () =>
    aRestriction({
      type: 'all-contact-refused',
      designatedReader: 'senior.reader@council.example',
      seniorApprover: 'Director of Customer Services',
    }),
  'topic-no-reply': () =>
    aRestriction({ type: 'topic-no-reply', topic: 'CMP-10001', designatedReader: 'reader@council.example' }),
  'no-email-letter-only': () =>
    aRestriction({ type: 'no-email-letter-only', designatedReader: 'letters@council.example' }),
  'single-named-officer': () =>
    aRestriction({ type: 'single-named-officer', namedOfficer: 'officer@council.example' }),
};

const screen = (restrictions: Restriction[], contact: ContactToScreen, at = now) =>
  screenContact(contact, { matches: [aMatch(aCustomer({ id: 'cus_A' }), restrictions)] }, at, {
    serviceInbox,
  });

describe('the route chooser table', () => {
  it('has one rule per routing restriction type of the catalogue, citing its clause, and ends with the service inbox', () => {
    const routingTypes = restrictionTypes.filter((type) => restrictionCatalogue[type].effect === 'routing');
    expect([...routingPrecedence].sort()).toEqual([...routingTypes].sort());
    expect(new Set(routingPrecedence).size).toBe(routingPrecedence.length);
    for (const type of routingPrecedence) expect(ruleOf(type).clause).toBe(restrictionCatalogue[type].clause);
    // Only the last rule has no restriction type, and it always applies.
    expect(routingRules.filter((rule) => !rule.type)).toEqual([serviceRule]);
    expect(serviceRule.routes).toEqual(['service']);
  });

  it('decides every pair of routing restrictions by the first of the two in the table', () => {
    const onTopic: ContactToScreen = { channel: 'email', emails: [], subject: 'Re: CMP-10001' };
    for (const [i, first] of routingPrecedence.entries()) {
      for (const second of routingPrecedence.slice(i + 1)) {
        const winner = routingRestriction[first]();
        const loser = routingRestriction[second]();
        for (const restrictions of [
          [winner, loser],
          [loser, winner],
        ]) {
          const decision = screen(restrictions, onTopic);
          const pair = `${first} with ${second}`;
          expect(decision.appliedRestrictionIds, pair).toEqual([winner.id]);
          expect(ruleOf(first).routes, pair).toContain(decision.route);
          expect(decision.acknowledgement, pair).toBe(ruleOf(first).acknowledgement);
          expect(
            decision.notes.map((note) => note.restrictionId),
            pair,
          ).toEqual([loser.id]);
        }
      }
    }
  });
});

describe('the README shows the route chooser table', () => {
  const words: Record<Route, string> = {
    'designated-reader': 'designated reader',
    'named-officer': 'named officer',
    service: 'service inbox',
  };
  const acknowledgementWords: Record<Acknowledgement, string> = {
    none: 'none',
    'email-not-accepted': '"email not accepted, write instead"',
    standard: 'standard',
  };

  /** The rows of the precedence table in the README's "How it screens", as cells. */
  function readmeRows(): string[][] {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## How it screens'));
    const lines = section.split('\n').map((line) => line.trim());
    const header = lines.findIndex((line) => /^\|\s*precedence\s*\|/.test(line));
    expect(header, 'the precedence table in "How it screens"').toBeGreaterThan(-1);
    const rows: string[][] = [];
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      );
    }
    return rows;
  }

  it('row for row, in the same order', () => {
    const expected = routingRules.map((rule, i) => {
      const [route, ...fallbacks] = rule.routes.map((r) => words[r]);
      return [
        rule.type ? String(i + 1) : '–',
        rule.type
          ? `\`${rule.type}\` (${rule.clause})${rule.condition ? `, ${rule.condition}` : ''}`
          : 'none of these',
        fallbacks.length > 0 ? `${route} (else ${fallbacks.join(', else ')})` : route,
        acknowledgementWords[rule.acknowledgement],
      ];
    });
    expect(readmeRows()).toEqual(expected);
  });
});

describe('the route chosen is the first applicable rule’s (property)', () => {
  const day = 24 * 3600 * 1000;
  const at = (days: number) => new Date(Date.parse(now) + days * day).toISOString();
  const staff = fc.constantFrom('officer@council.example', 'reader@council.example', 'other@council.example');
  const topics = ['CMP-10001', 'Planning enforcement', 'noise'];

  const restriction: fc.Arbitrary<Restriction> = fc
    .record({
      type: fc.constantFrom(...restrictionTypes),
      start: fc.integer({ min: -30, max: 5 }),
      length: fc.integer({ min: 1, max: 60 }),
      reader: fc.option(staff, { nil: undefined }),
      officer: staff,
      topic: fc.constantFrom(...topics),
    })
    .map(({ type, start, length, reader, officer, topic }) => {
      const fields: Record<string, object> = {
        'single-named-officer': { namedOfficer: officer },
        'topic-no-reply': { topic, designatedReader: reader ?? officer },
        'all-contact-refused': { designatedReader: reader ?? officer, seniorApprover: 'Director' },
        'no-email-letter-only': reader ? { designatedReader: reader } : {},
        'phone-hours': { days: ['monday'], from: '09:00', until: '10:00' },
      };
      return aRestriction({
        type,
        startsAt: at(start),
        endsAt: at(start + length),
        ...fields[type],
      } as Parameters<typeof aRestriction>[0]) as Restriction;
    });

  const contact: fc.Arbitrary<ContactToScreen> = fc.record({
    channel: fc.constantFrom('email' as const, 'web-form' as const),
    emails: fc.constant([]),
    subject: fc.option(fc.constantFrom(...topics, 'Re: noise again', 'Missed bin', 'cmp-10001'), {
      nil: undefined,
    }),
    caseReferences: fc.array(fc.constantFrom('CMP-10001', 'CMP-2'), { maxLength: 1 }),
  });

  /** Independently of the chooser: the restrictions by which a type applies to this contact now. */
  const applicable = (type: RoutingType, restrictions: Restriction[], c: ContactToScreen) =>
    restrictions.filter(
      (r) =>
        r.type === type &&
        restrictionApplies(r, now) &&
        (r.type !== 'topic-no-reply' || topicRelation(c, r.topic) === 'on-topic'),
    );

  it('over random sets of restrictions: the first type in the table that applies decides, by all of its restrictions', () => {
    fc.assert(
      fc.property(fc.array(restriction, { maxLength: 6 }), contact, (restrictions, c) => {
        const decision = screen(restrictions, c);
        const first = routingPrecedence.find((type) => applicable(type, restrictions, c).length > 0);
        const rule = first ? ruleOf(first) : serviceRule;
        const expectedIds = first ? applicable(first, restrictions, c).map((r) => r.id) : [];
        expect(new Set(decision.appliedRestrictionIds)).toEqual(new Set(expectedIds));
        expect(rule.routes).toContain(decision.route);
        expect(decision.acknowledgement).toBe(rule.acknowledgement);
      }),
      { numRuns: 1000 },
    );
  });

  it('a contact on another topic than a topic-no-reply restriction reaches its designated reader as a copy, unless 8.2 decides (9.1)', () => {
    fc.assert(
      fc.property(fc.array(restriction, { maxLength: 6 }), contact, (restrictions, c) => {
        const decision = screen(restrictions, c);
        if (applicable('all-contact-refused', restrictions, c).length > 0) return;
        const newMatters = restrictions.filter(
          (r) =>
            r.type === 'topic-no-reply' &&
            restrictionApplies(r, now) &&
            topicRelation(c, r.topic) !== 'on-topic',
        );
        for (const r of newMatters) {
          if (r.type !== 'topic-no-reply') continue;
          expect([...decision.recipients, ...decision.copyTo]).toContain(r.designatedReader);
          expect(decision.reasons.map((reason) => reason.code)).toContain(
            topicRelation(c, r.topic) === 'other-topic' ? 'topic-new-matter' : 'topic-unknown',
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
