import { DynamoNoticeLedger } from '../adapters/dynamodb/notice-ledger';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { DynamoSenderDirectory } from '../adapters/dynamodb/sender-directory';
import { logger } from '../adapters/observability';
import { SesMailer } from '../adapters/ses/mailer';
import type { NotifyDeps } from '../core/notify/notify-managers';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';

/** The notify function's dependencies: the register, the senders' addresses, the notice markers, SES. */
export function notifyDeps(config: Config, clients: Pick<AwsClients, 'dynamodb' | 'ses'>): NotifyDeps {
  const { dynamodb } = clients;
  return {
    register: new DynamoRegisterStore(dynamodb, config.TABLE_NAME),
    senders: new DynamoSenderDirectory(dynamodb, config.TABLE_NAME),
    notices: new DynamoNoticeLedger(dynamodb, config.TABLE_NAME),
    mailer: new SesMailer(clients.ses, config.SCREENING_FROM),
    settings: {
      managers: config.MANAGERS,
      notifyRestrictedRouted: config.NOTIFY_RESTRICTED_ROUTED,
      safeguardingGuidance: config.SAFEGUARDING_GUIDANCE,
    },
    now: () => new Date().toISOString(),
    log: logger,
  };
}
