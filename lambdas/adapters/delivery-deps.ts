import type { DeliveryDeps } from '../core/deliver';
import { config } from './config';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoContactLedger } from './dynamodb/contact-ledger';
import { DynamoRegisterStore } from './dynamodb/register-store';
import { logger } from './observability';
import { sesClient } from './ses/client';
import { SesMailer } from './ses/mailer';

/**
 * The adapters and settings every channel's handler delivers contacts with (DynamoDB register
 * and ledger, SES), from this process's configuration.
 */
export function deliveryDeps(leaseSeconds: number): DeliveryDeps {
  const c = config();
  const documentClient = dynamoDocumentClient();
  return {
    register: new DynamoRegisterStore(documentClient, c.TABLE_NAME),
    ledger: new DynamoContactLedger(documentClient, c.TABLE_NAME),
    mailer: new SesMailer(sesClient(), c.SCREENING_FROM),
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
