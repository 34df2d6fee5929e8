import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack';
import {
  addPolicyToPage,
  axeViolations,
  describeFocus,
  launchChromium,
  type PageWatch,
  watchPage,
} from '../helpers/browser';
import { makeTempDir } from '../helpers/local-stack';
import { emailsAbout, type StoredEmail } from '../helpers/ses-emulator';

/**
 * The contact form in a real browser (Debian's Chromium), against the whole local stack: the
 * page from web/, POST /contact through the gateway to the handler, screening against the seeded
 * demo register, and the forward in the SES emulator. Three ways of using it: with app.js
 * (served under a strict CSP), with JavaScript off (plain form posts, server-rendered pages), and
 * with JavaScript on but app.js not loaded (the server's pages, where axe-core can run).
 * Every person here is fictional; the restricted one is the seed's Alex Example (7.3.4).
 */

const ephemeral = { port: 0, smtpPort: 0, sesPort: 0, dynamodbPort: 0, s3Port: 0 };
const NAMED_OFFICER = 'casework.officer@council.example';
const SERVICE_INBOX = 'customer.services@council.example';
const FORM_TITLE = 'Contact us – Example Borough Council';
const FIELDS_WITH_PROBLEMS_WHEN_EMPTY = ['name', 'email', 'topic', 'subject', 'message', 'consent'];

interface Sender {
  name: string;
  email?: string;
  postcode?: string;
  topic: string;
  subject: string;
  message: string;
}

/** Subjects differ from run to run and test to test: identical submissions count once (P6). */
let sent = 0;
const uniqueSubject = (text: string) => `${text} (${Date.now().toString(36)}-${++sent})`;

const alex = (subject: string): Sender => ({
  name: 'Alex Example',
  email: 'alex.example@example.org',
  postcode: 'AL10 0ZZ',
  topic: 'Housing',
  subject: uniqueSubject(subject),
  message: 'The repair to my kitchen window is still not done.\nPlease let me know when it will be.',
});

const pat = (subject: string): Sender => ({
  name: 'Pat Public',
  email: 'pat.public@example.com',
  topic: 'Housing',
  subject: uniqueSubject(subject),
  message: 'The repair to my kitchen window is still not done.',
});

type Mode = 'enhanced' | 'no-javascript' | 'no-app-js';
/** An element's attributes, as the page-side callbacks see them (this project's TypeScript has no DOM lib). */
type NamedNodes = Iterable<{ name: string; value: string }>;

