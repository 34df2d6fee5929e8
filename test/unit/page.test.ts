import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  describeProblem,
  escapeHtml,
  fieldHints,
  renderConfirmationPage,
  renderFormPage,
  renderProblemPage,
  waitInWords,
} from '../../lambdas/contact-form/page';
import { contactFormSchema, defaultTopics, formFieldOrder } from '../../lambdas/contact-form/schema';
import { fieldProblems } from '../../lambdas/core/validation';
import { indexPagePath, readWebSettings, renderIndexPage } from '../../scripts/build-web';

/**
 * The contact form's pages as HTML. A real browser checks them too (test/e2e/contact-form.browser.test.ts);
 * here: escaping, the error summary and the aria wiring, and that web/index.html is what the renderer makes.
 */

const councilName = 'Example Borough Council';
const hostile = `"><script>alert(1)</script>'&`;

const emptyForm = () => renderFormPage({ topics: defaultTopics, councilName });

/** The start tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const tags = page.match(new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`, 'g')) ?? [];
  expect(tags, `exactly one element with id="${id}"`).toHaveLength(1);
  return tags[0]!;
}

function attribute(tag: string, name: string): string | undefined {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

function summaryLinks(page: string): Array<{ href: string; text: string }> {
  const summary = page.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0] ?? '';
  return [...summary.matchAll(/<li>(?:<a href="([^"]*)">([^<]*)<\/a>|([^<]*))<\/li>/g)].map((match) => ({
    href: match[1] ?? '',
    text: match[2] ?? match[3] ?? '',
  }));
}

/** What the endpoint reports for a submission, through the real schema. */
function problemsFor(body: Record<string, unknown>) {
  const result = contactFormSchema().safeParse(body);
  if (result.success) throw new Error('expected problems');
  return fieldProblems(result.error);
}

