import type { DeliveryDeps } from '../core/deliver';
import { config } from './config';
import { DynamoAlertClaims } from './dynamodb/alert-claims';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoContactCounts } from './dynamodb/contact-counts';
import { DynamoContactLedger } from './dynamodb/contact-ledger';
import { DynamoEventLog } from './dynamodb/event-log';
import { DynamoRegisterStore } from './dynamodb/register-store';
import { eventPublisher } from './eventbridge/publisher';
import { logger } from './observability';
import { sesClient } from './ses/client';
import { SesMailer } from './ses/mailer';

/**
 * The adapters and settings every channel's handler delivers contacts with (DynamoDB register,
 * ledger and counts, SES, EventBridge), from this process's configuration.
 */
export function deliveryDeps(leaseSeconds: number): DeliveryDeps {
  const c = config();
  const documentClient = dynamoDocumentClient();
  return {
    register: new DynamoRegisterStore(documentClient, c.TABLE_NAME),
    ledger: new DynamoContactLedger(documentClient, c.TABLE_NAME),
    mailer: new SesMailer(sesClient(), c.SCREENING_FROM),
    counts: new DynamoContactCounts(documentClient, c.TABLE_NAME),
    alertClaims: new DynamoAlertClaims(documentClient, c.TABLE_NAME),
    eventLog: new DynamoEventLog(documentClient, c.TABLE_NAME),
    events: eventPublisher(),
    thresholds: {
      topic: { count: c.FREQUENCY_TOPIC_COUNT, days: c.FREQUENCY_TOPIC_DAYS },
      allTopics: { count: c.FREQUENCY_ALL_TOPICS_COUNT, days: c.FREQUENCY_ALL_TOPICS_DAYS },
      channels: { count: c.FREQUENCY_CHANNELS_COUNT, days: c.FREQUENCY_CHANNELS_DAYS },
    },
    now: () => new Date().toISOString(),
    settings: {
      serviceInbox: c.SERVICE_INBOX,
      retentionDays: c.CONTACT_RETENTION_DAYS,
      council: { councilName: c.COUNCIL_NAME, postalAddress: c.COUNCIL_POSTAL_ADDRESS },
      leaseSeconds,
    },
    onHandledFailure: (what, error) =>
      logger.warn('handled failure; contact still delivered', {
        what,
        error: error instanceof Error ? error.name : 'unknown',
      }),
  };
}
