import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createEventBridgeClient } from '../adapters/eventbridge/client';
import { logger } from '../adapters/observability';
import { loadSessionKey } from '../adapters/secrets/session-key';
import { ConflictError, NotFoundError } from '../core/ports';
import { may } from '../core/staff-roles';
import { ValidationError } from '../core/validation';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { readCookies } from './auth/cookies';
import { csrfTokenMatches, originAllowed } from './auth/csrf';
import { createOidcClient, signedOutPath } from './auth/oidc-client';
import {
  clearSessionCookie,
  readSession,
  type StaffSession,
  sessionCookie,
  sessionCookieName,
} from './auth/session';
import { createSignInRoutes } from './auth/sign-in-routes';
import { staffConsoleDeps } from './deps';
import { type AuthSettings, readStaffConsoleSettings } from './settings';
import { assetsPrefix, serveAsset } from './shell/assets';
import { type ConsoleLog, type Exchange, errorName, isPageLoad } from './shell/exchange';
import { type FormFields, maxFormBytes, readForm, readQuery } from './shell/forms';
import { newCspNonce, pagePolicy, securityHeaders } from './shell/headers';
import { type HttpResult, seeOther, toHttpResult } from './shell/responses';
import { compilePages, matchPage } from './shell/routing';
import {
  conflictPage,
  failurePage,
  formRefusedPage,
  formTooLargePage,
  invalidPage,
  notAFormPage,
  notFoundPage,
  roleNeededPage,
  signedOutPage,
  signInNeededPage,
  wrongMethodPage,
} from './shell/shell-pages';
import type { ConsolePage, ConsoleRequest, ConsoleResponse } from './types';

export interface StaffConsoleDeps<D> {
  auth: AuthSettings;
  pages: ConsolePage<D>[];
  /** Handed to every page's `handle`: the core's ports, a clock, settings. */
  pageDeps: D;
  councilName: string;
  /** The built style sheet, script, fonts and images, served at /staff/assets/. */
  assetsDir?: string;
  now?: () => Date;
  log?: ConsoleLog;
}

type ConsoleEvent = APIGatewayProxyEventV2;

/**
 * The staff console (API Gateway HTTP API, payload 2.0): sign-in through the OpenID provider, a
 * session in an encrypted cookie, then for every page the checks the policy's roles need — the
 * route, the form's CSRF token and origin, the permission — before the page runs. A refused
 * request changes nothing. The pages themselves call the core's use cases.
 */
