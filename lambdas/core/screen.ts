import { z } from 'zod';
import { type Channel, channels } from './channels';
import type { Customer } from './customer';
import { type EscalationStage, type EscalationStep, escalationOf, escalationStageTitles } from './escalation';
import { type IdentityClaims, type IdentityKind, identityStrength, normaliseEmail } from './identity';
import { deliveringMailboxes, type MailboxSettings } from './mailboxes';
import {
  type Restriction,
  type RestrictionType,
  restrictionApplies,
  restrictionCatalogue,
  restrictionStatus,
  weekdays,
} from './restriction';
import { chooseRoute } from './routing-rules';
import { formatForPeople, type Instant } from './time';

export type { Channel } from './channels';

/** What screening knows of one inbound contact: who it claims to be from and what it is about. No body. */
export interface ContactToScreen extends IdentityClaims {
  channel: Channel;
  /** false when the sender's address could not be verified (e.g. DMARC failed): a match is then not proof. */
  senderVerified?: boolean;
  subject?: string | undefined;
  /** The service or topic the contact names (the form's topic field). */
  topic?: string | undefined;
  /** Case references found in the contact (e.g. `CMP-12345`). */
  caseReferences?: readonly string[];
  /** The council addresses it was sent to (email): unrestricted mail goes to their mailboxes (MAILBOXES). */
  sentTo?: readonly string[];
}

/** A contact as the admin API's screening preview takes it: what a manager can ask "where would this go?" about. */
export const contactToScreenSchema = z.strictObject({
  channel: z.enum(channels).default('email'),
  emails: z.array(z.string().max(320)).max(10).default([]),
  phones: z.array(z.string().max(40)).max(10).default([]),
  name: z.string().max(200).optional(),
  postcode: z.string().max(16).optional(),
  senderVerified: z.boolean().optional(),
  subject: z.string().max(1000).optional(),
  topic: z.string().max(200).optional(),
  caseReferences: z.array(z.string().max(100)).max(20).default([]),
  sentTo: z.array(z.string().max(320)).max(50).optional(),
}) satisfies z.ZodType<ContactToScreen, unknown>;

/** A customer of the register whom the contact's identities matched, with all their restrictions. */
export interface RegisterMatch {
  customer: Customer;
  matchedBy: readonly IdentityKind[];
  restrictions: readonly Restriction[];
  /** The escalation steps recorded (7.2), so the officer sees where the customer stands. */
  steps?: readonly EscalationStep[];
}

export interface RegisterView {
  matches: readonly RegisterMatch[];
}

export interface ScreeningOptions extends MailboxSettings {
  /** The normal service inbox: where unrestricted contacts go and the last resort for any contact (P1). */
  serviceInbox: string;
}

export type Route = 'service' | 'named-officer' | 'designated-reader';

export interface Reason {
  code: string;
  /** The policy clause this reason rests on, if any (P3). */
  clause?: string;
  text: string;
}

export interface ReaderNote {
  restrictionId: string;
  type: RestrictionType;
  clause: string;
  text: string;
}

export type Acknowledgement = 'standard' | 'email-not-accepted' | 'none';

export interface ScreeningDecision {
  route: Route;
  /** Never empty: every contact reaches a human mailbox (P1). */
  recipients: string[];
  /** Staff who should also see this contact, e.g. the designated reader when a new matter arrives (9.1). */
  copyTo: string[];
  reasons: Reason[];
  notes: ReaderNote[];
  customerIds: string[];
  appliedRestrictionIds: string[];
  /** What the customer may be sent automatically; transport rules (P8) come on top. */
  acknowledgement: Acknowledgement;
  /**
   * Where a notice about a restriction may go: the customer's registered address only, never
   * simply the address the contact came from (P4). Absent when there is no such notice or address.
   */
  restrictionNotice?: { to: string; writeTo?: string };
  /**
   * Who the customer is, for the officer who reads the forward: so that the reply respects their
   * reasonable adjustments and vulnerability (Equality Act duties; the Vulnerability policy).
   * Shown in the summary only: never in the contact record, logs or events (P7).
   */
  customers?: CustomerBrief[];
}

