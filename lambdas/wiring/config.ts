import { z } from 'zod';
import { eventBusName } from '../adapters/eventbridge/rules';
import { parseMailboxMap } from '../core/mailboxes';

const mailbox = z.email({ error: 'must be an email address' });
const mailboxList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(mailbox));
const optionalUrl = z.url({ error: 'must be a URL such as http://127.0.0.1:8000' }).optional();

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(fallback)
    .transform((value) => value === 'true');

/** The safeguarding steps when the council has set none (a council replaces them with its own). */
export const defaultSafeguardingGuidance = [
  '1. If anyone is in immediate danger, call 999 now.',
  '2. A threat to staff or others: tell the police (101, or 999 if urgent) and the member of staff named, and keep the contact unchanged as evidence (3.3, 6.1).',
  '3. A risk of self-harm: contact the person today if it is safe to, give them the Samaritans number (116 123), and refer them to adult social care safeguarding (3.2.5).',
  '4. Tell the designated safeguarding lead, and record what was done and when on the customer in the staff console.',
].join('\n');

/**
 * The notify function's own setting, validated like the rest (and picked by the deployment's
 * settings, lib/settings.ts).
 */
export const notifySettingsSchema = z.object({
  /** Whether managers are also told about each contact routed under a restriction. */
  NOTIFY_RESTRICTED_ROUTED: flag('false'),
});

export type NotifySettings = z.infer<typeof notifySettingsSchema>;

/**
 * The settings every function is built from (each function's deps.ts takes what it needs), read
 * once from the environment by the default wiring and validated, so that a missing or wrong setting
 * fails with a message that names it. Endpoints are only set locally (emulators); in AWS they are
 * absent and the SDK uses the real service. `local/` and the tests make this object themselves.
 */
