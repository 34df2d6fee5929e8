import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type AttachmentStream,
  type HeaderLines,
  type Headers,
  MailParser,
  type MessageText,
  parseAddressHeader,
} from 'mailparser';
import { MailParseError, type ParsedInboundMail } from '../../core/inbound-mail';
import { cleanLine, MAX_LINE_LENGTH, readText } from './mail-text';
import { RawMailInspector } from './raw-mail-inspector';

export interface ParseInboundMailOptions {
  /** The most characters of text kept for topic detection (default 65536). */
  maxTextChars?: number;
}

const DEFAULT_MAX_TEXT_CHARS = 65_536;
const KNOWN_TRANSFER_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'quoted-printable', 'base64']);

/**
 * Reads a raw inbound message (RFC 5322 MIME, as SES stores it in S3) as a stream, with bounded
 * memory: attachments are counted and dropped, never buffered; text is cut at `maxTextChars`.
 *
 * Malformed mail still gives a result, with `problems` saying what a reader should know. Only a
 * message of which nothing at all can be read (an empty or failing stream, no header fields)
 * throws {@link MailParseError}, whose message never quotes the mail (P7).
 */
export async function parseInboundMail(
  raw: Readable,
  options: ParseInboundMailOptions = {},
): Promise<ParsedInboundMail> {
  const maxTextChars = Math.max(0, options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS);
  const inspector = new RawMailInspector();
  const parser = new MailParser({
    // Topic detection needs words only: no HTML rendering, no link finding, no checksums.
    skipTextToHtml: true,
    skipTextLinks: true,
    skipHtmlToText: true,
    skipImageLinks: true,
    checksumAlgo: false,
    // A forwarded message is read for its text unless it was sent as a file attachment.
    defaultInlineEmbedded: true,
  });

  let failedFirst: 'input' | 'parser' | undefined;
  raw.once('error', () => {
    failedFirst ??= 'input';
  });
  inspector.once('error', () => {
    failedFirst ??= 'input';
  });
  parser.once('error', () => {
    failedFirst ??= 'parser';
  });

  let headers: Headers | undefined;
  let headerLines: HeaderLines = [];
  parser.once('headers', (value) => {
    headers = value;
  });
  parser.once('headerLines', (value) => {
    headerLines = value;
  });

  const attachments: ParsedInboundMail['attachments'] = [];
  let messageText: MessageText | undefined;

  const readParsed = async () => {
    for await (const item of parser as AsyncIterable<AttachmentStream | MessageText>) {
      if (item.type === 'attachment') attachments.push(countAttachment(item));
      else messageText = item;
    }
  };
  try {
    await Promise.all([pipeline(raw, inspector, parser), readParsed()]);
  } catch (error) {
    // The store failed mid-read (e.g. a connection reset): that is temporary, so the error goes
    // up unchanged and the invocation is retried; the message is still in S3.
    if (failedFirst !== 'parser') throw error;
    if (!headers) {
      throw new MailParseError('the message header could not be read', { cause: error });
    }
  }

  if (inspector.bytes === 0) throw new MailParseError('the message is empty');
  if (!headerLines.some((line) => isFieldName(line.key))) {
    throw new MailParseError('no header fields were found: this is not an email message');
  }

  return describeMail({
    headers: headers ?? new Map(),
    headerLines,
    messageText,
    attachments,
    inspector,
    maxTextChars,
    readToTheEnd: failedFirst === undefined,
  });
}

interface ReadMail {
  headers: Headers;
  headerLines: HeaderLines;
  messageText: MessageText | undefined;
  attachments: ParsedInboundMail['attachments'];
  inspector: RawMailInspector;
  maxTextChars: number;
  readToTheEnd: boolean;
}

