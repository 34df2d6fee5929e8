import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { staffRoles } from '../../lambdas/core/staff-roles';
import { ConfigError } from '../../lambdas/wiring/config';
import { createContactScreeningApp } from '../../lib/contact-screening-app';
import { type DeploymentSettings, defaultSettings, deploymentSettingsFrom } from '../../lib/settings';
import type { ContactScreeningStatelessStack } from '../../lib/stateless-stack';

/** Constructs only: the bundle's contents are asserted in stack.test.ts, which bundles. */
const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;
const outdir = mkdtempSync(path.join(tmpdir(), 'contact-screening-cdk-console-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
let count = 0;

function synthesise(settings: Partial<DeploymentSettings> = {}) {
  count += 1;
  const { stateless } = createContactScreeningApp({
    appProps: {
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
      outdir: path.join(outdir, String(count)),
    },
    settings: { ...defaultSettings, ...settings },
  });
  return { stateless, template: Template.fromStack(stateless) };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);

const consoleFunction = (stateless: ContactScreeningStatelessStack, template: Template) =>
  template.findResources('AWS::Lambda::Function')[
    logicalId(stateless, stateless.staffConsole.function.function)
  ];

describe('the staff console in the services stack', () => {
  const { stateless, template } = synthesise();
  const fn = consoleFunction(stateless, template);
  const variables = fn?.Properties.Environment.Variables as Record<string, unknown>;
  const apiEndpoint = { 'Fn::GetAtt': [logicalId(stateless, stateless.api), 'ApiEndpoint'] };
  const userPool = { Ref: logicalId(stateless, stateless.staffConsole.signIn.userPool) };

  it('is a function of its own, sized for rendering pages and letters', () => {
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', MemorySize: 512, Timeout: 15 });
    expect(Object.keys(stateless.functions)).toContain('staff-console');
  });

  it('signs people in with the user pool: issuer, client, console address and Cognito’s sign-out, cookies Secure', () => {
    expect(variables).toMatchObject({
      STAFF_OIDC_ISSUER: {
        'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', userPool]],
      },
      STAFF_OIDC_CLIENT_ID: { Ref: logicalId(stateless, stateless.staffConsole.signIn.client) },
      STAFF_CONSOLE_URL: apiEndpoint,
      STAFF_LOGOUT_URL: { 'Fn::Join': ['', expect.arrayContaining(['.amazoncognito.com/logout'])] },
      STAFF_COOKIE_SECURE: 'true',
      STAFF_ASSETS_DIR: '/var/task/assets',
      TABLE_NAME: expect.anything(),
      COUNCIL_NAME: defaultSettings.COUNCIL_NAME,
    });
    expect(Object.keys(variables)).not.toContain('STAFF_OIDC_CLIENT_SECRET');
  });

  it('keeps the session key out of the environment: a generated secret, encrypted with the register key, by ARN', () => {
    expect(Object.keys(variables)).not.toContain('STAFF_SESSION_KEY');
    const secretId = logicalId(stateless, stateless.staffConsole.sessionKey);
    expect(variables.STAFF_SESSION_KEY_SECRET_ARN).toEqual({ Ref: secretId });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: { 'Fn::ImportValue': 'ContactScreening-RegisterKeyArn' },
    });
    expect(JSON.stringify(variables)).not.toMatch(/SecretString|secretsmanager:/);
  });

  it('answers ANY /staff and ANY /staff/{proxy+} with no authoriser (it signs people in itself)', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((route) =>
      String(route.Properties.RouteKey).includes('/staff'),
    );
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'ANY /staff',
      'ANY /staff/{proxy+}',
    ]);
    for (const route of routes) {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(route.Properties.AuthorizerId).toBeUndefined();
      const integrationId = (route.Properties.Target['Fn::Join'] as [string, unknown[]])[1][1] as {
        Ref: string;
      };
      expect(integrations[integrationId.Ref]?.Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [logicalId(stateless, stateless.staffConsole.function.function), 'Arn'],
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Description: Match.stringLikeRegexp('/staff/'),
    });
  });

  it('has the user pool, one group per role and the console’s client, called back at /staff/auth/callback', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...staffRoles].sort());
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual(userPool);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: userPool,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [{ 'Fn::Join': ['', [apiEndpoint, '/staff/auth/callback']] }],
    });
  });

  it('tells the deployer where the console is, which user pool holds staff, and the sign-in domain', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.StaffConsoleUrl?.Value).toEqual({ 'Fn::Join': ['', [apiEndpoint, '/staff/']] });
    expect(outputs.StaffUserPoolId?.Value).toEqual(userPool);
    expect(JSON.stringify(outputs.StaffSignInDomain?.Value)).toMatch(/amazoncognito\.com/);
  });
});

describe('staff sign-in settings at synth', () => {
  it('uses the console address when the council gives one, for the callback and the function alike', () => {
    const { stateless, template } = synthesise({ STAFF_CONSOLE_URL: 'https://staff.council.example/' });
    const variables = consoleFunction(stateless, template)?.Properties.Environment.Variables;
    expect(variables.STAFF_CONSOLE_URL).toBe('https://staff.council.example');
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://staff.council.example/staff/auth/callback'],
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.StaffConsoleUrl?.Value).toBe('https://staff.council.example/staff/');
  });

  it('reads the STAFF_* settings from context and the environment', () => {
    expect(
      deploymentSettingsFrom(
        { STAFF_SIGN_IN_DOMAIN_PREFIX: 'council-staff' },
        { STAFF_CONSOLE_URL: 'https://staff.council.example' },
      ),
    ).toMatchObject({
      STAFF_SIGN_IN_DOMAIN_PREFIX: 'council-staff',
      STAFF_CONSOLE_URL: 'https://staff.council.example',
    });
    expect(() => deploymentSettingsFrom({ STAFF_SIGN_IN_DOMAIN_PREFIX: 'My_Pool' })).toThrow(
      /STAFF_SIGN_IN_DOMAIN_PREFIX/,
    );
  });

  it('stops the synth, naming every problem, when sign-in is half configured', () => {
    const halfConfigured = {
      STAFF_CONSOLE_URL: 'http://staff.council.example',
      STAFF_ENTRA_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
    };
    expect(() => synthesise(halfConfigured)).toThrow(ConfigError);
    expect(() => synthesise(halfConfigured)).toThrow(
      /STAFF_ENTRA_OIDC_CLIENT_ID.*STAFF_CONSOLE_URL must be an https/,
    );
  });
});
