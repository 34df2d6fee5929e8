import { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerError,
  type SMTPServerSession,
} from 'smtp-server';
import { listenOn, type PortClaim } from './ports';
import {
  newSesMessageId,
  type SesReceiptEvent,
  type SmtpEnvelope,
  sesReceiptEvent,
  traceFields,
} from './ses-event';

/**
 * The local stand-in for SES email receiving: an SMTP server that accepts mail for the
 * council's domains only, stores the raw message where the receipt rule's S3 action would, and
 * then hands the same SES-shaped event to the inbound-email Lambda, asynchronously.
 *
 * As SES does, it answers 250 only once it has taken responsibility for the message: stored, and
 * its Lambda invocation accepted (queued durably, so that a killed process loses neither, P1). The
 * Lambda runs after: the SMTP client never waits for screening. What cannot be stored or queued is
 * answered 451, so that the sender tries again later.
 */

/** SES email receiving accepts messages up to 40 MB, headers included. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
const SERVER_NAME = 'inbound-smtp.localhost';
/** How many recent events are kept for `receivedEvent` (tests, duplicate delivery). */
const RECENT_EVENTS = 100;

/** Stores one raw message, durably, before the client hears 250. */
export type RawMailStore = (key: string, chunks: readonly Buffer[], length: number) => Promise<void>;

export interface InboundSmtpOptions {
  host: string;
  claim: PortClaim;
  /** Mail is accepted for addresses at exactly these domains (a subdomain only if listed). */
  councilDomains: readonly string[];
  store: RawMailStore;
  /** The object key is `<keyPrefix><messageId>`, as the S3 action's object key prefix makes it. */
  keyPrefix: string;
  /** Hands the event on (an asynchronous invocation); resolves once it is accepted durably. */
  deliver: (event: SesReceiptEvent) => Promise<void>;
  maxMessageBytes?: number;
  /** Connection errors and messages that could not be stored; ids only (P7). */
  log?: (line: string) => void;
}

export interface InboundSmtp {
  port: number;
  /** The event built for a message received lately (the last hundred), by SES message id. */
  receivedEvent(messageId: string): SesReceiptEvent | undefined;
  /** Stops taking connections; a transaction under way gets a short grace, then 421. */
  close(): Promise<void>;
}

/** Which step of accepting a message failed (for the log line; the sender hears 451 either way). */
class AcceptError extends Error {
  override name = 'AcceptError';
  constructor(
    readonly stage: 'stored' | 'queued',
    override readonly cause: unknown,
  ) {
    super(`the message could not be ${stage}`);
  }
}

function smtpError(responseCode: number, message: string): SMTPServerError {
  const error: SMTPServerError = new Error(message);
  error.responseCode = responseCode;
  return error;
}

/** Domains compare without case; `a.council.example` is not `council.example` unless listed. */
export function isCouncilAddress(address: string, councilDomains: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = address.slice(at + 1).toLowerCase();
  return councilDomains.some((own) => own.toLowerCase() === domain);
}

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const { councilDomains, keyPrefix, log = () => undefined } = options;
  const maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const recent = new Map<string, SesReceiptEvent>();

  const onRcptTo = (
    address: SMTPServerAddress,
    _session: SMTPServerSession,
    callback: (error?: SMTPServerError | null) => void,
  ) => {
    if (isCouncilAddress(address.address, councilDomains)) return callback();
    // The enhanced status code (5.1.1) is added by the server: ENHANCEDSTATUSCODES is on.
    callback(smtpError(550, `<${address.address}>: not a council mailbox here`));
  };

  const onData = (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: SMTPServerError | null, message?: string) => void,
  ) => {
    const messageId = newSesMessageId();
    const receivedAt = new Date();
    const envelope: SmtpEnvelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    };
    const trace = traceFields({
      messageId,
      envelope,
      receivedAt,
      helo: session.hostNameAppearsAs,
      clientAddress: session.remoteAddress,
      serverName: SERVER_NAME,
      esmtp: session.openingCommand === 'EHLO',
    });
    // One copy of the message in memory at most (40 MB): chunks as they came, never joined.
    let chunks: Buffer[] = [trace];
    let length = trace.length;
    stream.on('data', (chunk: Buffer) => {
      if (stream.sizeExceeded) {
        chunks = [];
        return;
      }
      chunks.push(chunk);
      length += chunk.length;
    });
    stream.once('end', () => {
      if (stream.sizeExceeded) {
        // rejectOversized answers 552 5.3.4 whatever this says; nothing was stored.
        callback(smtpError(552, `Message exceeds fixed maximum message size ${maxMessageBytes}`));
        return;
      }
      void accept(messageId, envelope, receivedAt, chunks, length).then(
        () => callback(null, `Ok ${messageId}`),
        (error: unknown) => {
          const { stage, cause } = error instanceof AcceptError ? error : { stage: 'stored', cause: error };
          log(
            `inbound SMTP: message ${messageId} could not be ${stage} (${cause instanceof Error ? cause.name : 'error'}); the sender was asked to try again later`,
          );
          callback(smtpError(451, 'Requested action aborted: local error in processing; try again later'));
        },
      );
    });
  };

  async function accept(
    messageId: string,
    envelope: SmtpEnvelope,
    receivedAt: Date,
    chunks: Buffer[],
    length: number,
  ): Promise<void> {
    // Built first, so that nothing is stored for a message that could not be passed on.
    const event = await sesReceiptEvent({ messageId, envelope, receivedAt, stored: chunks });
    // The receipt rule's S3 action: once the message is stored, SES has it (P1).
    await options.store(`${keyPrefix}${messageId}`, chunks, length);
    recent.set(messageId, event);
    for (const old of recent.keys()) {
      if (recent.size <= RECENT_EVENTS) break;
      recent.delete(old);
    }
    // Then its Lambda action, invocation type Event: accepted once queued durably, run after. Not
    // queued, the sender hears 451 and sends again; the stored copy is then never processed (its
    // sender was not told it arrived), so the contact is not forwarded twice.
    await options.deliver(event).catch((cause: unknown) => {
      throw new AcceptError('queued', cause);
    });
  }

  const server = new SMTPServer({
    name: SERVER_NAME,
    banner: 'contact screening (local SES email receiving)',
    // Like SES's inbound endpoint: no login; TLS is not offered on 127.0.0.1.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    rejectOversized: true,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: false,
    maxClients: 50,
    closeTimeout: 2_000,
    onRcptTo,
    onData,
  });
  // Connection errors (a client hanging up mid-transaction) are the client's business.
  server.on('error', () => undefined);

  const port = await listenOn(server.server, options.host, options.claim);
  let closing: Promise<void> | undefined;
  return {
    port,
    receivedEvent: (messageId) => recent.get(messageId),
    close: () => {
      closing ??= new Promise((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

/**
 * Stores a raw message in S3 as the receipt rule's S3 action does. The chunks are streamed with
 * their length (no second copy of a 40 MB message); without a checksum, as s3rver expects.
 */
export function s3RawMailStore(client: S3Client, bucket: string): RawMailStore {
  return async (key, chunks, length) => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: Readable.from(chunks),
        ContentLength: length,
      }),
    );
  };
}
