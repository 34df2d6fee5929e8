import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Cross-site request forgery: every form carries the session's token as `csrfToken`, compared in
 * constant time; and a browser's `Origin`, when it sends one, must be the console's own.
 */
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

export function csrfTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** No Origin (an older browser, or a script on the server) passes on the token alone; `null` never does. */
export function originAllowed(origin: string | undefined, consoleOrigin: string): boolean {
  return origin === undefined || origin === consoleOrigin;
}