export const configSchema = z.object({
  TABLE_NAME: z.string().min(1).default('contact-screening'),
  AWS_REGION: z.string().min(1).default('eu-west-2'),
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  /** Locally, the local bus (it speaks EventBridge's PutEvents); in AWS unset. */
  EVENTBRIDGE_ENDPOINT: optionalUrl,
  EVENT_BUS_NAME: z.string().min(1).default(eventBusName),
  /** Where the contact form's endpoint queues accepted submissions for screening (SQS; in AWS set by the stack). */
  FORM_QUEUE_URL: z.url({ error: 'must be the URL of the SQS queue' }).optional(),
  /** An SQS endpoint, where one stands in for SQS (`npm start` queues in-process and leaves it unset). */
  SQS_ENDPOINT: optionalUrl,
  COUNCIL_DOMAINS: z
    .string()
    .default('council.example')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter(Boolean),
    ),
  SERVICE_INBOX: mailbox.default('customer.services@council.example'),
  /** The staff console's address (its origin): forwards link to the contact and the customer there. */
  STAFF_CONSOLE_URL: z.url({ error: 'must be the address the staff console is served at' }).optional(),
  /**
   * The council's mailboxes: `address=delivery-address,…`. Unrestricted mail goes to the mailbox of
   * the address it was sent to; other addresses at COUNCIL_DOMAINS to SERVICE_INBOX. Kept as the
   * text (the deployment passes it on as it is), checked here; core/mailboxes.ts reads it.
   */
  MAILBOXES: z
    .string()
    .default('')
    .superRefine((value, context) => {
      try {
        parseMailboxMap(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /** Managers told of alerts. Empty is allowed: alerts are then only recorded (GET /admin/events). */
  MANAGERS: mailboxList.default(['managers@council.example']),
  SCREENING_FROM: mailbox.default('screening@council.example'),
  /** Where the SES receipt rule's S3 action stores raw inbound mail: `<MAIL_PREFIX><messageId>`. */
  MAIL_BUCKET: z.string().min(3).default('contact-screening-mail'),
  MAIL_PREFIX: z.string().default(''),
  /**
   * The largest original (bytes) attached to a forward; larger ones stay in S3 and the summary says
   * where. SendRawEmail takes 10 MB after encoding, and base64 grows a binary original by a third.
   */
  MAX_ATTACHED_ORIGINAL_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 1024 * 1024),
  /** Whether customers get the service's normal acknowledgement of their email. */
  SEND_ACKNOWLEDGEMENTS: flag('true'),
  /** The council's name and postal address, used in acknowledgements and the "write instead" notice (7.3.2). */
  COUNCIL_NAME: z.string().min(1).default('Example Borough Council'),
  COUNCIL_POSTAL_ADDRESS: z
    .string()
    .min(1)
    .default('Customer Services, Council Offices, The Campus, Example Town, AL10 0ZZ'),
  /** The telephone number informing letters give for questions about a restriction (8.1). */
  COUNCIL_PHONE: z.string().trim().min(1).max(40).optional(),
  /** How long contact records are kept before DynamoDB TTL removes them (P7). */
  CONTACT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  /** Case references in subjects and bodies (a regular expression, matched case-insensitively). */
  CASE_REFERENCE_PATTERN: z
    .string()
    .default('\\b[A-Z]{2,5}-\\d{3,8}\\b')
    .refine(
      (pattern) => {
        try {
          new RegExp(pattern, 'i');
          return true;
        } catch {
          return false;
        }
      },
      { error: 'must be a valid regular expression' },
    ),
  /** The web form's topics (comma-separated); the page and the endpoint use the same list. */
  CONTACT_TOPICS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(1).max(100)).min(1, { error: 'must list at least one topic' }).optional()),
  /** Origins allowed to call POST /contact from a browser (comma-separated); none: same origin only. */
  FORM_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ error: 'must list origins such as https://www.council.example' }))),
  /** Service protection for the form (not the policy's frequency counting): submissions per window. */
  FORM_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(60),
  FORM_RATE_LIMIT_PER_IDENTITY: z.coerce.number().int().positive().default(10),
  FORM_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
  PRIVACY_NOTICE_URL: z.string().min(1).default('/privacy.html'),
  /**
   * Where the form's page is published, when it is not served from the API's own address (in AWS
   * the web team hosts web/): pages the endpoint renders for a plain form post link back to it and
   * load its style sheet and script from there.
   */
  FORM_PAGE_URL: z.url({ error: 'must be the URL of the contact form page' }).optional(),
  /**
   * Frequency alert thresholds (4.2.7, 4.2.8, 4.2.12): contacts on one topic, contacts on all
   * topics, and distinct channels, each within a number of days.
   */
  FREQUENCY_TOPIC_COUNT: z.coerce.number().int().min(2).default(5),
  FREQUENCY_TOPIC_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  FREQUENCY_ALL_TOPICS_COUNT: z.coerce.number().int().min(2).default(15),
  FREQUENCY_ALL_TOPICS_DAYS: z.coerce.number().int().min(1).max(60).default(30),
  FREQUENCY_CHANNELS_COUNT: z.coerce.number().int().min(2).default(3),
  FREQUENCY_CHANNELS_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /**
   * The council's safeguarding steps (3.2.5, 3.3, 6.1): carried by every SafeguardingConcernRaised
   * and shown in the managers' urgent email. Plain text; a council sets its own.
   */
  SAFEGUARDING_GUIDANCE: z
    .string()
    .trim()
    .min(20, { error: 'must say what staff do (at least 20 characters)' })
    .max(2000, { error: 'must be at most 2000 characters' })
    .default(defaultSafeguardingGuidance),
  /**
   * What scores a contact's words: the in-process detector (the default, no network), or Amazon
   * Comprehend DetectToxicContent beside it (`comprehend`, AWS only; self-harm stays in-process).
   */
  CONTENT_SCORER: z
    .enum(['in-process', 'comprehend'], { error: 'must be in-process or comprehend' })
    .default('in-process'),
  /** Where Comprehend is called when CONTENT_SCORER=comprehend (toxicity detection is not in every region). */
  COMPREHEND_REGION: z.string().min(1).optional(),
  /** Where the staff console's built style sheet and script are (beside the bundle in AWS, .build/ locally). */
  STAFF_ASSETS_DIR: z.string().min(1).optional(),
  /** Local runs only: the admin API's bearer token. In AWS the API's IAM authoriser stands in front. */
  ADMIN_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /**
   * Powertools' own switch, read here too so that whoever builds the configuration decides: the local
   * stack and the tests turn metrics off (no CloudWatch there), AWS leaves them on.
   */
  POWERTOOLS_METRICS_DISABLED: flag('false'),
  ...notifySettingsSchema.shape,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses settings with `schema`, or fails with one message naming every bad setting. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
  }
  return result.data;
}

/** The configuration from these settings (the default wiring passes `process.env`). */
export function readConfig(env: Record<string, string | undefined>): Config {
  return parseSettings(configSchema, env);
}

export function readNotifySettings(env: Record<string, string | undefined>): NotifySettings {
  return parseSettings(notifySettingsSchema, env);
}
