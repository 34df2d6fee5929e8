import { access, writeFile } from 'node:fs/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../lambdas/adapters/dynamodb/table-design';
import { contactReference } from '../lambdas/core/reference';
import {
  commonHeadersOf,
  headerBlockOf,
  headerFieldsOf,
  MAX_HEAD_BYTES,
  type SesReceiptEvent,
  sesReceiptEvent,
  traceOf,
} from './ses-event';
import { isCouncilAddress } from './smtp';

/**
 * Mail stored before the inbound queue was durable. Then, the SMTP server answered 250 once a
 * message was in S3 and queued its event in memory only, so a process that was killed lost the
 * events of messages it had accepted. Once, at the first start with the durable queue, every stored
 * message without a finished contact gets its event again (P1: 9.1, never drop a contact).
 *
 * Only once: since then, every message answered 250 has its event in the queue until it is done,
 * so a stored message without one was never accepted (the process died before the answer, and the
 * sender sends it again); forwarding it as well would forward that mail twice.
 */

export interface StoredMailSweep {
  s3: S3Client;
  bucket: string;
  /** The S3 action's object key prefix: the key is `<keyPrefix><messageId>`. */
  keyPrefix: string;
  dynamodb: DynamoDBDocumentClient;
  tableName: string;
  councilDomains: readonly string[];
  /** Written once the sweep is done: its presence means the queue holds every accepted message. */
  doneMarker: string;
  /** Accepts one event durably (the inbound invoker's `invoke`). */
  invoke(event: SesReceiptEvent): Promise<void>;
  /** The message ids whose events are in the queue already (replayed at this start): not queued twice. */
  queuedMessageIds(): Promise<ReadonlySet<string>>;
}

/** SES message ids (and ours) are short runs of [a-z0-9]; anything else under the prefix is not mail. */
const MESSAGE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** Queues the event of every stored message without a finished contact, unless that was done before. Resolves with how many. */
export async function sweepStoredMailOnce(sweep: StoredMailSweep): Promise<number> {
  const done = await access(sweep.doneMarker).then(
    () => true,
    () => false,
  );
  if (done) return 0;
  let queued = 0;
  const inQueue = await sweep.queuedMessageIds();
  for await (const { messageId, key } of storedMessages(sweep)) {
    if (inQueue.has(messageId) || (await contactFinished(sweep, messageId))) continue;
    await sweep.invoke(await storedMailEvent(sweep, messageId, key));
    queued += 1;
  }
  await writeFile(sweep.doneMarker, `${new Date().toISOString()}\n`, { mode: 0o600 });
  return queued;
}

async function* storedMessages(sweep: StoredMailSweep): AsyncGenerator<{ messageId: string; key: string }> {
  let token: string | undefined;
  do {
    const page = await sweep.s3.send(
      new ListObjectsV2Command({ Bucket: sweep.bucket, Prefix: sweep.keyPrefix, ContinuationToken: token }),
    );
    for (const { Key } of page.Contents ?? []) {
      const messageId = Key?.slice(sweep.keyPrefix.length);
      if (Key && messageId && MESSAGE_ID.test(messageId)) yield { messageId, key: Key };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * The contact of this message was claimed and finished: any status but `processing`, the status of a
 * claim under way (lambdas/adapters/dynamodb/contact-ledger.ts).
 */
async function contactFinished(sweep: StoredMailSweep, messageId: string): Promise<boolean> {
  const { Item } = await sweep.dynamodb.send(
    new GetCommand({
      TableName: sweep.tableName,
      Key: { PK: keys.contact(contactReference('email', messageId)), SK: keys.contactSk },
      ProjectionExpression: '#status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    }),
  );
  return Item !== undefined && Item.status !== 'processing';
}

/**
 * The receipt event, made again from the stored copy's header block and trace fields. With several
 * recipients the trace does not name them (as SES writes it): the council's addresses among To and
 * Cc stand in for the envelope.
 */
async function storedMailEvent(
  sweep: StoredMailSweep,
  messageId: string,
  key: string,
): Promise<SesReceiptEvent> {
  const object = await sweep.s3.send(
    new GetObjectCommand({ Bucket: sweep.bucket, Key: key, Range: `bytes=0-${MAX_HEAD_BYTES - 1}` }),
  );
  const start = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  const { head } = headerBlockOf([start]);
  const { headers } = headerFieldsOf(head);
  const trace = traceOf(headers);
  const mailFrom = trace.mailFrom ?? '';
  let rcptTo = trace.rcptTo;
  if (!rcptTo) {
    const common = await commonHeadersOf(head, headers, mailFrom);
    rcptTo = [...(common.to ?? []), ...(common.cc ?? [])]
      .map((mailbox) => /<([^>]+)>$/.exec(mailbox)?.[1] ?? mailbox)
      .filter((address) => isCouncilAddress(address, sweep.councilDomains));
  }
  return sesReceiptEvent({
    messageId,
    envelope: { mailFrom, rcptTo },
    receivedAt: trace.receivedAt ?? object.LastModified ?? new Date(),
    stored: [start],
  });
}
