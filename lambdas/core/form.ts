import { createHash } from 'node:crypto';
import type { ContactOutcome, ScreenedContact } from './contact';
import {
  type AcknowledgementPlan,
  addSeconds,
  countOrReport,
  type DeliveryDeps,
  type DeliverySettings,
  forwardContact,
  oncePerContact,
  planAutoReply,
  repeatUncheckedProblem,
  screenOrFailOpen,
} from './deliver';
import { findCaseReferences } from './inbound';
import type { RateLimiter } from './ports';
import { contactReference } from './reference';
import { emailNotAcceptedNotice } from './templates';
import type { Instant } from './time';

/** A submission that passed the form's validation (lambdas/contact-form/schema.ts). */
export interface FormSubmission {
  name: string;
  /** Normalised for matching; `emailAsTyped` is shown to the reader. */
  email?: string | undefined;
  emailAsTyped?: string | undefined;
  phone?: string | undefined;
  postcode?: string | undefined;
  caseReference?: string | undefined;
  topic: string;
  subject: string;
  message: string;
  /** The honeypot: filled in only by software. */
  website?: string | undefined;
}

export interface FormMeta {
  receivedAt: Instant;
  /** The client's Idempotency-Key header: a retry with the same key is the same contact. */
  idempotencyKey?: string | undefined;
  sourceIp: string;
}

export interface FormSettings extends DeliverySettings {
  caseReferencePattern: RegExp;
  /** Identical submissions within this window are one contact (double clicks, retries). */
  duplicateWindowSeconds: number;
  rateLimits: { perIp: number; perIdentity: number; windowSeconds: number };
}

export interface FormDeps extends DeliveryDeps {
  settings: FormSettings;
  rateLimiter: RateLimiter;
}

