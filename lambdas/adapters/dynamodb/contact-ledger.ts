import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactRecord } from '../../core/contact';
import { normaliseEmail } from '../../core/identity';
import type { ClaimResult, ClaimTakenOver, ContactLedger } from '../../core/ports';
import { batchWriteAll, epochSeconds } from './batch';
import { contactLogItems, utcInstant } from './contact-log';
import { finishLease, type Lease, releaseLease, takeLease } from './lease';
import { putIfAbsent } from './put-if-absent';
import { keys } from './table-design';

/**
 * Contact records and exactly-once markers (P6) in the register's table, and the contact log
 * entries by customer (see contact-log.ts). Conditional single-item writes, and unconditional
 * batch puts where writing twice is harmless: correct on DynamoDB and on dynalite alike.
 */
export class DynamoContactLedger implements ContactLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private lease(reference: string): Lease {
    return { key: { PK: keys.contact(reference), SK: keys.contactSk }, busy: 'processing' };
  }

  async claim(reference: string, now: string, leaseUntil: string): Promise<ClaimResult | ClaimTakenOver> {
    const { result, lapsedAttemptAt } = await takeLease(
      this.client,
      this.tableName,
      this.lease(reference),
      { now, leaseUntil },
      { entity: 'contact', reference },
    );
    return lapsedAttemptAt ? { status: 'taken-over', lapsedAttemptAt } : result;
  }

  async release(reference: string): Promise<void> {
    await releaseLease(this.client, this.tableName, this.lease(reference));
  }

  /**
   * Finishes the claim with the contact record, in one conditional write, and indexes it by the
   * month its retention ends (GSI1), where the retention job finds it. A contact delivered
   * unclaimed (the table was unreachable at the claim) is written too if it is still absent, so
   * that a redelivery finds it done.
   */
  async finish(record: ContactRecord): Promise<'finished' | 'finished-already'> {
    const { expiresAt, ...fields } = record;
    const retainUntil = utcInstant(expiresAt);
    try {
      await finishLease(
        this.client,
        this.tableName,
        this.lease(record.reference),
        {
          ...fields,
          entity: 'contact',
          status: 'forwarded',
          expiresAt: epochSeconds(expiresAt),
          retainUntil: expiresAt,
          GSI1PK: keys.contactsIndexPk(retainUntil),
          GSI1SK: keys.contactsIndexSk(retainUntil, record.reference),
        },
        { orAbsent: true },
      );
      return 'finished';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'finished-already';
      throw error;
    }
  }

  /**
   * Writes the contact's log entry under each of its customers (plain puts: writing them again is
   * harmless). Beside `finish`: the retention job finds entries through their record and removes
   * them first, so the caller takes them back (unlogContact) if the record could not be written.
   * An entry that could not be written is missing from the customer's log (the caller reports it).
   */
  async logContact(record: ContactRecord): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      contactLogItems(record).map((item) => ({ PutRequest: { Item: item } })),
    );
  }

  /** Deletes the entries logContact writes for this record (their keys come from it alone). */
  async unlogContact(record: ContactRecord): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      contactLogItems(record).map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
    );
  }

  /** Both steps, for records written outside delivery (imports, seeding); fails if finished already. */
  async complete(record: ContactRecord): Promise<void> {
    if ((await this.finish(record)) === 'finished-already')
      throw new Error(`contact ${record.reference} is finished already`);
    await this.logContact(record);
  }

  async takeAutoReplyAllowance(recipient: string, day: string, expiresAt: string): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      PK: keys.autoReply(addressHash(recipient), day),
      SK: keys.autoReplySk,
      entity: 'auto-reply',
      expiresAt: epochSeconds(expiresAt),
    });
  }

  async releaseAutoReplyAllowance(recipient: string, day: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: keys.autoReply(addressHash(recipient), day), SK: keys.autoReplySk },
      }),
    );
  }
}

/** The allowance marker needs to recognise an address, not to hold it (P7): a hash will do. */
function addressHash(recipient: string): string {
  return createHash('sha256')
    .update(normaliseEmail(recipient) ?? recipient.toLowerCase())
    .digest('hex')
    .slice(0, 32);
}
