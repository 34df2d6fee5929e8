import { htmlAttributes as attributes, type Html, html } from '../core/html';
import type { FieldProblem } from '../core/validation';
import { formFieldOrder, messageMaxLength } from './schema';

/**
 * The contact form's pages, as complete HTML documents: the form (empty, or shown again with
 * its problems), the confirmation and the problem page. web/index.html is the form rendered here
 * (scripts/build-web.ts), and the handler answers a plain HTML form post (no JavaScript) with
 * these same pages, so the page works without JavaScript. web/app.js builds the same error
 * summary, error messages and confirmation in the browser when JavaScript runs: keep the two in step.
 *
 * Every value is escaped where it is interpolated (the `html` template of core/html.ts), so text someone
 * typed, such as `<script>`, is shown as text.
 */

export type FormField = (typeof formFieldOrder)[number];

/** The values a person typed, shown back to them as typed (strings; anything else is ignored). */
export type FormValues = Readonly<Record<string, unknown>>;

/** Where the pages find their style sheet and script, and the form (for links back to it). */
interface PageLinks {
  /** Prefix of `/style.css` and `/app.js`, e.g. `https://www.council.example/contact-form` (default: same origin). */
  assetsBase?: string;
  /** The contact form page, for "send another message" and "back to the form" links (default `/`). */
  formUrl?: string;
}

export interface FormPageOptions extends PageLinks {
  /** The services a message can be about (CONTACT_TOPICS); the endpoint accepts these and no others. */
  topics: readonly string[];
  values?: FormValues;
  errors?: readonly FieldProblem[];
  /** Where the form posts (the screening endpoint). */
  action?: string;
  councilName: string;
  privacyNoticeUrl?: string;
}

export interface ConfirmationPageOptions extends PageLinks {
  reference: string;
  /** The endpoint's acknowledgement: the same for everyone (P4). */
  message: string;
  councilName: string;
}

export interface ProblemPageOptions extends PageLinks {
  title: string;
  detail: string;
  councilName: string;
  /** From Retry-After: said in minutes unless the detail already says when to try again. */
  retryAfterSeconds?: number;
}

export const formPageTitle = 'Contact us';
export const defaultPrivacyNoticeUrl = '/privacy.html';

/** What the form's fields are called on the page (labels without "(optional)"). */
export const fieldLabels: Record<FormField, string> = {
  name: 'Full name',
  email: 'Email address',
  phone: 'Phone number',
  postcode: 'Postcode',
  caseReference: 'Case reference',
  topic: 'What is your message about?',
  subject: 'Subject',
  message: 'Your message',
  consent: 'I have read the privacy notice',
};

/** Hints under the labels; each has the id `<field>-hint`. */
export const fieldHints: Partial<Record<FormField, string>> = {
  email: 'We’ll only use this to reply to you',
  phone: 'For international numbers, include the country code',
  caseReference: 'If you have one, like CMP-12345',
  message: `You can enter up to ${messageMaxLength.toLocaleString('en-GB')} characters`,
};

export { escapeHtml } from '../core/html';

// ---------------------------------------------------------------------------------------------
// The pages.

export function renderFormPage(options: FormPageOptions): string {
  const { topics, values = {}, action = '/contact', councilName } = options;
  const privacyNoticeUrl = options.privacyNoticeUrl ?? defaultPrivacyNoticeUrl;
  const problems = firstProblemPerField(options.errors ?? []);
  const problemOf = (field: FormField) => problems.find((problem) => problem.field === field)?.problem;
  const text = (field: string) => (typeof values[field] === 'string' ? (values[field] as string) : '');

  const input = (field: FormField, spec: Omit<TextInput, 'field' | 'value' | 'problem'>) =>
    textInput({ ...spec, field, value: text(field), problem: problemOf(field) });

  const main = html`
${errorSummary(problems)}
<h1>${formPageTitle}</h1>
<p class="lead">Use this form to send a message to ${councilName}. You will get a reference number when you send it.</p>
<form class="contact-form" action="${action}" method="post" enctype="application/x-www-form-urlencoded" novalidate>
${input('name', { label: fieldLabels.name, autocomplete: 'name', spellcheck: false })}
<div class="form-group">
<fieldset class="fieldset" aria-describedby="reply-hint">
<legend class="fieldset__legend">How can we reply to you?</legend>
<p class="hint" id="reply-hint">Give an email address, a phone number, or both.</p>
${input('email', { label: fieldLabels.email, type: 'email', autocomplete: 'email', spellcheck: false })}
${input('phone', { label: fieldLabels.phone, type: 'tel', autocomplete: 'tel', width: 'medium' })}
</fieldset>
</div>
${input('postcode', {
  label: `${fieldLabels.postcode} (optional)`,
  autocomplete: 'postal-code',
  spellcheck: false,
  autocapitalize: 'characters',
  width: 'short',
})}
${input('caseReference', {
  label: `${fieldLabels.caseReference} (optional)`,
  spellcheck: false,
  autocapitalize: 'characters',
  width: 'medium',
})}
${topicRadios(topics, text('topic'), problemOf('topic'))}
${input('subject', { label: fieldLabels.subject })}
${messageTextarea(text('message'), problemOf('message'))}
${consentCheckbox(privacyNoticeUrl, isChecked(values.consent), problemOf('consent'))}
<div class="honeypot" aria-hidden="true">
<label for="website">Leave this field empty</label>
<input id="website" name="website" type="text" value="" tabindex="-1" autocomplete="off">
</div>
<button type="submit" class="button">Send message</button>
</form>`;

  return documentPage({
    title: `${problems.length > 0 ? 'Error: ' : ''}${formPageTitle}`,
    councilName,
    main,
    links: options,
  });
}

