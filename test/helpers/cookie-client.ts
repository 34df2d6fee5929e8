/**
 * A browser without a screen: fetch with a cookie jar (path-scoped, Max-Age=0 deletes) and
 * redirects followed by hand, so that tests see every hop of a sign-in.
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  attributes: string;
}

export interface Hop {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

const pathMatches = (cookiePath: string, requestPath: string) =>
  requestPath === cookiePath ||
  (requestPath.startsWith(cookiePath) &&
    (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

export class CookieClient {
  readonly cookies: StoredCookie[] = [];

  constructor(readonly origin: string) {}

  cookie(name: string): StoredCookie | undefined {
    return this.cookies.find((cookie) => cookie.name === name);
  }

  setCookieValue(name: string, value: string) {
    const cookie = this.cookie(name);
    if (!cookie) throw new Error(`no cookie ${name}`);
    cookie.value = value;
  }

  private store(setCookies: string[], requestUrl: URL) {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const path =
        attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ??
        (requestUrl.pathname.replace(/\/[^/]*$/, '') || '/');
      const index = this.cookies.findIndex((cookie) => cookie.name === name && cookie.path === path);
      if (index !== -1) this.cookies.splice(index, 1);
      const expires = attributes.find((a) => a.toLowerCase().startsWith('expires='))?.slice(8);
      const gone = /max-age=0\b/i.test(line) || (expires !== undefined && Date.parse(expires) < Date.now());
      if (!gone) this.cookies.push({ name, value, path, attributes: attributes.join('; ') });
    }
  }

  /** One request, no redirect followed. */
  async request(
    target: string,
    init: {
      method?: string;
      form?: Record<string, string | string[]>;
      headers?: Record<string, string>;
      body?: string;
    } = {},
  ): Promise<Hop> {
    const url = new URL(target, this.origin);
    const cookieHeader = this.cookies
      .filter((cookie) => pathMatches(cookie.path, url.pathname))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
    const headers: Record<string, string> = {
      ...(cookieHeader ? { cookie: cookieHeader } : {}),
      ...init.headers,
    };
    let body = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form))
        for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
      body = params.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const response = await fetch(url, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
    });
    this.store(response.headers.getSetCookie(), url);
    return { status: response.status, url: url.href, headers: response.headers, body: await response.text() };
  }

  /** A request and then every redirect after it, as a browser would; the last answer. */
  async navigate(
    target: string,
    init: Parameters<CookieClient['request']>[1] = {},
  ): Promise<Hop & { hops: Hop[] }> {
    const hops: Hop[] = [];
    let hop = await this.request(target, init);
    hops.push(hop);
    while ([301, 302, 303, 307].includes(hop.status) && hops.length < 12) {
      hop = await this.request(new URL(hop.headers.get('location') ?? '/', hop.url).href);
      hops.push(hop);
    }
    return { ...hop, hops };
  }
}

/** The action of the page's (first) post form. */
export function formAction(html: string): string {
  const action = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"/)?.[1];
  if (!action) throw new Error('no post form on the page');
  return action.replaceAll('&amp;', '&');
}

/** The hidden CSRF token the page's forms carry. */
export function csrfTokenOf(html: string): string {
  const token = html.match(/name="csrfToken" value="([^"]+)"/)?.[1];
  if (!token) throw new Error('no csrfToken on the page');
  return token;
}

/**
 * Signs in through the real flow: the page asked for → the console's sign-in → the provider's
 * sign-in page → email and password posted → the callback → the page. Answers the last hop.
 */
export async function signIn(client: CookieClient, email: string, password: string, start = '/staff/') {
  const signInPage = await client.navigate(start);
  if (!signInPage.url.includes('/oidc/interaction/'))
    throw new Error(`not at the sign-in page: ${signInPage.url}`);
  return client.navigate(new URL(formAction(signInPage.body), signInPage.url).href, {
    form: { email, password },
  });
}
