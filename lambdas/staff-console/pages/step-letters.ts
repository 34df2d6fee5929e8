import { paragraphsOf } from '../../core/letters/wording';
import { readCustomer } from '../../core/register';
import {
  draftStepLetter,
  editStepLetter,
  readStepLetter,
  type StepLetter,
  sendStepLetter,
  stepLetterDocument,
  stepLetterRules,
} from '../../core/step-letters';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from '../types';
import { renderPage } from '../views/page';
import { customerHref } from './cells';
import type { ConsoleDeps } from './deps';
import { type FieldSpec, type FormErrors, fieldViews, formErrors, noErrors, readFields } from './form-fields';
import { letterInFrame } from './letter-frame';
import { personOf } from './present';
import { attempt, formText, notFound, noticeFor, orNotFound, problemsOf, redirect } from './respond';

/**
 * The letters before a restriction (7.2.1, 7.2.2, 5.9) in the console: written from a step or an
 * incident as a draft, edited here (the body as paragraphs in a text area), then marked as sent,
 * after which the letter is shown exactly as sent and can no longer be changed (12.1).
 */
const draftFields: FieldSpec[] = [
  { name: 'subject', kind: 'text', label: 'Subject', missing: 'Enter the subject' },
  {
    name: 'body',
    kind: 'textarea',
    label: 'The letter',
    hint: 'Leave a blank line between paragraphs. The address, date, reference and contact details are added when it is printed.',
    missing: 'Enter the letter',
  },
  {
    name: 'signedBy',
    kind: 'text',
    label: 'Signed by',
    hint: 'A service manager (7.2.2).',
    missing: 'Enter who signs it',
  },
];

const sendFields: FieldSpec[] = [
  {
    name: 'how',
    kind: 'radios',
    label: 'How it was sent',
    inline: true,
    missing: 'Select how it was sent',
    options: [
      { value: 'post', text: 'By post' },
      { value: 'email', text: 'By email' },
      { value: 'by-hand', text: 'By hand' },
    ],
  },
  { name: 'sentBy', kind: 'text', label: 'Sent by', missing: 'Enter who sent it' },
];

const letterHref = (id: string) => `/staff/step-letters/${encodeURIComponent(id)}`;

async function show(
  request: ConsoleRequest,
  deps: ConsoleDeps,
  letter: StepLetter,
  forms: {
    draft?: { values: ConsoleRequest['form']; errors: FormErrors };
    send?: { values: ConsoleRequest['form']; errors: FormErrors };
  } = {},
  status?: number,
): Promise<ConsoleResponse> {
  const customer = await orNotFound(readCustomer(letter.customerId, deps.register));
  const document = await stepLetterDocument(letter, deps.stepLetters);
  const draft = letter.status === 'draft';
  const draftValues = forms.draft?.values ?? {
    subject: letter.subject,
    body: letter.paragraphs.join('\n\n'),
    signedBy: letter.signedBy,
  };
  const errors = forms.draft?.errors ?? forms.send?.errors ?? noErrors;
  const bodyFields = fieldViews(draftFields, draftValues, forms.draft?.errors ?? noErrors).map((field) =>
    field.kind === 'textarea' ? { ...field, params: { ...field.params, rows: 16 } } : field,
  );
  return renderPage(
    request,
    'step-letter.njk',
    {
      title: letter.subject,
      caption: `${stepLetterRules[letter.kind].title} (${stepLetterRules[letter.kind].mainClause})${customer ? ` to ${customer.name}` : ''}`,
      notice: noticeFor(request),
      letter,
      draft,
      errors,
      customer,
      back: customer
        ? { href: `${customerHref(customer.id)}#step-letters`, text: `Back to ${customer.name}` }
        : undefined,
      rows: [
        { key: { text: 'Reference' }, value: { text: letter.reference } },
        {
          key: { text: 'Status' },
          value: {
            text: draft
              ? 'Draft: not sent'
              : `Sent ${letter.sentHow === 'by-hand' ? 'by hand' : `by ${letter.sentHow}`}`,
          },
        },
        { key: { text: 'Policy' }, value: { text: letter.clauses.join(', ') } },
        {
          key: { text: 'Written' },
          value: { text: `${letter.createdAt.slice(0, 10)} by ${personOf(letter.createdBy)}` },
        },
        ...(letter.sentAt
          ? [{ key: { text: 'Sent' }, value: { text: `${letter.sentAt.slice(0, 10)} by ${letter.sentBy}` } }]
          : []),
      ],
      draftFields: bodyFields,
      sendFields: fieldViews(
        sendFields,
        forms.send?.values ?? { sentBy: request.user.name },
        forms.send?.errors ?? noErrors,
      ),
      letterHtml: letterInFrame(document.html),
    },
    status ?? (errors.summary.length > 0 ? 400 : 200),
  );
}