describe('the contact form in Chromium, against the local stack', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>> | undefined;
  let stack: LocalStack;
  let browser: Browser | undefined;
  const open: Array<{ context: BrowserContext; watch: PageWatch }> = [];

  beforeAll(async () => {
    data = await makeTempDir('contact-screening-browser-');
    // Both at once; whichever starts is kept, so that afterAll stops it even if the other failed.
    const [started, launched] = await Promise.allSettled([
      startLocalStack({ ...ephemeral, dataDir: data.dir }),
      launchChromium(),
    ]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    expect(stack.seed).toBe('seeded');
  });

  afterEach(async () => {
    for (const { context, watch } of open.splice(0)) {
      await context.close();
      // Nothing typed into the form ever ran as script, and the pages broke no rule of their CSP.
      expect(watch.dialogs).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      expect(watch.cspViolations).toEqual([]);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await data?.remove();
  });

  /**
   * The form page, in one of three ways: `enhanced` (app.js, the page under a strict CSP),
   * `no-javascript`, or `no-app-js` (JavaScript on, app.js refused: the plain form, where axe can run).
   */
  async function openForm(mode: Mode): Promise<{ page: Page; watch: PageWatch }> {
    const context = await browser!.newContext({ javaScriptEnabled: mode !== 'no-javascript' });
    if (mode === 'enhanced') await addPolicyToPage(context, stack.urls.form);
    if (mode === 'no-app-js') await context.route('**/app.js', (route) => route.abort());
    const page = await context.newPage();
    const watch = watchPage(page);
    open.push({ context, watch });
    await page.goto(stack.urls.form);
    expect(await page.title()).toBe(FORM_TITLE);
    return { page, watch };
  }

  async function fill(page: Page, sender: Sender, { consent = true } = {}) {
    await page.fill('#name', sender.name);
    if (sender.email) await page.fill('#email', sender.email);
    if (sender.postcode) await page.fill('#postcode', sender.postcode);
    await page.check(`input[name="topic"][value="${sender.topic}"]`);
    await page.fill('#subject', sender.subject);
    await page.fill('#message', sender.message);
    if (consent) await page.check('#consent');
  }

  const send = (page: Page) => page.getByRole('button', { name: 'Send message' }).click();

  /**
   * After a plain form post: the server's page has arrived, with its style sheet (which also
   * hides the honeypot). Its Content-Security-Policy must allow the page's own style sheet and
   * script and a form post to the endpoint, and must not sandbox it.
   */
  async function served(page: Page) {
    await page.waitForURL(`${stack.urls.gateway}/contact`);
    await page.waitForLoadState('load');
    const header = await page
      .locator('.site-header')
      .evaluate((node) => node.ownerDocument.defaultView?.getComputedStyle(node).backgroundColor);
    expect(header, 'the style sheet applies to the server’s page (its CSP allows it)').toBe(
      'rgb(11, 12, 12)',
    );
  }

  async function confirmation(page: Page): Promise<{ reference: string; words: string }> {
    await page.locator('h1.panel__title').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Message sent');
    expect(await page.title()).toBe('Message sent – Example Borough Council');
    const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^CS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    return { reference, words: (await page.locator('main').textContent()) ?? '' };
  }

  /** The one forward of a contact, from the SES emulator, once the form's queue has screened it. */
  async function forwardOf(reference: string): Promise<StoredEmail> {
    await stack.form.idle();
    await expect.poll(async () => (await emailsAbout(stack.urls.ses, reference)).length).toBe(1);
    return (await emailsAbout(stack.urls.ses, reference))[0]!;
  }

  async function summaryLinks(page: Page): Promise<Array<{ href: string | null; text: string }>> {
    return page.locator('.error-summary li').evaluateAll((items) =>
      items.map((item) => ({
        href: item.querySelector('a')?.getAttribute('href') ?? null,
        text: item.textContent ?? '',
      })),
    );
  }

  /** The error summary and every field's error wiring, as markup-independent data. */
  function errorMarkup(page: Page) {
    return page.locator(':root').evaluate((root) => {
      const document = root.ownerDocument;
      const attributesOf = (node: { attributes: NamedNodes } | null) =>
        node ? Object.fromEntries([...node.attributes].map((a) => [a.name, a.value])) : null;
      const summary = document.querySelector('.error-summary');
      return {
        title: document.title,
        summary: summary && {
          attributes: { ...attributesOf(summary), autofocus: undefined },
          heading: summary.querySelector('h2')?.outerHTML,
          items: [...summary.querySelectorAll('li')].map((item) => item.innerHTML),
          firstInMain: summary === document.querySelector('main')?.firstElementChild,
        },
        fields: [...document.querySelectorAll('[data-field]')].map((group) => ({
          group: group.className,
          errors: [...group.querySelectorAll('.error-message')].map((error) => ({
            html: error.outerHTML,
            before: error.nextElementSibling?.className,
          })),
          described: [...group.querySelectorAll('[aria-describedby]')].map((node) =>
            node.getAttribute('aria-describedby'),
          ),
          invalid: [...group.querySelectorAll('[aria-invalid]')].map((node) => node.id),
          controls: [...group.querySelectorAll('input, textarea')].map((node) => node.className),
        })),
      };
    });
  }

  it('with JavaScript: a restricted customer sees a reference and the same neutral words as anyone; the forward reaches their named officer', async () => {
    const { page } = await openForm('enhanced');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.headers()['idempotency-key'] ?? '');
    });
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    const message = alex('Kitchen window');
    await fill(page, message);
    await page.getByRole('button', { name: 'Send message' }).dblclick();

    const { reference, words } = await confirmation(page);
    await expect.poll(() => describeFocus(page)).toBe('h1.panel__title');
    expect(await page.evaluate(() => 'notReloaded' in globalThis)).toBe(true);
    expect(page.url()).toBe(stack.urls.form);
    expect(posts).toHaveLength(1); // a double click sends once
    expect(posts[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    // Nothing here says where the message went or why (P4).
    expect(words).not.toMatch(/restrict|officer|reader|policy|named|7\.3/i);

    const forward = await forwardOf(reference);
    expect(forward.destination.to).toEqual([NAMED_OFFICER]);
    expect(forward.subject).toContain(message.subject);
    expect(forward.body.text).toContain(message.message);
    expect(await axeViolations(page)).toEqual([]);

    // Someone with no restriction sees the very same page, reference aside.
    const other = await openForm('enhanced');
    await fill(other.page, pat('Kitchen window'));
    await send(other.page);
    const unrestricted = await confirmation(other.page);
    expect(unrestricted.words.replaceAll(unrestricted.reference, 'REF')).toBe(
      words.replaceAll(reference, 'REF'),
    );
    expect((await forwardOf(unrestricted.reference)).destination.to).toEqual([SERVICE_INBOX]);
  });

  it('with JavaScript: an empty form shows the same error summary and field errors as the server, without a reload; the links go to the fields', async () => {
    const { page } = await openForm('enhanced');
    expect(await axeViolations(page)).toEqual([]); // the empty form
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    await send(page);

    await expect.poll(() => describeFocus(page)).toBe('div.error-summary');
    expect(await page.evaluate(() => 'notReloaded' in globalThis)).toBe(true);
    expect(await page.title()).toBe(`Error: ${FORM_TITLE}`);
    expect(await page.locator('.error-summary h2').textContent()).toBe('There is a problem');
    const links = await summaryLinks(page);
    expect(links.map((link) => link.href)).toEqual(
      FIELDS_WITH_PROBLEMS_WHEN_EMPTY.map((field) => `#${field}`),
    );
    for (const field of FIELDS_WITH_PROBLEMS_WHEN_EMPTY) {
      const shown = await page.locator(`#${field}-error`).textContent();
      expect(shown).toBe(`Error: ${links.find((link) => link.href === `#${field}`)?.text}`);
    }
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#email').getAttribute('aria-describedby')).toBe('email-hint email-error');
    expect(await page.locator('#phone').getAttribute('aria-invalid')).toBeNull();
    expect(await axeViolations(page)).toEqual([]); // the form with errors, built by app.js

    for (const { href, text } of links) {
      await page.getByRole('link', { name: text }).click();
      expect(await describeFocus(page)).toBe(href);
    }

    // The server's own page for the same empty submission has the same summary and wiring.
    const server = await openForm('no-app-js');
    await send(server.page);
    await served(server.page);
    expect(await errorMarkup(page)).toEqual(await errorMarkup(server.page));
    expect(await axeViolations(server.page)).toEqual([]); // the form with errors, from the server

    // Put one thing right and send again: its error goes, the others stay.
    await page.fill('#name', 'Pat Public');
    await send(page);
    await expect.poll(() => describeFocus(page)).toBe('div.error-summary');
    expect((await summaryLinks(page)).map((link) => link.href)).toEqual(
      FIELDS_WITH_PROBLEMS_WHEN_EMPTY.filter((field) => field !== 'name').map((field) => `#${field}`),
    );
    expect(await page.locator('#name-error').count()).toBe(0);
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('.error-summary').count()).toBe(1);
  });

  it('with JavaScript: when the endpoint refuses or cannot be reached, says so, keeps what was typed, and retries count once', async () => {
    const { page } = await openForm('enhanced');
    const sender = pat('Street lights');
    await fill(page, sender);
    const keys: string[] = [];
    const answers: Array<{ status: number; headers: Record<string, string>; expect: RegExp }> = [
      {
        status: 429,
        headers: { 'retry-after': '290' },
        expect: /Too many messages[\s\S]*try again in 5 minutes/,
      },
      { status: 503, headers: {}, expect: /Sorry, there is a problem with the service/ },
      { status: 0, headers: {}, expect: /could not be sent[\s\S]*internet connection/ },
    ];
    for (const answer of answers) {
      await page.route('**/contact', async (route) => {
        keys.push((await route.request().headerValue('idempotency-key')) ?? '');
        if (answer.status === 0) return route.abort('connectionrefused');
        return route.fulfill({
          status: answer.status,
          headers: { ...answer.headers, 'content-type': 'application/problem+json' },
          body: JSON.stringify({ title: 'x', status: answer.status }),
        });
      });
      await send(page);
      await expect.poll(() => describeFocus(page)).toBe('div.notification');
      const notice = await page.locator('.notification').textContent();
      expect(notice).toMatch(answer.expect);
      expect(notice).toContain('Your message has not been sent. What you typed is still in the form.');
      expect(await page.inputValue('#message')).toBe(sender.message);
      expect(await page.inputValue('#subject')).toBe(sender.subject);
      expect(await page.locator('.notification').count()).toBe(1);
      await page.unroute('**/contact');
    }
    await send(page);
    const { reference } = await confirmation(page);
    expect(new Set(keys).size).toBe(1); // the same submission, the same Idempotency-Key (P6)
    expect((await forwardOf(reference)).destination.to).toEqual([SERVICE_INBOX]);
  });

  it('without JavaScript: a plain POST answers with the server’s confirmation; the forward reaches the named officer', async () => {
    const { page } = await openForm('no-javascript');
    const message = alex('Kitchen window, no script');
    await fill(page, message);
    await send(page);
    await served(page);
    const { reference, words } = await confirmation(page);
    expect(words).not.toMatch(/restrict|officer|reader|policy|named|7\.3/i);
    expect((await forwardOf(reference)).destination.to).toEqual([NAMED_OFFICER]);
  });

  it('without JavaScript: an empty POST answers with the form, its summary focused, errors at the fields, what was typed kept; fixed, it sends', async () => {
    const { page } = await openForm('no-javascript');
    const sender = pat('Street lights, no script');
    await page.fill('#subject', sender.subject);
    await page.fill('#message', sender.message);
    await send(page);
    await served(page);

    expect(await page.title()).toBe(`Error: ${FORM_TITLE}`);
    await expect.poll(() => describeFocus(page)).toBe('div.error-summary'); // autofocus, no script needed
    expect((await summaryLinks(page)).map((link) => link.href)).toEqual(
      FIELDS_WITH_PROBLEMS_WHEN_EMPTY.filter((field) => !['subject', 'message'].includes(field)).map(
        (field) => `#${field}`,
      ),
    );
    expect(await page.locator('#name-error').textContent()).toBe('Error: Enter your name');
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.inputValue('#subject')).toBe(sender.subject);
    expect(await page.inputValue('#message')).toBe(sender.message);
    // The page's style sheet applies (the answer's CSP allows it): the honeypot is off screen.
    const honeypot = await page.locator('.honeypot').boundingBox();
    expect(honeypot === null || honeypot.x + honeypot.width <= 0).toBe(true);
    expect(
      await page
        .locator('.error-summary')
        .evaluate((node) => node.ownerDocument.defaultView?.getComputedStyle(node).borderTopWidth),
    ).toBe('5px');

    await page.getByRole('link', { name: 'Enter your name' }).click();
    expect(await describeFocus(page)).toBe('#name');

    await fill(page, sender);
    await send(page);
    await page.locator('h1.panel__title').waitFor();
    const { reference } = await confirmation(page);
    expect((await forwardOf(reference)).destination.to).toEqual([SERVICE_INBOX]);
  });

  it('keyboard only: Tab goes through the form in order and never to the honeypot; the form can be corrected and sent', async () => {
    const { page } = await openForm('enhanced');
    const order: string[] = [];
    for (let step = 0; step < 12; step++) {
      await page.keyboard.press('Tab');
      order.push(await describeFocus(page));
    }
    expect(order).toEqual([
      'a "Skip to main content"',
      '#name',
      '#email',
      '#phone',
      '#postcode',
      '#caseReference',
      '#topic',
      '#subject',
      '#message',
      'a "our privacy notice (opens in a new tab)"',
      '#consent',
      'button.button',
    ]);
    await page.keyboard.press('Enter'); // send it empty
    await expect.poll(() => describeFocus(page)).toBe('div.error-summary');
    await page.keyboard.press('Tab');
    expect(await describeFocus(page)).toBe('a "Enter your name"');
    await page.keyboard.press('Enter');
    expect(await describeFocus(page)).toBe('#name');

    const visited: string[] = [];
    const next = async () => {
      await page.keyboard.press('Tab');
      visited.push(await describeFocus(page));
    };
    await page.keyboard.type('Kim Keys');
    await next();
    await page.keyboard.type('kim.keys@example.com');
    await next(); // phone
    await next(); // postcode
    await next(); // case reference
    await next(); // the topics: the first radio, not yet chosen
    await page.keyboard.press('Space');
    await next();
    await page.keyboard.type(uniqueSubject('Typed with the keyboard'));
    await next();
    await page.keyboard.type('Hello from the keyboard.');
    await next(); // the privacy notice link
    await next();
    await page.keyboard.press('Space');
    await next();
    expect(visited).toEqual([
      '#email',
      '#phone',
      '#postcode',
      '#caseReference',
      '#topic',
      '#subject',
      '#message',
      'a "our privacy notice (opens in a new tab)"',
      '#consent',
      'button.button',
    ]);
    expect(await page.isChecked('#topic')).toBe(true);
    expect(await page.isChecked('#consent')).toBe(true);
    await page.keyboard.press('Enter');
    await confirmation(page);
    await expect.poll(() => describeFocus(page)).toBe('h1.panel__title');
    expect([...order, ...visited]).not.toContain('#website');
  });

  it('takes script, right-to-left text and emoji as plain text: shown back inert, accepted, forwarded as typed', async () => {
    const hostile: Sender = {
      name: 'سارة <img src=x onerror=alert(2)>',
      email: 'sara.test@example.com',
      topic: 'Planning',
      subject: uniqueSubject('שלום 👋🏽 "quoted" & <b>bold</b>'),
      message: '<script>alert(1)</script>\nمرحبا بالعالم — שלום עולם 🏳️‍🌈👩🏽‍💻\n<img src=x onerror=alert(3)>',
    };
    // The server shows it all back (consent missing), as text: with JavaScript on (app.js not
    // loaded), so that anything that did run as script would open a dialog and fail the test.
    const plain = await openForm('no-app-js');
    await fill(plain.page, hostile, { consent: false });
    await send(plain.page);
    await served(plain.page);
    expect(await plain.page.locator('#consent-error').count()).toBe(1);
    expect(await plain.page.inputValue('#name')).toBe(hostile.name);
    expect(await plain.page.inputValue('#subject')).toBe(hostile.subject);
    expect(await plain.page.inputValue('#message')).toBe(hostile.message);
    expect(await plain.page.locator('img, main script').count()).toBe(0);
    await plain.page.check('#consent');
    await send(plain.page);
    const { reference } = await confirmation(plain.page);
    expect(await axeViolations(plain.page)).toEqual([]); // the server's confirmation page
    const forward = await forwardOf(reference);
    expect(forward.subject).toContain(hostile.subject);
    expect(forward.body.text).toContain(hostile.name);
    expect(forward.body.text).toContain(hostile.message);
    expect(forward.body.html).toBeUndefined();

    // With JavaScript too; a dialog would fail the test (afterEach).
    const enhanced = await openForm('enhanced');
    await fill(enhanced.page, { ...hostile, subject: uniqueSubject('שלום 👋🏽 <b>again</b>') });
    await send(enhanced.page);
    const again = await confirmation(enhanced.page);
    expect((await forwardOf(again.reference)).body.text).toContain(hostile.message);
    expect(await enhanced.page.locator('img').count()).toBe(0);
  });
});
