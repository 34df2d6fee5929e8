import {
  type Restriction,
  type RestrictionOf,
  type RestrictionType,
  restrictionCatalogue,
} from './restriction';
import type { Acknowledgement, ContactToScreen, Reason, Route } from './screen';

/** The restriction types that change where written contact goes (`effect: 'routing'` in the catalogue). */
export type RoutingType = {
  [T in RestrictionType]: (typeof restrictionCatalogue)[T]['effect'] extends 'routing' ? T : never;
}[RestrictionType];

/** What the route chooser knows of one contact: what it is about and the restrictions in force now. */
export interface RoutingContext {
  contact: ContactToScreen;
  /** The restrictions in force for the customers the contact is taken to be from. */
  applying: readonly Restriction[];
  /** The last resort for any contact (P1). */
  serviceInbox: string;
  /** Where an unrestricted contact goes: the mailboxes of the addresses it was sent to (MAILBOXES), else the service inbox. */
  serviceMailboxes?: readonly string[];
}

/**
 * One rule of the route chooser. The rules are tried in precedence order; the first that applies
 * decides the route. The README's precedence table shows these rules (a unit test compares them).
 */
export interface RoutingRule {
  /** The restriction type that decides by this rule; absent on the last rule, when none does. */
  type?: RoutingType;
  clause?: string;
  /** What else must hold for the rule to apply, beyond a restriction of its type being in force. */
  condition?: string;
  /** Where the rule sends the contact: the first of these that has a mailbox. */
  routes: readonly Route[];
  acknowledgement: Acknowledgement;
  /** The restrictions by which the rule decides for this contact, or undefined when it does not apply. */
  appliesBy(context: RoutingContext): readonly Restriction[] | undefined;
  /** Where the contact goes by those restrictions, and why (P3). No mailboxes means the service inbox (P1). */
  route(applied: readonly Restriction[], context: RoutingContext): RouteByRule;
  /** What the rule adds once the chooser reaches it, whether or not it decides: copies for staff, and why. */
  alongside?(context: RoutingContext): { copyTo: string[]; reasons: Reason[] };
}

export interface RouteByRule {
  route: Route;
  recipients: string[];
  reason: Reason;
}

export interface RouteChoice {
  rule: RoutingRule;
  route: Route;
  /** Never empty: every contact reaches a human mailbox (P1). */
  recipients: string[];
  /** The restrictions that decided the route; the others travel as notes. */
  applied: readonly Restriction[];
  acknowledgement: Acknowledgement;
  copyTo: string[];
  reasons: Reason[];
}

const unique = (values: Iterable<string>) => [...new Set(values)];

const ofType = <T extends RestrictionType>(restrictions: readonly Restriction[], type: T) =>
  restrictions.filter((r): r is RestrictionOf<T> => r.type === type);

/** Restrictions of `type` in force, or undefined when there are none: the rule does not apply. */
const inForce = <T extends RestrictionType>(context: RoutingContext, type: T) => {
  const found = ofType(context.applying, type);
  return found.length > 0 ? found : undefined;
};

const namedOfficersOf = (context: RoutingContext) =>
  unique(ofType(context.applying, 'single-named-officer').map((r) => r.namedOfficer));

