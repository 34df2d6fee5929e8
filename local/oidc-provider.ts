import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { createSignInInteraction, providerPageRenderers } from './oidc-sign-in';
import type { LocalStaffAccount } from './staff-accounts';

/**
 * The local stand-in for Cognito (DESIGN.md: sign-in is OpenID Connect everywhere): an
 * in-process OpenID provider (oidc-provider) with the demo staff accounts, so that the console
 * runs the same OIDC client code locally as in AWS. Authorization code with PKCE (S256) only;
 * the ID token carries `email`, `name` and the groups in `cognito:groups`, as Cognito's does.
 * Its state (sessions, codes) and signing key live in memory: a restart only means signing in again.
 */
export interface LocalOidcClient {
  clientId: string;
  /** With a secret the client authenticates with HTTP Basic (as a Cognito app client with one); without, PKCE alone. */
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface LocalOidcProviderOptions {
  /** Where it is reached, path included: `http://127.0.0.1:3000/oidc` when mounted under `/oidc`. */
  issuer: string;
  clients: LocalOidcClient[];
  accounts: LocalStaffAccount[];
  councilName?: string;
  log?: (line: string) => void;
}

export interface LocalOidcProvider {
  issuer: string;
  /** The path it answers under (`/oidc`), or '' at the root. */
  mountPath: string;
  /** Node's request listener: hand it every request whose path starts with mountPath. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

const minutes = (n: number) => n * 60;
const interactionPath = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?(?:\?.*)?$/;

function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // RS256, as Cognito signs.
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK;
}

export function createLocalOidcProvider(options: LocalOidcProviderOptions): LocalOidcProvider {
  const { issuer, clients, accounts, log = () => undefined } = options;
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '');
  const redirectOrigins = [
    ...new Set(clients.flatMap((client) => client.redirectUris.map((uri) => new URL(uri).origin))),
  ];
  const pages = {
    councilName: options.councilName ?? 'Example Borough Council',
    consoleHome: redirectOrigins[0] ? `${redirectOrigins[0]}/staff/` : '/staff/',
    formActionOrigins: redirectOrigins,
  };
  const renderers = providerPageRenderers(pages, mountPath);
  const bySubject = new Map(accounts.map((account) => [account.subject, account]));

  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      ...(client.clientSecret
        ? { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
        : { token_endpoint_auth_method: 'none' }),
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    async findAccount(_ctx, subject) {
      const account = bySubject.get(subject);
      if (!account) return undefined;
      return {
        accountId: subject,
        claims: async () => ({
          sub: subject,
          email: account.email,
          email_verified: true,
          name: account.name,
          'cognito:groups': account.groups,
        }),
      };
    },
    // Cognito puts the groups in every ID token; here they come with the `openid` scope, which every sign-in has.
    claims: { openid: ['sub', 'cognito:groups'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    // The claims go in the ID token itself (as Cognito's), not only behind the userinfo endpoint.
    conformIdTokenClaims: false,
    // The console is the council's own application: nothing to ask the person to consent to.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: renderers.logoutSource,
        postLogoutSuccessSource: renderers.postLogoutSuccessSource,
      },
    },
    renderError: renderers.renderError,
    clientBasedCORS: () => false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey()] },
    ttl: {
      AccessToken: minutes(10),
      AuthorizationCode: minutes(1),
      IdToken: minutes(10),
      Interaction: minutes(15),
      // As long as a console session may last (8 hours).
      Session: minutes(8 * 60),
      Grant: minutes(8 * 60),
    },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => log(`oidc: server error ${error.name}`));

  const signIn = createSignInInteraction({ provider, mountPath, accounts, pages, log });
  const callback = provider.callback();

  function listener(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const inside = url === mountPath || url.startsWith(`${mountPath}/`) || url.startsWith(`${mountPath}?`);
    if (!inside) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const path = url.slice(mountPath.length) || '/';
    const interaction = path.match(interactionPath);
    if (interaction) {
      signIn.handle(req, res, interaction[1] ?? '', Boolean(interaction[2])).catch((error: unknown) => {
        log(`oidc: sign-in page failed with ${error instanceof Error ? error.name : typeof error}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The sign-in page failed.');
      });
      return;
    }
    // Mounted under a prefix, as Express's app.use(prefix, provider.callback()) would: the provider
    // routes the path below it and builds its URLs from originalUrl's prefix.
    Object.assign(req, { originalUrl: url, url: path });
    callback(req, res);
  }

  return { issuer, mountPath, listener, close: async () => undefined };
}