export function renderConfirmationPage(options: ConfirmationPageOptions): string {
  const { reference, message, councilName, formUrl = '/' } = options;
  // The same page for everyone, whoever they are and wherever their message went (P4).
  const main = html`
<div class="panel">
<h1 class="panel__title" tabindex="-1">Message sent</h1>
<div class="panel__body">Your reference<br><strong class="reference">${reference}</strong></div>
</div>
<p class="confirmation-message">${message}</p>
<p><a href="${formUrl}">Send another message</a></p>`;
  return documentPage({ title: 'Message sent', councilName, main, links: options });
}

export function renderProblemPage(options: ProblemPageOptions): string {
  const { title, detail, councilName, retryAfterSeconds, formUrl = '/' } = options;
  const saysWhen = /try again/i.test(detail);
  const retry =
    retryAfterSeconds !== undefined && retryAfterSeconds > 0 && !saysWhen
      ? `Please try again in ${waitInWords(retryAfterSeconds)}.`
      : undefined;
  const main = html`
<h1>${title}</h1>
<p>${detail}</p>
${retry ? html`<p>${retry}</p>` : ''}
<p>Your message has not been sent. Your browser’s back button should take you back to what you wrote.</p>
<p><a href="${formUrl}">Go to the contact form</a></p>`;
  return documentPage({ title, councilName, main, links: options });
}

/**
 * What to tell a person whose message was not accepted, by HTTP status (app.js says the same).
 * The handler may use it for renderProblemPage; its own title and detail are welcome too.
 */
export function describeProblem(status: number): { title: string; detail: string } {
  if (status === 429)
    return { title: 'Too many messages', detail: 'You have sent a lot of messages in a short time.' };
  if (status === 413)
    return {
      title: 'Your message is too long',
      detail: `Shorten your message to ${messageMaxLength.toLocaleString('en-GB')} characters or fewer and send it again.`,
    };
  return {
    title: 'Sorry, there is a problem with the service',
    detail: 'Please try again later.',
  };
}

/** `90` → `2 minutes`; at least a minute, in hours from two hours up. */
export function waitInWords(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

// ---------------------------------------------------------------------------------------------
// Parts.

function documentPage(parts: { title: string; councilName: string; main: Html; links: PageLinks }): string {
  const { title, councilName, main } = parts;
  const assets = (parts.links.assetsBase ?? '').replace(/\/$/, '');
  return `${html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${councilName}</title>
<link rel="stylesheet" href="${assets}/style.css">
<script type="module" src="${assets}/app.js"></script>
</head>
<body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<header class="site-header">
<div class="width-container">
<p class="site-header__name">${councilName}</p>
</div>
</header>
<div class="width-container">
<main id="main-content" class="main">${main}
</main>
</div>
<footer class="site-footer">
<div class="width-container">
<p>${councilName}</p>
</div>
</footer>
</body>
</html>`}\n`;
}

/** One problem per field (the first given), fields in the page's order, then any the page does not show. */
function firstProblemPerField(problems: readonly FieldProblem[]): FieldProblem[] {
  const first = new Map<string, FieldProblem>();
  for (const problem of problems) if (!first.has(problem.field)) first.set(problem.field, problem);
  const position = (field: string) => {
    const index = (formFieldOrder as readonly string[]).indexOf(field);
    return index === -1 ? formFieldOrder.length : index;
  };
  return [...first.values()]
    .map((problem, given) => ({ problem, given }))
    .sort((a, b) => position(a.problem.field) - position(b.problem.field) || a.given - b.given)
    .map(({ problem }) => problem);
}

function isShownField(field: string): field is FormField {
  return (formFieldOrder as readonly string[]).includes(field);
}

/** GOV.UK's error summary: role="alert", focused on arrival (autofocus works without JavaScript). */
function errorSummary(problems: readonly FieldProblem[]): Html | '' {
  if (problems.length === 0) return '';
  const items = problems.map(({ field, problem }) =>
    isShownField(field) ? html`<li><a href="#${field}">${problem}</a></li>\n` : html`<li>${problem}</li>\n`,
  );
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" autofocus>
<h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>
<ul class="error-summary__list">
${items}</ul>
</div>`;
}

