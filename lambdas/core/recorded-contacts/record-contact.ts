import { createHash, randomUUID } from 'node:crypto';
import type { RecordedChannel } from '../channels';
import type { ContactRecord } from '../contact';
import { customerNamesOf } from '../contact-view';
import { scoreContentOrReport } from '../deliver';
import type { FrequencyWindow } from '../events';
import { type CountingDeps, type CountOutcome, countContact } from '../frequency';
import { normaliseEmail, normalisePhone } from '../identity';
import { findCaseReferences } from '../inbound';
import type { MailboxSettings } from '../mailboxes';
import {
  ConflictError,
  type ContactLedger,
  type ContactLog,
  type CustomerRecord,
  NotFoundError,
} from '../ports';
import { contactReference } from '../reference';
import { findRegisterMatches, type ScreeningRegister } from '../register';
import { type ReportTotals, recordContactTotals } from '../reports/totals';
import { restrictionApplies } from '../restriction';
import { type ContactToScreen, type Reason, type RegisterMatch, screenContact } from '../screen';
import { publishContentConcerns } from '../signal-events';
import { type ContentScorer, recordableSignals } from '../signals';
import { type Instant, toInstant } from '../time';
import type { Topic } from '../topic';
import { parseOrThrow, ValidationError } from '../validation';
import { type Measure, measuresFor, phoneHoursChecks } from './measures';
import type { PhoneHoursCheck } from './phone-hours';
import {
  allowedClockSkewMinutes,
  idempotencyKeySchema,
  type RecordedContact,
  recordedContactSchema,
} from './schema';

export interface RecordingSettings extends MailboxSettings {
  serviceInbox: string;
  /** How long contact records are kept (P7: CONTACT_RETENTION_DAYS), as for every other contact. */
  retentionDays: number;
  /** How long a claim on the contact holds if the request dies half way (P6). */
  leaseSeconds: number;
  /** Case references named in the summary count it on that case too (CASE_REFERENCE_PATTERN). */
  caseReferencePattern?: RegExp;
  /** SAFEGUARDING_GUIDANCE: the council's steps, carried by an urgent concern the summary raises. */
  safeguardingGuidance?: string;
}

/** What recording a contact needs: the register to screen against, the ledger, and frequency counting. */
export interface RecordingDeps extends CountingDeps {
  register: ScreeningRegister;
  ledger: Pick<ContactLedger, 'claim' | 'release' | 'finish' | 'logContact'>;
  contacts: Pick<ContactLog, 'loadContactRecords'>;
  settings: RecordingSettings;
  /** Scores the summary's words (content signals, 3.1, 3.2.5, 3.3); the in-process detector when not given. */
  contentScorer?: ContentScorer;
  /** 13.1: the monitoring totals, counted once by the request that finished the record. */
  reportTotals?: Pick<ReportTotals, 'add'>;
}

/** What the officer is told before they go on: what applies, phrased for the channel, with clauses. */
export interface RecordedDecision {
  customerIds: string[];
  /** The register customers it was recorded against, by name (for the officer; never stored). */
  customers: { id: string; name?: string }[];
  /** Who deals with it: the named officer (7.3.4), the designated reader (7.3.7, 8.2), or the service. */
  route: string;
  recipients: string[];
  /** One line per restriction in force, most urgent first; empty when none applies. */
  measures: Measure[];
  /** Whether any line needs acting on before going on. */
  attention: boolean;
  /** 7.3.5: for a call, whether its time is inside each phone-hours window. */
  phoneHours: PhoneHoursCheck[];
  /** The lines to show, in order: the measures' texts, or why none applies. */
  lines: string[];
  reasons: Reason[];
}

