import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDynamoDocumentClient } from '../adapters/dynamodb/client';
import { logger } from '../adapters/observability';
import { createSesClient } from '../adapters/ses/client';
import { type NotifyDeps, type NotifyResult, notifyManagers } from '../core/notify/notify-managers';
import { handlerFromEnvironment } from '../wiring/from-environment';
import { notifyDeps } from './deps';
import { parseNotifyEvent } from './schema';

/**
 * EventBridge rule NotifyManagers → this Lambda (asynchronous invocation). The event is validated
 * first: a malformed one throws a ValidationError, fails every attempt, and goes to the rule's
 * failure queue — it is not retried forever, and nothing is mailed from it.
 */
export function createNotifyHandler(deps: NotifyDeps) {
  async function handleNotify(event: unknown): Promise<NotifyResult> {
    const parsed = parseNotifyEvent(event);
    const result = await notifyManagers(parsed, deps);
    // Ids and decisions only: no names, addresses or details (P7).
    logger.info('notify handled', {
      eventId: parsed.id,
      detailType: parsed['detail-type'],
      ...result,
    });
    return result;
  }

  return middy(handleNotify).use(injectLambdaContext(logger, { clearState: true }));
}

/** The deployed function: wired from the environment on first use, its clients kept for the process. */
export const handler = handlerFromEnvironment((config) =>
  createNotifyHandler(
    notifyDeps(config, { dynamodb: createDynamoDocumentClient(config), ses: createSesClient(config) }),
  ),
);