function describeMail(read: ReadMail): ParsedInboundMail {
  const { headers, inspector } = read;
  const problems: string[] = [];
  const fields = headerFields(read.headerLines);

  const fromValues = fields.get('from') ?? [];
  const from = addressesOf(fromValues);
  if (fromValues.length === 0) problems.push('no From header');
  if (fromValues.length > 1) problems.push('several From headers');
  if (fromValues.length > 0 && from.length === 0) problems.push('a From header without an address');
  if (from.length > 1) problems.push('several From addresses');

  const subjectValue = headers.get('subject');
  const subject = typeof subjectValue === 'string' ? cleanLine(subjectValue) : undefined;
  const messageIdValue = headers.get('message-id');
  const messageIdHeader = typeof messageIdValue === 'string' ? cleanLine(messageIdValue) : undefined;

  const dateValue = fields.get('date')?.[0];
  let date: string | undefined;
  if (dateValue !== undefined) {
    // Not mailparser's date: it puts the time of parsing in place of a date it cannot read.
    const instant = new Date(dateValue.trim());
    if (Number.isNaN(instant.getTime())) problems.push('an unreadable Date header');
    else date = instant.toISOString();
  }

  const { text, textTruncated } = readText(read.messageText, read.maxTextChars);

  if (inspector.hasNul) problems.push('contains NUL bytes');
  if (inspector.longHeaderLine) problems.push(`a header line longer than ${MAX_LINE_LENGTH} characters`);
  if (read.headerLines.some((line) => !isFieldName(line.key))) {
    problems.push('header lines that are not header fields');
  }
  if (inspector.headerCharset) {
    problems.push(`header text that is not UTF-8 (read as ${inspector.headerCharset})`);
  }
  if ([...inspector.transferEncodings].some((encoding) => !KNOWN_TRANSFER_ENCODINGS.has(encoding))) {
    problems.push('an unknown Content-Transfer-Encoding (that part was read as it is)');
  }
  const contentType = headers.get('content-type');
  if (isStructured(contentType) && /^multipart\//i.test(contentType.value)) {
    const boundary = contentType.params.boundary;
    if (!boundary) problems.push('a multipart message without a boundary (its parts could not be read)');
    else if (read.readToTheEnd && !inspector.tailIncludes(`--${boundary}--`)) {
      problems.push('the closing MIME boundary is missing (the message may have been cut short)');
    }
  }
  if (!read.readToTheEnd) {
    problems.push('the message could not be read to the end (text and attachments may be missing)');
  }
  if (text.length === 0) problems.push('no readable text');
  const fromNames = from.map((address) => address.name);
  if ([subject ?? '', text, ...fromNames].some((value) => value.includes('\uFFFD'))) {
    problems.push('some text could not be decoded');
  }
  if (read.attachments.some((attachment) => attachment.contentType === 'application/ms-tnef')) {
    problems.push('a winmail.dat (Outlook TNEF) attachment, whose contents were not read');
  }

  const autoSubmitted = headerToken(fields.get('auto-submitted')?.[0]);
  const precedence = headerToken(fields.get('precedence')?.[0]);
  const screeningReference = fields.get('x-screening-reference')?.[0]?.trim();

  return {
    ...(messageIdHeader ? { messageIdHeader } : {}),
    from: from.map((address) => address.address),
    fromNames,
    replyTo: addressesOf(fields.get('reply-to') ?? []).map((address) => address.address),
    to: addressesOf(fields.get('to') ?? []).map((address) => address.address),
    cc: addressesOf(fields.get('cc') ?? []).map((address) => address.address),
    ...(subject !== undefined ? { subject } : {}),
    ...(date ? { date } : {}),
    text,
    textTruncated,
    attachments: read.attachments,
    ...(autoSubmitted ? { autoSubmitted } : {}),
    ...(precedence ? { precedence } : {}),
    ...(screeningReference && /^[A-Za-z0-9._-]{1,100}$/.test(screeningReference)
      ? { screeningReference }
      : {}),
    isListMail: ['list-id', 'list-unsubscribe', 'list-post'].some((name) => fields.has(name)),
    isDeliveryReport: isStructured(contentType) && /^multipart\/report$/i.test(contentType.value),
    sizeBytes: inspector.bytes,
    problems,
  };
}

/** Counts an attachment's bytes as they flow past; its content is never held (bounded memory). */
function countAttachment(attachment: AttachmentStream): ParsedInboundMail['attachments'][number] {
  const filename = attachment.filename === undefined ? undefined : cleanLine(attachment.filename);
  const meta = {
    ...(filename ? { filename } : {}),
    contentType: cleanLine(attachment.contentType).toLowerCase(),
    size: 0,
  };
  const release = () => attachment.release?.();
  attachment.content.on('data', (chunk: Buffer) => {
    meta.size += chunk.length;
  });
  attachment.content.once('end', release);
  attachment.content.once('error', release);
  return meta;
}

/** The top-level header fields by lower-cased name, every occurrence, unfolded and decoded as UTF-8. */
function headerFields(lines: HeaderLines): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const { key, line } of lines) {
    if (!isFieldName(key)) continue;
    // mailparser hands the raw bytes over as a 'binary' string; RawMailInspector made them UTF-8.
    const decoded = Buffer.from(line, 'binary').toString('utf8');
    const value = decoded.slice(decoded.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '');
    const list = fields.get(key);
    if (list) list.push(value);
    else fields.set(key, [value]);
  }
  return fields;
}

/** Plain addresses as written (the core normalises them), groups flattened, names decoded. */
function addressesOf(values: string[]): { address: string; name: string }[] {
  if (values.length === 0) return [];
  return parseAddressHeader(values, { flatten: true, decodePunycode: false })
    .value.map((entry) => ({ address: cleanLine(entry.address ?? ''), name: cleanLine(entry.name ?? '') }))
    .filter((entry) => entry.address.includes('@'));
}

/** The first token of a header such as `Auto-Submitted: Auto-Replied (vacation)`, lower-cased. */
function headerToken(value: string | undefined): string | undefined {
  const token = value?.split(/[;(]/, 1)[0]?.trim().toLowerCase();
  return token ? cleanLine(token) : undefined;
}

function isFieldName(key: string): boolean {
  // RFC 5322 3.6.8: printable US-ASCII except the colon.
  return /^[\x21-\x39\x3b-\x7e]+$/.test(key);
}

function isStructured(value: unknown): value is { value: string; params: Record<string, string> } {
  return typeof value === 'object' && value !== null && 'value' in value && 'params' in value;
}