export interface RecordedContactAnswer {
  reference: string;
  /** `duplicate`: this id or Idempotency-Key was recorded before; nothing was counted again (P6). */
  status: 'recorded' | 'duplicate';
  channel: RecordedChannel;
  at: Instant;
  decision: RecordedDecision;
  counts?: { topic: number; allTopics: number; channels: number };
  /** How often this person has been in touch (4.2.7, 4.2.8, 4.2.12), one line each. */
  frequency?: string[];
  topic?: Topic;
  /** The frequency alerts this contact raised. */
  alerts: FrequencyWindow[];
  /** Content flags the summary raised (for a person to judge, P2): categories and clauses, no words. */
  flags?: { category: string; clauses: readonly string[] }[];
  problems: string[];
}

/** What a recorded contact keeps beside the decision: the officer's note of it (personal data, P7). */
export interface RecordedDetails {
  summary: string;
  recordedBy: string;
  /** The authenticated caller of the API or the console (the audit actor). */
  enteredBy: string;
  caller?: NonNullable<RecordedContact['caller']>;
  caseReference?: string;
  topic?: string;
  /** The request's fingerprint: the same key sent with another contact is refused (409). */
  fingerprint: string;
  answer: Omit<RecordedContactAnswer, 'status' | 'decision'> & {
    decision: Omit<RecordedDecision, 'customers'>;
  };
}

export type RecordedContactRecord = ContactRecord & { recorded: RecordedDetails };

const addSeconds = (instant: Instant, seconds: number) =>
  new Date(Date.parse(instant) + seconds * 1000).toISOString();

const fingerprintOf = (input: RecordedContact) => {
  const { id: _id, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 32);
};

/** When the contact was: `at` if given (not ahead of the clock), else now. */
function instantOf(input: RecordedContact, now: Instant): Instant {
  if (input.at === undefined) return now;
  const at = toInstant(new Date(input.at));
  if (Date.parse(at) > Date.parse(now) + allowedClockSkewMinutes * 60_000)
    throw new ValidationError([{ field: 'at', problem: 'must not be in the future' }]);
  return at;
}

/** A contact recorded again under the same key: the first answer, unless the contact differs. */
async function answerRecorded(
  reference: string,
  fingerprint: string,
  deps: RecordingDeps,
): Promise<RecordedContactAnswer> {
  const [record] = await deps.contacts.loadContactRecords([reference]);
  const recorded = record?.recorded as RecordedDetails | undefined;
  if (!recorded) throw new ConflictError(`contact ${reference} is being recorded; try again in a minute`);
  if (recorded.fingerprint !== fingerprint)
    throw new ConflictError(
      `this id (or Idempotency-Key) was used for another contact, ${reference}; send a new one for a new contact`,
    );
  const names = await customerNamesOf(recorded.answer.decision.customerIds, deps.register);
  return {
    ...recorded.answer,
    status: 'duplicate',
    decision: {
      ...recorded.answer.decision,
      customers: recorded.answer.decision.customerIds.map((id) => ({
        id,
        ...(names.has(id) ? { name: names.get(id)! } : {}),
      })),
    },
  };
}

/** The reasons, in words for a contact staff took down rather than one that arrived by itself. */
function reasonsFor(reasons: readonly Reason[], chosen: CustomerRecord | undefined): Reason[] {
  return reasons.map((reason) => {
    if (chosen && reason.code === 'register-match')
      return {
        code: 'register-chosen',
        text: `Recorded by staff against register customer ${chosen.customer.id}.`,
      };
    if (reason.code === 'identity-unverified')
      return {
        code: 'identity-unverified',
        text: 'Matched from the details the person gave: check who they are before relying on it.',
      };
    if (reason.code === 'not-in-register')
      return { code: 'not-in-register', text: 'The person matches no customer in the restriction register.' };
    return reason;
  });
}

/**
 * Records a contact that came by telephone, in person, by letter or on social media (4.2.7 "by any
 * means"), exactly once per id or Idempotency-Key (P6): screens it as any contact is screened (who
 * is this, and what is in force at the time of the contact), tells the officer what applies in
 * words for the channel, counts it with its channel in the frequency windows (4.2.7, 4.2.12), and
 * keeps it with the officer's summary for the retention period (P7). Nothing about a restriction
 * is decided here (P2).
 */
