/**
 * Where to go after signing in: only a page of this console, given as a path. Anything else — an
 * absolute URL, `//evil.example`, a backslash trick — is replaced by the home page, so that a
 * link to the sign-in cannot send someone on to another site (no open redirect).
 */
export const homePath = '/staff/';
const base = 'http://console.invalid';
/** Pages that are part of signing in and out: returning to them would go round in circles. */
const notReturnable = ['/staff/sign-in', '/staff/sign-out', '/staff/signed-out', '/staff/auth/'];

export function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/staff')) return homePath;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(candidate) || candidate.startsWith('//')) return homePath;
  let url: URL;
  try {
    url = new URL(candidate, base);
  } catch {
    return homePath;
  }
  if (url.origin !== base) return homePath;
  if (url.pathname !== '/staff' && !url.pathname.startsWith('/staff/')) return homePath;
  if (notReturnable.some((path) => url.pathname.startsWith(path))) return homePath;
  return `${url.pathname}${url.search}`;
}
