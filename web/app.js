/**
 * Progressive enhancement of the contact form. The page works without this file: the form
 * posts, and the endpoint answers with a page (lambdas/contact-form/page.ts). With it, the form
 * is sent in the background and the answer shown in place, without a reload:
 *
 * - 202 `{ reference, message }`: the confirmation replaces the form, focus on its heading;
 * - 400 `application/problem+json` with `errors: [{ field, problem }]`: the same error summary
 *   and error messages the server renders, focus on the summary;
 * - 429, 413, 5xx, no answer: a message saying the form was not sent; what was typed stays.
 *
 * The markup built here mirrors page.ts (class names, ids, aria attributes): keep them in step.
 * Text goes in with textContent only, never as HTML.
 */

const messageMaxLength = 5000;
const requestTimeoutMs = 30_000;

const form = document.querySelector('form.contact-form');
if (form instanceof HTMLFormElement) enhanceForm(form);
enhanceErrorSummaryLinks();

function enhanceForm(form) {
  const button = form.querySelector('button[type="submit"]');
  const titleWithoutError = document.title.replace(/^Error: /, '');
  let sending = false;
  /** The same submission sent again (after a failure) keeps its key: it counts once (P6). */
  let last = { body: '', key: '' };

  addCharacterCount(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return; // a double click sends once
    const body = new URLSearchParams(new FormData(form));
    const key = body.toString() === last.body ? last.key : newIdempotencyKey();
    last = { body: body.toString(), key };

    sending = true;
    button?.setAttribute('aria-disabled', 'true');
    button?.classList.add('button--sending');
    let outcome;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Idempotency-Key': key },
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      outcome = { status: response.status, json: await readJson(response), retryAfter: retryAfter(response) };
    } catch {
      outcome = { status: 0 };
    } finally {
      sending = false;
      button?.removeAttribute('aria-disabled');
      button?.classList.remove('button--sending');
    }

    if (outcome.status === 202 || outcome.status === 200) {
      const { reference = '', message = 'Your message has been sent.' } = outcome.json ?? {};
      showConfirmation(String(reference), String(message));
    } else if (outcome.status === 400 && Array.isArray(outcome.json?.errors)) {
      showErrors(form, outcome.json.errors, titleWithoutError);
    } else {
      showFailure(form, outcome.status, outcome.retryAfter, titleWithoutError);
    }
  });
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function retryAfter(response) {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

/** `element('p', { class: 'hint' }, 'text', child)`: attributes in the order page.ts writes them. */
function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [attribute, value] of Object.entries(attributes)) node.setAttribute(attribute, value);
  node.append(...children);
  return node;
}

function main() {
  return document.querySelector('main');
}

function councilName() {
  return document.querySelector('.site-header__name')?.textContent?.trim() ?? '';
}

// --- errors ------------------------------------------------------------------------------

function clearMessages(form) {
  for (const node of document.querySelectorAll('.error-summary, .notification')) node.remove();
  for (const node of form.querySelectorAll('.error-message')) node.remove();
  for (const group of form.querySelectorAll('.form-group--error'))
    group.classList.remove('form-group--error');
  for (const node of form.querySelectorAll('.input--error, .textarea--error')) {
    node.classList.remove('input--error', 'textarea--error');
  }
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of form.querySelectorAll('[aria-describedby]')) {
    const ids = describedByIds(node).filter((id) => !id.endsWith('-error'));
    if (ids.length > 0) node.setAttribute('aria-describedby', ids.join(' '));
    else node.removeAttribute('aria-describedby');
  }
}

