import { App, type AppProps, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { ConfigError, configSchema } from '../lambdas/adapters/config';
import { notifySettingsSchema } from '../lambdas/notify/settings';
import {
  ContactScreeningStack,
  type ContactScreeningStackProps,
  type ManagerAlertSettings,
} from './contact-screening-stack';

export const stackName = 'ContactScreeningStack';

/** Applied to every resource, for cost allocation and ownership. */
export const projectTags: Readonly<Record<string, string>> = { project: 'contact-screening' };

/**
 * The account and region the CLI found (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION), when it found both.
 * Otherwise the stack is environment-agnostic and takes them from the credentials at deploy time: the CLI
 * sets a default region (us-east-1) even without credentials, and pinning a council's stack to it by
 * accident would be worse than not pinning it.
 */
export function environmentFrom(env: NodeJS.ProcessEnv): Environment | undefined {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return account && region ? { account, region } : undefined;
}

const alertSettingsSchema = configSchema.pick({ MANAGERS: true, SCREENING_FROM: true }).extend({
  ...notifySettingsSchema.shape,
  /** The verified SES identity (a domain, or the address itself) SCREENING_FROM sends through. */
  SES_IDENTITY: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$|^[^@\s]+@[^@\s]+$/i, { error: 'must be a domain or an email address' })
    .optional(),
});

/**
 * The managers' alert settings the deployed notify function gets, from the environment of `cdk deploy`
 * (MANAGERS, SCREENING_FROM, SES_IDENTITY, NOTIFY_RESTRICTED_ROUTED), validated as the handlers validate
 * them: a bad one stops the synth with a message that names it.
 */
export function alertSettingsFrom(env: NodeJS.ProcessEnv): ManagerAlertSettings {
  const result = alertSettingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
  }
  const { MANAGERS, SCREENING_FROM, SES_IDENTITY, NOTIFY_RESTRICTED_ROUTED } = result.data;
  return {
    managers: MANAGERS,
    from: SCREENING_FROM,
    ...(SES_IDENTITY ? { sesIdentity: SES_IDENTITY } : {}),
    notifyRestrictedRouted: NOTIFY_RESTRICTED_ROUTED,
  };
}

export interface ContactScreeningAppProps {
  /** Passed to the App: tests hand it the context of cdk.json so they synthesise what the CLI does. */
  readonly appProps?: AppProps;
  readonly stackProps?: ContactScreeningStackProps;
}

/**
 * The CDK app: one stack, tagged, and checked by cdk-nag's AWS Solutions rules on every synth. A finding
 * that is neither fixed nor acknowledged with a reason (`Validations.of(construct).acknowledge`) fails
 * the synth.
 */
export function createContactScreeningApp(props: ContactScreeningAppProps = {}): {
  app: App;
  stack: ContactScreeningStack;
} {
  const app = new App(props.appProps);
  const stack = new ContactScreeningStack(app, stackName, {
    description:
      'Contact screening: the restriction register and the functions that screen contacts against it',
    ...props.stackProps,
    alerts: props.stackProps?.alerts ?? alertSettingsFrom(process.env),
    tags: { ...props.stackProps?.tags, ...projectTags },
  });
  for (const [key, value] of Object.entries(projectTags)) {
    Tags.of(app).add(key, value);
  }
  // The acknowledgements, with their reasons, are also written into the template's Metadata for audit.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stack };
}
