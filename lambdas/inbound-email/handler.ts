import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, recordContactScreened, recordScreeningFailure } from '../adapters/observability';
import { ContactBusyError } from '../core/deliver';
import { type InboundResult, processInboundMail } from '../core/inbound';
import { parseOrThrow } from '../core/validation';
import { createAwsClients } from '../wiring/clients';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { type InboundEmailDeps, inboundEmailDeps } from './deps';
import { type SesReceiptRecord, sesReceiptEventSchema } from './schema';

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
export function createInboundEmailHandler(deps: InboundEmailDeps) {
  async function handleInboundEmail(event: unknown): Promise<InboundResult[]> {
    const parsed = parseOrThrow(sesReceiptEventSchema, event);
    const results: InboundResult[] = [];
    for (const record of parsed.Records) {
      const result = await processInboundMail(eventOf(record), deps).catch((error: unknown) => {
        // Another attempt holding the message is no failure: it is being delivered.
        if (!(error instanceof ContactBusyError)) recordScreeningFailure(deps.metrics, 'email');
        throw error;
      });
      logger.info('inbound email processed', {
        messageId: record.ses.mail.messageId,
        reference: result.reference,
        status: result.status,
        ...(result.status === 'forwarded' ? { route: result.route, acknowledged: result.acknowledged } : {}),
      });
      if (result.status === 'forwarded') {
        recordContactScreened(deps.metrics, {
          channel: 'email',
          route: result.route,
          alertsRaised: result.alertsRaised,
        });
      }
      results.push(result);
    }
    return results;
  }

  return middy(handleInboundEmail)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(deps.metrics));
}

/** The deployed function: wired from the environment on first use, its clients kept for the process. */
export const handler = handlerFromEnvironment((config) =>
  createInboundEmailHandler(inboundEmailDeps(config, createAwsClients(config))),
);
