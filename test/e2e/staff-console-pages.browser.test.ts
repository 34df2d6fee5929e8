import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIncident } from '../../lambdas/core/incidents';
import type { StaffRole } from '../../lambdas/core/staff-roles';
import { draftStepLetter } from '../../lambdas/core/step-letters';
import type { ConsoleRequest } from '../../lambdas/staff-console/types';
import { buildStaffAssets } from '../../scripts/build-staff-assets';
import { axeViolations, launchChromium, watchPage } from '../helpers/browser';
import { type ConsoleUnderTest, htmlOf, startConsole, visit } from '../helpers/console-pages';
import { seedRegister } from '../helpers/console-seed';

/**
 * Every page type of the staff console in Debian's Chromium with the built style sheet and script:
 * axe-core finds no WCAG 2.2 AA violation, and the script runs without errors. With
 * STAFF_SCREENSHOTS=<dir>, a full-page PNG of each is written there to look at.
 */
const origin = 'http://console.test';
let console_: ConsoleUnderTest;
let browser: Browser;
let assets: { css: string; js: string };
let jordan: string;
let restrictionId: string;
let letterId: string;
let incidentId: string;
let stepLetterId: string;

beforeAll(async () => {
  const built = await buildStaffAssets();
  assets = { css: await readFile(built.css, 'utf8'), js: await readFile(built.js, 'utf8') };
  console_ = await startConsole();
  ({
    jordan: { id: jordan },
  } = await seedRegister(console_));
  const record = await console_.register.store.loadCustomer(jordan);
  const conflicted = record?.restrictions.find((r) => r.type === 'no-email-letter-only');
  restrictionId = conflicted?.id ?? '';
  letterId = (await console_.register.store.listLetters(jordan))[0]?.id ?? '';
  const incident = await recordIncident(
    {
      customerId: jordan,
      kind: 'abusive-correspondence',
      channel: 'email',
      what: 'Insults',
      recordedBy: 'Olive Officer',
    },
    'test',
    {},
    console_.deps.incidents,
  );
  incidentId = incident.incident.id;
  stepLetterId = (
    await draftStepLetter(jordan, { incidentId, signedBy: 'Sam Manager' }, 'test', console_.deps.stepLetters)
  ).id;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await console_?.stop();
});

const dates = (field: string, d: string, m: string, y: string) => ({
  [`${field}-day`]: d,
  [`${field}-month`]: m,
  [`${field}-year`]: y,
});

interface Case {
  name: string;
  role?: StaffRole;
  method?: 'GET' | 'POST';
  url: () => string;
  form?: () => ConsoleRequest['form'];
  status?: number;
}

const cases: Case[] = [
  { name: 'home', url: () => '/staff/' },
  { name: 'home-officer', role: 'officer', url: () => '/staff/' },
  { name: 'find', url: () => '/staff/customers?q=jordan' },
  { name: 'customer', url: () => `/staff/customers/${jordan}?done=imposed` },
  { name: 'customer-officer', role: 'officer', url: () => `/staff/customers/${jordan}` },
  { name: 'impose-choose', url: () => `/staff/customers/${jordan}/restrictions/new` },
  { name: 'impose', url: () => `/staff/customers/${jordan}/restrictions/new?type=phone-hours` },
  {
    name: 'impose-errors',
    method: 'POST',
    url: () => `/staff/customers/${jordan}/restrictions/new?type=phone-hours`,
    form: () => ({ from: '14:00', until: '12:00', ...dates('startsAt', '1', '6', '2026') }),
    status: 400,
  },
  {
    name: 'impose-check',
    method: 'POST',
    url: () => `/staff/customers/${jordan}/restrictions/new?type=third-party-phone-only`,
    form: () => ({
      thirdParties: 'Cllr Ann Smith',
      reason: 'Calls to the contact centre every day about one matter (4.2.7).',
      decidedBy: 'Sam Manager',
      ...dates('startsAt', '1', '6', '2026'),
      ...dates('endsAt', '30', '11', '2026'),
    }),
  },
  { name: 'escalation', url: () => `/staff/customers/${jordan}/escalation` },
  { name: 'extend', url: () => `/staff/restrictions/${restrictionId}/extend` },
  { name: 'acknowledge', url: () => `/staff/restrictions/${restrictionId}/acknowledge-conflicts` },
  { name: 'letter', url: () => `/staff/letters/${letterId}` },
  { name: 'alerts', url: () => '/staff/alerts' },
  { name: 'alert', url: () => `/staff/alerts/${console_.alerts[0]?.alertId}` },
  { name: 'reviews', url: () => '/staff/reviews' },
  { name: 'register', url: () => '/staff/register?status=active' },
  {
    name: 'reports',
    role: 'senior-manager',
    url: () => '/staff/reports?from-day=1&from-month=1&from-year=2026&to-day=30&to-month=6&to-year=2026',
  },
  {
    name: 'reports-errors',
    url: () => '/staff/reports?from-day=31&from-month=2&from-year=2026',
    status: 400,
  },
  { name: 'contact', role: 'officer', url: () => '/staff/contacts/CS-7K3F-9Q2M-X1' },
  { name: 'record-contact', role: 'officer', url: () => `/staff/customers/${jordan}/contacts/new` },
  {
    name: 'record-contact-errors',
    role: 'officer',
    method: 'POST',
    url: () => '/staff/contacts/new',
    form: () => ({ 'caller.phone': 'soon', recordedBy: 'Olive Officer' }),
    status: 400,
  },
  {
    name: 'recorded-contact',
    role: 'officer',
    method: 'POST',
    url: () => `/staff/customers/${jordan}/contacts/new`,
    form: () => ({
      id: 'browser-recorded-contact',
      channel: 'telephone',
      summary: 'Rang about the complaint.',
      recordedBy: 'Olive Officer',
    }),
  },
  { name: 'incident-new', role: 'officer', url: () => `/staff/customers/${jordan}/incidents/new` },
  { name: 'incident-new-unknown', role: 'officer', url: () => '/staff/incidents/new' },
  {
    name: 'incident-errors',
    role: 'officer',
    method: 'POST',
    url: () => `/staff/customers/${jordan}/incidents/new`,
    form: () => ({ kind: 'call-terminated', channel: 'email', what: '', recordedBy: 'Olive Officer' }),
    status: 400,
  },
  { name: 'incident', url: () => `/staff/incidents/${incidentId}` },
  { name: 'step-letter', url: () => `/staff/step-letters/${stepLetterId}` },
  {
    name: 'forbidden',
    url: () => `/staff/customers/${jordan}/restrictions/new?type=all-contact-refused`,
    status: 403,
  },
];

