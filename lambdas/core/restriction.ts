import { z } from 'zod';
import type { AdjustmentConflict } from './conflicts';
import { defaultReviewAt, type Instant, parseRegisterDate } from './time';

/**
 * The restriction types of policy section 7.3 and 8.2. Their ids are part of the API.
 * `routing` types change where written contact goes; `note` types concern phone, visits,
 * meetings or social media and travel with every routed contact as notes for the reader.
 */
export const restrictionCatalogue = {
  'third-party-phone-only': {
    clause: '7.3.1',
    effect: 'note',
    title: 'Telephone contact only through a third party',
  },
  'no-email-letter-only': { clause: '7.3.2', effect: 'routing', title: 'Email not accepted; letters only' },
  'office-appointment-only': { clause: '7.3.3', effect: 'note', title: 'Offices by appointment only' },
  'single-named-officer': {
    clause: '7.3.4',
    effect: 'routing',
    title: 'Contact with one named officer only',
  },
  'phone-hours': { clause: '7.3.5', effect: 'note', title: 'Telephone calls on set days, times and length' },
  'witness-required': {
    clause: '7.3.6',
    effect: 'note',
    title: 'Personal contact only with a witness present',
  },
  'topic-no-reply': {
    clause: '7.3.7',
    effect: 'routing',
    title: 'No reply on a topic; a designated reader reads',
  },
  'social-media': { clause: '7.3.8', effect: 'note', title: 'Social media access restricted' },
  'home-visits-paired': { clause: '7.3.9', effect: 'note', title: 'Home visits refused or only in pairs' },
  'all-contact-refused': {
    clause: '8.2',
    effect: 'routing',
    title: 'All contact refused; a designated reader reads',
  },
} as const;

export type RestrictionType = keyof typeof restrictionCatalogue;
export const restrictionTypes = Object.keys(restrictionCatalogue) as [RestrictionType, ...RestrictionType[]];

const mailbox = z
  .email({
    error: (issue) =>
      issue.input === undefined ? 'is required' : 'must be an email address (a mailbox at the council)',
  })
  .max(254);
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a time of day such as 09:30'),
});
export const weekdays = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/** The fields each type adds to the common ones. */
const typeFields = {
  'third-party-phone-only': { thirdParties: z.array(text(200)).max(20).optional() },
  'no-email-letter-only': { designatedReader: mailbox.optional(), writeTo: text(500).optional() },
  'office-appointment-only': { appointmentsVia: text(500).optional() },
  // 7.3.4: the officer's mailbox routes the contact; their name and telephone are for the customer's letter.
  'single-named-officer': {
    namedOfficer: mailbox,
    namedOfficerName: text(200).optional(),
    namedOfficerPhone: text(50).optional(),
  },
  'phone-hours': {
    days: z.array(z.enum(weekdays)).min(1, { error: 'must name at least one day' }),
    from: clock,
    until: clock,
    maxCallMinutes: z.number().int().min(1).max(240).optional(),
  },
  'witness-required': { witness: text(200).optional() },
  'topic-no-reply': { topic: text(200), designatedReader: mailbox },
  'social-media': {
    platforms: z.array(text(100)).max(20).optional(),
    scope: z.enum(['restricted', 'blocked']).optional(),
  },
  'home-visits-paired': { homeVisits: z.enum(['paired-only', 'refused']).optional() },
  // 8.2: a senior manager decides, in consultation with the Assistant Director; 9.1: someone still reads.
  // 8.2: only a member of the Senior Management Team may decide it; their name is recorded.
  'all-contact-refused': {
    designatedReader: mailbox,
    seniorApprover: text(200),
    consultedWith: text(200).optional(),
  },
} satisfies Record<RestrictionType, z.ZodRawShape>;

const registerDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { error: 'must be a date (2027-03-31) or a date-time with offset' });

const commonInputFields = {
  customerId: text(100),
  reason: text(4000),
  decidedBy: text(200),
  startsAt: registerDate,
  endsAt: registerDate,
  reviewAt: registerDate.optional(),
  customerAdvisedAt: registerDate.optional(),
  servicesAdvisedAt: registerDate.optional(),
  measuresWhenContactNecessary: text(4000).optional(),
  /** Why the customer was not warned first (7.2.1), e.g. threats to staff (8.3). Required without a recorded warning. */
  withoutWarningReason: text(2000).optional(),
  /** The decider has seen the clashes with the customer's reasonable adjustments and accepts them. */
  acknowledgeConflicts: z.boolean().optional(),
};

function inputVariant<T extends RestrictionType>(type: T) {
  return z.strictObject({ type: z.literal(type), ...commonInputFields, ...typeFields[type] });
}

