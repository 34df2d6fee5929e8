import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient, csrfTokenOf, formAction, signIn } from '../helpers/cookie-client';
import { type ConsoleHarness, STAFF_PASSWORD, startConsoleHarness } from '../helpers/staff-console';

/**
 * Signing in to the staff console through the real OpenID Connect flow: the console's
 * openid-client against the local oidc-provider, both behind one server as the local gateway
 * mounts them. Only the console's pages are stand-ins (test/helpers/staff-console.ts).
 */
let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsoleHarness({
    clientSecret: 'a-client-secret-as-cognito-app-clients-may-have',
    extraAccounts: [
      { subject: 'local-visitor', email: 'visitor@council.example', name: 'Val Visitor', groups: ['other'] },
    ],
  });
});
afterAll(() => harness.close());

const client = () => new CookieClient(harness.origin);
const isSignInRedirect = (status: number, location: string | null) =>
  status === 303 && location?.startsWith('/staff/sign-in?return=');

describe('signing in', () => {
  it('goes from the page asked for, through the provider, back to that page with a session', async () => {
    const browser = client();
    const landed = await signIn(
      browser,
      'manager@council.example',
      STAFF_PASSWORD,
      '/staff/things/t-1?tab=letters',
    );

    expect(landed.status).toBe(200);
    expect(landed.url).toBe(`${harness.origin}/staff/things/t-1?tab=letters`);
    expect(landed.body).toContain('Signed in as Daniel Okafor (local-service-manager)');
    expect(landed.hops.map((hop) => new URL(hop.url).pathname)).toEqual([
      expect.stringMatching(/^\/oidc\/interaction\/[\w-]+\/login$/),
      expect.stringMatching(/^\/oidc\/auth\/[\w-]+$/),
      '/staff/auth/callback',
      '/staff/things/t-1',
    ]);
    const session = browser.cookie('staff_session');
    expect(session?.path).toBe('/staff');
    expect(session?.attributes).toMatch(/HttpOnly/);
    expect(session?.attributes).toMatch(/SameSite=Lax/);
    expect(session?.attributes).not.toMatch(/Secure/); // plain http on this machine only
    expect(browser.cookie('staff_sign_in')).toBeUndefined(); // the pending sign-in is spent
  });

  it('refuses a wrong password or an unknown email with the same message, and starts no session', async () => {
    for (const [email, password] of [
      ['officer@council.example', 'not-the-password'],
      ['nobody@council.example', STAFF_PASSWORD],
    ] as const) {
      const browser = client();
      const page = await browser.navigate('/staff/');
      const answer = await browser.navigate(new URL(formAction(page.body), page.url).href, {
        form: { email, password },
      });

      expect(answer.status).toBe(400);
      expect(answer.body).toContain('There is a problem');
      expect(answer.body).toContain('Enter the email address and password of your staff account');
      expect(answer.body).toContain(`value="${email}"`);
      expect(answer.body).not.toContain(password);
      expect(browser.cookie('staff_session')).toBeUndefined();
      const again = await browser.request('/staff/');
      expect(isSignInRedirect(again.status, again.headers.get('location'))).toBe(true);
    }
  });

  it('gives someone with none of the console roles a 403 page and no session', async () => {
    const browser = client();
    const answer = await signIn(browser, 'visitor@council.example', STAFF_PASSWORD);

    expect(answer.status).toBe(403);
    expect(answer.body).toContain('You do not have a console role');
    expect(browser.cookie('staff_session')).toBeUndefined();
  });

  it('returns only to pages of the console (no open redirect)', async () => {
    for (const target of ['https://evil.example/', '//evil.example/staff/', '/staff/../../evil']) {
      const browser = client();
      const start = `/staff/sign-in?return=${encodeURIComponent(target)}`;
      const landed = await signIn(browser, 'officer@council.example', STAFF_PASSWORD, start);
      expect(landed.url).toBe(`${harness.origin}/staff/`);
    }
  });

  it('completes a sign-in even when another was started meanwhile (a second tab)', async () => {
    const browser = client();
    const first = await browser.navigate('/staff/things/t-1');
    const second = await browser.navigate('/staff/refusals');
    expect(second.url).not.toBe(first.url);
    const landed = await browser.navigate(new URL(formAction(first.body), first.url).href, {
      form: { email: 'manager@council.example', password: STAFF_PASSWORD },
    });
    expect(landed.url).toBe(`${harness.origin}/staff/things/t-1`);
  });

  it("starts no sign-in for a script's request while signed out", async () => {
    const browser = client();
    for (const path of ['/staff/things/t-1', '/staff/sign-in']) {
      const answer = await browser.request(path, { headers: { 'sec-fetch-dest': 'empty' } });
      expect(answer.status).toBe(401);
    }
    expect(browser.cookies).toEqual([]);
  });

  it('refuses an answer that does not match the sign-in this browser started (state)', async () => {
    const browser = client();
    await browser.request('/staff/sign-in');
    const answer = await browser.request('/staff/auth/callback?code=forged&state=forged-state-value-000');

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('Sign-in did not complete');
    expect(browser.cookie('staff_session')).toBeUndefined();
  });
});

