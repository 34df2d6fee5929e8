import { z } from 'zod';
import { staffRoles } from '../../core/staff-roles';
import type { AuthSettings } from '../settings';
import type { StaffUser } from '../types';
import { clearCookie, setCookie } from './cookies';
import { newCsrfToken } from './csrf';
import { openValue, sealValue } from './sealed-value';

/**
 * The signed-in person's session, kept in one encrypted cookie (no session store to run). It ends
 * after a spell without requests (idle) and, however busy, a fixed time after signing in
 * (lifetime); both are checked here on every request, not left to the browser.
 */
export const sessionCookieName = 'staff_session';
const cookiePath = '/staff';

const sessionSchema = z.object({
  v: z.literal(1),
  user: z.object({
    subject: z.string().min(1),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.enum(staffRoles)),
  }),
  csrfToken: z.string().min(32),
  signedInAt: z.number(),
  lastSeenAt: z.number(),
});
export type StaffSession = z.infer<typeof sessionSchema>;

export type SessionPolicy = Pick<
  AuthSettings,
  'sessionKey' | 'idleMinutes' | 'lifetimeHours' | 'cookieSecure'
>;

/** Why there is no session: none was sent, it was altered or unreadable, or it ran out. */
export type NoSession = 'absent' | 'invalid' | 'idle' | 'expired';

export function startSession(user: StaffUser, now: Date): StaffSession {
  return { v: 1, user, csrfToken: newCsrfToken(), signedInAt: now.getTime(), lastSeenAt: now.getTime() };
}

export function readSession(
  cookie: string | undefined,
  policy: SessionPolicy,
  now: Date,
): { session: StaffSession } | { none: NoSession } {
  if (!cookie) return { none: 'absent' };
  const parsed = sessionSchema.safeParse(openValue(policy.sessionKey, sessionCookieName, cookie));
  if (!parsed.success) return { none: 'invalid' };
  const session = parsed.data;
  const at = now.getTime();
  if (at - session.signedInAt > policy.lifetimeHours * 3_600_000) return { none: 'expired' };
  if (at - session.lastSeenAt > policy.idleMinutes * 60_000) return { none: 'idle' };
  return { session };
}

/** The cookie that carries the session on, seen now: each request slides the idle timeout. */
export function sessionCookie(session: StaffSession, policy: SessionPolicy, now: Date): string {
  const seen: StaffSession = { ...session, lastSeenAt: now.getTime() };
  const lifetimeLeft = (session.signedInAt + policy.lifetimeHours * 3_600_000 - now.getTime()) / 1000;
  return setCookie(sessionCookieName, sealValue(policy.sessionKey, sessionCookieName, seen), {
    path: cookiePath,
    maxAgeSeconds: Math.min(policy.idleMinutes * 60, lifetimeLeft),
    secure: policy.cookieSecure,
  });
}

export const clearSessionCookie = (policy: SessionPolicy): string =>
  clearCookie(sessionCookieName, { path: cookiePath, secure: policy.cookieSecure });
