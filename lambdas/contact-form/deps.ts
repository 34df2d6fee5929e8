import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { createMetrics } from '../adapters/observability';
import type { FormDeps } from '../core/form';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { deliveryDeps } from '../wiring/delivery';
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

export interface ContactFormDeps extends FormDeps {
  site: ContactFormSite;
  metrics: Metrics;
}

/** The contact form function's dependencies: the delivery adapters, its rate limits and its page settings. */
export function contactFormDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'ses' | 'eventBridge'>,
): ContactFormDeps {
  const base = deliveryDeps(config, clients, 30);
  return {
    ...base,
    rateLimiter: new DynamoRateLimiter(clients.dynamodb, config.TABLE_NAME),
    settings: {
      ...base.settings,
      caseReferencePattern: new RegExp(config.CASE_REFERENCE_PATTERN, 'i'),
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
  };
}