export async function recordContact(
  body: unknown,
  request: { idempotencyKey?: string | undefined; actor: string },
  deps: RecordingDeps,
): Promise<RecordedContactAnswer> {
  const input = parseOrThrow(recordedContactSchema, body);
  const key =
    request.idempotencyKey === undefined
      ? input.id
      : parseOrThrow(idempotencyKeySchema.transform(String), request.idempotencyKey);
  const now = deps.now();
  const at = instantOf(input, now);
  const reference = contactReference('staff-recorded', key ? `key:${key}` : `new:${randomUUID()}`);
  const fingerprint = fingerprintOf(input);

  const chosen = input.customerId ? await deps.register.loadCustomer(input.customerId) : undefined;
  if (input.customerId && !chosen) throw new NotFoundError(`no customer ${input.customerId}`);

  const claim = await deps.ledger.claim(reference, now, addSeconds(now, deps.settings.leaseSeconds));
  if (claim === 'already-done') return answerRecorded(reference, fingerprint, deps);
  if (claim === 'in-progress')
    throw new ConflictError(`contact ${reference} is being recorded; try again in a minute`);
  // A claim taken over from a request that died: counting is once per reference, so going on is safe.
  try {
    return await screenCountAndKeep(
      { input, at, reference, fingerprint, chosen, actor: request.actor },
      deps,
    );
  } catch (error) {
    await deps.ledger.release(reference).catch(() => undefined);
    throw error;
  }
}

interface Recording {
  input: RecordedContact;
  at: Instant;
  reference: string;
  fingerprint: string;
  chosen: CustomerRecord | undefined;
  actor: string;
}

async function screenCountAndKeep(recording: Recording, deps: RecordingDeps): Promise<RecordedContactAnswer> {
  const { input, at, reference, chosen } = recording;
  const { settings } = deps;
  const caller = input.caller ?? {};
  const caseReferences = [
    ...new Set([
      ...(input.caseReference ? [input.caseReference.toUpperCase()] : []),
      ...(settings.caseReferencePattern
        ? findCaseReferences([input.summary], settings.caseReferencePattern)
        : []),
    ]),
  ];
  const contact: ContactToScreen = {
    channel: input.channel,
    emails: caller.email ? [caller.email] : [],
    phones: caller.phone ? [caller.phone] : [],
    name: caller.name,
    postcode: caller.postcode,
    // What a caller says about themselves is not proof of who they are.
    senderVerified: chosen !== undefined,
    topic: input.topic,
    caseReferences,
  };
  const matches: RegisterMatch[] = chosen
    ? [
        {
          customer: chosen.customer,
          matchedBy: ['email'],
          restrictions: chosen.restrictions,
          steps: chosen.steps,
        },
      ]
    : await findRegisterMatches(contact, deps.register);
  const screening = screenContact(contact, { matches }, at, settings);
  const applying = matches
    .filter((match) => screening.customerIds.includes(match.customer.id))
    .flatMap((match) => match.restrictions)
    .filter((restriction) => restrictionApplies(restriction, at));
  const measures = measuresFor(applying, { channel: input.channel, at, contact });
  const reasons = reasonsFor(screening.reasons, chosen);

  const problems: string[] = [];
  let frequency: CountOutcome | undefined;
  try {
    frequency = await countContact(
      {
        reference,
        receivedAt: at,
        channel: input.channel,
        customerIds: screening.customerIds,
        senderIdentity:
          (caller.email ? normaliseEmail(caller.email) : undefined) ??
          (caller.phone ? normalisePhone(caller.phone) : undefined),
        caseReferences,
        formTopic: input.topic,
        text: input.summary,
      },
      deps,
    );
  } catch (error) {
    deps.onHandledFailure?.('count', error);
    problems.push('This contact could not be counted for frequency alerts.');
  }

  // The officer's summary is scored as any contact's words are (16: every channel); it fails open.
  const content = await scoreContentOrReport(undefined, input.summary, problems, deps);
  const flags = (content?.signals.flags ?? []).map((flag) => ({
    category: flag.category,
    clauses: flag.clauses,
  }));

  const decision: Omit<RecordedDecision, 'customers'> = {
    customerIds: screening.customerIds,
    route: screening.route,
    recipients: screening.recipients,
    measures,
    attention: measures.some((measure) => measure.attention),
    phoneHours: input.channel === 'telephone' ? phoneHoursChecks(applying, at) : [],
    lines:
      measures.length > 0
        ? measures.map((measure) => measure.text)
        : [
            screening.customerIds.length > 0
              ? 'No restriction applies to this customer at this time: deal with the contact as usual.'
              : 'The person matches no customer in the register: deal with the contact as usual.',
          ],
    reasons,
  };
  const answer: RecordedDetails['answer'] = {
    reference,
    channel: input.channel,
    at,
    decision,
    ...(frequency ? { counts: frequency.counts, frequency: frequency.lines, topic: frequency.topic } : {}),
    alerts: frequency?.alerts ?? [],
    ...(flags.length > 0 ? { flags } : {}),
    problems,
  };
  const record = {
    ...recordOf(recording, answer, screening.copyTo, frequency, deps),
    ...(content ? { signals: recordableSignals(content.signals) } : {}),
  };
  if ((await deps.ledger.finish(record)) === 'finished-already')
    return answerRecorded(reference, recording.fingerprint, deps);
  if (deps.reportTotals)
    await recordContactTotals(record, deps.reportTotals).catch((error: unknown) =>
      deps.onHandledFailure?.('report totals', error),
    );
  // 5.8, 3.2.5, 3.3: managers review abusive words; threats and self-harm raise an urgent concern, once.
  await publishContentConcerns(
    { reference, customerIds: decision.customerIds, channel: input.channel, receivedAt: at },
    content?.signals,
    deps,
  );
  await deps.ledger
    .logContact(record)
    .catch((error: unknown) => deps.onHandledFailure?.('contact log', error));
  const names = await customerNamesOf(decision.customerIds, deps.register).catch(
    () => new Map<string, string>(),
  );
  return {
    ...answer,
    status: 'recorded',
    decision: {
      ...decision,
      customers: decision.customerIds.map((id) => ({
        id,
        ...(names.has(id) ? { name: names.get(id)! } : {}),
      })),
    },
  };
}

