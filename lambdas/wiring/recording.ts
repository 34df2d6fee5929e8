import { DynamoAlertClaims } from '../adapters/dynamodb/alert-claims';
import { DynamoContactCounts } from '../adapters/dynamodb/contact-counts';
import { DynamoContactLedger } from '../adapters/dynamodb/contact-ledger';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher';
import { logger } from '../adapters/observability';
import { parseMailboxMap } from '../core/mailboxes';
import type { RecordingDeps } from '../core/recorded-contacts';
import type { AwsClients } from './clients';
import type { Config } from './config';

/**
 * What recording a contact staff took (POST /admin/contacts, the console's form) is built on: the
 * register, the contact ledger and log, and the same frequency counts and alerts as every channel.
 */
export function recordingDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'eventBridge'>,
): RecordingDeps {
  const { dynamodb } = clients;
  return {
    register: new DynamoRegisterStore(dynamodb, config.TABLE_NAME),
    ledger: new DynamoContactLedger(dynamodb, config.TABLE_NAME),
    contacts: new DynamoContactLog(dynamodb, config.TABLE_NAME),
    counts: new DynamoContactCounts(dynamodb, config.TABLE_NAME),
    alertClaims: new DynamoAlertClaims(dynamodb, config.TABLE_NAME),
    eventLog: new DynamoEventLog(dynamodb, config.TABLE_NAME),
    events: new EventBridgePublisher(clients.eventBridge, config.EVENT_BUS_NAME),
    reportTotals: new DynamoReportTotals(dynamodb, config.TABLE_NAME),
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
      retentionDays: config.CONTACT_RETENTION_DAYS,
      // An HTTP request lives at most 30 s (API Gateway); a retry after that finds the lease lapsed.
      leaseSeconds: 30,
      caseReferencePattern: new RegExp(config.CASE_REFERENCE_PATTERN, 'i'),
      safeguardingGuidance: config.SAFEGUARDING_GUIDANCE,
    },
    onHandledFailure: (what, error) =>
      logger.warn('handled failure; contact still recorded', {
        what,
        error: error instanceof Error ? error.name : 'unknown',
      }),
  };
}
