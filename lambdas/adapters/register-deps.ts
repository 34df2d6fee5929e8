import type { RegisterChangeDeps } from '../core/register';
import { config } from './config';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoRegisterStore } from './dynamodb/register-store';
import { renderLetterPdf } from './pdf/letter-pdf';

/** The register with everything changing it needs (letters are rendered as PDF with pdfkit), from this process's configuration. */
export function registerChangeDeps(): RegisterChangeDeps {
  const c = config();
  return {
    store: new DynamoRegisterStore(dynamoDocumentClient(), c.TABLE_NAME),
    letters: { pdf: renderLetterPdf },
    council: {
      name: c.COUNCIL_NAME,
      postalAddress: c.COUNCIL_POSTAL_ADDRESS,
      contactEmail: c.SERVICE_INBOX,
      ...(c.COUNCIL_PHONE ? { contactPhone: c.COUNCIL_PHONE } : {}),
    },
  };
}