describe('renderFormPage', () => {
  it('is a complete HTML5 document in British English, UTF-8, with a viewport', () => {
    const page = emptyForm();
    expect(page.startsWith('<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n')).toBe(
      true,
    );
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<title>Contact us – Example Borough Council</title>');
    expect(page).toContain('<script type="module" src="/app.js"></script>');
    expect(page).toContain('<link rel="stylesheet" href="/style.css">');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page.match(/<main /g)).toHaveLength(1);
    expect(page.endsWith('</body>\n</html>\n')).toBe(true);
  });

  it('posts urlencoded to the endpoint, without the browser’s own validation', () => {
    const form = emptyForm().match(/<form [^>]*>/)?.[0] ?? '';
    expect(attribute(form, 'action')).toBe('/contact');
    expect(attribute(form, 'method')).toBe('post');
    expect(attribute(form, 'enctype')).toBe('application/x-www-form-urlencoded');
    expect(form).toMatch(/\snovalidate>$/);
    const elsewhere = renderFormPage({
      topics: ['A'],
      councilName,
      action: 'https://api.example/contact?a=1&b=2',
    });
    expect(elsewhere).toContain('action="https://api.example/contact?a=1&amp;b=2"');
  });

  it('has every field of the schema, labelled, in the order of formFieldOrder', () => {
    const page = emptyForm();
    const positions = formFieldOrder.map((field) => page.indexOf(tagWithId(page, field)));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const field of formFieldOrder) {
      expect(attribute(tagWithId(page, field), 'name')).toBe(field);
      expect(page).toContain(`for="${field}"`);
    }
    // Every topic is a radio, the first one carrying the field's id.
    const radios = [...page.matchAll(/<input class="radios__input"[^>]*>/g)].map((match) => match[0]);
    expect(radios.map((tag) => attribute(tag, 'value'))).toEqual([...defaultTopics]);
    expect(attribute(radios[0]!, 'id')).toBe('topic');
    expect(page.match(/\sid="([^"]+)"/g)?.length).toBe(new Set(page.match(/\sid="([^"]+)"/g)).size);
  });

  it('asks browsers to fill in what they know, and says what fields are for', () => {
    const page = emptyForm();
    expect(attribute(tagWithId(page, 'name'), 'autocomplete')).toBe('name');
    expect(attribute(tagWithId(page, 'email'), 'autocomplete')).toBe('email');
    expect(attribute(tagWithId(page, 'email'), 'type')).toBe('email');
    expect(attribute(tagWithId(page, 'phone'), 'autocomplete')).toBe('tel');
    expect(attribute(tagWithId(page, 'phone'), 'type')).toBe('tel');
    expect(attribute(tagWithId(page, 'postcode'), 'autocomplete')).toBe('postal-code');
    expect(tagWithId(page, 'email-hint')).toBe('<p class="hint" id="email-hint">');
    expect(page).toContain('We’ll only use this to reply to you');
    expect(page).toContain('If you have one, like CMP-12345');
    expect(fieldHints.message).toBe('You can enter up to 5,000 characters');
    expect(attribute(tagWithId(page, 'message'), 'aria-describedby')).toBe('message-hint');
    expect(tagWithId(page, 'message')).toMatch(/^<textarea /);
  });

  it('links the consent to the privacy notice, in a new tab so nothing typed is lost', () => {
    expect(emptyForm()).toContain('<a href="/privacy.html" target="_blank" rel="noopener">');
    const page = renderFormPage({
      topics: ['A'],
      councilName,
      privacyNoticeUrl: 'https://council.example/p?x="y"',
    });
    expect(page).toContain('<a href="https://council.example/p?x=&quot;y&quot;" target="_blank"');
    expect(attribute(tagWithId(page, 'consent'), 'type')).toBe('checkbox');
    expect(page).toMatch(/<fieldset class="fieldset" aria-describedby="consent-hint">\n<legend/);
  });

  it('hides the honeypot from people and from assistive technology, and never fills it in', () => {
    const page = renderFormPage({ topics: ['A'], councilName, values: { website: 'http://spam.example' } });
    expect(page).toContain(
      '<div class="honeypot" aria-hidden="true">\n<label for="website">Leave this field empty</label>\n' +
        '<input id="website" name="website" type="text" value="" tabindex="-1" autocomplete="off">\n</div>',
    );
    expect(page).not.toContain('spam.example');
  });

  it('escapes everything it interpolates: values, topics, names, links and problems', () => {
    const page = renderFormPage({
      topics: [hostile, 'Housing'],
      councilName: hostile,
      action: hostile,
      privacyNoticeUrl: hostile,
      values: Object.fromEntries([...formFieldOrder, 'website'].map((field) => [field, hostile])),
      errors: [
        { field: 'name', problem: hostile },
        { field: hostile, problem: hostile },
      ],
    });
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain(hostile);
    expect(page).toContain(escapeHtml(hostile));
    expect(escapeHtml(hostile)).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;&amp;');
    // The message cannot close its textarea.
    const message = renderFormPage({
      topics: ['A'],
      councilName,
      values: { message: '</textarea><b>x</b>' },
    });
    expect(message).toContain('\n&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>');
    expect(message.match(/<\/textarea>/g)).toHaveLength(1);
  });

  it('keeps right-to-left text, emoji and line breaks as typed', () => {
    const typed = { name: 'שרה כהן', subject: 'مرحبا 👋🏽', message: 'line one\r\nline two 🗑️' };
    const page = renderFormPage({ topics: ['A'], councilName, values: typed });
    expect(attribute(tagWithId(page, 'name'), 'value')).toBe(typed.name);
    expect(attribute(tagWithId(page, 'subject'), 'value')).toBe(typed.subject);
    expect(page).toContain(`>\n${typed.message}</textarea>`);
  });

  describe('with errors', () => {
    const values = {
      name: '',
      email: 'alex@',
      phone: '',
      topic: 'Housing',
      subject: 'My bins',
      message: 'Hello',
      consent: 'yes',
    };
    // In the schema's own order of discovery, which is not the page's.
    const errors = [
      { field: 'consent', problem: 'Confirm that you have read the privacy notice' },
      { field: 'email', problem: 'Enter an email address in the correct format, like name@example.com' },
      { field: 'topic', problem: 'Select what your message is about' },
      { field: 'email', problem: 'Enter an email address or a phone number so that we can reply' },
      { field: 'name', problem: 'Enter your name' },
      { field: 'message', problem: 'Your message must be 5,000 characters or fewer' },
    ];
    const page = renderFormPage({ topics: defaultTopics, councilName, values, errors });

    it('prefixes the title with "Error: "', () => {
      expect(page).toContain('<title>Error: Contact us – Example Borough Council</title>');
    });

    it('starts with an error summary: an alert, focusable, "There is a problem", before the heading', () => {
      const summary = tagWithId(page, 'error-summary-title');
      expect(page.indexOf(summary)).toBeLessThan(page.indexOf('<h1>'));
      expect(page).toContain(
        '<main id="main-content" class="main">\n<div class="error-summary" role="alert" tabindex="-1" ' +
          'aria-labelledby="error-summary-title" autofocus>\n' +
          '<h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>',
      );
    });

    it('lists one problem per field, in the page’s order, each linking to its field', () => {
      expect(summaryLinks(page)).toEqual([
        { href: '#name', text: 'Enter your name' },
        { href: '#email', text: 'Enter an email address in the correct format, like name@example.com' },
        { href: '#topic', text: 'Select what your message is about' },
        { href: '#message', text: 'Your message must be 5,000 characters or fewer' },
        { href: '#consent', text: 'Confirm that you have read the privacy notice' },
      ]);
      for (const { href } of summaryLinks(page)) tagWithId(page, href.slice(1));
    });

    it('shows each problem at its field, described by hint then error, marked invalid', () => {
      for (const [field, describedBy] of [
        ['name', 'name-error'],
        ['email', 'email-hint email-error'],
        ['message', 'message-hint message-error'],
      ] as const) {
        const control = tagWithId(page, field);
        expect(attribute(control, 'aria-describedby'), field).toBe(describedBy);
        expect(attribute(control, 'aria-invalid'), field).toBe('true');
        expect(attribute(control, 'class'), field).toMatch(/(input|textarea)--error/);
      }
      expect(page).toContain(
        '<p class="error-message" id="email-error"><span class="visually-hidden">Error:</span> ' +
          'Enter an email address in the correct format, like name@example.com</p>\n<input',
      );
      expect(page.match(/class="error-message"/g)).toHaveLength(5);
      // Radios and the checkbox: described on their fieldset, each input marked.
      expect(page).toContain('<fieldset class="fieldset" aria-describedby="topic-error">');
      expect(page).toContain('<fieldset class="fieldset" aria-describedby="consent-hint consent-error">');
      expect(page.match(/<input class="radios__input"[^>]*aria-invalid="true"/g)).toHaveLength(
        defaultTopics.length,
      );
      expect(attribute(tagWithId(page, 'consent'), 'aria-invalid')).toBe('true');
      expect(page.match(/data-field="[^"]+"/g)?.length).toBe(formFieldOrder.length);
      expect(page.match(/class="form-group form-group--error"/g)).toHaveLength(5);
    });

    it('leaves the fields without problems alone', () => {
      for (const field of ['phone', 'postcode', 'caseReference', 'subject']) {
        expect(attribute(tagWithId(page, field), 'aria-invalid'), field).toBeUndefined();
        expect(page).not.toContain(`id="${field}-error"`);
      }
      expect(attribute(tagWithId(page, 'phone'), 'aria-describedby')).toBe('phone-hint');
      expect(attribute(tagWithId(page, 'subject'), 'aria-describedby')).toBeUndefined();
    });

    it('keeps what was typed', () => {
      expect(attribute(tagWithId(page, 'email'), 'value')).toBe('alex@');
      expect(attribute(tagWithId(page, 'subject'), 'value')).toBe('My bins');
      expect(tagWithId(page, 'topic-3')).toMatch(/value="Housing" checked /);
      expect(page.match(/ checked[ >]/g)).toHaveLength(2); // the topic and the consent
      expect(page).toContain('>\nHello</textarea>');
    });

    it('lists problems with fields the page does not show last, without a link', () => {
      const odd = renderFormPage({
        topics: ['A'],
        councilName,
        errors: [
          { field: '(body)', problem: 'Send the form as a form' },
          { field: 'subject', problem: 'Enter a subject' },
        ],
      });
      expect(summaryLinks(odd)).toEqual([
        { href: '#subject', text: 'Enter a subject' },
        { href: '', text: 'Send the form as a form' },
      ]);
    });

    it('links every problem the schema finds in an empty submission to a field on the page', () => {
      const problems = problemsFor({});
      const links = summaryLinks(renderFormPage({ topics: defaultTopics, councilName, errors: problems }));
      expect(links.map((link) => link.href)).toEqual([
        '#name',
        '#email',
        '#topic',
        '#subject',
        '#message',
        '#consent',
      ]);
      expect(links.every((link) => /^[A-Z]/.test(link.text))).toBe(true);
    });
  });

  it('shows no summary and marks nothing invalid without errors (or with an empty list)', () => {
    for (const page of [emptyForm(), renderFormPage({ topics: defaultTopics, councilName, errors: [] })]) {
      expect(page).not.toContain('error-summary');
      expect(page).not.toContain('aria-invalid');
      expect(page).not.toContain('Error:');
    }
  });
});

