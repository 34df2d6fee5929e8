import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse } from 'aws-lambda';
import { logger, recordContactScreened, recordScreeningFailure } from '../adapters/observability';
import { ContactBusyError } from '../core/deliver';
import { screenFormSubmission } from '../core/form-screening';
import type { QueuedSubmission } from '../core/ports';
import { fieldProblems, parseOrThrow } from '../core/validation';
import { createAwsClients } from '../wiring/clients';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { type FormScreeningDeps, formScreeningDeps } from './deps';
import { queuedSubmissionSchema, type SqsRecord, sqsEventSchema } from './schema';

/** The submission a record carries, or why it carries none (field names only, never values: P7). */
function readSubmission(record: SqsRecord): { submission: QueuedSubmission } | { unreadable: string } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return { unreadable: 'the body is not JSON' };
  }
  const parsed = queuedSubmissionSchema.safeParse(body);
  if (parsed.success) return { submission: parsed.data };
  return {
    unreadable: fieldProblems(parsed.error)
      .map((p) => p.field)
      .join(', '),
  };
}

/**
 * The form's queue (SQS, event source mapping) → this Lambda: each accepted submission is screened,
 * counted and forwarded once (P6). A record that fails, a contact another attempt is delivering
 * (ContactBusyError) included, is reported in batchItemFailures: SQS delivers it again after the
 * visibility timeout, and after five receives moves it to the failure queue, which is alarmed on (P1).
 * A message that cannot be read is reported the same way: never dropped, never half screened.
 * Records are screened concurrently; two with the same reference (a double click) one after the other.
 */
export function createFormScreeningHandler(deps: FormScreeningDeps) {
  async function screenRecord(record: SqsRecord, submission: QueuedSubmission): Promise<boolean> {
    try {
      const result = await screenFormSubmission(submission, deps);
      logger.info('contact form submission screened', {
        messageId: record.messageId,
        reference: result.reference,
        status: result.status,
        route: result.route,
      });
      if (result.status === 'accepted' && result.route) {
        recordContactScreened(deps.metrics, {
          channel: 'web-form',
          route: result.route,
          alertsRaised: result.alertsRaised ?? 0,
        });
      }
      return true;
    } catch (error) {
      const busy = error instanceof ContactBusyError;
      // Another attempt holding the contact is no failure: it is being delivered.
      if (!busy) recordScreeningFailure(deps.metrics, 'web-form');
      logger.warn('contact form submission not screened; SQS delivers it again', {
        messageId: record.messageId,
        reference: submission.reference,
        error: error instanceof Error ? error.name : 'unknown',
        receiveCount: record.attributes?.ApproximateReceiveCount,
      });
      return false;
    }
  }

  async function screenBatch(event: unknown): Promise<SQSBatchResponse> {
    const { Records } = parseOrThrow(sqsEventSchema, event);
    const failures: SQSBatchItemFailure[] = [];
    const byReference = new Map<string, Promise<unknown>>();
    const work = Records.map((record) => {
      const read = readSubmission(record);
      if ('unreadable' in read) {
        recordScreeningFailure(deps.metrics, 'web-form');
        logger.error('form queue message unreadable; left for the failure queue', {
          messageId: record.messageId,
          problem: read.unreadable,
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
        failures.push({ itemIdentifier: record.messageId });
        return Promise.resolve();
      }
      const { reference } = read.submission;
      const previous = byReference.get(reference) ?? Promise.resolve();
      const done = previous.then(async () => {
        if (!(await screenRecord(record, read.submission)))
          failures.push({ itemIdentifier: record.messageId });
      });
      byReference.set(reference, done);
      return done;
    });
    await Promise.all(work);
    return { batchItemFailures: failures };
  }

  return middy(screenBatch)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(deps.metrics));
}

/** The deployed function: wired from the environment on first use, its clients kept for the process. */
export const handler = handlerFromEnvironment((config) =>
  createFormScreeningHandler(formScreeningDeps(config, createAwsClients(config))),
);
