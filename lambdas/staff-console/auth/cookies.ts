/**
 * The console's cookies: HttpOnly (no script reads them), SameSite=Lax (not sent with another
 * site's form posts), Path-scoped, Secure in AWS.
 */
export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export const clearCookie = (name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): string =>
  setCookie(name, '', { ...options, maxAgeSeconds: 0 });

/** API Gateway (payload 2.0) hands cookies over as `name=value` strings; the first of a name wins. */
export function readCookies(cookies: readonly string[] | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at <= 0) continue;
    const name = cookie.slice(0, at).trim();
    if (!found.has(name)) found.set(name, cookie.slice(at + 1).trim());
  }
  return found;
}
