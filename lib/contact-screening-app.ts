import { App, type AppProps, type Environment, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type DeploymentSettings, deploymentSettingsFrom, settingsContextKey } from './settings';
import { ContactScreeningStatefulStack } from './stateful-stack';
import { ContactScreeningStatelessStack } from './stateless-stack';

/**
 * The stateful stack keeps the original single stack's name, so the table, its key and the bus stay in
 * the CloudFormation stack that created them (same logical ids: nothing is replaced).
 */
export const statefulStackName = 'ContactScreeningStack';
export const statelessStackName = 'ContactScreeningServices';

/** Applied to every resource, for cost allocation and ownership. */
export const projectTags: Readonly<Record<string, string>> = { project: 'contact-screening' };

/**
 * The account and region the CLI found (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION), when it found both.
 * Otherwise the stacks are environment-agnostic and take them from the credentials at deploy time: the CLI
 * sets a default region (us-east-1) even without credentials, and pinning a council's stack to it by
 * accident would be worse than not pinning it.
 */
export function environmentFrom(env: NodeJS.ProcessEnv): Environment | undefined {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  return account && region ? { account, region } : undefined;
}

export interface ContactScreeningAppProps {
  /** Passed to the App: tests hand it the context of cdk.json so they synthesise what the CLI does. */
  readonly appProps?: AppProps;
  /** Given to both stacks (env, tags). */
  readonly stackProps?: StackProps;
  /**
   * The deployment settings. @default read from the `contact-screening` context and the environment
   * (deploymentSettingsFrom), validated with the handlers' schemas
   */
  readonly settings?: DeploymentSettings;
}

/**
 * The CDK app: a stateful and a stateless stack, tagged, and checked by cdk-nag's AWS Solutions and
 * Serverless rules on every synth. A finding that is neither fixed nor acknowledged with a reason
 * (`Validations.of(construct).acknowledge`) fails the synth.
 */
export function createContactScreeningApp(props: ContactScreeningAppProps = {}): {
  app: App;
  stateful: ContactScreeningStatefulStack;
  stateless: ContactScreeningStatelessStack;
  settings: DeploymentSettings;
} {
  const app = new App(props.appProps);
  const settings =
    props.settings ??
    deploymentSettingsFrom(
      process.env,
      (app.node.tryGetContext(settingsContextKey) ?? {}) as Record<string, unknown>,
    );
  const stateful = new ContactScreeningStatefulStack(app, statefulStackName, {
    description: 'Contact screening (stateful): the restriction register, raw inbound mail and the event bus',
    ...props.stackProps,
    rawMailRetentionDays: settings.RAW_MAIL_RETENTION_DAYS,
    eventArchiveDays: settings.EVENT_ARCHIVE_DAYS,
    mailPrefix: settings.MAIL_PREFIX,
    tags: { ...props.stackProps?.tags, ...projectTags },
  });
  const stateless = new ContactScreeningStatelessStack(app, statelessStackName, {
    description: 'Contact screening (stateless): functions, HTTP API, SES receipt rules, alarms',
    ...props.stackProps,
    settings,
    stateful: stateful.exports(),
    eventBus: stateful.eventBus,
    tags: { ...props.stackProps?.tags, ...projectTags },
  });
  stateless.addStackDependency(stateful);
  for (const [key, value] of Object.entries(projectTags)) {
    Tags.of(app).add(key, value);
  }
  // The acknowledgements, with their reasons, are also written into the template's Metadata for audit.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new ServerlessChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
  return { app, stateful, stateless, settings };
}
