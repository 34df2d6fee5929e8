import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfTokenMatches, originAllowed } from '../../lambdas/staff-console/auth/csrf';
import { safeReturnPath } from '../../lambdas/staff-console/auth/return-path';
import { openValue, sealValue } from '../../lambdas/staff-console/auth/sealed-value';
import { readSession, sessionCookie, startSession } from '../../lambdas/staff-console/auth/session';
import { readStaffConsoleSettings } from '../../lambdas/staff-console/settings';
import { ConfigError } from '../../lambdas/wiring/config';

const key = randomBytes(32);
const policy = { sessionKey: key, idleMinutes: 30, lifetimeHours: 8, cookieSecure: true };
const user = {
  subject: 'sub-1',
  name: 'Daniel Okafor',
  email: 'manager@council.example',
  roles: ['service-manager' as const],
};
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, 0) + minutes * 60_000);
const cookieValue = (setCookie: string) => setCookie.split(';')[0]?.split('=').slice(1).join('=') ?? '';

describe('return path after signing in (no open redirect)', () => {
  it.each([
    ['/staff/customers?q=smith', '/staff/customers?q=smith'],
    ['/staff/customers/cus_1', '/staff/customers/cus_1'],
    ['/staff', '/staff'],
    ['https://evil.example/staff/', '/staff/'],
    ['//evil.example/staff/', '/staff/'],
    ['/staff\\..\\evil', '/staff/'],
    ['/\\evil.example', '/staff/'],
    ['/staff/../admin/register', '/staff/'],
    ['/staffing', '/staff/'],
    ['/staff/sign-in?return=/staff/x', '/staff/'],
    ['/staff/auth/callback?code=x', '/staff/'],
    ['/staff/\u0000x', '/staff/'],
    [undefined, '/staff/'],
  ])('%s → %s', (candidate, expected) => {
    expect(safeReturnPath(candidate)).toBe(expected);
  });
});

describe('sealed values', () => {
  it('opens what it sealed, and nothing altered or sealed for another purpose', () => {
    const sealed = sealValue(key, 'staff_session', { a: 1 });
    expect(openValue(key, 'staff_session', sealed)).toEqual({ a: 1 });
    expect(openValue(key, 'staff_sign_in', sealed)).toBeUndefined();
    expect(openValue(randomBytes(32), 'staff_session', sealed)).toBeUndefined();
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 1;
    expect(openValue(key, 'staff_session', flipped.toString('base64url'))).toBeUndefined();
    expect(openValue(key, 'staff_session', 'not-sealed')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('slide with use, end after the idle timeout and at the end of their lifetime', () => {
    const session = startSession(user, at(0));
    const cookie = sessionCookie(session, policy, at(0));
    expect(cookie).toMatch(
      /^staff_session=[\w-]+; Path=\/staff; Max-Age=1800; HttpOnly; SameSite=Lax; Secure$/,
    );

    expect(readSession(cookieValue(cookie), policy, at(29))).toEqual({
      session: expect.objectContaining({ user }),
    });
    expect(readSession(cookieValue(cookie), policy, at(31))).toEqual({ none: 'idle' });
    const slid = sessionCookie(session, policy, at(29));
    expect(readSession(cookieValue(slid), policy, at(58))).toHaveProperty('session');
    const late = sessionCookie(session, policy, at(8 * 60 - 5));
    expect(late).toContain('Max-Age=300'); // never beyond the lifetime
    expect(readSession(cookieValue(late), policy, at(8 * 60 + 1))).toEqual({ none: 'expired' });
    expect(readSession('tampered', policy, at(1))).toEqual({ none: 'invalid' });
    expect(readSession(undefined, policy, at(1))).toEqual({ none: 'absent' });
  });

  it('carry a CSRF token of their own, compared exactly', () => {
    const one = startSession(user, at(0));
    const two = startSession(user, at(0));
    expect(one.csrfToken).not.toBe(two.csrfToken);
    expect(csrfTokenMatches(one.csrfToken, one.csrfToken)).toBe(true);
    expect(csrfTokenMatches(one.csrfToken, two.csrfToken)).toBe(false);
    expect(csrfTokenMatches(one.csrfToken, [one.csrfToken])).toBe(false);
    expect(csrfTokenMatches(one.csrfToken, undefined)).toBe(false);
    expect(originAllowed(undefined, 'https://staff.council.example')).toBe(true);
    expect(originAllowed('https://staff.council.example', 'https://staff.council.example')).toBe(true);
    expect(originAllowed('null', 'https://staff.council.example')).toBe(false);
  });
});

describe('settings', () => {
  const valid = {
    STAFF_OIDC_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_abc',
    STAFF_OIDC_CLIENT_ID: 'client',
    STAFF_CONSOLE_URL: 'https://staff.council.example',
    STAFF_SESSION_KEY: randomBytes(32).toString('base64'),
  };

  it('has defaults for the session and secure cookies over https', () => {
    expect(readStaffConsoleSettings(valid)).toMatchObject({
      consoleUrl: 'https://staff.council.example',
      idleMinutes: 30,
      lifetimeHours: 8,
      cookieSecure: true,
    });
  });

  it.each([
    [{ STAFF_SESSION_KEY: randomBytes(16).toString('base64') }, 'STAFF_SESSION_KEY'],
    [{ STAFF_SESSION_KEY: undefined }, 'STAFF_SESSION_KEY'],
    [{ STAFF_OIDC_ISSUER: 'http://idp.council.example' }, 'STAFF_OIDC_ISSUER'],
    [{ STAFF_CONSOLE_URL: 'https://staff.council.example/console' }, 'STAFF_CONSOLE_URL'],
    [{ STAFF_OIDC_CLIENT_ID: '' }, 'STAFF_OIDC_CLIENT_ID'],
    [{ STAFF_SESSION_IDLE_MINUTES: '0' }, 'STAFF_SESSION_IDLE_MINUTES'],
  ])('names the bad setting %#', (change, name) => {
    const read = () => readStaffConsoleSettings({ ...valid, ...change });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(name);
  });

  it('allows plain http for this machine only', () => {
    const local = readStaffConsoleSettings({
      ...valid,
      STAFF_OIDC_ISSUER: 'http://127.0.0.1:3000/oidc',
      STAFF_CONSOLE_URL: 'http://127.0.0.1:3000',
    });
    expect(local.cookieSecure).toBe(false);
  });
});
