import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, ConflictError } from '../../core/ports';
import type { StepLetterStore } from '../../core/step-letters/ports';
import type { StepLetter, StepLetterSummary } from '../../core/step-letters/step-letter';
import { type Item, queryAll } from './batch';
import { withoutKeys } from './letter-items';
import { putIfAbsent } from './put-if-absent';
import { keys } from './table-design';

const summaryFields = [
  'id',
  'reference',
  'customerId',
  'kind',
  'clauses',
  'status',
  'from',
  'subject',
  'paragraphs',
  'signedBy',
  'revision',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'sentAt',
  'sentBy',
  'sentHow',
  'postable',
];

/**
 * The letters before a restriction, in their own partition per customer (`STEPLETTERS#<customerId>`)
 * with an id pointer (`ID#<letterId>`) to find one by id. A save is a put conditional on the draft
 * being still a draft at the revision it was read at: a sent letter is never written again (12.1).
 */
export class DynamoStepLetterStore implements StepLetterStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(letter: StepLetter, audit: AuditEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: keys.idPointer(letter.id),
          SK: keys.idPointerSk,
          entity: 'id-pointer',
          customerId: letter.customerId,
          sk: letter.id,
        },
      }),
    );
    if (!(await putIfAbsent(this.client, this.tableName, this.item(letter)))) {
      throw new ConflictError(`letter ${letter.id} exists already`);
    }
    await this.appendAudit(audit);
  }

  async load(letterId: string, options: { content?: boolean } = {}): Promise<StepLetter | undefined> {
    const pointer = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.idPointer(letterId), SK: keys.idPointerSk },
        ConsistentRead: true,
      }),
    );
    const customerId = pointer.Item?.customerId as string | undefined;
    if (!customerId) return undefined;
    const output = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: keys.stepLetters(customerId), SK: letterId },
        ConsistentRead: true,
        ...(options.content ? {} : projection),
      }),
    );
    return output.Item ? letterOf(output.Item) : undefined;
  }

  async save(letter: StepLetter, expectedRevision: number, audit: AuditEntry): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(letter),
          ConditionExpression: '#status = :draft AND revision = :revision',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':draft': 'draft', ':revision': expectedRevision },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`letter ${letter.reference} was sent or changed meanwhile: open it again`);
      }
      throw error;
    }
    await this.appendAudit(audit);
  }

  async listOfCustomer(
    customerId: string,
    options: { content?: boolean } = {},
  ): Promise<StepLetter[] | StepLetterSummary[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.stepLetters(customerId) },
      ConsistentRead: true,
      ...(options.content ? {} : projection),
    });
    return items
      .map(letterOf)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  private item(letter: StepLetter): Item {
    return { PK: keys.stepLetters(letter.customerId), SK: letter.id, entity: 'step-letter', ...letter };
  }

  /** 12.1: no change without its audit entry; an entry that cannot be written is reported (the change stands). */
  private async appendAudit(audit: AuditEntry) {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: keys.audit(audit.customerId),
          SK: keys.auditSk(audit.at, audit.id),
          entity: 'audit',
          ...audit,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }
}

/** Every field by a placeholder: several (`status`, `from`, `reference`) are DynamoDB reserved words. */
const projection = {
  ProjectionExpression: summaryFields.map((_, index) => `#f${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(summaryFields.map((field, index) => [`#f${index}`, field])),
};

function letterOf(item: Item): StepLetter {
  const letter = withoutKeys<StepLetter>(item);
  return letter.pdf ? { ...letter, pdf: new Uint8Array(letter.pdf) } : letter;
}
