/**
 * `npm run screenshots`: the README's pictures of the staff console, taken from the running stack
 * (`npm start` first) in Debian's Chromium: Home, a customer and the impose form, as a service manager.
 * STAFF_CONSOLE_URL (default http://127.0.0.1:3000) and STAFF_PASSWORD (default: the one `npm start`
 * keeps in $DATA_DIR/staff-password) say where and how to sign in.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/helpers/browser';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(root, 'docs/screenshots');
const base = (process.env.STAFF_CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const dataDir = process.env.DATA_DIR ?? path.join(root, '.data');

async function main(): Promise<void> {
  const password =
    process.env.STAFF_PASSWORD ?? (await readFile(path.join(dataDir, 'staff-password'), 'utf8')).trim();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${base}/staff/`);
    await page.fill('input[name=email]', 'manager@council.example');
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/staff/**`);
    const shoot = async (name: string) => {
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
      console.log(`docs/screenshots/${name}.png  ${page.url()}`);
    };
    await shoot('home');
    await page.goto(`${base}/staff/customers?q=${encodeURIComponent('Alex Example')}`);
    const customer = page.locator('a[href^="/staff/customers/cus_"]').first();
    const href = await customer.getAttribute('href');
    if (!href) throw new Error('The demo customer Alex Example was not found: is the demo register seeded?');
    await page.goto(`${base}${href}`);
    await shoot('customer');
    await page.goto(`${base}${href}/restrictions/new?type=phone-hours`);
    await shoot('impose');
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
