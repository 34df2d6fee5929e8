import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../core/customer';
import type { EscalationStep } from '../../core/escalation';
import { type IdentityKey, type IdentityKind, identityKeysOf } from '../../core/identity';
import {
  type AuditEntry,
  ConflictError,
  type CustomerRecord,
  type LetterSummary,
  type RegisterChange,
  type RegisterStore,
  type StoredLetter,
} from '../../core/ports';
import type { Restriction } from '../../core/restriction';
import { batchGetAll, type Item, queryAll } from './batch';
import { letterOf, summaryOfLetter, summaryProjection, withoutKeys } from './letter-items';
import { putIfAbsent } from './put-if-absent';
import { keys, tableDesign } from './table-design';

/** BatchGetItem takes at most 100 keys; a contact never has that many identities, but stay within it. */
const maxBatchKeys = 100;

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
    const items = await batchGetAll(
      this.client,
      this.tableName,
      wanted.map((pk) => ({ PK: pk, SK: keys.identitySk })),
      { projection: 'kind, customerIds', consistent: true },
    );
    for (const item of items) {
      const kind = item.kind as IdentityKind;
      for (const customerId of (item.customerIds as Set<string> | undefined) ?? []) {
        const kinds = found.get(customerId) ?? [];
        if (!kinds.includes(kind)) kinds.push(kind);
        found.set(customerId, kinds);
      }
    }
    return found;
  }

  async loadCustomer(customerId: string): Promise<CustomerRecord | undefined> {
    const query: QueryCommandInput = {
      TableName: this.tableName,
      // PROFILE sorts after LETTER# and before RESTRICTION# and STEP#: letters are not read here.
      // Screening reads it all too (one request): the restrictions in force decide the route, those
      // scheduled and the escalation steps tell the officer where the customer stands (7.2, 7.3);
      // P5: the core checks every date against the clock.
      KeyConditionExpression: 'PK = :pk AND SK >= :profile',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId), ':profile': keys.profileSk },
      ConsistentRead: true,
    };
    const items = await queryAll(this.client, query);
    const profile = items.find((item) => item.SK === keys.profileSk);
    if (!profile) return undefined;
    const restrictions = items
      .filter((item) => item.entity === 'restriction')
      .map((item) => withoutKeys<Restriction>(item))
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
    const steps = items
      .filter((item) => item.entity === 'escalation-step')
      .map((item) => withoutKeys<EscalationStep>(item));
    return { customer: withoutKeys<Customer>(profile), restrictions, steps };
  }

  async saveNewCustomer(customer: Customer, audit: AuditEntry): Promise<void> {
    const identities = identityKeysOf(customer);
    // Index first, profile second: a failure in between leaves index entries that point at no
    // profile, which lookups ignore — never a customer whose identities are missing from the index.
    await Promise.all(identities.map((identity) => this.indexIdentity(identity, customer.id)));
    try {
      await this.putNew(this.profileItem(customer));
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

  async applyChange(change: RegisterChange): Promise<void> {
    const profileKey = { PK: keys.customer(change.customerId), SK: keys.profileSk };
    const added = change.identities?.add ?? [];
    const undo: Array<() => Promise<unknown>> = [];
    const undoAll = async () => {
      for (const step of undo.reverse()) await step().catch(() => undefined);
    };
    // New identities first: the customer is recognised by them before the profile claims them.
    await Promise.all(added.map((identity) => this.indexIdentity(identity, change.customerId)));
    undo.push(() =>
      Promise.allSettled(added.map((identity) => this.unindexIdentity(identity, change.customerId))),
    );
    try {
      // One conditional write on the profile serialises every change to this customer's register:
      // two managers acting on the same version cannot both succeed.
      await this.claimVersion(change, profileKey);
    } catch (error) {
      await undoAll();
      throw error;
    }
    try {
      if (change.profile) {
        const before = change.profile.before;
        undo.push(() => this.putItem(this.profileItem({ ...before, version: change.expectedVersion + 1 })));
      }
      for (const [ids, item] of this.newItems(change)) {
        await this.putNew(item);
        undo.push(() => this.deleteItem({ PK: item.PK, SK: item.SK }));
        for (const id of ids) {
          const pointer = {
            PK: keys.idPointer(id),
            SK: keys.idPointerSk,
            entity: 'id-pointer',
            customerId: change.customerId,
            sk: item.SK,
          };
          await this.putNew(pointer);
          undo.push(() => this.deleteItem({ PK: pointer.PK, SK: pointer.SK }));
        }
      }
      if (change.restriction) {
        const { before, after } = change.restriction;
        await this.putItem(this.restrictionItem(after));
        undo.push(() => this.putItem(this.restrictionItem(before)));
      }
      // Nothing without its audit entry (12.1): written last, and if it fails the change is taken back.
      for (const audit of change.audit) {
        await this.putNew(this.auditItem(audit));
        undo.push(() =>
          this.deleteItem({ PK: keys.audit(audit.customerId), SK: keys.auditSk(audit.at, audit.id) }),
        );
      }
    } catch (error) {
      await undoAll();
      throw error;
    }
    // Identities removed only now: until the profile changed they still belonged to the customer.
    const removed = change.identities?.remove ?? [];
    await Promise.allSettled(removed.map((identity) => this.unindexIdentity(identity, change.customerId)));
  }

  private async claimVersion(change: RegisterChange, profileKey: Item) {
    const next = change.expectedVersion + 1;
    const condition =
      change.expectedVersion === 0
        ? 'attribute_exists(PK) AND (attribute_not_exists(version) OR version = :expected)'
        : 'version = :expected';
    try {
      if (change.profile) {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: this.profileItem({ ...change.profile.after, version: next }),
            ConditionExpression: condition,
            ExpressionAttributeValues: { ':expected': change.expectedVersion },
          }),
        );
      } else {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: profileKey,
            UpdateExpression: 'SET version = :next, changedAt = :at',
            ConditionExpression: condition,
            ExpressionAttributeValues: {
              ':expected': change.expectedVersion,
              ':next': next,
              ':at': change.at,
            },
          }),
        );
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          `customer ${change.customerId} was changed by someone else meanwhile; read it again and retry`,
        );
      }
      throw error;
    }
  }

  /**
   * The new items of a change, each with the ids pointers should find it by: a restriction by its id, a
   * letter by its id and its reference (a pointer is written only if absent, so a reference is never
   * given to two letters).
   */
  private newItems(change: RegisterChange): Array<[string[], Item]> {
    const items: Array<[string[], Item]> = [];
    if (change.newRestriction)
      items.push([[change.newRestriction.id], this.restrictionItem(change.newRestriction)]);
    if (change.step) items.push([[], this.stepItem(change.step)]);
    if (change.letter) {
      const { id, reference } = change.letter;
      items.push([reference === id ? [id] : [id, reference], this.letterItem(change.letter)]);
    }
    return items;
  }

  private profileItem(customer: Customer): Item {
    return {
      PK: keys.customer(customer.id),
      SK: keys.profileSk,
      GSI1PK: keys.customersIndexPk,
      GSI1SK: `${customer.createdAt}#${customer.id}`,
      entity: 'customer',
      ...customer,
    };
  }

  private restrictionItem(restriction: Restriction): Item {
    return {
      PK: keys.customer(restriction.customerId),
      SK: keys.restrictionSk(restriction.id),
      GSI1PK: keys.registerIndexPk,
      GSI1SK: `${restriction.reviewAt}#${restriction.id}`,
      entity: 'restriction',
      ...restriction,
    };
  }

  private stepItem(step: EscalationStep): Item {
    return {
      PK: keys.customer(step.customerId),
      SK: keys.escalationSk(step.at, step.id),
      entity: 'escalation-step',
      ...step,
    };
  }

  private letterItem(letter: StoredLetter): Item {
    return {
      PK: keys.customer(letter.customerId),
      SK: keys.letterSk(letter.id),
      entity: 'letter',
      ...letter,
    };
  }

  private auditItem(audit: AuditEntry): Item {
    return {
      PK: keys.audit(audit.customerId),
      SK: keys.auditSk(audit.at, audit.id),
      entity: 'audit',
      ...audit,
    };
  }

  async listRestrictions(): Promise<Restriction[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'GSI1PK = :register',
      ExpressionAttributeValues: { ':register': keys.registerIndexPk },
    });
    return items.map((item) => withoutKeys<Restriction>(item));
  }

  async customerHolding(id: string): Promise<string | undefined> {
    return (await this.pointer(id))?.customerId;
  }

  /** Where an id (or a letter's reference) points: the customer holding it and the item's sort key. */
  private async pointer(id: string): Promise<{ customerId: string; sk: string } | undefined> {
    const pointer = await this.getItem({ PK: keys.idPointer(id), SK: keys.idPointerSk });
    return typeof pointer?.customerId === 'string' && typeof pointer.sk === 'string'
      ? { customerId: pointer.customerId, sk: pointer.sk }
      : undefined;
  }

  async loadLetter(idOrReference: string): Promise<StoredLetter | undefined> {
    const pointer = await this.pointer(idOrReference);
    const item =
      pointer?.sk.startsWith(keys.letterPrefix) &&
      (await this.getItem({ PK: keys.customer(pointer.customerId), SK: pointer.sk }));
    return item && item.entity === 'letter' ? letterOf(item) : undefined;
  }

  async listCustomers(): Promise<Customer[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: tableDesign.gsi1.indexName,
      KeyConditionExpression: 'GSI1PK = :customers',
      ExpressionAttributeValues: { ':customers': keys.customersIndexPk },
    });
    return items.map((item) => withoutKeys<Customer>(item));
  }

  listLetters(customerId: string): Promise<LetterSummary[]>;
  listLetters(customerId: string, options: { content: true }): Promise<StoredLetter[]>;
  async listLetters(customerId: string, options: { content?: boolean } = {}) {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :letter)',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId), ':letter': keys.letterPrefix },
      // The list needs the summary only; HTML, text and PDF are read when asked for.
      ...(options.content ? {} : summaryProjection),
      ConsistentRead: true,
    });
    const letters = items.map((item) => (options.content ? letterOf(item) : summaryOfLetter(item)));
    return letters.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async listAudit(customerId: string): Promise<AuditEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(customerId) },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<AuditEntry>(item));
  }

  /** Audit entries are append-only: written once under a condition, never updated or deleted. */
  private async appendAuditOrUndo(audit: AuditEntry, subjectKey: Item, undoMore?: () => Promise<void>) {
    try {
      await this.putNew(this.auditItem(audit));
    } catch (error) {
      // Nothing without its audit entry (12.1): take the change back, then report the failure.
      await this.client
        .send(new DeleteCommand({ TableName: this.tableName, Key: subjectKey }))
        .catch(() => undefined);
      await undoMore?.();
      throw error;
    }
  }

  private async getItem(key: Item): Promise<Item | undefined> {
    const output = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return output.Item;
  }

  private async putItem(item: Item) {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async deleteItem(key: Item) {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
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
}
