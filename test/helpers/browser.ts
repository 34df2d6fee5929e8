import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * A real browser for the page's tests: Debian's Chromium driven by playwright-core (no
 * downloaded browsers; `.ci/run` installs the chromium package when it is missing).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What went wrong on a page meanwhile: script errors, CSP refusals, dialogs (alert() must never run). */
export interface PageWatch {
  pageErrors: string[];
  cspViolations: string[];
  dialogs: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { pageErrors: [], cspViolations: [], dialogs: [] };
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) watch.cspViolations.push(message.text());
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return watch;
}

/**
 * A Content-Security-Policy as strict as the page allows: its own script and style sheet, fetch
 * to its own origin, no inline code, and Trusted Types required (so app.js may use no HTML sinks).
 * Added to the static page in tests, because the local gateway serves files without one.
 */
export const strictPagePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

export async function addPolicyToPage(context: BrowserContext, url: string, policy = strictPagePolicy) {
  await context.route(url, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page, WCAG 2.0–2.2 A and AA rules. Injected through the DevTools protocol
 * (page.evaluate) rather than a <script> element, so a page's CSP does not stop it. Needs a
 * context with JavaScript enabled (axe cannot run in a page without it).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    type Result = {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    };
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<Result> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** The element that has focus, described: `#id`, `a "text"`, `tag.first-class`, or the tag name. */
export function describeFocus(page: Page): Promise<string> {
  // Through the root element: the page's document, without needing TypeScript's DOM lib here.
  return page.locator(':root').evaluate((root) => {
    const active = root.ownerDocument.activeElement;
    if (!active || active === root.ownerDocument.body) return 'body';
    if (active.id) return `#${active.id}`;
    if (active.tagName === 'A') return `a "${active.textContent?.trim()}"`;
    const tag = active.tagName.toLowerCase();
    const firstClass = active.classList[0];
    return firstClass ? `${tag}.${firstClass}` : tag;
  });
}