describe('renderConfirmationPage', () => {
  it('shows the reference prominently and the endpoint’s message, escaped', () => {
    const page = renderConfirmationPage({
      reference: 'CS-7K3F-9Q2M-XW',
      message: 'Thank you. <b>Your</b> message has been sent.',
      councilName,
    });
    expect(page).toContain('<title>Message sent – Example Borough Council</title>');
    expect(page).toContain('<h1 class="panel__title" tabindex="-1">Message sent</h1>');
    expect(page).toContain('<strong class="reference">CS-7K3F-9Q2M-XW</strong>');
    expect(page).toContain('Thank you. &lt;b&gt;Your&lt;/b&gt; message has been sent.');
    expect(page).toContain('<a href="/">Send another message</a>');
    expect(page).not.toContain('<form');
  });

  it('says nothing beyond the reference and the message: the same page for everyone (P4)', () => {
    const a = renderConfirmationPage({ reference: 'CS-AAAA-AAAA-AA', message: 'Sent.', councilName });
    const b = renderConfirmationPage({ reference: 'CS-BBBB-BBBB-BB', message: 'Sent.', councilName });
    expect(a.replaceAll('CS-AAAA-AAAA-AA', 'REF')).toBe(b.replaceAll('CS-BBBB-BBBB-BB', 'REF'));
    expect(a).not.toMatch(/restrict|officer|reader|policy/i);
  });
});

