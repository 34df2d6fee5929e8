import { DynamoAlertOutcomeStore } from '../adapters/dynamodb/alert-outcome-store';
import { DynamoContactCounts } from '../adapters/dynamodb/contact-counts';
import { DynamoContactLog } from '../adapters/dynamodb/contact-log';
import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import type { AlertOutcomeStore } from '../core/alert-outcomes';
import type { IncidentDeps } from '../core/incidents';
import type { ContactLog, EventLog } from '../core/ports';
import type { RecordingDeps } from '../core/recorded-contacts';
import type { RegisterChangeDeps } from '../core/register';
import type { ReportDeps } from '../core/reports';
import type { StepLetterDeps } from '../core/step-letters';
import type { SubjectAccessDeps } from '../core/subject-access';
import type { Instant } from '../core/time';
import type { AwsClients } from '../wiring/clients';
import type { Config } from '../wiring/config';
import { incidentDeps, stepLetterDeps } from '../wiring/incidents';
import { recordingDeps } from '../wiring/recording';
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
  /** Contacts staff record (POST /admin/contacts): screened, counted and kept like any contact. */
  recording: RecordingDeps;
  /** Incidents (5.4.2, 5.7, 5.8, 3.3, 6.1): recorded, filed, and the managers told (EventBridge). */
  incidents: IncidentDeps;
  /** The letters before a restriction (7.2.1, 7.2.2, 5.9). */
  stepLetters: StepLetterDeps;
  /** The monitoring report (13.1): day totals, the register, alerts and their outcomes. */
  reports: ReportDeps;
  /** ADMIN_TOKEN: the bearer token of a local run; in AWS unset (the API's IAM authoriser stands in front). */
  adminToken?: string;
  now: () => Instant;
}

/** The admin API's dependencies, one clock for the register and the views. */
export function adminApiDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'eventBridge'>,
): AdminApiDeps {
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
    recording: { ...recordingDeps(config, clients), now },
    incidents: incidentDeps(config, clients, now),
    stepLetters: stepLetterDeps(config, clients, now),
    reports: {
      store: register.store,
      totals: new DynamoReportTotals(clients.dynamodb, config.TABLE_NAME),
      alerts: eventLog,
      outcomes,
      // Recording an incident counts it (recordIncidentTotals in core/incidents/record-incident.ts).
      incidentsRecorded: true,
    },
    ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
    now,
  };
}
