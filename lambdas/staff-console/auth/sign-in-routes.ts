import { highestRole, staffRoles } from '../../core/staff-roles';
import type { AuthSettings } from '../settings';
import { type ConsoleLog, type Exchange, errorName, isPageLoad } from '../shell/exchange';
import { readQuery } from '../shell/forms';
import type { HttpResult } from '../shell/responses';
import { seeOther, toHttpResult } from '../shell/responses';
import {
  noRolePage,
  signInIncompletePage,
  signInNeededPage,
  signInUnavailablePage,
} from '../shell/shell-pages';
import { callbackPath, type StaffOidcClient } from './oidc-client';
import { safeReturnPath } from './return-path';
import { clearSessionCookie, readSession, sessionCookie, sessionCookieName, startSession } from './session';
import { clearPendingSignInCookie, pendingSignInCookie, readPendingSignIn } from './sign-in-state';

/** The provider could not be reached (fetch failed or timed out), as opposed to refusing the sign-in. */
const unreachable = (error: unknown) =>
  ['TypeError', 'AbortError', 'TimeoutError'].includes(errorName(error));

/**
 * Signing in and out through the OpenID provider. Sign-in: `/staff/sign-in?return=…` sends the
 * browser to the provider; `/staff/auth/callback` takes its answer, checks it and starts a new
 * session (a fresh one each time, so no session fixation). Sign-out ends the session here and
 * at the provider.
 */
export function createSignInRoutes(options: {
  settings: AuthSettings;
  oidc: StaffOidcClient;
  log: ConsoleLog;
}) {
  const { settings, oidc, log } = options;

  async function beginSignIn(x: Exchange): Promise<HttpResult> {
    const returnTo = safeReturnPath(readQuery(x.event.rawQueryString).return);
    const current = readSession(x.cookies.get(sessionCookieName), settings, x.now);
    if ('session' in current) return seeOther(returnTo);
    if (!isPageLoad(x)) return toHttpResult(signInNeededPage(x.frame));
    try {
      const { location, pending } = await oidc.beginSignIn(returnTo, x.now);
      x.setCookies.push(pendingSignInCookie(pending, settings));
      return seeOther(location);
    } catch (error) {
      log.error('sign-in unavailable', { error: errorName(error), requestId: x.requestId });
      return toHttpResult(signInUnavailablePage(x.frame));
    }
  }

  async function completeSignIn(x: Exchange): Promise<HttpResult> {
    const query = readQuery(x.event.rawQueryString);
    const pending = readPendingSignIn(x.cookies, query.state, settings, x.now);
    if (pending) x.setCookies.push(clearPendingSignInCookie(pending.state, settings));
    if (!pending || query.error) {
      log.warn('sign-in incomplete', { reason: query.error ? 'provider-error' : 'no-pending-sign-in' });
      return toHttpResult(signInIncompletePage(x.frame));
    }
    let identity: Awaited<ReturnType<StaffOidcClient['completeSignIn']>>;
    try {
      const callback = new URL(`${settings.consoleUrl}${callbackPath}?${x.event.rawQueryString ?? ''}`);
      identity = await oidc.completeSignIn(callback, pending);
    } catch (error) {
      if (unreachable(error)) {
        log.error('sign-in unavailable', { error: errorName(error), requestId: x.requestId });
        return toHttpResult(signInUnavailablePage(x.frame));
      }
      log.warn('sign-in refused', { error: errorName(error), requestId: x.requestId });
      return toHttpResult(signInIncompletePage(x.frame));
    }
    const roles = staffRoles.filter((role) => identity.groups.includes(role));
    if (roles.length === 0) {
      log.warn('sign-in without a console role', { subject: identity.subject });
      return toHttpResult(noRolePage(x.frame));
    }
    const session = startSession({ ...identity, roles }, x.now);
    x.setCookies.push(sessionCookie(session, settings, x.now));
    log.info('signed in', { subject: identity.subject, role: highestRole(roles) });
    return seeOther(pending.returnTo);
  }

  /** After the form's checks: the session ends here, then at the provider, which sends the browser back. */
  async function signOut(x: Exchange, subject: string): Promise<HttpResult> {
    x.setCookies.splice(0, x.setCookies.length, clearSessionCookie(settings));
    log.info('signed out', { subject });
    return seeOther(await oidc.signOutLocation());
  }

  return { beginSignIn, completeSignIn, signOut };
}
