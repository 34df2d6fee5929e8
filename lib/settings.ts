import { z } from 'zod';
import { ConfigError, configSchema, notifySettingsSchema } from '../lambdas/wiring/config';
import { staffSignInSettingsSchema } from './staff-sign-in';

/** The cdk.json context key (an object of the same settings); the environment of `cdk synth` wins over it. */
export const settingsContextKey = 'contact-screening';

/**
 * A handler setting the deployment passes on only when it is set, validated as the handler validates it:
 * unset, the function keeps the handler's own default (zod would otherwise apply that default here).
 */
const whenSet = <T extends z.ZodType>(schema: T) => z.union([z.undefined(), schema]);

const positiveInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * What the deployment is configured with: the handlers' own settings (picked from configSchema, so they are
 * validated exactly as the functions validate them) and the settings only the stacks use.
 */
export const deploymentSettingsSchema = configSchema
  .pick({
    COUNCIL_DOMAINS: true,
    SERVICE_INBOX: true,
    MAILBOXES: true,
    MANAGERS: true,
    SCREENING_FROM: true,
    MAIL_PREFIX: true,
    SEND_ACKNOWLEDGEMENTS: true,
    COUNCIL_NAME: true,
    COUNCIL_POSTAL_ADDRESS: true,
    COUNCIL_PHONE: true,
    CONTACT_RETENTION_DAYS: true,
    FORM_ALLOWED_ORIGINS: true,
    FORM_RATE_LIMIT_PER_IP: true,
    FORM_RATE_LIMIT_PER_IDENTITY: true,
    FORM_RATE_LIMIT_WINDOW_SECONDS: true,
    FREQUENCY_TOPIC_COUNT: true,
    FREQUENCY_TOPIC_DAYS: true,
    FREQUENCY_ALL_TOPICS_COUNT: true,
    FREQUENCY_ALL_TOPICS_DAYS: true,
    FREQUENCY_CHANNELS_COUNT: true,
    FREQUENCY_CHANNELS_DAYS: true,
    CONTACT_TOPICS: true,
    FORM_PAGE_URL: true,
    SAFEGUARDING_GUIDANCE: true,
    CONTENT_SCORER: true,
    COMPREHEND_REGION: true,
  })
  .extend({
    CASE_REFERENCE_PATTERN: whenSet(configSchema.shape.CASE_REFERENCE_PATTERN),
    PRIVACY_NOTICE_URL: whenSet(configSchema.shape.PRIVACY_NOTICE_URL),
    MAX_ATTACHED_ORIGINAL_BYTES: whenSet(configSchema.shape.MAX_ATTACHED_ORIGINAL_BYTES),
    ...notifySettingsSchema.shape,
    // Staff sign-in (Cognito, optional Entra ID federation) and the console's public address.
    ...staffSignInSettingsSchema.shape,
    /** The verified SES identity (a domain, or the address itself) SCREENING_FROM sends through. */
    SES_IDENTITY: z
      .string()
      .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$|^[^@\s]+@[^@\s]+$/i, {
        error: 'must be a domain or an email address',
      })
      .optional(),
    /** Days raw inbound mail stays in the bucket before the lifecycle rule deletes it (P7). */
    RAW_MAIL_RETENTION_DAYS: positiveInt(1, 3650, 90),
    /** Days the event bus archive keeps events (ids and counts only). */
    EVENT_ARCHIVE_DAYS: positiveInt(1, 3650, 90),
    /** Days function and API access logs are kept; must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ...). */
    LOG_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .refine((days) => logRetentionValues.includes(days), {
        error: `must be one of ${[1, 3, 5, 7, 14, 30, 60, 90, 180, 365].join(', ')}, … (a CloudWatch Logs retention)`,
      })
      .default(90),
    /** The HTTP API's stage throttling: steady requests per second, and burst. */
    API_RATE_LIMIT: positiveInt(1, 10_000, 10),
    API_BURST_LIMIT: positiveInt(1, 5_000, 20),
    /** Alarm e-mail subscription for the alarm topic (optional: subscribe later in the console). */
    ALARM_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  });

const logRetentionValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export type DeploymentSettings = z.infer<typeof deploymentSettingsSchema>;

/** The settings from the defaults alone: what a synth that sets nothing (a test, a first look) deploys. */
export const defaultSettings: DeploymentSettings = deploymentSettingsSchema.parse({});

/**
 * A cdk.json value as the environment would give it: a list comma-separated, and a map (MAILBOXES:
 * `{ "planning@…": "planning.team@…" }`) as `address=delivery-address` pairs.
 */
function settingText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([key, item]) => `${key}=${String(item)}`)
      .join(',');
  return String(value);
}

/**
 * Reads the deployment settings from the cdk.json context (`"contact-screening": { ... }`) and the
 * environment of `cdk synth` (which wins), validated by the same schemas as the handlers: a bad one stops
 * the synth with a message naming it.
 */
export function deploymentSettingsFrom(
  env: Record<string, string | undefined>,
  context: Record<string, unknown> = {},
): DeploymentSettings {
  const fromContext = Object.fromEntries(
    Object.entries(context).map(([key, value]) => [key, settingText(value)]),
  );
  const known = Object.keys(deploymentSettingsSchema.shape);
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([key]) => known.includes(key)));
  const result = deploymentSettingsSchema.safeParse({ ...fromContext, ...fromEnv });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
  }
  return result.data;
}

/** The domain of an address: the SES identity a council usually verifies. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new ConfigError(`${address} is not an email address`);
  return address.slice(at + 1).toLowerCase();
}