function errorMessage(field: string, problem: string | undefined): Html | '' {
  if (problem === undefined) return '';
  return html`<p class="error-message" id="${field}-error"><span class="visually-hidden">Error:</span> ${problem}</p>\n`;
}

/** Hint first, then the error (GOV.UK's order), as aria-describedby. */
function describedBy(
  field: FormField,
  problem: string | undefined,
  hasHint = fieldHints[field] !== undefined,
): string | undefined {
  const ids = [hasHint ? `${field}-hint` : undefined, problem !== undefined ? `${field}-error` : undefined];
  return ids.filter(Boolean).join(' ') || undefined;
}

function hintFor(field: FormField): Html | '' {
  const hint = fieldHints[field];
  return hint ? html`<p class="hint" id="${field}-hint">${hint}</p>\n` : '';
}

function groupAttributes(field: FormField, problem: string | undefined): Html {
  return attributes({
    class: `form-group${problem !== undefined ? ' form-group--error' : ''}`,
    'data-field': field,
  });
}

interface TextInput {
  field: FormField;
  label: string;
  value: string;
  problem: string | undefined;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  spellcheck?: false;
  autocapitalize?: string;
  width?: 'short' | 'medium';
}

function textInput(spec: TextInput): Html {
  const { field, label, value, problem, type = 'text', width } = spec;
  const classes = ['input', width ? `input--${width}` : '', problem !== undefined ? 'input--error' : ''];
  return html`<div${groupAttributes(field, problem)}>
<label class="label" for="${field}">${label}</label>
${hintFor(field)}${errorMessage(field, problem)}<input${attributes({
    class: classes.filter(Boolean).join(' '),
    id: field,
    name: field,
    type,
    value,
    autocomplete: spec.autocomplete,
    spellcheck: spec.spellcheck === false ? 'false' : undefined,
    autocapitalize: spec.autocapitalize,
    'aria-describedby': describedBy(field, problem),
    'aria-invalid': problem !== undefined ? 'true' : undefined,
  })}>
</div>`;
}

/** Radios rather than a select (GOV.UK: easier for most people); the first radio's id is the field's. */
function topicRadios(topics: readonly string[], chosen: string, problem: string | undefined): Html {
  const radios = topics.map(
    (topic, index) => html`<div class="radios__item">
<input${attributes({
      class: 'radios__input',
      id: index === 0 ? 'topic' : `topic-${index + 1}`,
      name: 'topic',
      type: 'radio',
      value: topic,
      checked: topic === chosen,
      'aria-invalid': problem !== undefined ? 'true' : undefined,
    })}>
<label class="radios__label" for="${index === 0 ? 'topic' : `topic-${index + 1}`}">${topic}</label>
</div>
`,
  );
  return html`<div${groupAttributes('topic', problem)}>
<fieldset${attributes({ class: 'fieldset', 'aria-describedby': describedBy('topic', problem) })}>
<legend class="fieldset__legend">${fieldLabels.topic}</legend>
${hintFor('topic')}${errorMessage('topic', problem)}<div class="radios">
${radios}</div>
</fieldset>
</div>`;
}

function messageTextarea(value: string, problem: string | undefined): Html {
  return html`<div${groupAttributes('message', problem)}>
<label class="label" for="message">${fieldLabels.message}</label>
${hintFor('message')}${errorMessage('message', problem)}<textarea${attributes({
    class: `textarea${problem !== undefined ? ' textarea--error' : ''}`,
    id: 'message',
    name: 'message',
    rows: 8,
    'data-maxlength': messageMaxLength,
    'aria-describedby': describedBy('message', problem),
    'aria-invalid': problem !== undefined ? 'true' : undefined,
  })}>
${value}</textarea>
</div>`;
}

/** The privacy notice opens in a new tab, so that what was typed is not lost. */
function consentCheckbox(privacyNoticeUrl: string, checked: boolean, problem: string | undefined): Html {
  return html`<div${groupAttributes('consent', problem)}>
<fieldset${attributes({ class: 'fieldset', 'aria-describedby': describedBy('consent', problem, true) })}>
<legend class="fieldset__legend">Privacy notice</legend>
<p class="hint" id="consent-hint">Read <a href="${privacyNoticeUrl}" target="_blank" rel="noopener">our privacy notice (opens in a new tab)</a> to find out how we use the details you give us.</p>
${errorMessage('consent', problem)}<div class="checkboxes">
<div class="checkboxes__item">
<input${attributes({
    class: 'checkboxes__input',
    id: 'consent',
    name: 'consent',
    type: 'checkbox',
    value: 'yes',
    checked,
    'aria-invalid': problem !== undefined ? 'true' : undefined,
  })}>
<label class="checkboxes__label" for="consent">${fieldLabels.consent}</label>
</div>
</div>
</fieldset>
</div>`;
}

/** A checkbox as browsers and JSON clients send it (the schema's own list). */
function isChecked(value: unknown): boolean {
  return value === true || (typeof value === 'string' && ['on', 'yes', 'true'].includes(value));
}
