import { DynamoContactCounts } from '../adapters/dynamodb/contact-counts';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoIncidentStore } from '../adapters/dynamodb/incident-store';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { renderLetterPdf } from '../adapters/pdf/letter-pdf';
import type { RegisterChangeDeps } from '../core/register';
import type { AwsClients } from './clients';
import type { Config } from './config';

/** The register with everything changing it needs (letters are rendered as PDF with pdfkit), from the configuration. */
export function registerChangeDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb'>,
): RegisterChangeDeps {
  return {
    store: new DynamoRegisterStore(clients.dynamodb, config.TABLE_NAME),
    letters: { pdf: renderLetterPdf },
    history: {
      counts: new DynamoContactCounts(clients.dynamodb, config.TABLE_NAME),
      log: new DynamoContactLog(clients.dynamodb, config.TABLE_NAME),
      incidents: new DynamoIncidentStore(clients.dynamodb, config.TABLE_NAME),
    },
    council: {
      name: config.COUNCIL_NAME,
      postalAddress: config.COUNCIL_POSTAL_ADDRESS,
      contactEmail: config.SERVICE_INBOX,
      ...(config.COUNCIL_PHONE ? { contactPhone: config.COUNCIL_PHONE } : {}),
    },
  };
}
