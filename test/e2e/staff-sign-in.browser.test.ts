import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFocus, launchChromium, watchPage } from '../helpers/browser';
import { makeTempDir } from '../helpers/local-stack';
import { type ConsoleHarness, STAFF_PASSWORD, startConsoleHarness } from '../helpers/staff-console';

/**
 * Signing in and out of the staff console in Debian's Chromium with the keyboard only, through
 * the local provider's sign-in page, under the console's Content-Security-Policy (its nonce lets
 * the GOV.UK template's one inline script run; form-action lets the sign-in's redirects through).
 */
let harness: ConsoleHarness;
let browser: Browser | undefined;
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  temp = await makeTempDir('staff-browser-');
  const assets = path.join(temp.dir, 'assets');
  await mkdir(assets);
  await writeFile(path.join(assets, 'console.css'), '.app-council-header { color: #0b0c0c; }\n');
  await writeFile(path.join(assets, 'console.js'), 'document.documentElement.dataset.console = "ready";\n');
  [harness, browser] = await Promise.all([startConsoleHarness({ assetsDir: assets }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await temp?.remove();
});

/** Tabs forward until `target` has focus (at most `limit` presses), as someone using a keyboard would. */
async function tabTo(page: Page, target: string, limit = 15) {
  for (let i = 0; i < limit; i++) {
    if ((await describeFocus(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} was not reached with Tab (focus: ${await describeFocus(page)})`);
}

describe('the staff sign-in in Chromium', () => {
  it('signs in with the keyboard, lands on the page asked for, and signs out again', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);

    await page.goto(`${harness.origin}/staff/things/t-7`);
    await expect.poll(() => page.title()).toBe('Sign in – Contact screening – Example Borough Council');
    await tabTo(page, '#email');
    await page.keyboard.type('manager@council.example');
    await page.keyboard.press('Tab');
    expect(await describeFocus(page)).toBe('#password');
    await page.keyboard.type(STAFF_PASSWORD);
    await page.keyboard.press('Enter');

    await page.waitForURL(`${harness.origin}/staff/things/t-7`);
    expect(await page.locator('h1').textContent()).toBe('A thing');
    expect(await page.locator('main').textContent()).toContain('Daniel Okafor (local-service-manager)');
    // The nonce'd inline script ran; the console's own script loaded.
    expect(await page.locator('body').getAttribute('class')).toContain('js-enabled');
    expect(await page.locator('html').getAttribute('data-console')).toBe('ready');

    await tabTo(page, 'button.app-link-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/oidc\/session\/end/);
    await tabTo(page, 'button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${harness.origin}/staff/signed-out`);
    expect(await page.locator('h1').textContent()).toBe('You have signed out');

    await page.goto(`${harness.origin}/staff/`);
    await expect.poll(() => page.title()).toMatch(/^Sign in/);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    await context.close();
  });
});