/**
 * A browser context on the console: the page under test is `first`; later requests (the live
 * search's, links followed) are answered by the pages themselves, as the shell would.
 */
async function serve(role: StaffRole, first?: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let pending = first;
  await context.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/staff/assets/console.css')
      return route.fulfill({ contentType: 'text/css', body: assets.css });
    if (url.pathname === '/staff/assets/console.js') {
      return route.fulfill({ contentType: 'text/javascript', body: assets.js });
    }
    const body = pending ?? htmlOf(await visit(console_.deps, role, 'GET', `${url.pathname}${url.search}`));
    pending = undefined;
    return route.fulfill({ contentType: 'text/html; charset=utf-8', body });
  });
  return context;
}

describe('the script only improves', () => {
  it('refreshes the search results as a name is typed, and the address shows the search', async () => {
    const context = await serve('officer');
    const tab = await context.newPage();
    const watch = watchPage(tab);
    await tab.goto(`${origin}/staff/customers`);
    await tab
      .getByLabel('Name, email, phone, postcode, contact or letter reference')
      .pressSequentially('riley', { delay: 30 });
    await tab.getByRole('link', { name: 'Riley Sample' }).waitFor();
    expect(tab.url()).toBe(`${origin}/staff/customers?q=riley`);
    expect(await tab.getByText('1 customer matches').count()).toBe(1);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });

  it('filters a long table by what is typed, saying how many rows are shown', async () => {
    const context = await serve('officer');
    const tab = await context.newPage();
    await tab.goto(`${origin}/staff/register`);
    await tab.getByLabel('Filter these restrictions').fill('casey');
    await tab.getByText(/^1 of \d+ rows shown$/).waitFor();
    expect(await tab.locator('tbody tr:not([hidden])').count()).toBe(1);
    await context.close();
  });
});

describe('every page type in a browser', () => {
  for (const page of cases) {
    it(`${page.name}: no WCAG 2.2 AA violations, no script errors`, async () => {
      const response = await visit(
        console_.deps,
        page.role ?? 'service-manager',
        page.method ?? 'GET',
        page.url(),
        page.form?.() ?? {},
      );
      expect(response.kind === 'page' && response.status).toBe(page.status ?? 200);
      const html = htmlOf(response);
      const context = await serve(page.role ?? 'service-manager', html);
      const tab = await context.newPage();
      const watch = watchPage(tab);
      await tab.goto(`${origin}${page.url()}`);
      await tab.waitForLoadState('networkidle');
      // GOV.UK Frontend's script ran: the page is marked supported and its components initialised.
      expect(await tab.locator('body.govuk-frontend-supported').count()).toBe(1);
      expect(await axeViolations(tab)).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      if (process.env.STAFF_SCREENSHOTS) {
        await mkdir(process.env.STAFF_SCREENSHOTS, { recursive: true });
        const dir = process.env.STAFF_SCREENSHOTS;
        await tab.screenshot({ path: path.join(dir, `${page.name}.png`), fullPage: true });
        // And in screen-sized parts, to read at full size.
        const height = await tab.evaluate('document.documentElement.scrollHeight');
        for (let top = 0, part = 1; top < Number(height); top += 1200, part += 1) {
          const clip = { x: 0, y: top, width: 1280, height: Math.min(1200, Number(height) - top) };
          await tab.screenshot({ path: path.join(dir, `${page.name}-${part}.png`), fullPage: true, clip });
        }
      }
      await context.close();
    });
  }
});
