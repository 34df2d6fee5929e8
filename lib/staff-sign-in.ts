import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { z } from 'zod';
import { staffRoles } from '../lambdas/core/staff-roles';

/**
 * Settings of staff sign-in in AWS (cdk.json context `contact-screening`, or the environment of the synth).
 * Federation to the council's Microsoft Entra ID is optional: SAML (the metadata document's URL) or
 * OpenID Connect (issuer, client id and secret); README "Staff console" gives the Entra ID side step by step.
 */
export const staffSignInSettingsSchema = z.object({
  /** The Cognito domain prefix of the managed sign-in pages (unique in the region). @default contact-screening-<account> */
  STAFF_SIGN_IN_DOMAIN_PREFIX: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be lower-case letters, digits and hyphens',
    })
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
      error: 'may not contain aws, amazon or cognito',
    })
    .optional(),
  /**
   * The console's public address (`https://screening.council.example`): the sign-in callback and sign-out
   * return are under it. @default the HTTP API's own endpoint
   */
  STAFF_CONSOLE_URL: z.url({ error: 'must be the https address the console is served at' }).optional(),
  /** Entra ID as a SAML identity provider: the federation metadata document's URL. */
  STAFF_ENTRA_SAML_METADATA_URL: z.url({ error: 'must be the federation metadata URL' }).optional(),
  /** Entra ID as an OpenID Connect provider: `https://login.microsoftonline.com/<tenant>/v2.0`. */
  STAFF_ENTRA_OIDC_ISSUER: z.url({ error: 'must be the Entra ID issuer URL' }).optional(),
  STAFF_ENTRA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The Entra ID app registration's client secret (kept in the user pool, never in a function). */
  STAFF_ENTRA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
});
export type StaffSignInSettings = z.infer<typeof staffSignInSettingsSchema>;

/** The name the federated provider has in the user pool (and on Cognito's sign-in page). */
export const entraProviderName = 'EntraID';

export interface StaffSignInProps {
  readonly settings: StaffSignInSettings;
  /** The console's base address when STAFF_CONSOLE_URL is not set (the HTTP API's endpoint). */
  readonly defaultConsoleUrl: string;
}

/**
 * Sign-in for the staff console: a Cognito user pool with its managed sign-in pages, MFA required, one group
 * per role of the policy (lambdas/core/staff-roles.ts), and an app client for the console (authorization
 * code with PKCE; the console is an OpenID Connect client, as locally against the in-process provider).
 */
export class StaffSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The issuer the console discovers (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** Where the console sends a person who signs out (Cognito's logout endpoint). */
  readonly logoutUrl: string;
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: StaffSignInProps) {
    super(scope, id);
    const { settings } = props;
    this.consoleUrl = (settings.STAFF_CONSOLE_URL ?? props.defaultConsoleUrl).replace(/\/$/, '');

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-staff`,
      // Staff accounts are made by the IT team (or come from Entra ID), never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication): the console shows personal data.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of staffRoles) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Contact screening console: ${role}`,
      });
    }

    const providers = [cognito.UserPoolClientIdentityProvider.COGNITO];
    const federated = this.addEntraId(settings);
    if (federated) providers.push(cognito.UserPoolClientIdentityProvider.custom(entraProviderName));

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: settings.STAFF_SIGN_IN_DOMAIN_PREFIX ?? `contact-screening-${Aws.ACCOUNT_ID}`,
      },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'staff-console',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${this.consoleUrl}/staff/auth/callback`],
        logoutUrls: [`${this.consoleUrl}/staff/signed-out`],
      },
      supportedIdentityProviders: providers,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    if (federated) this.client.node.addDependency(federated);

    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.issuer = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`;
    this.logoutUrl = `${this.domain.baseUrl()}/logout`;
  }

  /** The council's Entra ID, when configured: staff sign in with their council account (and its MFA). */
  private addEntraId(settings: StaffSignInSettings): cognito.IUserPoolIdentityProvider | undefined {
    const attributeMapping: cognito.AttributeMapping = {
      email: cognito.ProviderAttribute.other('email'),
      fullname: cognito.ProviderAttribute.other('name'),
    };
    if (settings.STAFF_ENTRA_SAML_METADATA_URL) {
      return new cognito.UserPoolIdentityProviderSaml(this, 'EntraIdSaml', {
        userPool: this.userPool,
        name: entraProviderName,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(settings.STAFF_ENTRA_SAML_METADATA_URL),
        attributeMapping: {
          email: cognito.ProviderAttribute.other(
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
          ),
          fullname: cognito.ProviderAttribute.other(
            'http://schemas.microsoft.com/identity/claims/displayname',
          ),
        },
        idpSignout: true,
      });
    }
    if (settings.STAFF_ENTRA_OIDC_ISSUER) {
      return new cognito.UserPoolIdentityProviderOidc(this, 'EntraIdOidc', {
        userPool: this.userPool,
        name: entraProviderName,
        issuerUrl: settings.STAFF_ENTRA_OIDC_ISSUER,
        clientId: settings.STAFF_ENTRA_OIDC_CLIENT_ID ?? '',
        clientSecret: settings.STAFF_ENTRA_OIDC_CLIENT_SECRET ?? '',
        scopes: ['openid', 'email', 'profile'],
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping,
      });
    }
    return undefined;
  }
}

/** Settings that must come together; checked at synth so a half-configured federation fails with a clear line. */
export function staffSignInProblems(settings: StaffSignInSettings): string[] {
  const problems: string[] = [];
  if (settings.STAFF_ENTRA_SAML_METADATA_URL && settings.STAFF_ENTRA_OIDC_ISSUER) {
    problems.push('set STAFF_ENTRA_SAML_METADATA_URL or STAFF_ENTRA_OIDC_ISSUER, not both');
  }
  if (
    settings.STAFF_ENTRA_OIDC_ISSUER &&
    !(settings.STAFF_ENTRA_OIDC_CLIENT_ID && settings.STAFF_ENTRA_OIDC_CLIENT_SECRET)
  ) {
    problems.push(
      'STAFF_ENTRA_OIDC_ISSUER needs STAFF_ENTRA_OIDC_CLIENT_ID and STAFF_ENTRA_OIDC_CLIENT_SECRET',
    );
  }
  if (settings.STAFF_CONSOLE_URL && !settings.STAFF_CONSOLE_URL.startsWith('https://')) {
    problems.push('STAFF_CONSOLE_URL must be an https address (Cognito accepts no other callback)');
  }
  return problems;
}
