import { z } from 'zod';
import { clearCookie, setCookie } from './cookies';
import { openValue, sealValue } from './sealed-value';
import type { SessionPolicy } from './session';

/**
 * What the console remembers between sending someone to the provider and their coming back:
 * the PKCE verifier, state and nonce that tie the answer to this browser, and where they were
 * going. Encrypted like the session, sent only to the callback, good for ten minutes. One cookie
 * per sign-in, named after its state, so that a second sign-in started meanwhile (another tab,
 * a request the browser made by itself) does not spoil the first.
 */
const purpose = 'staff_sign_in';
const cookiePath = '/staff/auth';
const lifetimeMs = 10 * 60_000;
const statePattern = /^[\w-]{32,}$/;

const pendingSchema = z.object({
  state: z.string().regex(statePattern),
  nonce: z.string().min(16),
  codeVerifier: z.string().min(43),
  returnTo: z.string(),
  startedAt: z.number(),
});
export type PendingSignIn = z.infer<typeof pendingSchema>;

/** `staff_sign_in_<first 16 characters of the state>`: the state is random, base64url. */
export const pendingSignInCookieName = (state: string) => `${purpose}_${state.slice(0, 16)}`;

export function pendingSignInCookie(pending: PendingSignIn, policy: SessionPolicy): string {
  return setCookie(pendingSignInCookieName(pending.state), sealValue(policy.sessionKey, purpose, pending), {
    path: cookiePath,
    maxAgeSeconds: lifetimeMs / 1000,
    secure: policy.cookieSecure,
  });
}

/** The sign-in this browser started with `state`, if it is still fresh. */
export function readPendingSignIn(
  cookies: Map<string, string>,
  state: string | undefined,
  policy: SessionPolicy,
  now: Date,
): PendingSignIn | undefined {
  if (!state || !statePattern.test(state)) return undefined;
  const cookie = cookies.get(pendingSignInCookieName(state));
  if (!cookie) return undefined;
  const parsed = pendingSchema.safeParse(openValue(policy.sessionKey, purpose, cookie));
  if (!parsed.success || parsed.data.state !== state) return undefined;
  return now.getTime() - parsed.data.startedAt > lifetimeMs ? undefined : parsed.data;
}

export const clearPendingSignInCookie = (state: string, policy: SessionPolicy): string =>
  clearCookie(pendingSignInCookieName(state), { path: cookiePath, secure: policy.cookieSecure });
