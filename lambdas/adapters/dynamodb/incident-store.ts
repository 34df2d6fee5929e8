import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Incident, incidentAudit } from '../../core/incidents';
import type { IncidentJoin, IncidentStore } from '../../core/incidents/ports';
import type { AuditEntry } from '../../core/ports';
import { type Item, queryAll } from './batch';
import { withoutKeys } from './letter-items';
import { putIfAbsent } from './put-if-absent';
import { keys } from './table-design';

/**
 * Incidents on the single table: the record once (`INCIDENT#<id>`), filed under each subject
 * (`INCIDENTS#<customerId or idn_…>`, a copy each) so that a customer's incidents are one query.
 * Conditional puts and puts of the same item only: the same on DynamoDB and dynalite.
 */
export class DynamoIncidentStore implements IncidentStore, IncidentJoin {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  create(incident: Incident): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      PK: keys.incident(incident.id),
      SK: keys.incidentSk,
      entity: 'incident',
      ...incident,
    });
  }

  async load(incidentId: string): Promise<Incident | undefined> {
    const output = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.incident(incidentId), SK: keys.incidentSk },
        ConsistentRead: true,
      }),
    );
    return output.Item ? incidentOf(output.Item) : undefined;
  }

  async file(incident: Incident, audit?: AuditEntry): Promise<void> {
    await Promise.all(incident.subjects.map((subject) => this.putFiled(incident, subject)));
    // 12.1: its audit entry once, whatever the number of attempts (the entry's id follows the incident's).
    if (audit) await putIfAbsent(this.client, this.tableName, auditItem(audit));
  }

  async markPublished(incidentId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.incident(incidentId), SK: keys.incidentSk },
        UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async listOfCustomer(customerId: string): Promise<Incident[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.incidentsFiled(customerId) },
      ConsistentRead: true,
    });
    return items.map(incidentOf);
  }

  async joinIncidents(subjectId: string, customerId: string): Promise<number> {
    const filed = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.incidentsFiled(subjectId) },
      ConsistentRead: true,
    });
    let joined = 0;
    for (const item of filed) {
      const incident = incidentOf(item);
      // The record says whom it joined (subject access, the incident page); ADD of a set is idempotent.
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { PK: keys.incident(incident.id), SK: keys.incidentSk },
            UpdateExpression: 'ADD joinedTo :customer',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':customer': new Set([customerId]) },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const copy = { ...incident, customerId };
      if (await this.putFiledOnce(copy, customerId)) {
        joined += 1;
        await putIfAbsent(
          this.client,
          this.tableName,
          auditItem(incidentAudit(copy, customerId, 'incidents-joined')),
        );
      }
    }
    return joined;
  }

  private putFiledItem(incident: Incident, subject: string): Item {
    return {
      PK: keys.incidentsFiled(subject),
      SK: keys.incidentsFiledSk(incident.at, incident.id),
      entity: 'incident-filed',
      ...incident,
    };
  }

  private async putFiled(incident: Incident, subject: string) {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: this.putFiledItem(incident, subject) }),
    );
  }

  private putFiledOnce(incident: Incident, subject: string) {
    return putIfAbsent(this.client, this.tableName, this.putFiledItem(incident, subject));
  }
}

function incidentOf(item: Item): Incident {
  const { joinedTo: _joined, ...incident } = withoutKeys<Incident & { joinedTo?: Set<string> }>(item);
  return incident;
}

const auditItem = (audit: AuditEntry): Item => ({
  PK: keys.audit(audit.customerId),
  SK: keys.auditSk(audit.at, audit.id),
  entity: 'audit',
  ...audit,
});