const inputVariants = restrictionTypes.map(inputVariant) as unknown as [
  ReturnType<typeof inputVariant<'third-party-phone-only'>>,
  ...{ [T in RestrictionType]: ReturnType<typeof inputVariant<T>> }[RestrictionType][],
];

type DateField = 'startsAt' | 'endsAt' | 'reviewAt' | 'customerAdvisedAt' | 'servicesAdvisedAt';

/**
 * A restriction as a manager enters it (the admin API's body). Dates become instants; the
 * review date defaults to twelve months after the start (10.1); the end must follow the start.
 */
export const restrictionInputSchema = z
  .discriminatedUnion('type', inputVariants, {
    error: (issue) =>
      issue.code === 'invalid_union' ? `type must be one of: ${restrictionTypes.join(', ')}` : undefined,
  })
  .transform((input, ctx) => {
    const instants: Partial<Record<DateField, Instant>> = {};
    for (const field of [
      'startsAt',
      'endsAt',
      'reviewAt',
      'customerAdvisedAt',
      'servicesAdvisedAt',
    ] as const) {
      const raw = input[field];
      if (raw === undefined) continue;
      const instant = parseRegisterDate(raw, field === 'endsAt' ? 'end' : 'start');
      if (!instant) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'is not a real date or lacks a time-zone offset',
        });
        continue;
      }
      instants[field] = instant;
    }
    const { startsAt, endsAt } = instants;
    if (startsAt && endsAt && endsAt <= startsAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'must be after startsAt (7.3: a restriction has a period)',
      });
    }
    if (input.type === 'phone-hours' && input.from >= input.until) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be later in the day than from' });
    }
    if (!startsAt || !endsAt || endsAt <= startsAt) return z.NEVER;
    const reviewAt = instants.reviewAt ?? defaultReviewAt(startsAt);
    if (reviewAt < startsAt) {
      ctx.addIssue({ code: 'custom', path: ['reviewAt'], message: 'must not be before startsAt' });
    }
    return { ...input, ...instants, startsAt, endsAt, reviewAt };
  });

export type RestrictionInput = z.input<typeof restrictionInputSchema>;
export type NewRestriction = z.output<typeof restrictionInputSchema>;

/** How the register records a restriction; lifting is a person's act (P2) and is recorded, never inferred. */
/** Omit over each member of a union (plain Omit would merge the restriction types into one). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type Restriction = OmitEach<NewRestriction, 'acknowledgeConflicts'> & {
  id: string;
  createdAt: Instant;
  createdBy: string;
  liftedAt?: Instant;
  liftedBy?: string;
  liftReason?: string;
  /** Clashes with the customer's reasonable adjustments, found when it was imposed. */
  conflicts?: AdjustmentConflict[];
  /** Who accepted the clashes, when and why; until then the register shows a warning. */
  conflictsAcknowledged?: { by: string; at: Instant; reason: string };
  /** 10.1: each extension, with the period it replaced. */
  extensions?: {
    at: Instant;
    by: string;
    reason: string;
    previousEndsAt: Instant;
    previousReviewAt: Instant;
  }[];
  /** 10.1: reviews that kept the restriction as it is. */
  reviews?: { at: Instant; by: string; notes: string; nextReviewAt: Instant; previousReviewAt: Instant }[];
  /** 12.1.4: how the customer was advised (letter, email, in person). */
  customerAdvisedHow?: string;
};

/** The restriction's conflicts not yet acknowledged by a manager. */
export const unacknowledgedConflicts = (restriction: Restriction) =>
  restriction.conflictsAcknowledged ? [] : (restriction.conflicts ?? []);

export type RestrictionOf<T extends RestrictionType> = Extract<Restriction, { type: T }>;

export type RestrictionStatus = 'scheduled' | 'active' | 'review-overdue' | 'ended' | 'lifted';

/**
 * Status is derived from the clock on every read, never stored (P5). Periods are half-open:
 * a restriction applies from `startsAt` inclusive until `endsAt` exclusive; its review falls
 * due at `reviewAt`, from which moment it is `review-overdue` and still applies (10.1: only a
 * person ends or extends it at review).
 */
export function restrictionStatus(
  restriction: Pick<Restriction, 'startsAt' | 'endsAt' | 'reviewAt' | 'liftedAt'>,
  now: Instant,
): RestrictionStatus {
  if (restriction.liftedAt !== undefined && restriction.liftedAt <= now) return 'lifted';
  if (now < restriction.startsAt) return 'scheduled';
  if (now >= restriction.endsAt) return 'ended';
  if (now >= restriction.reviewAt) return 'review-overdue';
  return 'active';
}

export function restrictionApplies(
  restriction: Parameters<typeof restrictionStatus>[0],
  now: Instant,
): boolean {
  const status = restrictionStatus(restriction, now);
  return status === 'active' || status === 'review-overdue';
}
