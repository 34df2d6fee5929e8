import type { AuditEntry } from '../ports';
import type { Incident } from './incident';

/**
 * Where incidents are kept (the DynamoDB adapter: adapters/dynamodb/incident-store.ts). Every write
 * is conditional or a put of the same item again, so each step is safe to repeat (P6).
 */
export interface IncidentStore {
  /** Stores a new incident; false when one with its id is already stored (a repeated request). */
  create(incident: Incident): Promise<boolean>;
  load(incidentId: string): Promise<Incident | undefined>;
  /**
   * Files the incident under each of its subjects (the customer, or the caller's identities) and,
   * on a customer, appends its audit entry (12.1). Safe to repeat.
   */
  file(incident: Incident, audit?: AuditEntry): Promise<void>;
  /** Notes that its events were published, so a repeated request does not publish them again. */
  markPublished(incidentId: string, at: string): Promise<void>;
  /** The incidents filed on a customer (including those joined from before they were registered), oldest first. */
  listOfCustomer(customerId: string): Promise<Incident[]>;
}

/** Joins the incidents filed under a person's identity to the customer they turn out to be (core/history.ts). */
export interface IncidentJoin {
  /** Files what is under `subjectId` on the customer too; returns how many joined (0 when repeated). */
  joinIncidents(subjectId: string, customerId: string): Promise<number>;
}
