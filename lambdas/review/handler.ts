import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { createEventBridgeClient } from '../adapters/eventbridge/client';
import { logger } from '../adapters/observability';
import { createSesClient } from '../adapters/ses/client';
import { type ReviewDeps, ReviewIncompleteError, type ReviewSummary, runReview } from '../core/review';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { reviewDeps } from './deps';

/**
 * EventBridge Scheduler (daily, 07:00 Europe/London) → this Lambda, asynchronously. The scheduler's
 * event carries nothing the job needs and is ignored: the job works from the clock (`deps.now`). A
 * part that fails fails the invocation (Lambda retries it; what was done is not done again), and
 * after the retries the event goes to the failure queue, which is alarmed on.
 */
export function createReviewHandler(deps: ReviewDeps) {
  async function handleReview(_event: unknown): Promise<ReviewSummary> {
    try {
      const summary = await runReview(deps);
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

  return middy(handleReview).use(injectLambdaContext(logger, { clearState: true }));
}

/** The deployed function: wired from the environment on first use, its clients kept for the process. */
export const handler = handlerFromEnvironment((config) =>
  createReviewHandler(
    reviewDeps(config, {
      dynamodb: createDynamoDocumentClient(config),
      ses: createSesClient(config),
      eventBridge: createEventBridgeClient(config),
    }),
  ),
);
