import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CookieClient, csrfTokenOf, signIn } from '../helpers/cookie-client';
import { type ConsoleHarness, STAFF_PASSWORD, startConsoleHarness } from '../helpers/staff-console';

/**
 * The policy's roles and the forms' protections, enforced by the console's shell on every page
 * and action before the page runs (a refused request changes nothing): each role signed in once
 * through the real flow, then the test pages of test/helpers/staff-console.ts.
 */
let harness: ConsoleHarness;
const staff: Record<'officer' | 'manager' | 'senior', { browser: CookieClient; csrfToken: string }> =
  {} as never;

beforeAll(async () => {
  harness = await startConsoleHarness();
  for (const who of ['officer', 'manager', 'senior'] as const) {
    const browser = new CookieClient(harness.origin);
    const home = await signIn(browser, `${who}@council.example`, STAFF_PASSWORD);
    staff[who] = { browser, csrfToken: csrfTokenOf(home.body) };
  }
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.deps.calls.length = 0;
});

const get = (who: keyof typeof staff, path: string) => staff[who].browser.request(path);
const post = (who: keyof typeof staff, path: string, form: Record<string, string | string[]>, headers = {}) =>
  staff[who].browser.request(path, { form, headers });
const withToken = (who: keyof typeof staff, form: Record<string, string | string[]> = {}) => ({
  csrfToken: staff[who].csrfToken,
  ...form,
});

describe('roles (8.1, 8.2)', () => {
  it('lets an officer see but refuses what a service manager or senior manager decides, naming the role', async () => {
    expect((await get('officer', '/staff/')).status).toBe(200);

    const manage = await get('officer', '/staff/things/t-1');
    expect(manage.status).toBe(403);
    expect(manage.body).toContain('You need to be a Service manager to do this (policy 8.1)');
    expect(manage.body).toContain('You are signed in as a Customer services officer');

    const refuse = await post('officer', '/staff/refusals', withToken('officer'));
    expect(refuse.status).toBe(403);
    expect(refuse.body).toContain('You need to be a Senior manager to do this (policy 8.2)');
    expect(harness.deps.calls).toEqual([]);
  });

  it('lets a service manager manage restrictions but not refuse all contact', async () => {
    expect((await get('manager', '/staff/things/t-1')).status).toBe(200);
    expect((await post('manager', '/staff/things/t-1', withToken('manager'))).status).toBe(303);

    const refuse = await get('manager', '/staff/refusals');
    expect(refuse.status).toBe(403);
    expect(refuse.body).toContain('Senior manager');
    expect(harness.deps.calls).toHaveLength(1);
  });

  it('lets a senior manager do everything, and records who did it as the audit actor (12.1)', async () => {
    expect((await get('senior', '/staff/things/t-1')).status).toBe(200);
    const done = await post('senior', '/staff/refusals', withToken('senior', { reason: 'threats to staff' }));

    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/staff/refusals?done=contact%20refused');
    const [request] = harness.deps.calls;
    expect(request?.actor).toBe('Margaret Ellis (local-senior-manager)');
    expect(request?.user).toEqual({
      subject: 'local-senior-manager',
      name: 'Margaret Ellis',
      email: 'senior@council.example',
      roles: ['senior-manager'],
    });
  });
});

describe('forms', () => {
  it('refuses a post without the CSRF token, or with another one, and the page never runs', async () => {
    for (const form of [{}, { csrfToken: staff.officer.csrfToken }, { csrfToken: '' }] as Record<
      string,
      string
    >[]) {
      const refused = await post('manager', '/staff/things/t-1', form);
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('The form could not be sent');
    }
    expect(harness.deps.calls).toEqual([]);
  });

  it("refuses a post from another site's page, even with the token", async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const refused = await post('manager', '/staff/things/t-1', withToken('manager'), { origin });
      expect(refused.status).toBe(403);
    }
    const own = await post('manager', '/staff/things/t-1', withToken('manager'), { origin: harness.origin });
    expect(own.status).toBe(303);
    expect(harness.deps.calls).toHaveLength(1);
  });

  it('hands the page the fields, repeated names as arrays and without the token', async () => {
    await post(
      'manager',
      '/staff/things/t-9',
      withToken('manager', { measures: ['witness', 'named officer'], note: 'a' }),
    );
    const [request] = harness.deps.calls;
    expect(request?.form).toEqual({ measures: ['witness', 'named officer'], note: 'a' });
    expect(request?.params).toEqual({ id: 't-9' });
  });

  it('refuses a form over 64 KB, and a body that is not a form', async () => {
    const large = await post(
      'manager',
      '/staff/things/t-1',
      withToken('manager', { note: 'x'.repeat(70 * 1024) }),
    );
    expect(large.status).toBe(413);
    const json = await staff.manager.browser.request('/staff/things/t-1', {
      method: 'POST',
      body: JSON.stringify(withToken('manager')),
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect(harness.deps.calls).toEqual([]);
  });
});

describe('answers', () => {
  it('answers an unknown page 404 and a wrong method 405 with Allow', async () => {
    expect((await get('senior', '/staff/nowhere')).status).toBe(404);
    const wrong = await post('senior', '/staff/', withToken('senior'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it("maps the core's errors to pages, and never shows an unexpected error's message", async () => {
    const missing = await get('officer', '/staff/missing');
    expect(missing.status).toBe(404);
    const clash = await get('officer', '/staff/clash');
    expect(clash.status).toBe(409);
    expect(clash.body).toContain('The restriction has already been lifted');
    const broken = await get('officer', '/staff/broken');
    expect(broken.status).toBe(500);
    expect(broken.body).toContain('Sorry, there is a problem with the service');
    expect(broken.body).toMatch(/give them this reference: [\w=+/-]+/);
    expect(broken.body).not.toContain('Alex Example');
  });

  it('sends a file as its bytes, named safely', async () => {
    const response = await fetch(`${harness.origin}/staff/letter.pdf`, {
      headers: { cookie: `staff_session=${staff.officer.browser.cookie('staff_session')?.value}` },
    });
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="letter__1_.pdf"');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([
      0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a,
    ]);
  });

  it('sends a signed-out visitor to sign in, coming back to the page (or for a post, to its page)', async () => {
    const visitor = new CookieClient(harness.origin);
    const page = await visitor.request('/staff/things/t-1?tab=letters');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `/staff/sign-in?return=${encodeURIComponent('/staff/things/t-1?tab=letters')}`,
    );
    const form = await visitor.request('/staff/refusals', { form: { csrfToken: 'x' } });
    expect(form.headers.get('location')).toBe(
      `/staff/sign-in?return=${encodeURIComponent('/staff/refusals')}`,
    );
    expect(harness.deps.calls).toEqual([]);
  });
});
