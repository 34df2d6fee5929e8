import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { config } from '../adapters/config';
import { dynamoDocumentClient } from '../adapters/dynamodb/client';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { logger } from '../adapters/observability';
import { sesClient } from '../adapters/ses/client';
import { SesMailer } from '../adapters/ses/mailer';
import { DynamoNoticeLedger, DynamoSenderDirectory } from './dynamo-stores';
import { type NotifyDeps, type NotifyResult, notifyManagers } from './notify-managers';
import { parseNotifyEvent } from './schema';
import { readNotifySettings } from './settings';

let deps: NotifyDeps | undefined;

/** Adapters and settings, made once per process and reused across invocations. */
function notifyDeps(): NotifyDeps {
  if (!deps) {
    const c = config();
    const documentClient = dynamoDocumentClient();
    deps = {
      register: new DynamoRegisterStore(documentClient, c.TABLE_NAME),
      senders: new DynamoSenderDirectory(documentClient, c.TABLE_NAME),
      notices: new DynamoNoticeLedger(documentClient, c.TABLE_NAME),
      mailer: new SesMailer(sesClient(), c.SCREENING_FROM),
      settings: {
        managers: c.MANAGERS,
        notifyRestrictedRouted: readNotifySettings().NOTIFY_RESTRICTED_ROUTED,
      },
      now: () => new Date().toISOString(),
      log: logger,
    };
  }
  return deps;
}

/**
 * EventBridge rule NotifyManagers → this Lambda (asynchronous invocation). The event is validated
 * first: a malformed one throws a ValidationError, fails every attempt, and goes to the rule's
 * failure queue — it is not retried forever, and nothing is mailed from it.
 */
export async function handleNotify(event: unknown, _context?: Context): Promise<NotifyResult> {
  const parsed = parseNotifyEvent(event);
  const result = await notifyManagers(parsed, notifyDeps());
  // Ids and decisions only: no names, addresses or details (P7).
  logger.info('notify handled', {
    eventId: parsed.id,
    detailType: parsed['detail-type'],
    ...result,
  });
  return result;
}

export const handler = middy(handleNotify).use(injectLambdaContext(logger, { clearState: true }));
