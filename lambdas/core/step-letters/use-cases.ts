import { monotonicFactory } from 'ulid';
import type { Incident } from '../incidents/incident';
import { ruleOf } from '../incidents/kinds';
import type { IncidentStore } from '../incidents/ports';
import { type LetterInput, letterText, renderLetterHtml } from '../letters';
import { ConflictError, type LetterRenderer, NotFoundError, type RegisterStore } from '../ports';
import { letterReference } from '../reference';
import { auditOf, diff } from '../register/audit';
import { hasPostalAddress } from '../register/informing-letters';
import { type Instant, toInstant } from '../time';
import { parseOrThrow, ValidationError } from '../validation';
import { defaultDraft, kindFor, type LetterSource, stepLetterOf } from './compose-step-letter';
import type { StepLetterStore } from './ports';
import {
  draftStepLetterSchema,
  editStepLetterSchema,
  type StepLetter,
  type StepLetterSummary,
  sendStepLetterSchema,
  stepLetterRules,
} from './step-letter';

export interface StepLetterDeps {
  letters: StepLetterStore;
  register: Pick<RegisterStore, 'loadCustomer'>;
  incidents: Pick<IncidentStore, 'load'>;
  renderer: LetterRenderer;
  council: LetterInput['council'];
  now?: () => Instant;
  newId?: (prefix: 'stl' | 'aud') => string;
}

const ulid = monotonicFactory();
const clock = (deps: StepLetterDeps) => (deps.now ?? (() => toInstant(new Date())))();
const newId = (deps: StepLetterDeps) => deps.newId ?? ((prefix: string) => `${prefix}_${ulid()}`);

/** Where the admin API serves a letter before a restriction. */
export const stepLetterLinks = (letterId: string) => ({
  self: `/admin/step-letters/${letterId}`,
  html: `/admin/step-letters/${letterId}?format=html`,
  pdf: `/admin/step-letters/${letterId}?format=pdf`,
});

export const summaryOfStepLetter = ({ html: _h, text: _t, pdf: _p, ...summary }: StepLetter) => ({
  ...summary,
  links: stepLetterLinks(summary.id),
});

/**
 * Writes the first draft of a letter before a restriction (7.2.1, 7.2.2, 5.9) from a recorded
 * escalation step or incident of this customer. Nothing is sent: a manager edits and sends it.
 */
export async function draftStepLetter(
  customerId: string,
  body: unknown,
  actor: string,
  deps: StepLetterDeps,
) {
  const input = parseOrThrow(draftStepLetterSchema, body);
  const now = clock(deps);
  const record = await deps.register.loadCustomer(customerId);
  if (!record) throw new NotFoundError(`no customer ${customerId} in the register`);
  let source: LetterSource;
  let incident: Incident | undefined;
  if (input.stepId) {
    const step = record.steps.find((s) => s.id === input.stepId);
    if (!step)
      throw new ValidationError([{ field: 'stepId', problem: 'is not an escalation step of this customer' }]);
    source = { step };
  } else {
    incident = await deps.incidents.load(input.incidentId ?? '');
    if (!incident || incident.customerId !== customerId) {
      throw new ValidationError([
        { field: 'incidentId', problem: 'is not an incident filed on this customer' },
      ]);
    }
    source = { incident };
  }
  const kind = input.kind ?? kindFor(source, incident ? ruleOf(incident.kind).letter : undefined);
  const id = newId(deps)('stl');
  const draft = defaultDraft(kind, source, deps.council.name);
  const letter: StepLetter = {
    id,
    reference: letterReference(id),
    customerId,
    kind,
    clauses: [...stepLetterRules[kind].clauses],
    status: 'draft',
    from: 'step' in source ? { stepId: source.step.id } : { incidentId: source.incident.id },
    subject: draft.subject,
    paragraphs: draft.paragraphs,
    signedBy: input.signedBy,
    revision: 0,
    createdAt: now,
    createdBy: actor,
  };
  await deps.letters.create(
    letter,
    auditOf(customerId, 'step-letter-drafted', id, actor, now, newId(deps), undefined, {
      kind: { to: kind },
      from: { to: 'step' in source ? source.step.id : source.incident.id },
    }),
  );
  return summaryOfStepLetter(letter);
}

/** A letter before a restriction, or 404. */
export async function readStepLetter(
  letterId: string,
  deps: Pick<StepLetterDeps, 'letters'>,
  options: { content?: boolean } = {},
) {
  const letter = /^stl_[0-9A-Z]{26}$/.test(letterId) ? await deps.letters.load(letterId, options) : undefined;
  if (!letter) throw new NotFoundError(`no letter ${letterId.slice(0, 60)}`);
  return letter;
}

