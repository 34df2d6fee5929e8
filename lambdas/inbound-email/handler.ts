import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { config } from '../adapters/config';
import { dynamoDocumentClient } from '../adapters/dynamodb/client';
import { DynamoContactLedger } from '../adapters/dynamodb/contact-ledger';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { logger } from '../adapters/observability';
import { s3Client } from '../adapters/s3/client';
import { S3InboundMailSource } from '../adapters/s3/inbound-mail-source';
import { sesClient } from '../adapters/ses/client';
import { SesMailer } from '../adapters/ses/mailer';
import { type InboundDeps, type InboundResult, processInboundMail } from '../core/inbound';
import { parseOrThrow } from '../core/validation';
import { type SesReceiptRecord, sesReceiptEventSchema } from './schema';

let deps: InboundDeps | undefined;

/** Adapters and settings, made once per process and reused across invocations. */
function inboundDeps(): InboundDeps {
  if (!deps) {
    const c = config();
    const documentClient = dynamoDocumentClient();
    deps = {
      source: new S3InboundMailSource(s3Client(), c.MAIL_BUCKET, c.MAIL_PREFIX),
      register: new DynamoRegisterStore(documentClient, c.TABLE_NAME),
      ledger: new DynamoContactLedger(documentClient, c.TABLE_NAME),
      mailer: new SesMailer(sesClient(), c.SCREENING_FROM),
      now: () => new Date().toISOString(),
      settings: {
        serviceInbox: c.SERVICE_INBOX,
        councilDomains: c.COUNCIL_DOMAINS,
        sendAcknowledgements: c.SEND_ACKNOWLEDGEMENTS,
        maxAttachedOriginalBytes: c.MAX_ATTACHED_ORIGINAL_BYTES,
        retentionDays: c.CONTACT_RETENTION_DAYS,
        council: { councilName: c.COUNCIL_NAME, postalAddress: c.COUNCIL_POSTAL_ADDRESS },
        leaseSeconds: 90,
        caseReferencePattern: new RegExp(c.CASE_REFERENCE_PATTERN, 'i'),
      },
      onHandledFailure: (what, error) =>
        logger.warn('handled failure; contact still delivered', {
          what,
          error: error instanceof Error ? error.name : 'unknown',
        }),
    };
  }
  return deps;
}

function eventOf(record: SesReceiptRecord) {
  const { mail, receipt } = record.ses;
  return {
    messageId: mail.messageId,
    receivedAt: new Date(mail.timestamp).toISOString(),
    envelopeSender: mail.source,
    verdicts: {
      spf: receipt.spfVerdict.status,
      dkim: receipt.dkimVerdict.status,
      dmarc: receipt.dmarcVerdict.status,
      spam: receipt.spamVerdict.status,
      virus: receipt.virusVerdict.status,
    },
  };
}

/**
 * SES receipt rule → (S3 action stored the raw message) → this Lambda. Each record is screened
 * and forwarded once. An event that is not an SES receipt event is refused loudly: it goes to
 * the failure destination, not silently away (P1).
 */
export async function handleInboundEmail(event: unknown, _context?: Context): Promise<InboundResult[]> {
  const parsed = parseOrThrow(sesReceiptEventSchema, event);
  const results: InboundResult[] = [];
  for (const record of parsed.Records) {
    const result = await processInboundMail(eventOf(record), inboundDeps());
    logger.info('inbound email processed', {
      messageId: record.ses.mail.messageId,
      reference: result.reference,
      status: result.status,
      ...(result.status === 'forwarded' ? { route: result.route, acknowledged: result.acknowledged } : {}),
    });
    results.push(result);
  }
  return results;
}

export const handler = middy(handleInboundEmail).use(injectLambdaContext(logger, { clearState: true }));
