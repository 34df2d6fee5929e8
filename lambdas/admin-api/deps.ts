import { DynamoAlertOutcomeStore } from '../adapters/dynamodb/alert-outcome-store';
import { DynamoContactCounts } from '../adapters/dynamodb/contact-counts';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import type { AlertOutcomeStore } from '../core/alert-outcomes';
import type { ContactLog, EventLog } from '../core/ports';
import type { RegisterChangeDeps } from '../core/register';
import type { ReportDeps } from '../core/reports';
import type { SubjectAccessDeps } from '../core/subject-access';
import type { Instant } from '../core/time';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { registerChangeDeps } from '../wiring/register';

export interface AdminApiDeps {
  /** The register and what changing it needs (letters, the council's details). */
  register: RegisterChangeDeps;
  /** Where an unrestricted contact goes, for the screening preview (SERVICE_INBOX). */
  serviceInbox: string;
  contacts: Pick<ContactLog, 'listContactsOfCustomer' | 'loadContactRecords'>;
  /** A sender's frequency counts (subject access). */
  counts: SubjectAccessDeps['counts'];
  /** The alerts raised (GET /admin/alerts, subject access, the attention summary). */
  alerts: Pick<EventLog, 'listAlerts'>;
  /** Managers' recorded outcomes of alerts (4.2.7, 7.2.1). */
  outcomes: AlertOutcomeStore;
  /** The events published (GET /admin/events). */
  events: Pick<EventLog, 'listEvents'>;
  /** The monitoring report (13.1): day totals, the register, alerts and their outcomes. */
  reports: ReportDeps;
  /** ADMIN_TOKEN: the bearer token of a local run; in AWS unset (the API's IAM authoriser stands in front). */
  adminToken?: string;
  now: () => Instant;
}

/** The admin API's dependencies, one clock for the register and the views. */
export function adminApiDeps(config: Config, clients: Pick<AwsClients, 'dynamodb'>): AdminApiDeps {
  const now = () => new Date().toISOString();
  const eventLog = new DynamoEventLog(clients.dynamodb, config.TABLE_NAME);
  const register = { ...registerChangeDeps(config, clients), now };
  const outcomes = new DynamoAlertOutcomeStore(clients.dynamodb, config.TABLE_NAME);
  return {
    register,
    serviceInbox: config.SERVICE_INBOX,
    contacts: new DynamoContactLog(clients.dynamodb, config.TABLE_NAME),
    counts: new DynamoContactCounts(clients.dynamodb, config.TABLE_NAME),
    alerts: eventLog,
    outcomes,
    events: eventLog,
    reports: {
      store: register.store,
      totals: new DynamoReportTotals(clients.dynamodb, config.TABLE_NAME),
      alerts: eventLog,
      outcomes,
      // Incidents are counted once the incidents store calls recordIncidentTotals.
      incidentsRecorded: false,
    },
    ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
    now,
  };
}
