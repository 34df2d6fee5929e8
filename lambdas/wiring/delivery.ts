import { comprehendContentScorer } from '../adapters/comprehend/content-scorer';
import { DynamoAlertClaims } from '../adapters/dynamodb/alert-claims';
import { DynamoContactCounts } from '../adapters/dynamodb/contact-counts';
import { DynamoContactLedger } from '../adapters/dynamodb/contact-ledger';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher';
import { logger } from '../adapters/observability';
import { SesMailer } from '../adapters/ses/mailer';
import type { DeliveryDeps } from '../core/deliver';
import { parseMailboxMap } from '../core/mailboxes';
import { type ContentScorer, inProcessContentScorer, warmUpDetector } from '../core/signals';
import type { AwsClients } from './clients';
import type { Config } from './config';

/**
 * What every channel's function delivers contacts with (the DynamoDB register, ledger and counts,
 * SES, EventBridge), from the configuration: a plain mapping, one line per port.
 */
export function deliveryDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'ses' | 'eventBridge'>,
  leaseSeconds: number,
): DeliveryDeps {
  const { dynamodb } = clients;
  return {
    register: new DynamoRegisterStore(dynamodb, config.TABLE_NAME),
    ledger: new DynamoContactLedger(dynamodb, config.TABLE_NAME),
    mailer: new SesMailer(clients.ses, config.SCREENING_FROM),
    counts: new DynamoContactCounts(dynamodb, config.TABLE_NAME),
    alertClaims: new DynamoAlertClaims(dynamodb, config.TABLE_NAME),
    eventLog: new DynamoEventLog(dynamodb, config.TABLE_NAME),
    reportTotals: new DynamoReportTotals(dynamodb, config.TABLE_NAME),
    events: new EventBridgePublisher(clients.eventBridge, config.EVENT_BUS_NAME),
    contentScorer: contentScorerOf(config),
    thresholds: {
      topic: { count: config.FREQUENCY_TOPIC_COUNT, days: config.FREQUENCY_TOPIC_DAYS },
      allTopics: { count: config.FREQUENCY_ALL_TOPICS_COUNT, days: config.FREQUENCY_ALL_TOPICS_DAYS },
      channels: { count: config.FREQUENCY_CHANNELS_COUNT, days: config.FREQUENCY_CHANNELS_DAYS },
    },
    now: () => new Date().toISOString(),
    settings: {
      serviceInbox: config.SERVICE_INBOX,
      mailboxes: parseMailboxMap(config.MAILBOXES),
      councilDomains: config.COUNCIL_DOMAINS,
      ...(config.STAFF_CONSOLE_URL ? { consoleUrl: config.STAFF_CONSOLE_URL } : {}),
      retentionDays: config.CONTACT_RETENTION_DAYS,
      council: { councilName: config.COUNCIL_NAME, postalAddress: config.COUNCIL_POSTAL_ADDRESS },
      leaseSeconds,
      safeguardingGuidance: config.SAFEGUARDING_GUIDANCE,
    },
    onHandledFailure: (what, error) =>
      logger.warn('handled failure; contact still delivered', {
        what,
        error: error instanceof Error ? error.name : 'unknown',
      }),
  };
}

/**
 * The content scorer CONTENT_SCORER names: the in-process detector (built now, so that the first
 * contact is not slower), or Amazon Comprehend beside it, falling back to in-process alone if
 * Comprehend fails (its failure is logged by name only, P7).
 */
function contentScorerOf(config: Config): ContentScorer {
  warmUpDetector();
  if (config.CONTENT_SCORER !== 'comprehend') return inProcessContentScorer();
  return comprehendContentScorer(
    { region: config.COMPREHEND_REGION ?? config.AWS_REGION },
    {
      onFailure: (error) =>
        logger.warn('Comprehend could not score a contact; scored in-process only', {
          error: error instanceof Error ? error.name : 'unknown',
        }),
    },
  );
}
