import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../core/customer';
import { type IdentityKey, type IdentityKind, identityKeysOf } from '../../core/identity';
import { type AuditEntry, ConflictError, type CustomerRecord, type RegisterStore } from '../../core/ports';
import type { Restriction } from '../../core/restriction';
import { putIfAbsent } from './put-if-absent';
import { keys, tableDesign } from './table-design';

type Item = Record<string, unknown>;

const keyAttributes = [
  tableDesign.partitionKey,
  tableDesign.sortKey,
  tableDesign.gsi1.partitionKey,
  tableDesign.gsi1.sortKey,
  'entity',
];

function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as T;
}

/** BatchGetItem takes at most 100 keys; a contact never has that many identities, but stay within it. */
const maxBatchKeys = 100;
const maxUnprocessedRetries = 5;

/**
 * The restriction register on one DynamoDB table (single-table design, see table-design.ts).
 * Uses only single-item conditional writes, atomic ADD and queries, so it behaves the same on
 * DynamoDB and on dynalite (which has no transactions).
 */
export class DynamoRegisterStore implements RegisterStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findCustomersByIdentities(identities: readonly IdentityKey[]): Promise<Map<string, IdentityKind[]>> {
    const found = new Map<string, IdentityKind[]>();
    const wanted = [...new Map(identities.map((id) => [keys.identity(id.kind, id.value), id])).keys()].slice(
      0,
      maxBatchKeys,
    );
    if (wanted.length === 0) return found;
    let requestKeys: Item[] | undefined = wanted.map((pk) => ({ PK: pk, SK: keys.identitySk }));
    for (let attempt = 0; requestKeys && requestKeys.length > 0; attempt++) {
      if (attempt > maxUnprocessedRetries)
        throw new Error('identity lookup: DynamoDB left keys unprocessed after retries');
      if (attempt > 0) await delay(20 * 2 ** attempt);
      const output: BatchGetCommandOutput = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: requestKeys,
              ProjectionExpression: 'kind, customerIds',
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of output.Responses?.[this.tableName] ?? []) {
        const kind = item.kind as IdentityKind;
        for (const customerId of (item.customerIds as Set<string> | undefined) ?? []) {
          const kinds = found.get(customerId) ?? [];
          if (!kinds.includes(kind)) kinds.push(kind);
          found.set(customerId, kinds);
        }
      }
      requestKeys = output.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    return found;
  }

  async loadCustomer(
    customerId: string,
    options: { inForceAt?: string } = {},
  ): Promise<CustomerRecord | undefined> {
    const query: QueryCommandInput = {
      TableName: this.tableName,
      // PROFILE sorts after AUDIT# and before RESTRICTION#: the audit trail is not read here.
      KeyConditionExpression: 'PK = :pk AND SK >= :profile',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId), ':profile': keys.profileSk },
      ConsistentRead: true,
    };
    if (options.inForceAt) {
      // P5: the dates decide, on every read. The core checks them again; this only saves reading the rest.
      query.FilterExpression =
        'entity = :customer OR (startsAt <= :now AND endsAt > :now AND (attribute_not_exists(liftedAt) OR liftedAt > :now))';
      query.ExpressionAttributeValues = {
        ...query.ExpressionAttributeValues,
        ':now': options.inForceAt,
        ':customer': 'customer',
      };
    }
    const items = await this.queryAll(query);
    const profile = items.find((item) => item.SK === keys.profileSk);
    if (!profile) return undefined;
    const restrictions = items
      .filter((item) => item.entity === 'restriction')
      .map((item) => withoutKeys<Restriction>(item))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
    return { customer: withoutKeys<Customer>(profile), restrictions };
  }

  async saveNewCustomer(customer: Customer, audit: AuditEntry): Promise<void> {
    const identities = identityKeysOf(customer);
    // Index first, profile second: a failure in between leaves index entries that point at no
    // profile, which lookups ignore — never a customer whose identities are missing from the index.
    await Promise.all(identities.map((identity) => this.indexIdentity(identity, customer.id)));
    try {
      await this.putNew({
        PK: keys.customer(customer.id),
        SK: keys.profileSk,
        GSI1PK: keys.customersIndexPk,
        GSI1SK: `${customer.createdAt}#${customer.id}`,
        entity: 'customer',
        ...customer,
      });
    } catch (error) {
      // A conflict means this customer is already stored, and the index entries are theirs.
      if (!(error instanceof ConflictError)) {
        await Promise.allSettled(identities.map((identity) => this.unindexIdentity(identity, customer.id)));
      }
      throw error;
    }
    await this.appendAuditOrUndo(audit, { PK: keys.customer(customer.id), SK: keys.profileSk }, async () => {
      await Promise.allSettled(identities.map((identity) => this.unindexIdentity(identity, customer.id)));
    });
  }

  async saveNewRestriction(restriction: Restriction, audit: AuditEntry): Promise<void> {
    const key = { PK: keys.customer(restriction.customerId), SK: keys.restrictionSk(restriction.id) };
    await this.putNew({
      ...key,
      GSI1PK: keys.registerIndexPk,
      GSI1SK: `${restriction.reviewAt}#${restriction.id}`,
      entity: 'restriction',
      ...restriction,
    });
    await this.appendAuditOrUndo(audit, key);
  }

  async listRestrictions(): Promise<Restriction[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'GSI1PK = :register',
      ExpressionAttributeValues: { ':register': keys.registerIndexPk },
    });
    return items.map((item) => withoutKeys<Restriction>(item));
  }

  /** Audit entries are append-only: written once under a condition, never updated or deleted. */
  private async appendAuditOrUndo(audit: AuditEntry, subjectKey: Item, undoMore?: () => Promise<void>) {
    try {
      await this.putNew({
        PK: keys.customer(audit.customerId),
        SK: keys.auditSk(audit.at, audit.id),
        entity: 'audit',
        ...audit,
      });
    } catch (error) {
      // Nothing without its audit entry (12.1): take the change back, then report the failure.
      await this.client
        .send(new DeleteCommand({ TableName: this.tableName, Key: subjectKey }))
        .catch(() => undefined);
      await undoMore?.();
      throw error;
    }
  }

  private async putNew(item: Item) {
    if (!(await putIfAbsent(this.client, this.tableName, item))) {
      throw new ConflictError(`${String(item.entity)} ${String(item.id)} already exists`);
    }
  }

  private async indexIdentity(identity: IdentityKey, customerId: string) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.identity(identity.kind, identity.value), SK: keys.identitySk },
        UpdateExpression: 'ADD customerIds :id SET kind = :kind',
        ExpressionAttributeValues: { ':id': new Set([customerId]), ':kind': identity.kind },
      }),
    );
  }

  private async unindexIdentity(identity: IdentityKey, customerId: string) {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.identity(identity.kind, identity.value), SK: keys.identitySk },
        UpdateExpression: 'DELETE customerIds :id',
        ExpressionAttributeValues: { ':id': new Set([customerId]) },
      }),
    );
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const output = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
