import { z } from 'zod';
import { parseSettings } from '../wiring/config';

/** Plain http is for this machine only (the local stack); anything reachable over a network needs https. */
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const secureUrl = (what: string) =>
  z
    .url({ error: `must be the ${what} URL` })
    .refine((value) => new URL(value).protocol === 'https:' || isLoopback(new URL(value)), {
      error: 'must use https (plain http only on 127.0.0.1 or localhost)',
    });

const minutes = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The staff console's environment, read once and validated (STYLE 4). In AWS the CDK stack sets
 * these from the Cognito user pool; locally `npm start` points them at the in-process provider.
 *
 * - `STAFF_OIDC_ISSUER` — the OpenID provider's issuer (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`;
 *   locally `http://127.0.0.1:3000/oidc`); its discovery document gives every other endpoint.
 * - `STAFF_OIDC_CLIENT_ID`, `STAFF_OIDC_CLIENT_SECRET` — the console's app client; the secret only when
 *   the client has one (sent with HTTP Basic authentication).
 * - `STAFF_CONSOLE_URL` — the console's public origin, without a path (`https://staff.council.example`):
 *   the callback is `<url>/staff/auth/callback`, and a form posted from anywhere else is refused.
 * - `STAFF_SESSION_KEY` — 32 random bytes, base64: encrypts the session cookies (AES-256-GCM). Changing
 *   it signs everyone out.
 * - `STAFF_SESSION_IDLE_MINUTES` — signed out after this long without a request (default 30).
 * - `STAFF_SESSION_HOURS` — signed out this long after signing in, however busy (default 8).
 * - `STAFF_COOKIE_SECURE` — `true` sends cookies over https only; default: true unless the console URL is http.
 * - `STAFF_LOGOUT_URL` — Cognito's `/logout` (`https://<domain>.auth.<region>.amazoncognito.com/logout`),
 *   which its discovery document does not name; without it, sign-out uses the provider's
 *   `end_session_endpoint`.
 */
export const staffConsoleSettingsSchema = z
  .object({
    STAFF_OIDC_ISSUER: secureUrl('OpenID provider issuer'),
    STAFF_OIDC_CLIENT_ID: z.string().trim().min(1, { error: 'must name the app client' }),
    STAFF_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    STAFF_CONSOLE_URL: secureUrl('console').refine((value) => /^[a-z]+:\/\/[^/]+\/?$/i.test(value), {
      error: 'must be an origin without a path, e.g. https://staff.council.example',
    }),
    STAFF_SESSION_KEY: z
      .string({ error: 'is required: 32 random bytes, base64 (openssl rand -base64 32)' })
      .refine((value) => Buffer.from(value, 'base64').length === 32, {
        error: 'must be 32 random bytes, base64 (openssl rand -base64 32)',
      }),
    STAFF_SESSION_IDLE_MINUTES: minutes(5, 480, 30),
    STAFF_SESSION_HOURS: minutes(1, 24, 8),
    STAFF_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
    STAFF_LOGOUT_URL: secureUrl('sign-out').optional(),
  })
  .transform((env) => ({
    issuer: env.STAFF_OIDC_ISSUER,
    clientId: env.STAFF_OIDC_CLIENT_ID,
    clientSecret: env.STAFF_OIDC_CLIENT_SECRET,
    consoleUrl: new URL(env.STAFF_CONSOLE_URL).origin,
    sessionKey: Buffer.from(env.STAFF_SESSION_KEY, 'base64'),
    idleMinutes: env.STAFF_SESSION_IDLE_MINUTES,
    lifetimeHours: env.STAFF_SESSION_HOURS,
    cookieSecure: env.STAFF_COOKIE_SECURE
      ? env.STAFF_COOKIE_SECURE === 'true'
      : new URL(env.STAFF_CONSOLE_URL).protocol === 'https:',
    logoutUrl: env.STAFF_LOGOUT_URL,
  }));

/** How the console signs people in and keeps them signed in. */
export type AuthSettings = z.output<typeof staffConsoleSettingsSchema>;

/** The settings of this process, or a ConfigError naming every bad one. */
export function readStaffConsoleSettings(
  env: Record<string, string | undefined> = process.env,
): AuthSettings {
  return parseSettings(staffConsoleSettingsSchema, env);
}
