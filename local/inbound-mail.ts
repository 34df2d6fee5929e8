import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../lambdas/wiring/config';
import { type AsyncInvoker, type AsyncLambdaHandler, createAsyncInvoker } from './async-invoke';
import { LOCAL_CREDENTIALS } from './lambda-config';
import type { PortClaim } from './ports';
import { INBOUND_FUNCTION_NAME } from './ses-event';
import { AWS_REGION } from './settings';
import { type InboundSmtp, s3RawMailStore, startInboundSmtp } from './smtp';

/** How long `close()` waits for inbound-email invocations under way before keeping their events. */
const INBOUND_DRAIN_MS = 5_000;

export interface LocalInboundMail {
  smtp: InboundSmtp;
  /** The inbound-email Lambda's asynchronous invocations (retries, then the failure folder). */
  invoker: AsyncInvoker;
  /** SMTP stops taking mail first, then the invocations drain (or their events are kept). */
  close(): Promise<void>;
}

/**
 * SES email receiving, locally: the SMTP server stores each message in the S3 emulator (the receipt
 * rule's S3 action), then hands its receipt event to the inbound-email handler as an asynchronous
 * invocation (the Lambda action, invocation type Event).
 */
export async function startLocalInboundMail(options: {
  host: string;
  claim: PortClaim;
  /** The handlers' configuration: the council's domains, the bucket and key prefix, the S3 endpoint. */
  config: Config;
  handler: AsyncLambdaHandler;
  /** The on-failure destination of events that failed every attempt. */
  failureDir: string;
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
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    log,
    describe: (event) => `message ${sesMessageIdOf(event)}`,
  });
  const close = async () => {
    await invoker.close(INBOUND_DRAIN_MS);
    mailStoreClient.destroy();
  };
  let smtp: InboundSmtp;
  try {
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