export interface CustomerBrief {
  id: string;
  name: string;
  reasonableAdjustments?: string;
  vulnerability?: string;
  /** Where the customer stands in the staged escalation (7.2), derived from the clock (P5). */
  escalation?: { stage: EscalationStage; clause?: string };
  /** Restrictions decided but not yet in force: the officer knows what is coming (7.3). */
  scheduled?: { restrictionId: string; type: RestrictionType; clause: string; startsAt: Instant }[];
}

function briefOf(match: RegisterMatch, now: Instant): CustomerBrief {
  const { customer } = match;
  const { stage } = escalationOf(match.steps ?? [], match.restrictions, now);
  const { clause } = escalationStageTitles[stage];
  return {
    id: customer.id,
    name: customer.name,
    ...(customer.reasonableAdjustments ? { reasonableAdjustments: customer.reasonableAdjustments } : {}),
    ...(customer.vulnerability ? { vulnerability: customer.vulnerability } : {}),
    escalation: { stage, ...(clause ? { clause } : {}) },
    scheduled: match.restrictions
      .filter((restriction) => restrictionStatus(restriction, now) === 'scheduled')
      .map((restriction) => ({
        restrictionId: restriction.id,
        type: restriction.type,
        clause: restrictionCatalogue[restriction.type].clause,
        startsAt: restriction.startsAt,
      })),
  };
}

/** The route chooser is a table of rules (routing-rules.ts); its precedence is read from that table. */
export { routingPrecedence, topicRelation } from './routing-rules';

/** The customers the contact is taken to be from: those matched by the strongest kind of evidence. */
function chooseCustomers(matches: readonly RegisterMatch[]): {
  chosen: RegisterMatch[];
  others: RegisterMatch[];
} {
  const strength = (match: RegisterMatch) =>
    Math.max(0, ...match.matchedBy.map((kind) => identityStrength[kind]));
  const best = Math.max(0, ...matches.map(strength));
  return {
    chosen: matches.filter((match) => best > 0 && strength(match) === best),
    others: matches.filter((match) => best === 0 || strength(match) !== best),
  };
}

/** `email and phone`: strongest evidence first, so that the explanation reads the same every time. */
const describeEvidence = (kinds: readonly IdentityKind[]) =>
  [...kinds].sort((a, b) => identityStrength[b] - identityStrength[a]).join(' and ');

function describeNote(restriction: Restriction): string {
  switch (restriction.type) {
    case 'third-party-phone-only':
      return `Telephone contact only through a third party${restriction.thirdParties?.length ? ` (${restriction.thirdParties.join(', ')})` : ''}.`;
    case 'office-appointment-only':
      return `Offices only by appointment${restriction.appointmentsVia ? `, booked via ${restriction.appointmentsVia}` : ''}.`;
    case 'phone-hours': {
      const days = weekdays.filter((day) => restriction.days.includes(day)).map((day) => day.slice(0, 3));
      const length = restriction.maxCallMinutes
        ? `, at most ${restriction.maxCallMinutes} minutes a call`
        : '';
      return `Telephone calls only ${days.join(', ')} ${restriction.from}–${restriction.until}${length}.`;
    }
    case 'witness-required':
      return `Meetings and personal contact need a witness present${restriction.witness ? ` (${restriction.witness})` : ''}.`;
    case 'social-media':
      return `Social media access ${restriction.scope === 'blocked' ? 'blocked' : 'restricted'}${restriction.platforms?.length ? ` on ${restriction.platforms.join(', ')}` : ''}.`;
    case 'home-visits-paired':
      return restriction.homeVisits === 'refused'
        ? 'No home visits.'
        : 'Home visits only by two members of staff together.';
    case 'single-named-officer':
      return `The named officer for this customer is ${restriction.namedOfficer}.`;
    case 'topic-no-reply':
      return `No reply or acknowledgement on "${restriction.topic}"; ${restriction.designatedReader} reads it.`;
    case 'no-email-letter-only':
      return `Email is not accepted from this customer; they correspond by letter${restriction.writeTo ? ` to ${restriction.writeTo}` : ''}.`;
    case 'all-contact-refused':
      return `All contact refused; ${restriction.designatedReader} reads anything that arrives.`;
  }
}

