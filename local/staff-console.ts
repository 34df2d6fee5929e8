import type { RequestListener } from 'node:http';
import path from 'node:path';
import { staffConsoleDeps } from '../lambdas/staff-console/deps';
import { createStaffConsoleHandler } from '../lambdas/staff-console/handler';
import { readStaffConsoleSettings } from '../lambdas/staff-console/settings';
import type { AwsClients } from '../lambdas/wiring/clients';
import type { Config } from '../lambdas/wiring/config';
import { buildStaffAssets } from '../scripts/build-staff-assets';
import type { LambdaHandler } from './api-gateway-v2';
import { oidcMountPath, prepareLocalStaffSignIn } from './staff-sign-in';

export interface LocalStaffConsole {
  handler: LambdaHandler;
  /** The demo staff accounts' password (STAFF_PASSWORD, or the one kept in the data directory). */
  password: string;
  url: string;
}

/**
 * The staff console as `npm start` runs it: its style sheet and script built (when out of date), the
 * in-process OpenID provider with the demo staff accounts mounted at /oidc on the gateway, and the
 * console's handler signing people in against it, on the same stores as the admin API.
 */
export async function startLocalStaffConsole(options: {
  origin: string;
  gateway: { mount(prefix: string, listener: RequestListener): void };
  config: Config;
  clients: AwsClients;
  dataDir: string;
  env: Record<string, string | undefined>;
  stops: { push(close: () => Promise<void>): void };
  log: (line: string) => void;
}): Promise<LocalStaffConsole> {
  const { origin, config } = options;
  const [assets, signIn] = await Promise.all([
    buildStaffAssets(config.STAFF_ASSETS_DIR),
    prepareLocalStaffSignIn({
      origin,
      dataDir: options.dataDir,
      env: options.env,
      councilName: config.COUNCIL_NAME,
      log: options.log,
    }),
  ]);
  options.gateway.mount(oidcMountPath, signIn.provider.listener);
  options.stops.push(() => signIn.provider.close());
  const auth = readStaffConsoleSettings({
    ...signIn.consoleEnv,
    ...pick(options.env, 'STAFF_SESSION_IDLE_MINUTES'),
  });
  const handler = createStaffConsoleHandler(
    staffConsoleDeps(config, options.clients, auth, { assetsDir: path.dirname(assets.css) }),
  ) as LambdaHandler;
  return { handler, password: signIn.password, url: `${origin}/staff/` };
}

const pick = (env: Record<string, string | undefined>, name: string) =>
  env[name] === undefined ? {} : { [name]: env[name] };