describe('renderProblemPage', () => {
  it('says what happened, when to try again, that nothing was sent, and links back to the form', () => {
    const page = renderProblemPage({
      title: 'Too many messages',
      detail: 'You have sent a lot of messages in a short time.',
      councilName,
      retryAfterSeconds: 290,
    });
    expect(page).toContain('<title>Too many messages – Example Borough Council</title>');
    expect(page).toContain('<h1>Too many messages</h1>');
    expect(page).toContain('<p>Please try again in 5 minutes.</p>');
    expect(page).toContain('Your message has not been sent.');
    expect(page).toContain('<a href="/">Go to the contact form</a>');
  });

  it('does not say when twice when the detail already does, and escapes both texts', () => {
    const page = renderProblemPage({
      title: '<i>Busy</i>',
      detail: 'Please try again in 2 minutes. <script>x</script>',
      councilName,
      retryAfterSeconds: 120,
    });
    expect(page.match(/try again/g)).toHaveLength(1);
    expect(page).toContain('<h1>&lt;i&gt;Busy&lt;/i&gt;</h1>');
    expect(page).not.toContain('<script>x');
  });

  it('has plain words for the statuses a form post can meet', () => {
    expect(describeProblem(429).title).toBe('Too many messages');
    expect(describeProblem(413).detail).toContain('5,000 characters');
    expect(describeProblem(503).title).toBe('Sorry, there is a problem with the service');
    expect([30, 60, 61, 3599, 7200, 7201].map(waitInWords)).toEqual([
      '1 minute',
      '1 minute',
      '2 minutes',
      '60 minutes',
      '2 hours',
      '3 hours',
    ]);
  });
});

describe('web/', () => {
  it('index.html is the form page rendered with the defaults (npm run build:web)', async () => {
    const committed = await readFile(indexPagePath, 'utf8');
    expect(committed).toBe(renderFormPage({ topics: defaultTopics, action: '/contact', councilName }));
    expect(committed).toBe(renderIndexPage(readWebSettings({})));
  });

  it('build:web takes the topics, endpoint and council from the environment, and names a bad setting', () => {
    const settings = readWebSettings({
      CONTACT_TOPICS: ' Bins , Council tax,, ',
      CONTACT_ENDPOINT: 'https://api.council.example/contact',
      COUNCIL_NAME: 'Sample District Council',
      PRIVACY_NOTICE_URL: '',
    });
    expect(settings).toEqual({
      CONTACT_TOPICS: ['Bins', 'Council tax'],
      CONTACT_ENDPOINT: 'https://api.council.example/contact',
      COUNCIL_NAME: 'Sample District Council',
      PRIVACY_NOTICE_URL: '/privacy.html',
    });
    const page = renderIndexPage(settings);
    expect(page).toContain('action="https://api.council.example/contact"');
    expect(page).toContain('<title>Contact us – Sample District Council</title>');
    expect(() => readWebSettings({ CONTACT_TOPICS: ' , ' })).toThrow(
      'CONTACT_TOPICS must list at least one topic',
    );
    expect(() => readWebSettings({ CONTACT_ENDPOINT: 'contact' })).toThrow(
      /^build:web: CONTACT_ENDPOINT must be/,
    );
  });

  it('app.js builds the same markup: its limit, texts and class names match page.ts', async () => {
    const script = await readFile(new URL('../../web/app.js', import.meta.url), 'utf8');
    expect(script).toContain('const messageMaxLength = 5000;');
    for (const status of [429, 413, 503]) expect(script).toContain(`'${describeProblem(status).title}'`);
    for (const text of [
      "'There is a problem'",
      "'Message sent'",
      "'Your reference'",
      "'Send another message'",
      "class: 'error-summary', role: 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title'",
      "class: 'error-message', id: ",
      "class: 'panel__title', tabindex: '-1'",
    ]) {
      expect(script).toContain(text);
    }
  });
});