function noteOf(restriction: Restriction): ReaderNote {
  const { clause } = restrictionCatalogue[restriction.type];
  const measures = restriction.measuresWhenContactNecessary
    ? ` When contact is necessary: ${restriction.measuresWhenContactNecessary} (12.1.5)`
    : '';
  return {
    restrictionId: restriction.id,
    type: restriction.type,
    clause,
    text: `${describeNote(restriction)}${measures}`,
  };
}

/**
 * Screens one contact against the register as it stands at `now`: a pure decision of where it
 * goes, who reads it, what the customer may be sent, and why (P3). It never changes the register (P2).
 */
export function screenContact(
  contact: ContactToScreen,
  register: RegisterView,
  now: Instant,
  options: ScreeningOptions,
): ScreeningDecision {
  const reasons: Reason[] = [];
  const { chosen, others } = chooseCustomers(register.matches);

  if (chosen.length === 0) {
    reasons.push({
      code: 'not-in-register',
      text: 'The sender matches no customer in the restriction register.',
    });
  } else {
    for (const match of chosen) {
      reasons.push({
        code: 'register-match',
        text: `The sender matches register customer ${match.customer.id} by ${describeEvidence(match.matchedBy)}.`,
      });
    }
    if (chosen.length > 1) {
      reasons.push({
        code: 'identity-ambiguous',
        text: `The sender matches ${chosen.length} register customers equally; the restrictions of all of them are applied. Check who wrote.`,
      });
    }
    if (contact.senderVerified === false) {
      reasons.push({
        code: 'identity-unverified',
        text: "The sender's address could not be verified: the match is not proof of who wrote. Check before relying on it.",
      });
    }
  }
  for (const other of others) {
    reasons.push({
      code: 'identity-weaker-match',
      text: `The sender also resembles register customer ${other.customer.id} (by ${describeEvidence(other.matchedBy)}); that customer's restrictions were not applied.`,
    });
  }

  const applying = chosen
    .flatMap((match) => match.restrictions)
    .filter((restriction) => restrictionApplies(restriction, now))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));

  for (const restriction of applying) {
    if (restrictionStatus(restriction, now) === 'review-overdue') {
      reasons.push({
        code: 'review-overdue',
        clause: '10.1',
        text: `Restriction ${restriction.id} (${restriction.type}) was due for review on ${formatForPeople(restriction.reviewAt)}; it still applies until a manager decides.`,
      });
    }
  }
  if (chosen.length > 0 && applying.length === 0) {
    reasons.push({
      code: 'no-restriction-applies',
      text: 'No restriction applies to this customer at this time.',
    });
  }

  const route = chooseRoute({
    contact,
    applying,
    serviceInbox: options.serviceInbox,
    serviceMailboxes: deliveringMailboxes(contact.sentTo, options),
  });
  reasons.push(...route.reasons);

  const notes = applying.filter((r) => !route.applied.includes(r)).map(noteOf);
  const restrictionNotice =
    route.acknowledgement === 'email-not-accepted' && chosen.length === 1
      ? noticeAddress(contact, chosen[0]!.customer, route.applied)
      : undefined;
  return {
    route: route.route,
    recipients: route.recipients,
    copyTo: route.copyTo,
    reasons,
    notes,
    customerIds: chosen.map((match) => match.customer.id),
    customers: chosen.map((match) => briefOf(match, now)),
    appliedRestrictionIds: route.applied.map((r) => r.id),
    acknowledgement: route.acknowledgement,
    ...(restrictionNotice ? { restrictionNotice } : {}),
  };
}

/** The registered address the contact came from, else the customer's first registered one (P4). */
function noticeAddress(contact: ContactToScreen, customer: Customer, applied: readonly Restriction[]) {
  const sent = (contact.emails ?? []).map(normaliseEmail);
  const to = customer.emails.find((email) => sent.includes(email)) ?? customer.emails[0];
  if (!to) return undefined;
  const writeTo = applied.flatMap((r) =>
    r.type === 'no-email-letter-only' && r.writeTo ? [r.writeTo] : [],
  )[0];
  return { to, ...(writeTo ? { writeTo } : {}) };
}
