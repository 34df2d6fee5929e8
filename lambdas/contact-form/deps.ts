import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { createMetrics, logger } from '../adapters/observability';
import { SqsSubmissionQueue } from '../adapters/sqs/submission-queue';
import type { FormAcceptDeps } from '../core/form';
import type { SubmissionQueue } from '../core/ports';
import type { AwsClients } from '../wiring/clients';
import { type Config, ConfigError } from '../wiring/config';
import { defaultTopics } from './schema';

/** What the pages and the OpenAPI document show, and who may post the form from a browser. */
export interface ContactFormSite {
  /** CONTACT_TOPICS: the page and the endpoint use the same list. */
  topics: readonly string[];
  councilName: string;
  privacyNoticeUrl: string;
  /** FORM_PAGE_URL: where the web team publishes the page, when not at the API's own address. */
  formPageUrl?: string;
  /** FORM_ALLOWED_ORIGINS (none: same origin only). */
  allowedOrigins: readonly string[];
}

export interface ContactFormDeps extends FormAcceptDeps {
  site: ContactFormSite;
  metrics: Metrics;
}

/**
 * The contact form function's dependencies: its rate limits (DynamoDB), the queue it accepts
 * submissions into (SQS at FORM_QUEUE_URL, unless `submissions` is given: `npm start` queues
 * in-process) and its page settings. Screening is the form-screening function's.
 */
export function contactFormDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'sqs'>,
  submissions?: SubmissionQueue,
): ContactFormDeps {
  return {
    rateLimiter: new DynamoRateLimiter(clients.dynamodb, config.TABLE_NAME),
    submissions: submissions ?? new SqsSubmissionQueue(clients.sqs, formQueueUrl(config)),
    settings: {
      duplicateWindowSeconds: 600,
      rateLimits: {
        perIp: config.FORM_RATE_LIMIT_PER_IP,
        perIdentity: config.FORM_RATE_LIMIT_PER_IDENTITY,
        windowSeconds: config.FORM_RATE_LIMIT_WINDOW_SECONDS,
      },
    },
    site: {
      topics: config.CONTACT_TOPICS ?? [...defaultTopics],
      councilName: config.COUNCIL_NAME,
      privacyNoticeUrl: config.PRIVACY_NOTICE_URL,
      ...(config.FORM_PAGE_URL ? { formPageUrl: config.FORM_PAGE_URL } : {}),
      allowedOrigins: config.FORM_ALLOWED_ORIGINS,
    },
    metrics: createMetrics({ disabled: config.POWERTOOLS_METRICS_DISABLED }),
    onHandledFailure: (what, error) =>
      logger.warn('handled failure; submission still accepted', {
        what,
        error: error instanceof Error ? error.name : 'unknown',
      }),
  };
}

function formQueueUrl(config: Config): string {
  if (!config.FORM_QUEUE_URL) {
    throw new ConfigError(
      'Invalid configuration — FORM_QUEUE_URL: must be set (the queue the form accepts submissions into)',
    );
  }
  return config.FORM_QUEUE_URL;
}
