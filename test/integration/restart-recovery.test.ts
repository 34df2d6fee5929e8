import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactLedger } from '../../lambdas/adapters/dynamodb/contact-ledger';
import { keys } from '../../lambdas/adapters/dynamodb/table-design';
import { contactReference } from '../../lambdas/core/reference';
import { type RunningEmulator, startS3 } from '../../local/emulators';
import { LOCAL_CREDENTIALS } from '../../local/lambda-config';
import { lapseAbandonedLeases } from '../../local/restart-recovery';
import { type SesReceiptEvent, traceFields } from '../../local/ses-event';
import { MAIL_BUCKET } from '../../local/settings';
import { sweepStoredMailOnce } from '../../local/stored-mail-sweep';
import { startTestTable, type TestTable } from '../helpers/dynalite';
import { makeTempDir } from '../helpers/local-stack';

/**
 * What `npm start` does before it takes new work, after a run that was killed: leases held by the
 * dead run lapse, and (once) mail stored before the queue was durable is queued. Against dynalite
 * and s3rver; every address is fictional (RFC 2606).
 */

let table: TestTable;
let ledger: DynamoContactLedger;
beforeAll(async () => {
  table = await startTestTable();
  ledger = new DynamoContactLedger(table.documentClient, table.tableName);
});
afterAll(async () => table?.stop());

describe('abandoned leases at start', () => {
  it('lapses every live lease, so that a replay takes the work over at once; finished work stays finished', async () => {
    const now = new Date();
    const inAMinute = new Date(now.getTime() + 60_000).toISOString();
    expect(await ledger.claim('CS-ABAN-DONE-D1', now.toISOString(), inAMinute)).toBe('claimed');
    expect(await ledger.claim('CS-ABAN-DONE-D2', now.toISOString(), inAMinute)).toBe('claimed');
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { PK: keys.contact('CS-FINI-SHED-01'), SK: keys.contactSk, status: 'forwarded' },
      }),
    );
    // The replay of a killed run would meet a live lease: another attempt seems to be at work.
    expect(await ledger.claim('CS-ABAN-DONE-D1', now.toISOString(), inAMinute)).toBe('in-progress');

    expect(await lapseAbandonedLeases(table.documentClient, table.tableName, now)).toBe(2);

    expect(await ledger.claim('CS-ABAN-DONE-D1', now.toISOString(), inAMinute)).toBe('claimed');
    expect(await ledger.claim('CS-FINI-SHED-01', now.toISOString(), inAMinute)).toBe('already-done');
  });
});

describe('mail stored before the inbound queue was durable', () => {
  let s3: RunningEmulator;
  let client: S3Client;
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    data = await makeTempDir('contact-screening-sweep-');
    s3 = await startS3('127.0.0.1', data.dir, { port: 0, env: 'S3_PORT' }, [LOCAL_CREDENTIALS]);
    client = new S3Client({
      region: 'eu-west-2',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    await data?.remove();
  });

  /** Stores a message as the SMTP server did: trace fields first, under `inbound/<messageId>`. */
  async function storeOldMessage(messageId: string, rcptTo: string[], headers: string) {
    const trace = traceFields({
      messageId,
      envelope: { mailFrom: 'pat.sender@example.org', rcptTo },
      receivedAt: new Date('2026-03-02T09:30:00Z'),
      helo: 'mail.example.org',
      clientAddress: '127.0.0.1',
      serverName: 'inbound-smtp.localhost',
      esmtp: true,
    });
    await client.send(
      new PutObjectCommand({
        Bucket: MAIL_BUCKET,
        Key: `inbound/${messageId}`,
        Body: Buffer.concat([trace, Buffer.from(`${headers}\r\n\r\nHello\r\n`)]),
      }),
    );
  }

  it('queues, once, an event for each stored message whose contact is not finished, made from the stored copy', async () => {
    const single = 'a'.repeat(40);
    const several = 'b'.repeat(40);
    const finished = 'c'.repeat(40);
    const queuedAlready = 'd'.repeat(40);
    await storeOldMessage(
      single,
      ['planning@council.example'],
      'From: pat.sender@example.org\r\nTo: planning@council.example\r\nSubject: Hedge',
    );
    await storeOldMessage(
      several,
      ['planning@council.example', 'housing@council.example'],
      'From: Pat Sender <pat.sender@example.org>\r\nTo: "Planning" <planning@council.example>, friend@example.net\r\nCc: housing@council.example\r\nSubject: Two teams',
    );
    await storeOldMessage(
      finished,
      ['planning@council.example'],
      'From: pat.sender@example.org\r\nSubject: Done',
    );
    await storeOldMessage(
      queuedAlready,
      ['planning@council.example'],
      'From: pat.sender@example.org\r\nSubject: Q',
    );
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          PK: keys.contact(contactReference('email', finished)),
          SK: keys.contactSk,
          status: 'forwarded',
        },
      }),
    );

    const queued: SesReceiptEvent[] = [];
    const sweep = {
      s3: client,
      bucket: MAIL_BUCKET,
      keyPrefix: 'inbound/',
      dynamodb: table.documentClient,
      tableName: table.tableName,
      councilDomains: ['council.example'],
      doneMarker: path.join(data.dir, '.stored-mail-swept'),
      invoke: async (event: SesReceiptEvent) => {
        queued.push(event);
      },
      queuedMessageIds: async () => new Set([queuedAlready]),
    };
    expect(await sweepStoredMailOnce(sweep)).toBe(2);

    const byId = new Map(
      queued.map((event) => [event.Records[0]!.ses.mail.messageId, event.Records[0]!.ses]),
    );
    expect([...byId.keys()].sort()).toEqual([single, several]);
    expect(byId.get(single)).toMatchObject({
      mail: {
        source: 'pat.sender@example.org',
        destination: ['planning@council.example'],
        timestamp: '2026-03-02T09:30:00.000Z',
        commonHeaders: { subject: 'Hedge', returnPath: 'pat.sender@example.org' },
      },
      receipt: { recipients: ['planning@council.example'], action: { type: 'Lambda' } },
    });
    // Several recipients: the trace does not name them; the council's addresses in To and Cc do.
    expect(byId.get(several)?.receipt.recipients).toEqual([
      'planning@council.example',
      'housing@council.example',
    ]);

    expect(await sweepStoredMailOnce(sweep)).toBe(0);
    expect(queued).toHaveLength(2);
  });
});
