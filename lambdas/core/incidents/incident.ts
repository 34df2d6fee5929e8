import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type IdentityKey, identityKeysOf } from '../identity';
import { type Instant, parseRegisterDate } from '../time';
import {
  type IncidentChannel,
  type IncidentKind,
  type IncidentSeverity,
  incidentChannels,
  incidentKinds,
  ruleOf,
} from './kinds';

/**
 * An incident as staff record it (POST /admin/incidents, the console's form): a file note on a
 * customer, or on a person not in the register, known by their phone, email or name and postcode
 * (5.4.2, 5.7, 5.8). `what` is personal data: kept with the incident and shown to staff, never
 * logged or put in an event (P7).
 */
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const callerSchema = z.strictObject({
  name: text(200).optional(),
  phone: text(40).optional(),
  email: text(320).optional(),
  postcode: text(12).optional(),
});
export type Caller = z.output<typeof callerSchema>;

export const incidentInputSchema = z
  .strictObject({
    customerId: z.string().trim().min(1).max(100).optional(),
    caller: callerSchema.optional(),
    kind: z.enum(incidentKinds, { error: `must be one of: ${incidentKinds.join(', ')}` }),
    /** When it happened; defaults to now. A date alone is that London day. */
    at: z.string().optional(),
    channel: z.enum(incidentChannels, { error: `must be one of: ${incidentChannels.join(', ')}` }),
    what: text(8000),
    /** 5.4.1: whether the customer was first told the call or meeting would end. */
    warningGiven: z.boolean().optional(),
    /** 3.3, 6.1: whether the police were told. */
    policeInformed: z.boolean().optional(),
    /** 3.3: whether emergency services were called. */
    emergencyServices: z.boolean().optional(),
    /** 2.3, 6.2: whether it was referred under the Staff Protection Policy. */
    staffProtectionReferral: z.boolean().optional(),
    recordedBy: text(200),
  })
  .superRefine((input, ctx) => {
    if (input.customerId === undefined && input.caller === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'give the customer, or the caller (their phone, email or name and postcode)',
      });
    }
    if (input.customerId !== undefined && input.caller !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller'],
        message: 'give the customer or the caller, not both',
      });
    }
    if (input.caller && callerKeys(input.caller).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller'],
        message:
          'give a phone number, an email address, or a name with a UK postcode, so the person can be recognised',
      });
    }
    if (input.at !== undefined && !parseRegisterDate(input.at, 'start')) {
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'must be a date or a date-time with offset' });
    }
    const rule = ruleOf(input.kind);
    if (!rule.channels.includes(input.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['channel'],
        message: `a "${input.kind}" incident comes by ${rule.channels.join(' or ')} (${rule.clauses.join(', ')})`,
      });
    }
  });
export type IncidentInput = z.output<typeof incidentInputSchema>;

export interface Incident {
  id: string;
  kind: IncidentKind;
  severity: IncidentSeverity;
  clauses: string[];
  channel: IncidentChannel;
  at: Instant;
  what: string;
  warningGiven?: boolean;
  policeInformed?: boolean;
  emergencyServices?: boolean;
  staffProtectionReferral?: boolean;
  /** The register customer it is filed on (or, for a person registered later, joined to). */
  customerId?: string;
  /** The person as given, when they were not in the register. */
  caller?: Caller;
  /** Where it is filed: the customer's id, or one id per identity of the caller (incidentSubjectOf). */
  subjects: string[];
  recordedAt: Instant;
  /** Who the form says recorded it. */
  recordedBy: string;
  /** Who was signed in (the audit actor). */
  actor: string;
  /** When its events were published; absent until they were (a repeat completes them, P6). */
  publishedAt?: Instant;
}

/** The caller's identities, normalised as the register's (identity.ts). */
export const callerKeys = (caller: Caller): IdentityKey[] =>
  identityKeysOf({
    ...(caller.email ? { emails: [caller.email] } : {}),
    ...(caller.phone ? { phones: [caller.phone] } : {}),
    name: caller.name,
    postcode: caller.postcode,
  });

/**
 * Where an unknown person's incidents are filed, one id per identity: a hash, so that no address or
 * name is in a key (P7), and the same normalisation as the register, so that they join the customer
 * once the person is registered with that identity (core/history.ts).
 */
export const incidentSubjectOf = (key: IdentityKey) =>
  `idn_${createHash('sha256').update(`${key.kind}#${key.value}`).digest('hex').slice(0, 24)}`;

/** The incident id a repeated request with the same Idempotency-Key gets (P6). */
export const incidentIdForKey = (idempotencyKey: string) =>
  `inc_${createHash('sha256').update(`incident\n${idempotencyKey}`).digest('hex').slice(0, 26)}`;

/** The new incident, from validated input. */
export function newIncident(
  input: IncidentInput,
  filing: { id: string; customerId?: string; subjects: string[] },
  now: Instant,
  actor: string,
): Incident {
  const rule = ruleOf(input.kind);
  const optional = <
    K extends 'warningGiven' | 'policeInformed' | 'emergencyServices' | 'staffProtectionReferral',
  >(
    key: K,
  ) => (input[key] === undefined ? {} : { [key]: input[key] });
  return {
    id: filing.id,
    kind: input.kind,
    severity: rule.severity,
    clauses: [...rule.clauses],
    channel: input.channel,
    at: input.at ? (parseRegisterDate(input.at, 'start') ?? now) : now,
    what: input.what,
    ...optional('warningGiven'),
    ...optional('policeInformed'),
    ...optional('emergencyServices'),
    ...optional('staffProtectionReferral'),
    ...(filing.customerId ? { customerId: filing.customerId } : {}),
    ...(input.caller && !filing.customerId ? { caller: input.caller } : {}),
    subjects: filing.subjects,
    recordedAt: now,
    recordedBy: input.recordedBy,
    actor,
  };
}
