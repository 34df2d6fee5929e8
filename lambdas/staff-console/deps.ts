import { DynamoAlertOutcomeStore } from '../adapters/dynamodb/alert-outcome-store';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { incidentDeps, stepLetterDeps } from '../wiring/incidents';
import { recordingDeps } from '../wiring/recording';
import { registerChangeDeps } from '../wiring/register';
import type { StaffConsoleDeps } from './handler';
import type { ConsoleDeps } from './pages/deps';
import { consolePages } from './pages/index';
import type { AuthSettings } from './settings';
import { consoleUseCases } from './use-cases';

/**
 * The staff console's dependencies: sign-in settings, the pages, and the same register, contact log,
 * alerts, outcomes, incidents and letters the admin API uses, so both call the same use cases on the same stores.
 */
export function staffConsoleDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'eventBridge'>,
  auth: AuthSettings,
  options: { assetsDir?: string; now?: () => Date } = {},
): StaffConsoleDeps<ConsoleDeps> {
  const { dynamodb } = clients;
  const now = options.now ?? (() => new Date());
  const register = { ...registerChangeDeps(config, clients), now: () => now().toISOString() };
  return {
    auth,
    pages: consolePages,
    pageDeps: consoleUseCases({
      register,
      contacts: new DynamoContactLog(dynamodb, config.TABLE_NAME),
      alerts: new DynamoEventLog(dynamodb, config.TABLE_NAME),
      outcomes: new DynamoAlertOutcomeStore(dynamodb, config.TABLE_NAME),
      incidents: incidentDeps(config, clients, register.now),
      stepLetters: stepLetterDeps(config, clients, register.now),
      totals: new DynamoReportTotals(dynamodb, config.TABLE_NAME),
      incidentsRecorded: true,
      now,
      recording: { ...recordingDeps(config, clients), now: () => now().toISOString() },
    }),
    councilName: config.COUNCIL_NAME,
    ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}),
    now,
  };
}
