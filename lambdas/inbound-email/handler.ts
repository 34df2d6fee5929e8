import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { config } from '../adapters/config';
import { deliveryDeps } from '../adapters/delivery-deps';
import { logger } from '../adapters/observability';
import { s3Client } from '../adapters/s3/client';
import { S3InboundMailSource } from '../adapters/s3/inbound-mail-source';
import { type InboundDeps, type InboundResult, processInboundMail } from '../core/inbound';
import { parseOrThrow } from '../core/validation';
import { type SesReceiptRecord, sesReceiptEventSchema } from './schema';

let deps: InboundDeps | undefined;

/** Adapters and settings, made once per process and reused across invocations. */
function inboundDeps(): InboundDeps {
  if (!deps) {
    const c = config();
    const base = deliveryDeps(90);
    deps = {
      ...base,
      source: new S3InboundMailSource(s3Client(), c.MAIL_BUCKET, c.MAIL_PREFIX),
      settings: {
        ...base.settings,
        councilDomains: c.COUNCIL_DOMAINS,
        sendAcknowledgements: c.SEND_ACKNOWLEDGEMENTS,
        maxAttachedOriginalBytes: c.MAX_ATTACHED_ORIGINAL_BYTES,
        caseReferencePattern: new RegExp(c.CASE_REFERENCE_PATTERN, 'i'),
      },
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
    recipients: receipt.recipients,
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
