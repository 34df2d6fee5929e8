import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { config } from '../adapters/config';
import { dynamoDocumentClient } from '../adapters/dynamodb/client';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoReviewLedger, DynamoReviewRegister } from '../adapters/dynamodb/review-store';
import { eventPublisher } from '../adapters/eventbridge/publisher';
import { logger } from '../adapters/observability';
import { sesClient } from '../adapters/ses/client';
import { SesMailer } from '../adapters/ses/mailer';
import { type ReviewDeps, ReviewIncompleteError, type ReviewSummary, runReview } from '../core/review';

let deps: ReviewDeps | undefined;

/**
 * The daily review's adapters and settings, made once per process. Exported so that the local runtime
 * can run the same job with another clock (`{ ...reviewDeps(), now }`); the deployed handler always
 * uses the real one.
 */
export function reviewDeps(): ReviewDeps {
  if (!deps) {
    const c = config();
    const documentClient = dynamoDocumentClient();
    deps = {
      register: new DynamoReviewRegister(documentClient, c.TABLE_NAME),
      ledger: new DynamoReviewLedger(documentClient, c.TABLE_NAME),
      events: eventPublisher(),
      eventLog: new DynamoEventLog(documentClient, c.TABLE_NAME),
      mailer: new SesMailer(sesClient(), c.SCREENING_FROM),
      contactLog: new DynamoContactLog(documentClient, c.TABLE_NAME),
      settings: { managers: c.MANAGERS },
      now: () => new Date().toISOString(),
      log: logger,
    };
  }
  return deps;
}

/**
 * EventBridge Scheduler (daily, 07:00 Europe/London) → this Lambda, asynchronously. The scheduler's
 * event carries nothing the job needs and is ignored: the job works from the clock. A part that fails
 * fails the invocation (Lambda retries it; what was done is not done again), and after the retries
 * the event goes to the failure queue, which is alarmed on.
 */
export async function handleReview(_event: unknown, _context?: Context): Promise<ReviewSummary> {
  try {
    const summary = await runReview(reviewDeps());
    // Ids and counts only: no names or addresses (P7).
    logger.info('daily review done', { ...summary });
    return summary;
  } catch (error) {
    if (error instanceof ReviewIncompleteError) {
      logger.error('daily review incomplete; the invocation fails and is retried', {
        ...error.summary,
        failures: error.failures,
      });
    }
    throw error;
  }
}

export const handler = middy(handleReview).use(injectLambdaContext(logger, { clearState: true }));
