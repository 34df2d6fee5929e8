import { createHash } from 'node:crypto';
import { addSeconds } from './deliver';
import type { QueuedSubmission, RateLimiter, SubmissionQueue } from './ports';
import { contactReference } from './reference';
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

/** What the form's endpoint decides with: the duplicate window and the service-protection limits. */
export interface FormAcceptSettings {
  /** Identical submissions within this window are one contact (double clicks, retries). */
  duplicateWindowSeconds: number;
  rateLimits: { perIp: number; perIdentity: number; windowSeconds: number };
}

/** The endpoint's side of the form: it limits, names the contact and queues it; screening comes after. */
export interface FormAcceptDeps {
  settings: FormAcceptSettings;
  rateLimiter: RateLimiter;
  submissions: SubmissionQueue;
  /** Reports a failure that was handled (fail-open); ids only, never content (P7). */
  onHandledFailure?: (what: string, error: unknown) => void;
}

export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many submissions; try again in ${retryAfterSeconds} seconds`);
  }
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Service protection: per-IP and per-identity submission limits in fixed windows. A limited
 * submitter is told to try later (nothing accepted is dropped). If the counters cannot be
 * reached the submission is let through: protecting the service must not lose contacts (P1).
 */
export async function checkRateLimits(
  form: FormSubmission,
  meta: FormMeta,
  deps: Pick<FormAcceptDeps, 'settings' | 'rateLimiter' | 'onHandledFailure'>,
): Promise<void> {
  const { windowSeconds, perIp, perIdentity } = deps.settings.rateLimits;
  const now = Date.parse(meta.receivedAt);
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now / windowMs) * windowMs).toISOString();
  const expiresAt = addSeconds(start, windowSeconds * 2);
  const retryAfter = Math.max(1, Math.ceil((Date.parse(start) + windowMs - now) / 1000));
  const identity = form.email ?? form.phone;
  const checks: [string, number][] = [[`ip:${hash(meta.sourceIp).slice(0, 32)}`, perIp]];
  if (identity) checks.push([`identity:${hash(identity).slice(0, 32)}`, perIdentity]);
  // Both counters at once: neither depends on the other's answer (one round trip, not two).
  const counts = await Promise.all(
    checks.map(([key]) =>
      deps.rateLimiter.hit(key, start, expiresAt).catch((error: unknown) => {
        deps.onHandledFailure?.('rate limit', error);
        return 0;
      }),
    ),
  );
  if (checks.some(([, limit], i) => (counts[i] ?? 0) > limit)) throw new RateLimitedError(retryAfter);
}

/**
 * Which contact a submission is (P6): a client's Idempotency-Key, or else the same fields within
 * a short window, make one contact (double clicks and retries), and so one reference.
 */
export function formContactId(
  form: FormSubmission,
  meta: FormMeta,
  settings: Pick<FormAcceptSettings, 'duplicateWindowSeconds'>,
): { sourceId: string; reference: string } {
  const window = Math.floor(Date.parse(meta.receivedAt) / (settings.duplicateWindowSeconds * 1000));
  const sourceId = meta.idempotencyKey
    ? `key:${hash(meta.idempotencyKey)}`
    : `same:${hash(JSON.stringify([form.name, form.email, form.phone, form.topic, form.subject, form.message]))}:${window}`;
  return { sourceId, reference: contactReference('web-form', sourceId) };
}

/**
 * Accepts a submission durably: one write of the validated submission, with its reference, to the
 * queue that screening works from (lambdas/form-screening). Once it resolves the contact cannot be
 * lost (P1: retries, then a failure queue); if it rejects nothing was kept and the person must be
 * told it was not sent. The work is the same whoever submits, so the answer, and the time it takes,
 * say nothing about the register (P4); screening, counting and forwarding come afterwards.
 */
export async function acceptFormSubmission(
  form: FormSubmission,
  meta: FormMeta,
  deps: Pick<FormAcceptDeps, 'settings' | 'submissions'>,
): Promise<{ reference: string }> {
  const { sourceId, reference } = formContactId(form, meta, deps.settings);
  const queued: QueuedSubmission = { version: 1, reference, sourceId, receivedAt: meta.receivedAt, form };
  await deps.submissions.enqueue(queued);
  return { reference };
}