/** The contact record: the decision as every contact's, with the officer's summary beside it (P7). */
function recordOf(
  recording: Recording,
  answer: RecordedDetails['answer'],
  copyTo: string[],
  frequency: CountOutcome | undefined,
  deps: RecordingDeps,
): RecordedContactRecord {
  const { input, at, reference, chosen } = recording;
  const now = deps.now();
  const { decision } = answer;
  return {
    reference,
    channel: input.channel,
    sourceId: reference,
    receivedAt: at,
    processedAt: now,
    route: decision.route as ContactRecord['route'],
    recipients: decision.recipients,
    copyTo,
    reasons: decision.reasons,
    notes: decision.measures,
    customerIds: decision.customerIds,
    appliedRestrictionIds: decision.measures.map((measure) => measure.restrictionId),
    senderVerified: chosen !== undefined,
    acknowledgement: { kind: 'none', sent: false, why: 'recorded by staff; nothing is sent to the customer' },
    originalAttached: false,
    sizeBytes: input.summary.length,
    problems: answer.problems,
    ...(frequency ? { topic: frequency.topic, counts: frequency.counts } : {}),
    ...(frequency?.subjectId.startsWith('snd_') ? { senderId: frequency.subjectId } : {}),
    expiresAt: addSeconds(now, deps.settings.retentionDays * 24 * 3600),
    recorded: {
      summary: input.summary,
      recordedBy: input.recordedBy,
      enteredBy: recording.actor,
      ...(input.caller ? { caller: input.caller } : {}),
      ...(input.caseReference ? { caseReference: input.caseReference.toUpperCase() } : {}),
      ...(input.topic ? { topic: input.topic } : {}),
      fingerprint: recording.fingerprint,
      answer,
    },
  };
}
