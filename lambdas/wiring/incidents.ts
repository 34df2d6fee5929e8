import { DynamoEventLog } from '../adapters/dynamodb/event-log';
import { DynamoIncidentStore } from '../adapters/dynamodb/incident-store';
import { DynamoRegisterStore } from '../adapters/dynamodb/register-store';
import { DynamoReportTotals } from '../adapters/dynamodb/report-totals';
import { DynamoStepLetterStore } from '../adapters/dynamodb/step-letter-store';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher';
import { logger } from '../adapters/observability';
import { renderLetterPdf } from '../adapters/pdf/letter-pdf';
import type { IncidentDeps } from '../core/incidents';
import type { StepLetterDeps } from '../core/step-letters';
import type { AwsClients } from './clients';
import type { Config } from './config';

/**
 * What recording incidents needs (the incident store, the register, EventBridge and the event log)
 * and what the letters before a restriction need (their store, the register, the PDF renderer and the
 * council's details), from the configuration: the admin API and the staff console share these.
 */
export function incidentDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb' | 'eventBridge'>,
  now?: () => string,
): IncidentDeps {
  return {
    incidents: new DynamoIncidentStore(clients.dynamodb, config.TABLE_NAME),
    register: new DynamoRegisterStore(clients.dynamodb, config.TABLE_NAME),
    events: new EventBridgePublisher(clients.eventBridge, config.EVENT_BUS_NAME),
    eventLog: new DynamoEventLog(clients.dynamodb, config.TABLE_NAME),
    ...(now ? { now } : {}),
    log: logger,
    reportTotals: new DynamoReportTotals(clients.dynamodb, config.TABLE_NAME),
  };
}

export function stepLetterDeps(
  config: Config,
  clients: Pick<AwsClients, 'dynamodb'>,
  now?: () => string,
): StepLetterDeps {
  return {
    letters: new DynamoStepLetterStore(clients.dynamodb, config.TABLE_NAME),
    register: new DynamoRegisterStore(clients.dynamodb, config.TABLE_NAME),
    incidents: new DynamoIncidentStore(clients.dynamodb, config.TABLE_NAME),
    renderer: { pdf: renderLetterPdf },
    council: {
      name: config.COUNCIL_NAME,
      postalAddress: config.COUNCIL_POSTAL_ADDRESS,
      contactEmail: config.SERVICE_INBOX,
      ...(config.COUNCIL_PHONE ? { contactPhone: config.COUNCIL_PHONE } : {}),
    },
    ...(now ? { now } : {}),
  };
}
