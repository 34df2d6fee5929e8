import type { StaticCredentials } from '../lambdas/adapters/aws-client-options';
import { eventBusName } from '../lambdas/adapters/eventbridge/rules';
import { type Config, readConfig } from '../lambdas/wiring/config';
import { AWS_REGION, LocalStackError, MAIL_BUCKET, TABLE_NAME } from './settings';

/** The emulators accept any credentials (s3rver once told which); the SDK must still sign with some. */
export const LOCAL_CREDENTIALS: StaticCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export type LocalEndpoints = Record<'dynamodb' | 's3' | 'ses' | 'eventbridge', { endpoint: string }>;

/**
 * The configuration the local handlers are built from: the settings of `npm start` (its environment,
 * or the `env` option) with this stack's emulator endpoints, table, bucket and token, validated by the
 * handlers' own schema so that a bad setting stops the start with one clear line. Each stack makes its
 * own; nothing is written to the process environment.
 */
export function localLambdaConfig(
  env: NodeJS.ProcessEnv,
  emulators: LocalEndpoints,
  adminToken: string,
  /** Where the gateway serves the console (when its port is known before it listens). */
  consoleUrl?: string,
): Config {
  try {
    return readConfig({
      ...env,
      TABLE_NAME,
      AWS_REGION,
      DYNAMODB_ENDPOINT: emulators.dynamodb.endpoint,
      S3_ENDPOINT: emulators.s3.endpoint,
      SES_ENDPOINT: emulators.ses.endpoint,
      EVENTBRIDGE_ENDPOINT: emulators.eventbridge.endpoint,
      // The one bus the local bus knows (lambdas/adapters/eventbridge/rules.ts), as the CDK stack binds it.
      EVENT_BUS_NAME: eventBusName,
      MAIL_BUCKET,
      ADMIN_TOKEN: adminToken,
      ...(consoleUrl ? { STAFF_CONSOLE_URL: consoleUrl } : {}),
      // No CloudWatch here: keep the metrics' EMF off the console.
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  } catch (error) {
    throw new LocalStackError(error instanceof Error ? error.message : String(error));
  }
}
