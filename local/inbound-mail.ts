import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../lambdas/wiring/config';
import { type AsyncInvoker, type AsyncLambdaHandler, createAsyncInvoker } from './async-invoke';
import { invocationQueue } from './invocation-files';
import { LOCAL_CREDENTIALS } from './lambda-config';
import type { PortClaim } from './ports';
import { INBOUND_FUNCTION_NAME } from './ses-event';
import { AWS_REGION } from './settings';
import { type InboundSmtp, s3RawMailStore, startInboundSmtp } from './smtp';
import { sweepStoredMailOnce } from './stored-mail-sweep';

/** How long `close()` waits for inbound-email invocations under way before keeping their events. */
const INBOUND_DRAIN_MS = 5_000;
/** In the queue folder, once the mail stored before the queue was durable has been queued (a dotfile: not an event). */
const STORED_MAIL_SWEPT = '.stored-mail-swept';

export interface LocalInboundMail {
  smtp: InboundSmtp;
  /** The inbound-email Lambda's asynchronous invocations (retries, then the failure folder). */
  invoker: AsyncInvoker;
  /**
   * What this start took up again before SMTP opened: invocations a stopped or killed process left
   * in the queue or the failure folder, and (once) stored mail from before the queue was durable.
   */
  recovered: { replayed: number; storedBeforeQueue: number };
  /** SMTP stops taking mail first, then the invocations drain (or their events are kept). */
  close(): Promise<void>;
}

/**
 * SES email receiving, locally: the SMTP server stores each message in the S3 emulator (the receipt
 * rule's S3 action), then hands its receipt event to the inbound-email handler as an asynchronous
 * invocation (the Lambda action, invocation type Event), queued in `queueDir` before the sender
 * hears 250. Before SMTP opens, what an earlier process left unfinished is replayed.
 */
export async function startLocalInboundMail(options: {
  host: string;
  claim: PortClaim;
  /** The handlers' configuration: the council's domains, the bucket and key prefix, the S3 endpoint. */
  config: Config;
  handler: AsyncLambdaHandler;
  /** The on-failure destination of events that failed every attempt. */
  failureDir: string;
  /** Where accepted events wait until they are done (survives restarts). */
  queueDir: string;
  /** The handlers' table: which stored messages have a finished contact (the one-time sweep). */
  dynamodb: DynamoDBDocumentClient;
  retryDelaysMs?: readonly number[] | undefined;
  log: (line: string) => void;
}): Promise<LocalInboundMail> {
  const { config, log } = options;
  const mailStoreClient = new S3Client({
    region: AWS_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    // s3rver does not understand aws-chunked uploads, which a streamed body with a checksum uses.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const invoker = createAsyncInvoker({
    functionName: INBOUND_FUNCTION_NAME,
    handler: options.handler,
    failureDir: options.failureDir,
    queueDir: options.queueDir,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    log,
    describe: (event) => `message ${sesMessageIdOf(event)}`,
  });
  const close = async () => {
    await invoker.close(INBOUND_DRAIN_MS);
    mailStoreClient.destroy();
  };
  let smtp: InboundSmtp;
  let recovered: LocalInboundMail['recovered'];
  try {
    // Before SMTP opens, so that nothing replayed here can meet the same message arriving anew.
    const { replayed } = await invoker.recover();
    await mkdir(options.queueDir, { recursive: true, mode: 0o700 });
    const storedBeforeQueue = await sweepStoredMailOnce({
      s3: mailStoreClient,
      bucket: config.MAIL_BUCKET,
      keyPrefix: config.MAIL_PREFIX,
      dynamodb: options.dynamodb,
      tableName: config.TABLE_NAME,
      councilDomains: config.COUNCIL_DOMAINS,
      doneMarker: path.join(options.queueDir, STORED_MAIL_SWEPT),
      invoke: (event) => invoker.invoke(event),
      queuedMessageIds: async () => {
        const { invocations } = await invocationQueue(options.queueDir).leftovers();
        return new Set(invocations.map(({ event }) => sesMessageIdOf(event)));
      },
    });
    recovered = { replayed, storedBeforeQueue };
    smtp = await startInboundSmtp({
      host: options.host,
      claim: options.claim,
      councilDomains: [...config.COUNCIL_DOMAINS],
      store: s3RawMailStore(mailStoreClient, config.MAIL_BUCKET),
      keyPrefix: config.MAIL_PREFIX,
      deliver: (event) => invoker.invoke(event),
      log,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    smtp,
    invoker,
    recovered,
    close: async () => {
      await smtp.close();
      await close();
    },
  };
}

/** The SES message id of a receipt event, for log lines (an id, never personal data). */
function sesMessageIdOf(event: unknown): string {
  const id = (event as { Records?: Array<{ ses?: { mail?: { messageId?: unknown } } }> } | undefined)
    ?.Records?.[0]?.ses?.mail?.messageId;
  return typeof id === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(id) ? id : '(no message id)';
}
