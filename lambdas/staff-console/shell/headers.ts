import { randomBytes } from 'node:crypto';
import httpSecurityHeaders from '@middy/http-security-headers';

/** A fresh nonce for each response: the GOV.UK template's one inline script carries it. */
export const newCspNonce = (): string => randomBytes(16).toString('base64');

/**
 * The console's pages load only their own style sheet, script, fonts and images; run no inline
 * script but the one with this response's nonce; cannot be framed; and post forms only to the
 * console — or on to the OpenID provider, where a sign-in or sign-out redirect leads.
 */
export function pagePolicy(nonce: string, formActionOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    `form-action ${["'self'", ...formActionOrigins].join(' ')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Documents the console hands out (a letter's HTML view): to read, with nothing in them that runs or loads. */
export const documentPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The same security headers the contact form sends (@middy/http-security-headers), except: the
 * CSP is set per response (its nonce), and the referrer policy is same-origin — under no-referrer
 * browsers send `Origin: null` with form posts, and the console checks the Origin.
 */
export const securityHeaders = () =>
  httpSecurityHeaders({
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });

/** What the local OpenID provider's pages send, as the console's pages do (it has no middy). */
export function providerPageHeaders(nonce: string, formActionOrigins: readonly string[]) {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': pagePolicy(nonce, formActionOrigins),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  };
}
