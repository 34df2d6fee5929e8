import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ConfigError } from '../lambdas/wiring/config';
import { copyFoldersAfterBundling } from './bundle-files';
import { type BundlingCommands, ScreeningFunction, shellQuote } from './screening-function';
import {
  acknowledgeSynchronous,
  deliverySettings,
  type FunctionContext,
  registerChangeSettings,
  whenSet,
} from './screening-functions';
import type { ScreeningHttpApi } from './screening-http-api';
import { StaffSignIn, staffSignInProblems } from './staff-sign-in';

/**
 * Where the console's files sit beside its bundle (index.mjs, /var/task in Lambda). The templates and
 * GOV.UK Frontend's macros are where lambdas/staff-console/views/render.ts looks for them: next to the
 * module, which bundled is index.mjs (`import.meta.url` of an ESM bundle).
 */
export const staffConsoleBundle = {
  templates: 'templates',
  govukFrontend: 'govuk-frontend',
  assets: 'assets',
} as const;

/** Lambda unpacks the bundle here. */
const lambdaTaskRoot = '/var/task';

/** The built style sheet and script (scripts/build-staff-assets.ts): rebuilt only when a source changed. */
const builtAssetsDir = '.build/staff-assets';

/** Builds the console's CSS and JavaScript, in Node, before esbuild runs. */
const buildStaffAssets: BundlingCommands = (inputDir) => [
  `cd ${shellQuote(inputDir)} && node --import tsx scripts/build-staff-assets.ts ${shellQuote(builtAssetsDir)}`,
];

/**
 * The console's templates, GOV.UK Frontend's Nunjucks templates (only those: its fonts and images carry
 * the GOV.UK typeface and crown, which a council may not use) and the built assets.
 */
const copyStaffConsoleFiles = copyFoldersAfterBundling([
  { from: 'lambdas/staff-console/views/templates', to: staffConsoleBundle.templates },
  {
    from: 'node_modules/govuk-frontend/dist/govuk',
    to: `${staffConsoleBundle.govukFrontend}/govuk`,
    extensions: ['.njk'],
    exclude: ['assets'],
  },
  { from: builtAssetsDir, to: staffConsoleBundle.assets },
]);

export interface StaffConsoleProps extends FunctionContext {
  readonly httpApi: ScreeningHttpApi;
}

/**
 * The staff console (issue 12): its function behind `/staff` on the HTTP API, staff sign-in (Cognito,
 * lib/staff-sign-in.ts) and the key that encrypts its session cookies, kept in Secrets Manager. Created in
 * `scope` itself (see `ScreeningFunctions`).
 */
export class StaffConsole {
  readonly function: ScreeningFunction;
  readonly signIn: StaffSignIn;
  readonly sessionKey: secretsmanager.Secret;
  readonly routes: apigw.HttpRoute[];
  /** Where staff open the console: `<console URL>/staff/`. */
  readonly url: string;

  constructor(scope: Construct, props: StaffConsoleProps) {
    const { settings, table, httpApi } = props;
    const problems = staffSignInProblems(settings);
    if (problems.length > 0) throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);

    this.signIn = new StaffSignIn(scope, 'StaffSignIn', {
      settings,
      defaultConsoleUrl: httpApi.api.apiEndpoint,
    });
    this.url = `${this.signIn.consoleUrl}/staff/`;

    // The cookies' key: a generated random string, hashed to 32 bytes by the function at cold start
    // (lambdas/adapters/secrets/session-key.ts), so it never sits in the plain environment.
    this.sessionKey = new secretsmanager.Secret(scope, 'StaffSessionKey', {
      description: 'Contact screening: the staff console session key (hashed with SHA-256 into the AES key)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      ...(table.encryptionKey ? { encryptionKey: table.encryptionKey } : {}),
    });
    Validations.of(this.sessionKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key encrypts session cookies only, which last 8 hours at most: rotating it signs every member of ' +
        'staff out mid-task. It is replaced by hand (a new value) if ever exposed; it protects no stored data.',
    });

    this.function = new ScreeningFunction(scope, 'StaffConsole', {
      entry: 'staff-console',
      description: 'Contact screening: the staff console (/staff/), with OpenID Connect sign-in',
      logRetention: props.logRetention,
      memorySize: 512,
      timeout: Duration.seconds(15),
      environment: {
        ...registerChangeSettings(settings),
        // Officers record calls, visits and letters here (4.2.7): counted and kept as every contact.
        ...deliverySettings(settings),
        ...whenSet({ CASE_REFERENCE_PATTERN: settings.CASE_REFERENCE_PATTERN }),
        STAFF_OIDC_ISSUER: this.signIn.issuer,
        STAFF_OIDC_CLIENT_ID: this.signIn.client.userPoolClientId,
        STAFF_CONSOLE_URL: this.signIn.consoleUrl,
        STAFF_LOGOUT_URL: this.signIn.logoutUrl,
        STAFF_COOKIE_SECURE: 'true',
        STAFF_SESSION_KEY_SECRET_ARN: this.sessionKey.secretArn,
        STAFF_ASSETS_DIR: `${lambdaTaskRoot}/${staffConsoleBundle.assets}`,
      },
      // Letters (8.1) are previewed and downloaded as PDF here, as in the admin API.
      bundlePdfFonts: true,
      beforeBundling: buildStaffAssets,
      afterBundling: copyStaffConsoleFiles,
    })
      // The same use cases as the admin API: it records changes and appends their audit entries (12.1).
      .bindTable(table, 'readWrite', { appendsAudit: true })
      // A recorded contact that crosses a frequency threshold raises its alert (4.2.7).
      // Staff record incidents here: the managers are told through the bus (5.4.2, 5.7).
      .bindEventBus(props.eventBus);
    this.sessionKey.grantRead(this.function.role);
    acknowledgeSynchronous(this.function);

    this.routes = httpApi.addFunctionRoutes(
      'StaffConsoleIntegration',
      this.function,
      [
        { path: '/staff', methods: [apigw.HttpMethod.ANY] },
        { path: '/staff/{proxy+}', methods: [apigw.HttpMethod.ANY] },
      ],
      {
        publicBecause:
          'The staff console signs people in itself (OpenID Connect, authorization code with PKCE, against the ' +
          "Cognito user pool with MFA); every page checks the session and the person's role on the server, and " +
          'the sign-in pages and assets must be reachable before sign-in, so no API Gateway authoriser stands in front.',
      },
    );

    new CfnOutput(scope, 'StaffConsoleUrl', { description: 'The staff console', value: this.url });
    new CfnOutput(scope, 'StaffUserPoolId', {
      description: 'The staff user pool: add staff and put each in their role group (officer, ...)',
      value: this.signIn.userPool.userPoolId,
    });
    new CfnOutput(scope, 'StaffSignInDomain', {
      description: "The staff sign-in pages (Cognito's managed sign-in)",
      value: this.signIn.domain.baseUrl(),
    });
  }
}
