import { randomInt } from 'node:crypto';
import type { SESMail, SESMailCommonHeaders, SESMailHeader, SESReceipt } from 'aws-lambda';
import { type AddressObject, simpleParser } from 'mailparser';
import { AWS_REGION } from './settings';

/**
 * What SES email receiving hands a Lambda action after its S3 action stored the message: the
 * event record with headers and verdicts, never the body.
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda-event.html
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */

/** The function the receipt rule's Lambda action invokes (as the CDK stack names it). */
export const INBOUND_FUNCTION_NAME = 'contact-screening-inbound-email';
export const INBOUND_FUNCTION_ARN = `arn:aws:lambda:${AWS_REGION}:000000000000:function:${INBOUND_FUNCTION_NAME}`;

/** SES lists the headers in the event up to 10 KB, then sets headersTruncated. */
const MAX_EVENT_HEADER_BYTES = 10 * 1024;
/** The most of a message's header block read for the event (mailparser's own limit on a header). */
export const MAX_HEAD_BYTES = 1024 * 1024;

/** commonHeaders holds only the fields the message has (SES leaves out a missing Date or Message-ID). */
export type SesCommonHeaders = Omit<SESMailCommonHeaders, 'date' | 'messageId'> &
  Partial<Pick<SESMailCommonHeaders, 'date' | 'messageId'>>;

export interface SesReceiptEventRecord {
  eventSource: 'aws:ses';
  eventVersion: '1.0';
  ses: {
    mail: Omit<SESMail, 'commonHeaders'> & { commonHeaders: SesCommonHeaders };
    receipt: SESReceipt;
  };
}

