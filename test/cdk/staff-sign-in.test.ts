import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { staffRoles } from '../../lambdas/core/staff-roles';
import { StaffSignIn, type StaffSignInSettings, staffSignInProblems } from '../../lib/staff-sign-in';

/** A stack holding only staff sign-in, checked by the same cdk-nag packs as the app. */
function synthesise(settings: StaffSignInSettings = {}) {
  const app = new App();
  const stack = new Stack(app, 'SignIn');
  const signIn = new StaffSignIn(stack, 'StaffSignIn', {
    settings,
    defaultConsoleUrl: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  app.synth();
  return { stack, signIn, template: Template.fromStack(stack) };
}

describe('staff sign-in (Cognito)', () => {
  const { stack, template } = synthesise();

  it('has a user pool that requires MFA, refuses sign-up and has threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('has one group per role of the policy', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...staffRoles].sort());
  });

  it('has a console client for the authorization code flow, back to the console only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile']),
      CallbackURLs: ['https://abc123.execute-api.eu-west-2.amazonaws.com/staff/auth/callback'],
      LogoutURLs: ['https://abc123.execute-api.eu-west-2.amazonaws.com/staff/signed-out'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });

  it('keeps the user pool when the stack is removed', () => {
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('passes cdk-nag with nothing to acknowledge', () => {
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.anyValue()),
      ...Annotations.fromStack(stack).findWarning('*', Match.anyValue()),
    ];
    expect(findings.map((finding) => finding.entry.data)).toEqual([]);
  });
});

describe('federation to Entra ID', () => {
  it('adds a SAML provider that the console client may use', () => {
    const { template } = synthesise({
      STAFF_ENTRA_SAML_METADATA_URL:
        'https://login.microsoftonline.com/tenant-id/federationmetadata/2007-06/federationmetadata.xml?appid=app',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'EntraID',
      ProviderType: 'SAML',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', 'EntraID'],
    });
  });

  it('adds an OpenID Connect provider when configured so', () => {
    const { template } = synthesise({
      STAFF_ENTRA_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant-id/v2.0',
      STAFF_ENTRA_OIDC_CLIENT_ID: 'client',
      STAFF_ENTRA_OIDC_CLIENT_SECRET: 'secret',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', { ProviderType: 'OIDC' });
  });

  it('names what is missing or contradictory', () => {
    expect(
      staffSignInProblems({ STAFF_ENTRA_OIDC_ISSUER: 'https://login.microsoftonline.com/t/v2.0' }),
    ).toEqual([
      'STAFF_ENTRA_OIDC_ISSUER needs STAFF_ENTRA_OIDC_CLIENT_ID and STAFF_ENTRA_OIDC_CLIENT_SECRET',
    ]);
    expect(staffSignInProblems({ STAFF_CONSOLE_URL: 'http://console.council.example' })).toHaveLength(1);
    expect(staffSignInProblems({})).toEqual([]);
  });
});
