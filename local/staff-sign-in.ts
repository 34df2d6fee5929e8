import { createLocalOidcProvider, type LocalOidcProvider } from './oidc-provider';
import { demoStaffAccounts, hashPassword, type LocalStaffAccount } from './staff-accounts';
import { resolveStaffPassword, resolveStaffSessionKey } from './staff-secrets';

/** Where the local provider is mounted on the gateway, and the console's app client there. */
export const oidcMountPath = '/oidc';
export const localConsoleClientId = 'staff-console';

export interface LocalStaffSignIn {
  provider: LocalOidcProvider;
  /** The demo accounts' password, to print at start. */
  password: string;
  /** The staff console's settings (lambdas/staff-console/settings.ts) for this stack. */
  consoleEnv: Record<string, string>;
}

/**
 * Everything the local stack needs for the staff console's sign-in: the provider with the demo
 * accounts (and any others given), the password (STAFF_PASSWORD or the stored one) and the
 * console's settings, all for a gateway at `origin` (`http://127.0.0.1:3000`).
 */
export async function prepareLocalStaffSignIn(options: {
  origin: string;
  dataDir: string;
  env?: Record<string, string | undefined>;
  councilName?: string;
  clientSecret?: string;
  extraAccounts?: Omit<LocalStaffAccount, 'passwordHash'>[];
  log?: (line: string) => void;
}): Promise<LocalStaffSignIn> {
  const { origin, dataDir, env = {} } = options;
  const password = await resolveStaffPassword(dataDir, env.STAFF_PASSWORD);
  const accounts = [
    ...(await demoStaffAccounts(password)),
    ...(await Promise.all(
      (options.extraAccounts ?? []).map(async (account) => ({
        ...account,
        passwordHash: await hashPassword(password),
      })),
    )),
  ];
  const issuer = `${origin}${oidcMountPath}`;
  const provider = createLocalOidcProvider({
    issuer,
    clients: [
      {
        clientId: localConsoleClientId,
        ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
        redirectUris: [`${origin}/staff/auth/callback`],
        postLogoutRedirectUris: [`${origin}/staff/signed-out`],
      },
    ],
    accounts,
    ...(options.councilName ? { councilName: options.councilName } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    provider,
    password,
    consoleEnv: {
      STAFF_OIDC_ISSUER: issuer,
      STAFF_OIDC_CLIENT_ID: localConsoleClientId,
      ...(options.clientSecret ? { STAFF_OIDC_CLIENT_SECRET: options.clientSecret } : {}),
      STAFF_CONSOLE_URL: origin,
      STAFF_SESSION_KEY: await resolveStaffSessionKey(dataDir),
      STAFF_COOKIE_SECURE: 'false',
    },
  };
}
