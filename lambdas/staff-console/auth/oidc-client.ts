import * as oidc from 'openid-client';
import type { AuthSettings } from '../settings';
import type { PendingSignIn } from './sign-in-state';

/** Who the provider says signed in: from the verified ID token. */
export interface SignedInIdentity {
  subject: string;
  name: string;
  email: string;
  /** Cognito's claim; the local provider sends the same, so there is one code path. */
  groups: string[];
}

/**
 * The console as an OpenID Connect client (openid-client): authorization code with PKCE (S256),
 * state and nonce, the ID token's signature checked against the provider's keys. The provider's
 * endpoints come from its discovery document, fetched on first use and kept for the process.
 */
export interface StaffOidcClient {
  beginSignIn(returnTo: string, now: Date): Promise<{ location: string; pending: PendingSignIn }>;
  completeSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInIdentity>;
  /** Where the browser goes to end the provider's session too, coming back to the signed-out page. */
  signOutLocation(): Promise<string>;
  /** Origins a form may lead to: posting while signed out goes on to the provider. */
  formActionOrigins(): string[];
}

export const callbackPath = '/staff/auth/callback';
export const signedOutPath = '/staff/signed-out';

export function createOidcClient(settings: AuthSettings): StaffOidcClient {
  const redirectUri = `${settings.consoleUrl}${callbackPath}`;
  const afterSignOut = `${settings.consoleUrl}${signedOutPath}`;
  let discovering: Promise<oidc.Configuration> | undefined;
  let discovered: oidc.Configuration | undefined;

  function configuration(): Promise<oidc.Configuration> {
    const issuer = new URL(settings.issuer);
    discovering ??= oidc
      .discovery(
        issuer,
        settings.clientId,
        settings.clientSecret ? { client_secret: settings.clientSecret } : undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        {
          timeout: 10,
          // Plain http is only ever allowed for the local provider on this machine (settings.ts).
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
          ],
        },
      )
      .then(
        (found) => {
          discovered = found;
          return found;
        },
        (error: unknown) => {
          discovering = undefined; // try again on the next request
          throw error;
        },
      );
    return discovering;
  }

  return {
    async beginSignIn(returnTo, now) {
      const config = await configuration();
      const pending: PendingSignIn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        returnTo,
        startedAt: now.getTime(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { location: url.href, pending };
    },

    async completeSignIn(callbackUrl, pending) {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('The provider sent no ID token');
      const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
      const groups = claims['cognito:groups'];
      const email = text(claims.email);
      return {
        subject: claims.sub,
        email,
        name: text(claims.name) || email || claims.sub,
        groups: Array.isArray(groups) ? groups.filter((group) => typeof group === 'string') : [],
      };
    },

    async signOutLocation() {
      if (settings.logoutUrl) {
        // Cognito's /logout: its own parameter names.
        const url = new URL(settings.logoutUrl);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('logout_uri', afterSignOut);
        return url.href;
      }
      const config = await configuration().catch(() => undefined);
      if (!config?.serverMetadata().end_session_endpoint) return signedOutPath;
      return oidc.buildEndSessionUrl(config, {
        client_id: settings.clientId,
        post_logout_redirect_uri: afterSignOut,
      }).href;
    },

    formActionOrigins() {
      const metadata = discovered?.serverMetadata();
      const urls = [
        settings.issuer,
        settings.logoutUrl,
        metadata?.authorization_endpoint,
        metadata?.end_session_endpoint,
      ];
      const origins = urls.flatMap((url) => (url ? [new URL(url).origin] : []));
      return [...new Set(origins)].filter((origin) => origin !== settings.consoleUrl);
    },
  };
}
