import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient, signIn } from '../helpers/cookie-client';
import { makeTempDir } from '../helpers/local-stack';
import { type ConsoleHarness, STAFF_PASSWORD, startConsoleHarness } from '../helpers/staff-console';

/**
 * What every answer of the console carries (the security headers, a CSP nonce per response) and
 * its static assets, served without sign-in from the assets folder and nothing outside it.
 */
let harness: ConsoleHarness;
let officer: CookieClient;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir('staff-assets-');
  const { dir } = temp;
  const assets = path.join(dir, 'assets');
  await mkdir(path.join(assets, 'fonts'), { recursive: true });
  await writeFile(path.join(assets, 'console.css'), 'body { color: #0b0c0c; }\n');
  await writeFile(
    path.join(assets, 'fonts', 'council.woff2'),
    Buffer.from([0x77, 0x4f, 0x46, 0x32, 0x00, 0xff]),
  );
  await writeFile(path.join(assets, '.env'), 'hidden');
  await writeFile(path.join(dir, 'handler.ts'), 'the secret next door');
  harness = await startConsoleHarness({ assetsDir: assets });
  officer = new CookieClient(harness.origin);
  await signIn(officer, 'officer@council.example', STAFF_PASSWORD);
});
afterAll(async () => {
  await harness?.close();
  await temp?.remove();
});

/** A request with its path exactly as written (fetch would tidy `..` away before sending). */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(harness.origin);
    http
      .get({ host: url.hostname, port: url.port, path: rawPath }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

describe('assets', () => {
  it('serves the files of the assets folder without sign-in, typed and cacheable', async () => {
    const css = await fetch(`${harness.origin}/staff/assets/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await css.text()).toBe('body { color: #0b0c0c; }\n');

    const font = await fetch(`${harness.origin}/staff/assets/fonts/council.woff2`);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect([...new Uint8Array(await font.arrayBuffer())]).toEqual([0x77, 0x4f, 0x46, 0x32, 0x00, 0xff]);

    const again = await fetch(`${harness.origin}/staff/assets/console.css`, {
      headers: { 'if-none-match': css.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('serves nothing outside the folder, nor hidden or unknown files', async () => {
    for (const rawPath of [
      '/staff/assets/../handler.ts',
      '/staff/assets/%2e%2e/handler.ts',
      '/staff/assets/%2e%2e%2fhandler.ts',
      '/staff/assets/fonts/../../handler.ts',
      '/staff/assets/.env',
      '/staff/assets/missing.css',
    ]) {
      const answer = await rawGet(rawPath);
      expect(answer.status, rawPath).not.toBe(200);
      expect(answer.body).not.toContain('the secret next door');
      expect(answer.body).not.toContain('hidden');
    }
  });
});

describe('headers', () => {
  it('sends the security headers and a fresh CSP nonce that only the page frame’s script carries', async () => {
    const first = await officer.request('/staff/');
    const second = await officer.request('/staff/');
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = policy.match(/'nonce-([^']+)'/)?.[1];

    expect(nonce).toBeTruthy();
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first.body).toContain(`<script nonce="${nonce}">`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self'");
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    expect(first.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('sends them on refusals and on the provider’s sign-in page too', async () => {
    const visitor = new CookieClient(harness.origin);
    const signInPage = await visitor.navigate('/staff/');
    const refusal = await officer.request('/staff/things/t-1');
    for (const answer of [signInPage, refusal]) {
      expect(answer.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+'/);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    expect(signInPage.body).toMatch(/<input[^>]+name="email"/);
    expect(signInPage.body).toMatch(
      /<input[^>]+name="password"[^>]+type="password"|type="password"[^>]+name="password"/,
    );
    // One submit button: the password input's "Show" button is type="button".
    const buttons = signInPage.body.match(/<button[^>]*>/g) ?? [];
    expect(buttons.filter((button) => !button.includes('type="button"'))).toHaveLength(1);
    expect(signInPage.body).not.toMatch(/<input[^>]+type="submit"/);
  });
});
