import { config } from './config';
import { DynamoAlertOutcomeStore } from './dynamodb/alert-outcome-store';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoContactLog } from './dynamodb/contact-log';
import { DynamoEventLog } from './dynamodb/event-log';
import { registerChangeDeps } from './register-deps';

/**
 * What the use cases behind the staff console's pages need (the register, the contact log, alerts
 * and their outcomes), from this process's configuration: the admin API and the console build the
 * same, so both call the same use cases on the same stores.
 */
export function staffUseCaseDeps() {
  const { TABLE_NAME } = config();
  const client = dynamoDocumentClient();
  return {
    register: registerChangeDeps(),
    contacts: new DynamoContactLog(client, TABLE_NAME),
    alerts: new DynamoEventLog(client, TABLE_NAME),
    outcomes: new DynamoAlertOutcomeStore(client, TABLE_NAME),
  };
}