function describedByIds(node) {
  return (node.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
}

/** One problem per field (the first), in the page's order, then those for fields the page does not show. */
function orderProblems(form, problems) {
  const fields = [...form.querySelectorAll('[data-field]')].map((group) => group.dataset.field);
  const first = new Map();
  for (const item of problems) {
    if (typeof item?.field !== 'string' || typeof item?.problem !== 'string') continue;
    if (!first.has(item.field)) first.set(item.field, item);
  }
  const position = (field) => (fields.includes(field) ? fields.indexOf(field) : fields.length);
  return [...first.values()]
    .map((item, given) => ({ item, given }))
    .sort((a, b) => position(a.item.field) - position(b.item.field) || a.given - b.given)
    .map(({ item }) => ({ ...item, shown: fields.includes(item.field) }));
}

function showErrors(form, problems, titleWithoutError) {
  clearMessages(form);
  const ordered = orderProblems(form, problems);
  if (ordered.length === 0) return showFailure(form, 400, undefined, titleWithoutError);

  const list = element('ul', { class: 'error-summary__list' });
  for (const { field, problem, shown } of ordered) {
    list.append(element('li', {}, shown ? element('a', { href: `#${field}` }, problem) : problem));
  }
  const summary = element(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    element('h2', { class: 'error-summary__title', id: 'error-summary-title' }, 'There is a problem'),
    list,
  );

  for (const { field, problem, shown } of ordered) if (shown) markField(form, field, problem);

  main()?.prepend(summary);
  document.title = `Error: ${titleWithoutError}`;
  summary.focus();
}

function markField(form, field, problem) {
  const group = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (!group) return;
  group.classList.add('form-group--error');
  const message = element(
    'p',
    { class: 'error-message', id: `${field}-error` },
    element('span', { class: 'visually-hidden' }, 'Error:'),
    ` ${problem}`,
  );
  const control = group.querySelector('.radios, .checkboxes, input, textarea');
  control?.before(message);
  if (control?.matches('input')) control.classList.add('input--error');
  if (control?.matches('textarea')) control.classList.add('textarea--error');

  // Hint first, then the error (page.ts's order); on the fieldset for radios and checkboxes.
  const described = group.querySelector(':scope > fieldset') ?? control;
  if (described) {
    const ids = describedByIds(described);
    const hintAt = ids.indexOf(`${field}-hint`);
    ids.splice(hintAt + 1, 0, `${field}-error`);
    described.setAttribute('aria-describedby', ids.join(' '));
  }
  for (const input of group.querySelectorAll(`[name="${CSS.escape(field)}"]`)) {
    input.setAttribute('aria-invalid', 'true');
  }
}

/**
 * The summary's links go to the field; the label or legend is scrolled into view with it
 * (a plain fragment link puts the input at the very top, its label out of sight).
 */
function enhanceErrorSummaryLinks() {
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('.error-summary a') : null;
    const id = link?.getAttribute('href')?.slice(1);
    const input = id ? document.getElementById(id) : null;
    if (!input) return;
    event.preventDefault();
    const caption =
      input.closest('[data-field]')?.querySelector(':scope > fieldset > legend') ??
      document.querySelector(`label[for="${CSS.escape(id)}"]`);
    (caption ?? input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
}

// --- failures ----------------------------------------------------------------------------

/** What page.ts's describeProblem says, by status; 0 is no answer at all. */
function describeProblem(status) {
  if (status === 429)
    return { title: 'Too many messages', detail: 'You have sent a lot of messages in a short time.' };
  if (status === 413)
    return {
      title: 'Your message is too long',
      detail: `Shorten your message to ${messageMaxLength.toLocaleString('en-GB')} characters or fewer and send it again.`,
    };
  if (status === 0)
    return {
      title: 'Your message could not be sent',
      detail: 'There was no answer from the council’s website. Check your internet connection and try again.',
    };
  return { title: 'Sorry, there is a problem with the service', detail: 'Please try again later.' };
}

function waitInWords(seconds) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

function showFailure(form, status, retryAfterSeconds, titleWithoutError) {
  clearMessages(form);
  const { title, detail } = describeProblem(status);
  const notification = element(
    'div',
    {
      class: 'notification notification--problem',
      role: 'alert',
      tabindex: '-1',
      'aria-labelledby': 'notification-title',
    },
    element('h2', { class: 'notification__title', id: 'notification-title' }, title),
    element('p', {}, detail),
  );
  if (retryAfterSeconds !== undefined) {
    notification.append(element('p', {}, `Please try again in ${waitInWords(retryAfterSeconds)}.`));
  }
  notification.append(
    element('p', {}, 'Your message has not been sent. What you typed is still in the form.'),
  );
  main()?.prepend(notification);
  document.title = titleWithoutError;
  notification.focus();
}

// --- confirmation ------------------------------------------------------------------------

/** page.ts's renderConfirmationPage, in place of the form: the same for everyone (P4). */
function showConfirmation(reference, message) {
  const heading = element('h1', { class: 'panel__title', tabindex: '-1' }, 'Message sent');
  const panel = element('div', { class: 'panel' }, heading);
  if (reference) {
    panel.append(
      element(
        'div',
        { class: 'panel__body' },
        'Your reference',
        document.createElement('br'),
        element('strong', { class: 'reference' }, reference),
      ),
    );
  }
  const again = element('a', { href: window.location.pathname }, 'Send another message');
  main()?.replaceChildren(
    panel,
    element('p', { class: 'confirmation-message' }, message),
    element('p', {}, again),
  );
  document.title = `Message sent – ${councilName()}`;
  heading.focus();
}

// --- character count ---------------------------------------------------------------------

/**
 * "You have N characters remaining", as GOV.UK's character count: shown at once, and told to
 * screen readers once typing pauses (not at every key).
 */
function addCharacterCount(form) {
  const textarea = form.querySelector('textarea[data-maxlength]');
  if (!(textarea instanceof HTMLTextAreaElement)) return;
  const max = Number(textarea.dataset.maxlength);
  const shown = element('p', {
    class: 'hint character-count',
    id: `${textarea.id}-count`,
    'aria-hidden': 'true',
  });
  const spoken = element('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  textarea.after(shown, spoken);

  let timer;
  const describe = () => {
    const left = max - textarea.value.length;
    const count = Math.abs(left).toLocaleString('en-GB');
    const characters = Math.abs(left) === 1 ? 'character' : 'characters';
    return left >= 0
      ? `You have ${count} ${characters} remaining`
      : `You have ${count} ${characters} too many`;
  };
  const update = () => {
    shown.textContent = describe();
    shown.classList.toggle('character-count--over', textarea.value.length > max);
    clearTimeout(timer);
    timer = setTimeout(() => {
      spoken.textContent = describe();
    }, 1000);
  };
  shown.textContent = describe();
  shown.classList.toggle('character-count--over', textarea.value.length > max);
  textarea.addEventListener('input', update);
}