export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many submissions; try again in ${retryAfterSeconds} seconds`);
  }
}

export type FormResult = {
  status: 'accepted' | 'duplicate';
  reference: string;
  route?: ContactOutcome['route'];
  /** Frequency alerts this submission raised (4.2.7): counted for monitoring, never shown to the sender (P4). */
  alertsRaised?: number;
};

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Service protection: per-IP and per-identity submission limits in fixed windows. A limited
 * submitter is told to try later (nothing accepted is dropped). If the counters cannot be
 * reached the submission is let through: protecting the service must not lose contacts (P1).
 */
export async function checkRateLimits(form: FormSubmission, meta: FormMeta, deps: FormDeps): Promise<void> {
  const { windowSeconds, perIp, perIdentity } = deps.settings.rateLimits;
  const now = Date.parse(meta.receivedAt);
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now / windowMs) * windowMs).toISOString();
  const expiresAt = addSeconds(start, windowSeconds * 2);
  const retryAfter = Math.max(1, Math.ceil((Date.parse(start) + windowMs - now) / 1000));
  const identity = form.email ?? form.phone;
  const checks: [string, number][] = [[`ip:${hash(meta.sourceIp).slice(0, 32)}`, perIp]];
  if (identity) checks.push([`identity:${hash(identity).slice(0, 32)}`, perIdentity]);
  for (const [key, limit] of checks) {
    const count = await deps.rateLimiter.hit(key, start, expiresAt).catch((error: unknown) => {
      deps.onHandledFailure?.('rate limit', error);
      return 0;
    });
    if (count > limit) throw new RateLimitedError(retryAfter);
  }
}

/** The submission as the reader sees it below the summary: plain text, inert whatever it contains. */
export function renderSubmission(form: FormSubmission): string {
  const line = (label: string, value: string | undefined) => `${`${label}:`.padEnd(16)}${value ?? '—'}`;
  return [
    'The submission (web contact form)',
    '',
    line('Name', form.name),
    line('Email', form.emailAsTyped ?? form.email),
    line('Phone', form.phone),
    line('Postcode', form.postcode),
    line('Case reference', form.caseReference),
    line('Topic', form.topic),
    line('Subject', form.subject),
    '',
    'Message:',
    '',
    form.message,
    '',
  ].join('\n');
}

/**
 * Screens and forwards one contact-form submission, exactly once: a client's Idempotency-Key,
 * or else the same fields within a short window, make one contact (double clicks and retries).
 * The answer is the same whoever submits (P4); any notice about a restriction goes by email to
 * the customer's registered address only.
 */
export async function processFormSubmission(
  form: FormSubmission,
  meta: FormMeta,
  deps: FormDeps,
): Promise<FormResult> {
  const { settings } = deps;
  const window = Math.floor(Date.parse(meta.receivedAt) / (settings.duplicateWindowSeconds * 1000));
  const sourceId = meta.idempotencyKey
    ? `key:${hash(meta.idempotencyKey)}`
    : `same:${hash(JSON.stringify([form.name, form.email, form.phone, form.topic, form.subject, form.message]))}:${window}`;
  const reference = contactReference('web-form', sourceId);

  const result = await oncePerContact(reference, deps, async (claimed) => {
    const problems: string[] = claimed ? [] : [repeatUncheckedProblem];
    const automated = Boolean(form.website?.trim());
    const caseReferences = [
      ...(form.caseReference ? [form.caseReference.toUpperCase()] : []),
      ...findCaseReferences([form.subject, form.message], settings.caseReferencePattern),
    ];
    let outcome: ContactOutcome;
    if (automated) {
      // Probably software, not a person: delivered all the same (P1), but not screened or answered.
      problems.push(
        'Probably sent by software: the form’s hidden field was filled in. Treat it as likely spam.',
      );
      outcome = {
        route: 'service',
        recipients: [settings.serviceInbox],
        copyTo: [],
        reasons: [
          {
            code: 'probably-automated',
            text: 'Not screened: the submission looks automated; it goes to the service inbox.',
          },
        ],
        notes: [],
        customerIds: [],
        appliedRestrictionIds: [],
        acknowledgement: 'none',
      };
    } else {
      outcome = await screenOrFailOpen(
        {
          channel: 'web-form',
          emails: form.email ? [form.email] : [],
          phones: form.phone ? [form.phone] : [],
          name: form.name,
          postcode: form.postcode,
          // Anyone can type anyone's details into a web form: a match is never proof of identity.
          senderVerified: false,
          subject: form.subject,
          topic: form.topic,
          caseReferences,
        },
        deps,
      );
    }

    const frequency = automated
      ? undefined
      : await countOrReport(
          {
            reference,
            receivedAt: meta.receivedAt,
            channel: 'web-form',
            customerIds: outcome.customerIds,
            senderIdentity: form.email ?? form.phone,
            caseReferences,
            formTopic: form.topic,
            subject: form.subject,
            text: form.message,
          },
          problems,
          deps,
        );
    const acknowledgement = await planFormAcknowledgement(outcome, reference, deps);
    const screened: ScreenedContact = {
      reference,
      channel: 'web-form',
      receivedAt: meta.receivedAt,
      outcome,
      sender: {
        addresses: form.emailAsTyped ? [form.emailAsTyped] : [],
        verified: false,
        why: 'typed into the web form',
      },
      subject: form.subject,
      problems,
      acknowledgementSent: acknowledgement.summary,
      ...(frequency ? { frequency: frequency.lines } : {}),
    };
    const { record } = await forwardContact(
      {
        screened,
        sourceId,
        ...(form.email ? { replyTo: form.email } : {}),
        appendix: renderSubmission(form),
        acknowledgement,
        frequency,
      },
      deps,
    );
    return {
      result: {
        status: 'accepted' as const,
        reference,
        route: outcome.route,
        alertsRaised: frequency?.alerts.length ?? 0,
      },
      record,
    };
  });
  return result === 'duplicate' ? { status: 'duplicate', reference } : result;
}

/**
 * The page itself acknowledges every submission, the same for everyone (P4). The only email a
 * submission can cause is the 7.3.2 notice, and that goes to the registered address.
 */
async function planFormAcknowledgement(
  outcome: ContactOutcome,
  reference: string,
  deps: FormDeps,
): Promise<AcknowledgementPlan> {
  const kind = outcome.acknowledgement;
  if (kind !== 'email-not-accepted') {
    return {
      summary: {
        kind,
        sent: false,
        why: kind === 'none' ? 'no reply is given' : 'the web page showed the sender their reference',
      },
    };
  }
  const to = outcome.restrictionNotice?.to;
  if (!to) return { summary: { kind, sent: false, why: 'no registered email address for the notice' } };
  const notice = emailNotAcceptedNotice(
    deps.settings.council,
    reference,
    outcome.restrictionNotice?.writeTo,
    'web-form',
  );
  return planAutoReply({ reference, ...notice }, to, kind, deps);
}