const load = (request: ConsoleRequest, deps: ConsoleDeps) =>
  orNotFound(readStepLetter(request.params.id ?? '', deps.stepLetters));

export const stepLetterPages: ConsolePage<ConsoleDeps>[] = [
  {
    // From a step on the customer's page or an incident's page: writes the first draft, then opens it.
    method: 'POST',
    pattern: '/staff/customers/:id/step-letters',
    permission: 'write-step-letters',
    async handle(request, deps) {
      const customerId = request.params.id ?? '';
      const stepId = formText(request, 'stepId');
      const incidentId = formText(request, 'incidentId');
      const kind = formText(request, 'kind');
      const result = await attempt(() =>
        draftStepLetter(
          customerId,
          {
            ...(stepId ? { stepId } : {}),
            ...(incidentId ? { incidentId } : {}),
            ...(kind ? { kind } : {}),
            signedBy: request.user.name,
          },
          request.actor,
          deps.stepLetters,
        ),
      );
      if ('refused' in result) {
        return renderPage(
          request,
          'error.njk',
          {
            title: 'The letter could not be written',
            paragraphs: problemsOf(result.refused).map((p) =>
              p.field === '(body)' ? p.problem : `${p.field}: ${p.problem}`,
            ),
            backLink: { href: customerHref(customerId), text: 'Back to the customer' },
          },
          'conflict' in result.refused ? 404 : 400,
        );
      }
      return redirect(letterHref(result.done.id));
    },
  },
  {
    method: 'GET',
    pattern: '/staff/step-letters/:id',
    permission: 'write-step-letters',
    async handle(request, deps) {
      const letter = await load(request, deps);
      if (!letter) return notFound(request, 'letter');
      if (request.query.format === 'pdf' || request.query.format === 'html') {
        const document = await stepLetterDocument(letter, deps.stepLetters);
        const safeName = letter.reference.replace(/[^\w-]/g, '');
        return request.query.format === 'pdf'
          ? {
              kind: 'file',
              contentType: 'application/pdf',
              body: Buffer.from(await document.pdf()),
              filename: `${safeName}.pdf`,
            }
          : { kind: 'file', contentType: 'text/html; charset=utf-8', body: document.html, inline: true };
      }
      return show(request, deps, letter);
    },
  },
  {
    method: 'POST',
    pattern: '/staff/step-letters/:id',
    permission: 'write-step-letters',
    async handle(request, deps) {
      const letter = await load(request, deps);
      if (!letter) return notFound(request, 'letter');
      const { body, problems } = readFields(draftFields, request.form);
      const errorsOf = (list: typeof problems) => ({
        values: request.form,
        errors: formErrors(draftFields, list, request.form),
      });
      if (problems.length > 0) return show(request, deps, letter, { draft: errorsOf(problems) });
      const revision = Number(formText(request, 'revision'));
      const paragraphs = paragraphsOf(String(body.body ?? ''));
      const result = await attempt(() =>
        editStepLetter(
          letter.id,
          {
            ...(body.subject ? { subject: body.subject } : {}),
            ...(paragraphs.length > 0 ? { paragraphs } : {}),
            ...(body.signedBy ? { signedBy: body.signedBy } : {}),
            ...(Number.isInteger(revision) ? { revision } : {}),
          },
          request.actor,
          deps.stepLetters,
        ),
      );
      if ('refused' in result) {
        const fresh = (await load(request, deps)) ?? letter;
        const problemsList = problemsOf(result.refused).map((p) =>
          p.field === 'paragraphs' ? { ...p, field: 'body' } : p,
        );
        return show(
          request,
          deps,
          fresh,
          { draft: errorsOf(problemsList) },
          'conflict' in result.refused ? 409 : 400,
        );
      }
      return redirect(`${letterHref(letter.id)}?done=letter-saved`);
    },
  },
  {
    method: 'POST',
    pattern: '/staff/step-letters/:id/sent',
    permission: 'write-step-letters',
    async handle(request, deps) {
      const letter = await load(request, deps);
      if (!letter) return notFound(request, 'letter');
      const { body, problems } = readFields(sendFields, request.form);
      const errorsOf = (list: typeof problems) => ({
        values: request.form,
        errors: formErrors(sendFields, list, request.form),
      });
      if (problems.length > 0) return show(request, deps, letter, { send: errorsOf(problems) });
      const result = await attempt(() => sendStepLetter(letter.id, body, request.actor, deps.stepLetters));
      if ('refused' in result) {
        return show(
          request,
          deps,
          letter,
          { send: errorsOf(problemsOf(result.refused)) },
          'conflict' in result.refused ? 409 : 400,
        );
      }
      return redirect(`${letterHref(letter.id)}?done=letter-sent`);
    },
  },
];