export function createStaffConsoleHandler<D>(deps: StaffConsoleDeps<D>) {
  const { auth: settings, councilName } = deps;
  const log = deps.log ?? logger;
  const now = deps.now ?? (() => new Date());
  const oidc = createOidcClient(settings);
  const signIn = createSignInRoutes({ settings, oidc, log });
  const pages = compilePages(deps.pages);

  /** Where to come back to after signing in: the page asked for; for a form post, its page, if it has one. */
  function returnFor(x: Exchange): string {
    if (x.method === 'GET') return x.event.rawQueryString ? `${x.path}?${x.event.rawQueryString}` : x.path;
    return matchPage(pages, 'GET', x.path).kind === 'page' ? x.path : '/staff/';
  }

  /** A post's origin, body and CSRF token; the fields without the token, or the refusal to answer with. */
  function checkPost(x: Exchange, session: StaffSession): { form: FormFields } | { refusal: HttpResult } {
    const refuse = (reason: string, response: ConsoleResponse) => {
      log.warn('form refused', { reason, requestId: x.requestId });
      return { refusal: toHttpResult(response) };
    };
    const headers = x.event.headers ?? {};
    if (!originAllowed(headers.origin, settings.consoleUrl) || headers['sec-fetch-site'] === 'cross-site')
      return refuse('origin', formRefusedPage(x.frame));
    const reading = readForm(x.event);
    if ('refused' in reading) {
      return reading.refused === 'too-large'
        ? refuse('too-large', formTooLargePage(x.frame, maxFormBytes / 1024))
        : refuse('not-a-form', notAFormPage(x.frame));
    }
    const { csrfToken, ...form } = reading.fields;
    if (!csrfTokenMatches(session.csrfToken, csrfToken)) return refuse('csrf', formRefusedPage(x.frame));
    return { form };
  }

  async function signedIn(x: Exchange, session: StaffSession): Promise<HttpResult> {
    if (x.path === '/staff/sign-out') {
      if (x.method !== 'POST') return toHttpResult(wrongMethodPage(x.frame));
      const checked = checkPost(x, session);
      return 'refusal' in checked ? checked.refusal : signIn.signOut(x, session.user.subject);
    }
    const match = matchPage(pages, x.method, x.path);
    if (match.kind === 'none') return toHttpResult(notFoundPage(x.frame));
    if (match.kind === 'wrong-method') {
      const result = toHttpResult(wrongMethodPage(x.frame));
      return { ...result, headers: { ...result.headers, allow: match.allow.join(', ') } };
    }
    let form: FormFields = {};
    if (x.method === 'POST') {
      const checked = checkPost(x, session);
      if ('refusal' in checked) return checked.refusal;
      form = checked.form;
    }
    const { page: consolePage, params } = match;
    if (!may(session.user.roles, consolePage.permission)) {
      log.warn('role refused', { permission: consolePage.permission, subject: session.user.subject });
      return toHttpResult(roleNeededPage(x.frame, consolePage.permission));
    }
    const request: ConsoleRequest = {
      method: x.method as ConsoleRequest['method'],
      path: x.path,
      params,
      query: readQuery(x.event.rawQueryString),
      form,
      user: session.user,
      csrfToken: session.csrfToken,
      // 12.1: the audit trail records who decided.
      actor: `${session.user.name} (${session.user.subject})`,
      cspNonce: x.frame.cspNonce,
      councilName,
    };
    try {
      return toHttpResult(await consolePage.handle(request, deps.pageDeps));
    } catch (error) {
      log.info('page failed', {
        route: consolePage.pattern,
        error: errorName(error),
        requestId: x.requestId,
      });
      return failureResult(x, error);
    }
  }

  function failureFor(x: Exchange, error: unknown): ConsoleResponse {
    if (error instanceof NotFoundError) return notFoundPage(x.frame);
    if (error instanceof ConflictError) return conflictPage(x.frame, error.message);
    if (error instanceof ValidationError) return invalidPage(x.frame, error.problems);
    // The name only: a message may quote what someone typed (P7).
    log.error('console request failed', { error: errorName(error), requestId: x.requestId });
    return failurePage(x.frame, x.requestId);
  }

  /** The failure page; plain text if even that cannot be rendered. */
  function failureResult(x: Exchange, error: unknown): HttpResult {
    try {
      return toHttpResult(failureFor(x, error));
    } catch (renderError) {
      log.error('console failure page failed', { error: errorName(renderError), requestId: x.requestId });
      return {
        statusCode: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `Sorry, there is a problem with the service. Try again later; reference ${x.requestId}.`,
      };
    }
  }

  async function route(x: Exchange): Promise<HttpResult> {
    if (x.method === 'GET' && x.path.startsWith(assetsPrefix)) {
      const asset = await serveAsset(deps.assetsDir, x.path, x.event.headers?.['if-none-match']);
      return asset ?? toHttpResult(notFoundPage(x.frame));
    }
    if (x.path === '/staff') return seeOther('/staff/');
    if (x.method === 'GET' && x.path === '/staff/sign-in') return signIn.beginSignIn(x);
    if (x.method === 'GET' && x.path === '/staff/auth/callback') return signIn.completeSignIn(x);
    if (x.method === 'GET' && x.path === signedOutPath) return toHttpResult(signedOutPage(x.frame));

    const found = readSession(x.cookies.get(sessionCookieName), settings, x.now);
    if (!('session' in found)) {
      if (found.none !== 'absent') {
        log.info('session ended', { reason: found.none });
        x.setCookies.push(clearSessionCookie(settings));
      }
      if (x.path === '/staff/sign-out') return seeOther(signedOutPath);
      if (!isPageLoad(x)) return toHttpResult(signInNeededPage(x.frame));
      return seeOther(`/staff/sign-in?return=${encodeURIComponent(returnFor(x))}`);
    }
    const { session } = found;
    x.frame = { ...x.frame, user: session.user, csrfToken: session.csrfToken };
    x.setCookies.push(sessionCookie(session, settings, x.now));
    return signedIn(x, session);
  }

  async function serve(event: ConsoleEvent): Promise<HttpResult> {
    const cspNonce = newCspNonce();
    const x: Exchange = {
      event,
      method: event.requestContext.http.method.toUpperCase(),
      path: event.rawPath,
      now: now(),
      requestId: event.requestContext.requestId,
      cookies: readCookies(event.cookies),
      setCookies: [],
      frame: { path: event.rawPath, cspNonce, councilName, csrfToken: '' },
    };
    let result: HttpResult;
    try {
      result = await route(x);
    } catch (error) {
      result = failureResult(x, error);
    }
    const headers: Record<string, string | number | boolean> = {
      'cache-control': 'no-store',
      ...result.headers,
    };
    if (String(headers['content-type'] ?? '').startsWith('text/html') && !headers['content-security-policy'])
      headers['content-security-policy'] = pagePolicy(cspNonce, oidc.formActionOrigins());
    return { ...result, headers, cookies: [...(result.cookies ?? []), ...x.setCookies] };
  }

  return middy<ConsoleEvent, HttpResult>().use(httpHeaderNormalizer()).use(securityHeaders()).handler(serve);
}

/**
 * The deployed function: wired from the environment on first use, its clients kept for the process. In
 * AWS the session key comes from Secrets Manager (STAFF_SESSION_KEY_SECRET_ARN), read once per cold start,
 * so it never sits in the function's plain environment.
 */
export const handler = handlerFromEnvironment(async (config, env) => {
  const secretArn = env.STAFF_SESSION_KEY_SECRET_ARN;
  const sessionKey =
    env.STAFF_SESSION_KEY ??
    (secretArn ? await loadSessionKey(new SecretsManagerClient({}), secretArn) : undefined);
  const auth = readStaffConsoleSettings({ ...env, ...(sessionKey ? { STAFF_SESSION_KEY: sessionKey } : {}) });
  return createStaffConsoleHandler(
    staffConsoleDeps(
      config,
      { dynamodb: createDynamoDocumentClient(config), eventBridge: createEventBridgeClient(config) },
      auth,
      {
        ...(config.STAFF_ASSETS_DIR ? { assetsDir: config.STAFF_ASSETS_DIR } : {}),
      },
    ),
  );
});
