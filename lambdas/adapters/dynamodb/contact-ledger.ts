import { createHash } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactRecord } from '../../core/contact';
import { normaliseEmail } from '../../core/identity';
import type { ClaimResult, ContactLedger } from '../../core/ports';
import { batchWriteAll, epochSeconds } from './batch';
import { contactLogItems, utcInstant } from './contact-log';
import { claimLease, finishLease, type Lease, releaseLease } from './lease';
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

  async claim(reference: string, now: string, leaseUntil: string): Promise<ClaimResult> {
    return claimLease(
      this.client,
      this.tableName,
      this.lease(reference),
      { now, leaseUntil },
      { entity: 'contact', reference },
    );
  }

  async release(reference: string): Promise<void> {
    await releaseLease(this.client, this.tableName, this.lease(reference));
  }

  /**
   * Writes the contact's log entry under each of its customers (plain puts: a redelivery writes the
   * same items again), then finishes the record and indexes it by the month its retention ends
   * (GSI1), where the retention job finds it. Entries first, so that a finished record always has
   * its entries, and the retention job, which removes them with the record, never leaves any behind.
   */
  async complete(record: ContactRecord): Promise<void> {
    const { reference, expiresAt, ...fields } = record;
    await batchWriteAll(
      this.client,
      this.tableName,
      contactLogItems(record).map((item) => ({ PutRequest: { Item: item } })),
    );
    const retainUntil = utcInstant(expiresAt);
    await finishLease(this.client, this.tableName, this.lease(reference), {
      ...fields,
      status: 'forwarded',
      expiresAt: epochSeconds(expiresAt),
      retainUntil: expiresAt,
      GSI1PK: keys.contactsIndexPk(retainUntil),
      GSI1SK: keys.contactsIndexSk(retainUntil, reference),
    });
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
