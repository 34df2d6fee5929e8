import { createTransport } from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack';
import { axeViolations, launchChromium } from '../helpers/browser';
import { startTestStack } from '../helpers/local-stack';
import { pdfText } from '../helpers/pdf-text';

/**
 * The staff console as its users meet it: `npm start`'s stack, the real OpenID sign-in (the local
 * provider with the demo staff accounts), Debian's Chromium. Each journey is one person's work.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  [{ stack, stop: stopStack }, browser] = await Promise.all([
    startTestStack('contact-screening-console-'),
    launchChromium(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopStack?.();
});

const base = () => stack.urls.gateway;

/** A fresh browser profile signed in as one of the demo staff accounts, through the sign-in page. */
async function signedIn(email: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base()}/staff/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', stack.staffPassword);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base()}/staff/**`);
  return page;
}

/** Registers a customer through the admin API, as the register CLI would. */
async function registerCustomer(name: string, email: string): Promise<string> {
  const response = await fetch(`${stack.urls.admin}customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, postcode: 'AL10 0ZZ', emails: [email], phones: [] }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** A GOV.UK date input, from an ISO day. */
async function fillDate(page: Page, field: string, day: string) {
  const [year, month, date] = day.split('-');
  await page.fill(`input[name="${field}-day"]`, String(Number(date)));
  await page.fill(`input[name="${field}-month"]`, String(Number(month)));
  await page.fill(`input[name="${field}-year"]`, year!);
}

const isoDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('the staff console (npm start, real sign-in, Chromium)', () => {
  it('sends a signed-out visitor to sign in, and back to the page asked for', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/staff/register`);
    expect(new URL(page.url()).pathname).toMatch(/^\/oidc\//);
    await expect(page.locator('input[name=email]').count()).resolves.toBe(1);
    // The local provider's sign-in page, as served (its own styles and headers), passes axe-core.
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('input[name=email]', 'officer@council.example');
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('input[name=email]', 'officer@council.example');
    await page.fill('input[name=password]', stack.staffPassword);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base()}/staff/register`);
    await context.close();
  }, 60_000);

  it('a service manager goes from a new customer to a warning and a restriction with its letter; the next email shows in the contact log', async () => {
    const customerId = await registerCustomer('Robin Testcase', 'robin.testcase@example.org');
    const page = await signedIn('manager@council.example');

    await page.goto(`${base()}/staff/customers?q=${encodeURIComponent('robin.testcase@example.org')}`);
    await page.click(`a[href="/staff/customers/${customerId}"]`);
    // 7.2: a concern first, then the warning (7.2.1), each through the step form.
    for (const [step, how] of [
      ['concern-raised', undefined],
      ['warning-given', 'letter'],
    ] as const) {
      await page.click('text=Record an escalation step');
      await page.check(`input[name=step][value=${step}]`);
      if (how) await page.check(`input[name=how][value=${how}]`);
      await page.click('button:has-text("Record the step")');
      await page.waitForURL(`**/staff/customers/${customerId}?done=*`);
    }
    await expect(page.locator('main').textContent()).resolves.toContain('Warning given');

    await page.goto(`${base()}/staff/customers/${customerId}/restrictions/new?type=single-named-officer`);
    await page.fill('input[name=namedOfficer]', 'casework.officer@council.example');
    await page.fill(
      'textarea[name=reason]',
      'Repeated calls to several officers about one complaint (4.2.7).',
    );
    await page.fill('input[name=decidedBy]', 'Daniel Okafor, Service Manager');
    await fillDate(page, 'startsAt', isoDay(0));
    await fillDate(page, 'endsAt', isoDay(180));
    await page.click('button:has-text("Continue to check the letter")');
    // The check step: the letter previewed before anything is stored.
    await expect(page.locator('[aria-label="Preview of the letter"]').textContent()).resolves.toContain(
      'Robin Testcase',
    );
    await page.click('button:has-text("Impose restriction")');
    await page.waitForURL(`**/staff/customers/${customerId}?done=imposed*`);
    const restrictions = await page.locator('main').textContent();
    expect(restrictions).toContain('casework.officer@council.example');

    // The letter's PDF, downloaded with the manager's own session, read back as text.
    const href = await page.locator('a:has-text("PDF")').first().getAttribute('href');
    const pdf = await page.request.get(`${base()}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const { text } = await pdfText(new Uint8Array(await pdf.body()));
    expect(text).toContain('Robin Testcase');
    expect(text).toContain('casework.officer@council.example');

    // The customer writes again: routed to the named officer, and the manager sees it in the log.
    await createTransport({
      host: '127.0.0.1',
      port: stack.ports.smtpPort,
      secure: false,
      ignoreTLS: true,
    }).sendMail({
      from: 'robin.testcase@example.org',
      to: 'customer.services@council.example',
      subject: 'My complaint, again',
      text: 'Writing again about the same matter.',
    });
    await stack.inbound.idle();
    await page.goto(`${base()}/staff/customers/${customerId}`);
    const log = await page.locator('main').textContent();
    expect(log).toMatch(/named officer/i);
    await page.context().close();
  }, 120_000);

  it('an officer sees the customer but no impose button, and a forged impose is refused with 403', async () => {
    const customerId = await registerCustomer('Casey Readonly', 'casey.readonly@example.org');
    const page = await signedIn('officer@council.example');
    await page.goto(`${base()}/staff/customers/${customerId}`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Casey Readonly');
    await expect(page.locator('text=Impose a restriction').count()).resolves.toBe(0);

    // A forged post with the officer's own session and a valid CSRF token: still refused by role.
    const csrfToken = await page.locator('input[name=csrfToken]').first().inputValue();
    const response = await page.request.post(
      `${base()}/staff/customers/${customerId}/restrictions/new?type=single-named-officer`,
      {
        form: {
          csrfToken,
          confirm: 'yes',
          namedOfficer: 'casework.officer@council.example',
          reason: 'forged',
          decidedBy: 'nobody',
          'startsAt-day': '1',
          'startsAt-month': '1',
          'startsAt-year': '2027',
          'endsAt-day': '1',
          'endsAt-month': '6',
          'endsAt-year': '2027',
        },
        headers: { origin: base() },
      },
    );
    expect(response.status()).toBe(403);
    expect(await response.text()).toMatch(/service manager/i);
    const register = await fetch(`${stack.urls.admin}customers/${customerId}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(((await register.json()) as { restrictions: unknown[] }).restrictions).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const customerId = await registerCustomer('Dana Nocsrf', 'dana.nocsrf@example.org');
    const page = await signedIn('manager@council.example');
    const response = await page.request.post(`${base()}/staff/customers/${customerId}/escalation`, {
      form: { step: 'concern-raised', by: 'Daniel Okafor' },
      headers: { origin: base() },
    });
    expect(response.status()).toBe(403);
    const customer = await fetch(`${stack.urls.admin}customers/${customerId}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(JSON.stringify(await customer.json())).not.toContain('concern-raised');
    await page.context().close();
  }, 60_000);

  it('a senior manager can refuse all contact (8.2); a service manager cannot', async () => {
    const customerId = await registerCustomer('Eli Refused', 'eli.refused@example.org');
    const manager = await signedIn('manager@council.example');
    const refused = await manager.goto(
      `${base()}/staff/customers/${customerId}/restrictions/new?type=all-contact-refused`,
    );
    expect(refused?.status()).toBe(403);
    await expect(manager.locator('main').textContent()).resolves.toMatch(/senior manager/i);
    await manager.context().close();

    const senior = await signedIn('senior@council.example');
    const form = await senior.goto(
      `${base()}/staff/customers/${customerId}/restrictions/new?type=all-contact-refused`,
    );
    expect(form?.status()).toBe(200);
    await expect(senior.locator('input[name=seniorApprover]').count()).resolves.toBe(1);
    await senior.context().close();
  }, 60_000);
});