/** Changes a draft's subject, body or signature. A sent letter is kept as it was sent: 409. */
export async function editStepLetter(letterId: string, body: unknown, actor: string, deps: StepLetterDeps) {
  const edit = parseOrThrow(editStepLetterSchema, body);
  const before = await readStepLetter(letterId, deps);
  refuseIfSent(before);
  if (edit.revision !== undefined && edit.revision !== before.revision) {
    throw new ConflictError('the draft was changed by someone else since you opened it: open it again');
  }
  const now = clock(deps);
  const after: StepLetter = {
    ...before,
    ...(edit.subject ? { subject: edit.subject } : {}),
    ...(edit.paragraphs ? { paragraphs: edit.paragraphs } : {}),
    ...(edit.signedBy ? { signedBy: edit.signedBy } : {}),
    revision: before.revision + 1,
    updatedAt: now,
    updatedBy: actor,
  };
  const pick = (l: StepLetter) => ({ subject: l.subject, paragraphs: l.paragraphs, signedBy: l.signedBy });
  const changes = diff(pick(before), pick(after));
  if (Object.keys(changes).length === 0) return summaryOfStepLetter(before);
  await deps.letters.save(
    after,
    before.revision,
    auditOf(before.customerId, 'step-letter-changed', letterId, actor, now, newId(deps), undefined, changes),
  );
  return summaryOfStepLetter(after);
}

/**
 * Marks the letter as sent: it is printed now (HTML, text and PDF, to the address the register
 * holds) and kept exactly so from then on (12.1). Sending twice is a conflict (409).
 */
export async function sendStepLetter(letterId: string, body: unknown, actor: string, deps: StepLetterDeps) {
  const input = parseOrThrow(sendStepLetterSchema, body);
  const before = await readStepLetter(letterId, deps);
  refuseIfSent(before);
  const record = await deps.register.loadCustomer(before.customerId);
  if (!record) throw new NotFoundError(`no customer ${before.customerId} in the register`);
  const now = clock(deps);
  const printed = stepLetterOf(before, record.customer, deps.council, now);
  const postable = hasPostalAddress(record.customer);
  if (input.how === 'post' && !postable) {
    throw new ValidationError([
      {
        field: 'how',
        problem:
          'no postal address is recorded for the customer: record it first, or send the letter another way',
      },
    ]);
  }
  const sent: StepLetter = {
    ...before,
    status: 'sent',
    revision: before.revision + 1,
    sentAt: now,
    sentBy: input.sentBy,
    sentHow: input.how,
    postable,
    html: renderLetterHtml(printed),
    text: letterText(printed),
    pdf: await deps.renderer.pdf(printed),
  };
  await deps.letters.save(
    sent,
    before.revision,
    auditOf(before.customerId, 'step-letter-sent', letterId, actor, now, newId(deps), undefined, {
      status: { from: 'draft', to: 'sent' },
      how: { to: input.how },
    }),
  );
  return summaryOfStepLetter(sent);
}

/** A draft as it would print today (to preview it); a sent letter as it was sent. */
export async function stepLetterDocument(
  letter: StepLetter,
  deps: Pick<StepLetterDeps, 'register' | 'council' | 'renderer' | 'now'> & { letters: StepLetterStore },
) {
  if (letter.status === 'sent') {
    const full = letter.html ? letter : await deps.letters.load(letter.id, { content: true });
    return { html: full?.html ?? '', text: full?.text ?? '', pdf: async () => full?.pdf ?? new Uint8Array() };
  }
  const record = await deps.register.loadCustomer(letter.customerId);
  if (!record) throw new NotFoundError(`no customer ${letter.customerId} in the register`);
  const printed = stepLetterOf(
    letter,
    record.customer,
    deps.council,
    (deps.now ?? (() => toInstant(new Date())))(),
  );
  return {
    html: renderLetterHtml(printed),
    text: letterText(printed),
    pdf: () => deps.renderer.pdf(printed),
  };
}

export async function listStepLetters(customerId: string, deps: Pick<StepLetterDeps, 'letters'>) {
  const letters = (await deps.letters.listOfCustomer(customerId)) as StepLetterSummary[];
  return letters.map((letter) => ({ ...letter, links: stepLetterLinks(letter.id) }));
}

function refuseIfSent(letter: StepLetter) {
  if (letter.status === 'sent') {
    throw new ConflictError(
      `letter ${letter.reference} was sent on ${letter.sentAt?.slice(0, 10)} and is kept as it was sent (12.1); write a new one instead`,
    );
  }
}
