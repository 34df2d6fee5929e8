import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, recordContactScreened, recordScreeningFailure } from '../adapters/observability';
import type { MailVerdicts } from '../core/contact';
import { ContactBusyError } from '../core/deliver';
import { type InboundMailEvent, type InboundResult, processInboundMail } from '../core/inbound';
import { fieldProblems, parseOrThrow, ValidationError } from '../core/validation';
import { createAwsClients } from '../wiring/clients';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { type InboundEmailDeps, inboundEmailDeps } from './deps';
import {
  type SesReceiptRecord,
  sesMessageOnlySchema,
  sesReceiptEnvelopeSchema,
  sesReceiptRecordSchema,
} from './schema';

const unknownVerdicts: MailVerdicts = {
  spf: 'UNKNOWN',
  dkim: 'UNKNOWN',
  dmarc: 'UNKNOWN',
  spam: 'UNKNOWN',
  virus: 'UNKNOWN',
};

function eventOf(record: SesReceiptRecord): InboundMailEvent {
  const { mail, receipt } = record.ses;
  // The schema requires one timestamp and one list of recipients.
  const timestamp = (mail.timestamp ?? receipt?.timestamp) as string;
  return {
    messageId: mail.messageId,
    receivedAt: new Date(timestamp).toISOString(),
    ...(mail.source === undefined ? {} : { envelopeSender: mail.source }),
    recipients: receipt?.recipients ?? mail.destination ?? [],
    verdicts: receipt
      ? {
          spf: receipt.spfVerdict,
          dkim: receipt.dkimVerdict,
          dmarc: receipt.dmarcVerdict,
          spam: receipt.spamVerdict,
          virus: receipt.virusVerdict,
        }
      : unknownVerdicts,
  };
}

/**
 * Reads one record. One that cannot be read but names its message is still delivered: forwarded
 * unscreened from S3, saying why (P1). One without even that is a ValidationError naming the fields.
 */
function readRecord(record: unknown, index: number, now: () => string): InboundMailEvent | ValidationError {
  const parsed = sesReceiptRecordSchema.safeParse(record);
  if (parsed.success) return eventOf(parsed.data);
  const problems = fieldProblems(parsed.error);
  const stored = sesMessageOnlySchema.safeParse(record);
  if (!stored.success)
    return new ValidationError(problems.map((p) => ({ ...p, field: `Records.${index}.${p.field}` })));
  return {
    messageId: stored.data.ses.mail.messageId,
    receivedAt: now(),
    verdicts: unknownVerdicts,
    unreadableReceipt: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
  };
}

/**
 * SES receipt rule → (S3 action stored the raw message) → this Lambda. Each record is screened
 * and forwarded once. Whatever AWS adds or leaves out, a record that names its stored message is
 * delivered; an event that is not an SES receipt event at all is refused loudly, after the
 * records that could be delivered: it goes to the failure destination, not silently away (P1).
 */
export function createInboundEmailHandler(deps: InboundEmailDeps) {
  async function handleInboundEmail(event: unknown): Promise<InboundResult[]> {
    const { Records } = parseOrThrow(sesReceiptEnvelopeSchema, event);
    const results: InboundResult[] = [];
    const unreadable: ValidationError[] = [];
    for (const [index, record] of Records.entries()) {
      const inbound = readRecord(record, index, deps.now);
      if (inbound instanceof ValidationError) {
        unreadable.push(inbound);
        continue;
      }
      const result = await processInboundMail(inbound, deps).catch((error: unknown) => {
        // Another attempt holding the message is no failure: it is being delivered.
        if (!(error instanceof ContactBusyError)) recordScreeningFailure(deps.metrics, 'email');
        throw error;
      });
      logger.info('inbound email processed', {
        messageId: inbound.messageId,
        reference: result.reference,
        status: result.status,
        ...(inbound.unreadableReceipt ? { receipt: 'unreadable' } : {}),
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
    if (unreadable.length > 0) {
      recordScreeningFailure(deps.metrics, 'email');
      throw new ValidationError(unreadable.flatMap((error) => error.problems));
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