function normaliseTopic(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

type TopicRelation = 'on-topic' | 'other-topic' | 'unknown';

/** Is this contact about the restricted topic? Compared on case, spacing and punctuation-insensitive words. */
export function topicRelation(contact: ContactToScreen, topic: string): TopicRelation {
  const wanted = normaliseTopic(topic);
  const candidates = [contact.topic, contact.subject, ...(contact.caseReferences ?? [])]
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map(normaliseTopic)
    .filter(Boolean);
  if (candidates.length === 0) return 'unknown';
  const found = candidates.some((candidate) => ` ${candidate} `.includes(` ${wanted} `));
  return found ? 'on-topic' : 'other-topic';
}

const topicRestrictions = (context: RoutingContext) =>
  ofType(context.applying, 'topic-no-reply').map((restriction) => ({
    restriction,
    relation: topicRelation(context.contact, restriction.topic),
  }));

/** 8.2: all contact refused. A designated reader still reads, so genuine new matters are not lost (9.1). */
const allContactRefused: RoutingRule = {
  type: 'all-contact-refused',
  clause: restrictionCatalogue['all-contact-refused'].clause,
  routes: ['designated-reader'],
  acknowledgement: 'none',
  appliesBy: (context) => inForce(context, 'all-contact-refused'),
  route: (applied) => ({
    route: 'designated-reader',
    recipients: ofType(applied, 'all-contact-refused').map((r) => r.designatedReader),
    reason: {
      code: 'all-contact-refused',
      clause: '8.2',
      text: 'All contact from this customer is refused; it goes to the designated reader, who looks for genuine new matters (9.1). No acknowledgement is sent.',
    },
  }),
};

/**
 * 7.3.7: no reply on one topic; a designated reader reads what is on it. A contact on another
 * topic (or one whose topic cannot be told) is a new matter (9.1): routed by the rules after this
 * one, with a copy to the designated reader.
 */
const topicNoReply: RoutingRule = {
  type: 'topic-no-reply',
  clause: restrictionCatalogue['topic-no-reply'].clause,
  condition: 'contact on that topic',
  routes: ['designated-reader'],
  acknowledgement: 'none',
  appliesBy: (context) => {
    const onTopic = topicRestrictions(context).filter((t) => t.relation === 'on-topic');
    return onTopic.length > 0 ? onTopic.map((t) => t.restriction) : undefined;
  },
  route: (applied) => {
    const silenced = ofType(applied, 'topic-no-reply');
    return {
      route: 'designated-reader',
      recipients: silenced.map((r) => r.designatedReader),
      reason: {
        code: 'topic-no-reply',
        clause: '7.3.7',
        text: `This contact is about ${silenced.map((r) => `"${r.topic}"`).join(', ')}, on which the council does not reply; it goes to the designated reader. No acknowledgement is sent.`,
      },
    };
  },
  alongside: (context) => {
    const newMatters = topicRestrictions(context).filter((t) => t.relation !== 'on-topic');
    return {
      copyTo: newMatters.map((t) => t.restriction.designatedReader),
      reasons: newMatters.map(({ restriction, relation }) =>
        relation === 'other-topic'
          ? {
              code: 'topic-new-matter',
              clause: '9.1',
              text: `This contact is not about "${restriction.topic}", on which no reply is given (7.3.7); it is a new matter, handled on its merits. ${restriction.designatedReader} gets a copy to see it.`,
            }
          : {
              code: 'topic-unknown',
              clause: '9.1',
              text: `Whether this contact is about "${restriction.topic}" (no reply, 7.3.7) could not be told; it is routed as a new matter and ${restriction.designatedReader} gets a copy to check.`,
            },
      ),
    };
  },
};

/** How 7.3.2's reason says who reads the contact, for each route it can take. */
const letterOnlyReader: Record<Route, string> = {
  'designated-reader': 'by the designated reader',
  'named-officer': 'by the named officer, as no designated reader is set (7.3.4)',
  service: 'in the service inbox, as no designated reader or named officer is set',
};

/**
 * 7.3.2: email is not accepted; the customer is told to write instead. It is still read (9.1): by
 * the designated reader, else the named officer (7.3.4), else in the service inbox.
 */
const noEmailLetterOnly: RoutingRule = {
  type: 'no-email-letter-only',
  clause: restrictionCatalogue['no-email-letter-only'].clause,
  routes: ['designated-reader', 'named-officer', 'service'],
  acknowledgement: 'email-not-accepted',
  appliesBy: (context) => inForce(context, 'no-email-letter-only'),
  route(applied, context) {
    const mailboxes: Record<Route, string[]> = {
      'designated-reader': unique(
        ofType(applied, 'no-email-letter-only').flatMap((r) =>
          r.designatedReader ? [r.designatedReader] : [],
        ),
      ),
      'named-officer': namedOfficersOf(context),
      service: serviceMailboxesOf(context),
    };
    const route = this.routes.find((candidate) => mailboxes[candidate].length > 0) ?? 'service';
    const electronic = context.contact.channel === 'email' ? 'emails are' : 'electronic contact is';
    return {
      route,
      recipients: mailboxes[route],
      reason: {
        code: 'no-email-letter-only',
        clause: '7.3.2',
        text: `This customer's ${electronic} not accepted; they are asked to write by letter. It is still read, ${letterOnlyReader[route]} (9.1).`,
      },
    };
  },
};

/** 7.3.4: one named officer deals with this customer. */
const singleNamedOfficer: RoutingRule = {
  type: 'single-named-officer',
  clause: restrictionCatalogue['single-named-officer'].clause,
  routes: ['named-officer'],
  acknowledgement: 'standard',
  appliesBy: (context) => inForce(context, 'single-named-officer'),
  route: (_applied, context) => {
    const officers = namedOfficersOf(context);
    return {
      route: 'named-officer',
      recipients: officers,
      reason: {
        code: 'single-named-officer',
        clause: '7.3.4',
        text: `This customer deals with one named officer only; the contact goes to ${officers.join(' and ')}.`,
      },
    };
  },
};

const serviceMailboxesOf = (context: RoutingContext): string[] =>
  context.serviceMailboxes?.length ? [...context.serviceMailboxes] : [context.serviceInbox];

/** No restriction changes where the contact goes: the mailbox of the address it was sent to, else the service inbox. Always applies. */
const serviceInbox: RoutingRule = {
  routes: ['service'],
  acknowledgement: 'standard',
  appliesBy: () => [],
  route: (_applied, context) => {
    const mailboxes = serviceMailboxesOf(context);
    const toInbox = mailboxes.length === 1 && mailboxes[0] === context.serviceInbox;
    return {
      route: 'service',
      recipients: mailboxes,
      reason: toInbox
        ? {
            code: 'service-inbox',
            text: 'No restriction changes where this contact goes; it goes to the service inbox.',
          }
        : {
            code: 'addressed-mailbox',
            text: `No restriction changes where this contact goes; it goes to the mailbox of the address it was sent to (${mailboxes.join(', ')}).`,
          },
    };
  },
};

/**
 * The route chooser, in precedence order: the first rule that applies decides. 8.2 refuses
 * everything; 7.3.7 silences one topic; 7.3.2 refuses the electronic channel; 7.3.4 names the one
 * officer to deal with; else the service inbox. The README's table "How it screens" is this one.
 */
export const routingRules: readonly RoutingRule[] = [
  allContactRefused,
  topicNoReply,
  noEmailLetterOnly,
  singleNamedOfficer,
  serviceInbox,
];

/** Which restriction type decides the route when several apply: the first in this list (read from the rules). */
export const routingPrecedence: readonly RoutingType[] = routingRules.flatMap((rule) =>
  rule.type ? [rule.type] : [],
);

/**
 * Walks the rules in precedence order: each rule reached may add copies (a new matter, 9.1), and
 * the first that applies decides where the contact goes and what the customer may be sent.
 */
export function chooseRoute(context: RoutingContext): RouteChoice {
  const copyTo: string[] = [];
  const reasons: Reason[] = [];
  for (const rule of routingRules) {
    const aside = rule.alongside?.(context);
    if (aside) {
      copyTo.push(...aside.copyTo);
      reasons.push(...aside.reasons);
    }
    const applied = rule.appliesBy(context);
    if (!applied) continue;
    const decided = rule.route(applied, context);
    reasons.push(decided.reason);
    const recipients = decided.recipients.length > 0 ? unique(decided.recipients) : [context.serviceInbox];
    return {
      rule,
      route: decided.route,
      recipients,
      applied,
      acknowledgement: rule.acknowledgement,
      copyTo: unique(copyTo).filter((mailbox) => !recipients.includes(mailbox)),
      reasons,
    };
  }
  throw new Error('no routing rule applied: the last rule (the service inbox) always applies');
}
