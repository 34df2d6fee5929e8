import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { newCspNonce, providerPageHeaders } from '../lambdas/staff-console/shell/headers';
import { frameContext } from '../lambdas/staff-console/views/page';
import { renderTemplate } from '../lambdas/staff-console/views/render';
import { checkCredentials, type LocalStaffAccount } from './staff-accounts';

/**
 * The local provider's own pages, GOV.UK-styled from the console's templates: the sign-in page
 * (its interaction), the sign-out question and its error page. A sign-in form is bound to its
 * interaction: the uid in its address and the provider's signed interaction cookie, which is
 * SameSite=Lax and so never sent with another site's post (no login CSRF).
 */
export interface ProviderPages {
  councilName: string;
  /** The staff console's home, for "go back" links. */
  consoleHome: string;
  /** Where the provider's pages may post or be redirected on to (the console's callback). */
  formActionOrigins: string[];
}

const MAX_FORM_BYTES = 8 * 1024;
const failedSignIn = 'Enter the email address and password of your staff account';

function renderProviderPage(
  pages: ProviderPages,
  template: string,
  path: string,
  context: Record<string, unknown>,
): { headers: Record<string, string>; html: string } {
  const cspNonce = newCspNonce();
  const frame = frameContext({ path, csrfToken: '', cspNonce, councilName: pages.councilName });
  return {
    headers: providerPageHeaders(cspNonce, pages.formActionOrigins),
    html: renderTemplate(template, { ...frame, ...context }),
  };
}

function send(res: ServerResponse, status: number, page: { headers: Record<string, string>; html: string }) {
  res.writeHead(status, { ...page.headers, 'content-length': Buffer.byteLength(page.html) });
  res.end(page.html);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      ),
    );
    req.on('error', () => resolve(undefined));
  });
}

export function createSignInInteraction(options: {
  provider: Provider;
  mountPath: string;
  accounts: readonly LocalStaffAccount[];
  pages: ProviderPages;
  log: (line: string) => void;
}) {
  const { provider, mountPath, accounts, pages, log } = options;
  const issuerOrigin = new URL(provider.issuer).origin;

  const signInPage = (uid: string, context: { email?: string; failed?: boolean }) =>
    renderProviderPage(pages, 'sign-in.njk', `${mountPath}/interaction/${uid}`, {
      title: 'Sign in',
      action: `${mountPath}/interaction/${uid}/login`,
      email: context.email ?? '',
      errors: context.failed ? [{ text: failedSignIn, href: '#email' }] : undefined,
    });

  const problemPage = (title: string, paragraphs: string[]) =>
    renderProviderPage(pages, 'error.njk', mountPath, {
      title,
      paragraphs,
      backLink: { href: pages.consoleHome, text: 'Go to the staff console' },
    });

  const timedOut = () =>
    problemPage('Your sign-in has timed out', [
      'The sign-in page was open too long, or was opened in another browser.',
      'Go back to the staff console and sign in again.',
    ]);

  /** GET …/interaction/:uid shows the page; POST …/interaction/:uid/login checks the password. */
  async function handle(req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) {
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (!details || details.uid !== uid || details.prompt.name !== 'login') return send(res, 400, timedOut());
    if (!submitted) {
      if (req.method !== 'GET') return send(res, 405, timedOut());
      return send(res, 200, signInPage(uid, {}));
    }
    const origin = req.headers.origin;
    if (req.method !== 'POST' || (origin !== undefined && origin !== issuerOrigin))
      return send(res, 403, problemPage('The form could not be sent', ['Go back and sign in again.']));
    const form = await readForm(req);
    if (!form) return send(res, 413, problemPage('The form is too large', ['Go back and sign in again.']));
    const email = form.get('email') ?? '';
    const account = await checkCredentials(accounts, email, form.get('password') ?? '');
    if (!account) {
      log(`oidc: sign-in refused (interaction ${uid})`);
      return send(res, 400, signInPage(uid, { email, failed: true }));
    }
    log(`oidc: ${account.subject} signed in`);
    await provider.interactionFinished(req, res, { login: { accountId: account.subject } });
  }

  return { handle };
}

/** The provider's own pages in the council's frame rather than its defaults. */
export function providerPageRenderers(pages: ProviderPages, mountPath: string) {
  const respond = (ctx: KoaContextWithOIDC, page: { headers: Record<string, string>; html: string }) => {
    for (const [name, value] of Object.entries(page.headers)) ctx.set(name, value);
    ctx.body = page.html;
  };
  return {
    logoutSource(ctx: KoaContextWithOIDC, form: string) {
      respond(
        ctx,
        renderProviderPage(pages, 'provider-sign-out.njk', mountPath, {
          title: 'Sign out',
          logoutForm: form,
        }),
      );
    },
    postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      respond(
        ctx,
        renderProviderPage(pages, 'error.njk', mountPath, {
          title: 'You have signed out',
          paragraphs: ['You have signed out of the staff sign-in on this device.'],
          backLink: { href: pages.consoleHome, text: 'Go to the staff console' },
        }),
      );
    },
    renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) {
      respond(
        ctx,
        renderProviderPage(pages, 'error.njk', mountPath, {
          title: 'There is a problem with signing in',
          paragraphs: [out.error_description ?? out.error, 'Go back to the staff console and sign in again.'],
          backLink: { href: pages.consoleHome, text: 'Go to the staff console' },
        }),
      );
    },
  };
}