describe('the session', () => {
  it('is signed out when its cookie is tampered with', async () => {
    const browser = client();
    await signIn(browser, 'officer@council.example', STAFF_PASSWORD);
    const value = browser.cookie('staff_session')?.value ?? '';
    browser.setCookieValue(
      'staff_session',
      `${value.slice(0, 40)}${value[40] === 'A' ? 'B' : 'A'}${value.slice(41)}`,
    );

    const answer = await browser.request('/staff/');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/staff/sign-in?return=%2Fstaff%2F');
    expect(browser.cookie('staff_session')).toBeUndefined(); // cleared
  });

  it('slides with each request and ends after 30 idle minutes', async () => {
    const browser = client();
    await signIn(browser, 'officer@council.example', STAFF_PASSWORD);
    for (let i = 0; i < 3; i++) {
      harness.advanceClock(20 * 60_000);
      expect((await browser.request('/staff/')).status).toBe(200);
    }
    harness.advanceClock(31 * 60_000);
    const answer = await browser.request('/staff/');
    expect(isSignInRedirect(answer.status, answer.headers.get('location'))).toBe(true);
  });

  it('ends 8 hours after signing in, however busy', async () => {
    const browser = client();
    await signIn(browser, 'officer@council.example', STAFF_PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      harness.advanceClock(29 * 60_000); // 7 h 44 min after 16 of these
      statuses.push((await browser.request('/staff/')).status);
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
    harness.advanceClock(29 * 60_000);
    const answer = await browser.request('/staff/');
    expect(isSignInRedirect(answer.status, answer.headers.get('location'))).toBe(true);
  });
});

describe('signing out', () => {
  it('ends the session here and at the provider, so signing in again asks for the password', async () => {
    const browser = client();
    const home = await signIn(browser, 'senior@council.example', STAFF_PASSWORD);
    const out = await browser.navigate('/staff/sign-out', { form: { csrfToken: csrfTokenOf(home.body) } });

    // The provider asks before ending its own session; its form carries its own token.
    expect(new URL(out.url).pathname).toBe('/oidc/session/end');
    expect(out.body).toContain('Sign out');
    expect(browser.cookie('staff_session')).toBeUndefined();
    const confirm = await browser.navigate(new URL(formAction(out.body), out.url).href, {
      form: { xsrf: out.body.match(/name="xsrf" value="([^"]+)"/)?.[1] ?? '', logout: 'yes' },
    });
    expect(confirm.url).toBe(`${harness.origin}/staff/signed-out`);
    expect(confirm.body).toContain('You have signed out');

    const again = await browser.navigate('/staff/');
    expect(again.url).toMatch(/\/oidc\/interaction\/[\w-]+$/);
    expect(again.body).toContain('name="password"');
  });

  it('refuses a sign-out posted without the CSRF token and stays signed in', async () => {
    const browser = client();
    await signIn(browser, 'officer@council.example', STAFF_PASSWORD);
    const refused = await browser.request('/staff/sign-out', { form: {} });

    expect(refused.status).toBe(403);
    expect(refused.body).toContain('The form could not be sent');
    expect((await browser.request('/staff/')).status).toBe(200);
  });
});
