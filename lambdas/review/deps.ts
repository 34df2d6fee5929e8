import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoReviewLedger, DynamoReviewRegister } from '../adapters/dynamodb/review-store';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher';
import { logger } from '../adapters/observability';
import { SesMailer } from '../adapters/ses/mailer';
import type { ReviewDeps } from '../core/review';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';

/**
 * The daily review's dependencies. Its clock is `now`: the local stack runs the same job "as if it
 * were then" by handing in another (`{ ...reviewDeps(config, clients), now }`).
 */
export function reviewDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'ses' | 'eventBridge'>,
): ReviewDeps {
  const { dynamodb } = clients;
  return {
    register: new DynamoReviewRegister(dynamodb, config.TABLE_NAME),
    ledger: new DynamoReviewLedger(dynamodb, config.TABLE_NAME),
    events: new EventBridgePublisher(clients.eventBridge, config.EVENT_BUS_NAME),
    eventLog: new DynamoEventLog(dynamodb, config.TABLE_NAME),
    mailer: new SesMailer(clients.ses, config.SCREENING_FROM),
    contactLog: new DynamoContactLog(dynamodb, config.TABLE_NAME),
    settings: { managers: config.MANAGERS },
    now: () => new Date().toISOString(),
    log: logger,
  };
}