export interface SesReceiptEvent {
  Records: SesReceiptEventRecord[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A message id shaped like SES's (e.g. `o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1`): 40 random [a-z0-9]. */
export function newSesMessageId(): string {
  let id = '';
  for (let i = 0; i < 40; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export interface SmtpEnvelope {
  /** MAIL FROM; an empty string for the null sender (`MAIL FROM:<>`, bounces). */
  mailFrom: string;
  /** The accepted RCPT TO addresses. */
  rcptTo: string[];
}

const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

/** `Mon, 05 Aug 2019 21:30:02 +0000`, as in a Received field (RFC 5322 date-time). */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The trace fields SES puts in front of a message it stores (RFC 5321 4.4): Return-Path with
 * the envelope sender, and a Received field naming the SMTP id, which is the message id.
 */
export function traceFields(options: {
  messageId: string;
  envelope: SmtpEnvelope;
  receivedAt: Date;
  /** What the client called itself in HELO/EHLO. */
  helo: string;
  clientAddress: string;
  serverName: string;
  esmtp: boolean;
}): Buffer {
  const { envelope } = options;
  const client = oneLine(options.helo || 'unknown');
  const address = options.clientAddress.replace(/^::ffff:/, '');
  // As SES writes it, `for` only when there is one recipient. Folded with one space, so that
  // the unfolded value reads as one line.
  const single = envelope.rcptTo.length === 1 ? `\r\n for <${oneLine(envelope.rcptTo[0]!)}>` : '';
  const protocol = options.esmtp ? 'ESMTP' : 'SMTP';
  return Buffer.from(
    `Return-Path: <${oneLine(envelope.mailFrom)}>\r\n` +
      `Received: from ${client} ([${address}])\r\n by ${options.serverName} with ${protocol} id ${options.messageId}${single};\r\n ${rfc5322Date(options.receivedAt)}\r\n`,
    'utf8',
  );
}

/**
 * What the trace fields in front of a stored message say (the inverse of traceFields): the envelope
 * sender, the recipient when there was one, and when it arrived. For a message stored before its
 * event was queued durably, whose event is made again from the stored copy.
 */
export function traceOf(headers: readonly SESMailHeader[]): {
  mailFrom?: string;
  rcptTo?: string[];
  receivedAt?: Date;
} {
  const value = (name: string) => headers.find((header) => header.name.toLowerCase() === name)?.value;
  const trace: ReturnType<typeof traceOf> = {};
  const returnPath = /^<([^>]*)>/.exec(value('return-path') ?? '');
  if (returnPath) trace.mailFrom = returnPath[1]!;
  const received = /\bwith E?SMTP id [A-Za-z0-9]+(?:\s+for <([^>]+)>)?;\s*(.+)$/.exec(
    value('received') ?? '',
  );
  if (received?.[1]) trace.rcptTo = [received[1]];
  const at = received?.[2] ? new Date(received[2]) : undefined;
  if (at && !Number.isNaN(at.getTime())) trace.receivedAt = at;
  return trace;
}

/**
 * The header block at the start of a stored message: everything before the first empty line,
 * read from at most MAX_HEAD_BYTES. `complete` is false when no end was found within that.
 */
export function headerBlockOf(chunks: readonly Buffer[]): { head: Buffer; complete: boolean } {
  const start = Buffer.concat(chunks as Buffer[], Math.min(MAX_HEAD_BYTES, totalLength(chunks)));
  const crlf = start.indexOf('\r\n\r\n');
  const lf = start.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 2, lf === -1 ? -1 : lf + 1].filter((at) => at >= 0);
  if (ends.length > 0) return { head: start.subarray(0, Math.min(...ends)), complete: true };
  // Cut at the last whole line.
  const lastLine = start.lastIndexOf('\n');
  return { head: lastLine === -1 ? start : start.subarray(0, lastLine + 1), complete: false };
}

function totalLength(chunks: readonly Buffer[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

/** Header fields as SES lists them: unfolded, in order, the name as written, the value without the leading space. */
export function headerFieldsOf(head: Buffer): { headers: SESMailHeader[]; truncated: boolean } {
  const lines = head.toString('utf8').split(/\r?\n/);
  const fields: string[] = [];
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  const headers: SESMailHeader[] = [];
  let bytes = 0;
  for (const field of fields) {
    const colon = field.indexOf(':');
    // Not a header field (no name before a colon): SES drops such lines from the list too.
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(field.slice(0, colon))) continue;
    const header = { name: field.slice(0, colon), value: field.slice(colon + 1).replace(/^[ \t]+/, '') };
    bytes += Buffer.byteLength(header.name) + Buffer.byteLength(header.value);
    if (bytes > MAX_EVENT_HEADER_BYTES) return { headers, truncated: true };
    headers.push(header);
  }
  return { headers, truncated: false };
}

/** `"Doe, John" <john@example.com>`: one entry per mailbox, groups flattened, names decoded. */
function mailboxesOf(field: AddressObject | AddressObject[] | undefined): string[] | undefined {
  if (!field) return undefined;
  const mailboxes: string[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address) {
        const name = entry.name.trim();
        const quoted = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(name)
          ? name
          : `"${name.replace(/["\\]/g, '\\$&')}"`;
        mailboxes.push(name ? `${quoted} <${entry.address}>` : entry.address);
      }
    }
  };
  for (const object of Array.isArray(field) ? field : [field]) visit(object.value);
  return mailboxes.length > 0 ? mailboxes : undefined;
}

/** The commonHeaders SES derives from the message: only those present; names and subject decoded. */
export async function commonHeadersOf(
  head: Buffer,
  headers: readonly SESMailHeader[],
  returnPath: string,
): Promise<SesCommonHeaders> {
  const common: SesCommonHeaders = { returnPath };
  const raw = (name: string) => headers.find((header) => header.name.toLowerCase() === name)?.value;
  try {
    // The header block only (bounded): mailparser decodes encoded words and address lists.
    const parsed = await simpleParser(Buffer.concat([head, Buffer.from('\r\n')]), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
    const from = mailboxesOf(parsed.from);
    const to = mailboxesOf(parsed.to);
    const cc = mailboxesOf(parsed.cc);
    const replyTo = mailboxesOf(parsed.replyTo);
    const senderValue = parsed.headers.get('sender');
    const sender = isAddressObject(senderValue) ? mailboxesOf(senderValue) : undefined;
    if (from) common.from = from;
    if (sender) common.sender = sender;
    if (replyTo) common.replyTo = replyTo;
    if (to) common.to = to;
    if (cc) common.cc = cc;
    if (parsed.subject !== undefined) common.subject = oneLine(parsed.subject);
  } catch {
    // A header block mailparser cannot read still makes an event (P1): the handler says why.
  }
  const date = raw('date');
  const messageId = raw('message-id');
  if (date !== undefined) common.date = date.trim();
  if (messageId !== undefined) common.messageId = messageId.trim();
  return common;
}

function isAddressObject(value: unknown): value is AddressObject {
  return typeof value === 'object' && value !== null && Array.isArray((value as AddressObject).value);
}

/**
 * The event record for the Lambda action of a receipt rule whose S3 action stored `stored`
 * (trace fields first) under the message id. Nothing is checked offline, so every verdict is
 * GRAY, and there is no dmarcPolicy (SES adds it only when DMARC fails).
 */
export async function sesReceiptEvent(options: {
  messageId: string;
  envelope: SmtpEnvelope;
  receivedAt: Date;
  /** The stored message, or at least its start (the header block is read from it). */
  stored: readonly Buffer[];
  functionArn?: string;
  now?: () => Date;
}): Promise<SesReceiptEvent> {
  const { messageId, envelope, receivedAt } = options;
  const { head, complete } = headerBlockOf(options.stored);
  const { headers, truncated } = headerFieldsOf(head);
  const commonHeaders = await commonHeadersOf(head, headers, envelope.mailFrom);
  const gray = { status: 'GRAY' as const };
  const triggeredAt = (options.now ?? (() => new Date()))();
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: receivedAt.toISOString(),
            source: envelope.mailFrom,
            messageId,
            destination: [...envelope.rcptTo],
            headersTruncated: truncated || !complete,
            headers,
            commonHeaders,
          },
          receipt: {
            timestamp: triggeredAt.toISOString(),
            processingTimeMillis: Math.max(0, triggeredAt.getTime() - receivedAt.getTime()),
            recipients: [...envelope.rcptTo],
            spamVerdict: gray,
            virusVerdict: gray,
            spfVerdict: gray,
            dkimVerdict: gray,
            dmarcVerdict: gray,
            action: {
              type: 'Lambda',
              functionArn: options.functionArn ?? INBOUND_FUNCTION_ARN,
              invocationType: 'Event',
            },
          },
        },
      },
    ],
  };
}
