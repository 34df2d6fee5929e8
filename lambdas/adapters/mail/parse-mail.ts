import { isUtf8 } from 'node:buffer';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TextDecoder } from 'node:util';
import {
  type AttachmentStream,
  type HeaderLines,
  type Headers,
  MailParser,
  type MessageText,
  parseAddressHeader,
} from 'mailparser';
import { MailParseError, type ParsedInboundMail } from '../../core/inbound-mail';

export interface ParseInboundMailOptions {
  /** The most characters of text kept for topic detection (default 65536). */
  maxTextChars?: number;
}

const DEFAULT_MAX_TEXT_CHARS = 65_536;
/** RFC 5322 2.1.1: a line is at most 998 characters, excluding CRLF. */
const MAX_LINE_LENGTH = 998;
/** mailparser's own limit on one header block (its maxHeadSize default). */
const MAX_HEAD_BYTES = 1024 * 1024;
/** How much of the end of the message is kept to look for the closing MIME boundary. */
const TAIL_BYTES = 64 * 1024;
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

function readText(
  messageText: MessageText | undefined,
  maxTextChars: number,
): { text: string; textTruncated: boolean } {
  // Cut before cleaning, so that a huge body is not copied whole; cleaning only ever removes.
  const margin = maxTextChars * 2 + 1024;
  let truncated = false;
  let plain = messageText?.text ?? '';
  if (plain.length > margin) {
    plain = plain.slice(0, margin);
    truncated = true;
  }
  let text = cleanText(plain);
  if (text.length === 0 && messageText?.html) {
    // No plain text part (or an empty one): take the words of the HTML. It is never rendered or run.
    const fromHtml = htmlToText(messageText.html, margin);
    text = cleanText(fromHtml.text);
    truncated = fromHtml.truncated;
  }
  if (text.length > maxTextChars) {
    text = cutAt(text, maxTextChars).trimEnd();
    truncated = true;
  }
  return { text, textTruncated: truncated };
}

/** Text with line ends unified, control characters other than tab and newline removed, lines trimmed at the end. */
function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
      .split('\n')
      .map((line) => line.trimEnd()) // not /[ \t]+\n/, which is quadratic on a long run of spaces
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** One line of header text: tabs and line breaks become spaces, other control characters go, cut at 998. */
function cleanLine(value: string): string {
  const line = value
    .replace(/[\t\r\n]+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, '')
    // Bidirectional overrides can disguise what a subject or name says to the reader.
    .replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g, '')
    .trim();
  return cutAt(line, MAX_LINE_LENGTH).trim();
}

/** The first `max` UTF-16 units of a string, without splitting a surrogate pair. */
function cutAt(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function isFieldName(key: string): boolean {
  // RFC 5322 3.6.8: printable US-ASCII except the colon.
  return /^[\x21-\x39\x3b-\x7e]+$/.test(key);
}

function isStructured(value: unknown): value is { value: string; params: Record<string, string> } {
  return typeof value === 'object' && value !== null && 'value' in value && 'params' in value;
}

const SKIPPED_ELEMENTS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
const CELL_ELEMENTS = new Set(['td', 'th']);
/** How much text between two tags is decoded in one go. */
const HTML_TEXT_WINDOW = 64 * 1024;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  euro: '€',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
};

/**
 * The words of an HTML body, in one linear pass: tags, comments and the contents of script and
 * style elements are dropped, common entities decoded. Good enough for topic detection, and
 * never a renderer: nothing in the HTML is run or fetched. Stops after `limit` characters.
 */
function htmlToText(html: string, limit: number): { text: string; truncated: boolean } {
  const out: string[] = [];
  let length = 0;
  const emit = (value: string) => {
    out.push(value);
    length += value.length;
  };
  const unclosed = new Set<string>();
  let nextTag = html.indexOf('<');
  let pos = 0;
  while (pos < html.length) {
    if (length > limit) return { text: collapseLines(out.join('')), truncated: true };
    if (nextTag !== -1 && nextTag < pos) nextTag = html.indexOf('<', pos);
    const textEnd = nextTag === -1 ? html.length : nextTag;
    if (textEnd > pos) {
      // Text between tags, a window at a time so that a huge run is never copied whole.
      const end = Math.min(textEnd, pos + HTML_TEXT_WINDOW);
      emit(decodeEntities(html.slice(pos, end)).replace(/\s+/g, ' '));
      pos = end;
      continue;
    }
    if (html.startsWith('<!--', pos)) {
      const end = html.indexOf('-->', pos + 4);
      pos = end === -1 ? html.length : end + 3;
      continue;
    }
    const tag = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(pos, pos + 64));
    if (!tag && !/^<[!?/]/.test(html.slice(pos, pos + 2))) {
      emit('<'); // a '<' that opens no tag is text
      pos += 1;
      continue;
    }
    const close = html.indexOf('>', pos);
    if (close === -1) break; // an unclosed tag runs to the end
    const name = tag?.[1]?.toLowerCase() ?? '';
    const isEndTag = html[pos + 1] === '/';
    pos = close + 1;
    if (!isEndTag && SKIPPED_ELEMENTS.has(name) && !unclosed.has(name)) {
      const endTag = new RegExp(`</${name}\\s*>`, 'gi');
      endTag.lastIndex = pos;
      const found = endTag.exec(html);
      if (found) pos = found.index + found[0].length;
      else unclosed.add(name); // never search again: each search would read to the end (quadratic)
    } else if (BLOCK_ELEMENTS.has(name) && out[out.length - 1] !== '\n') emit('\n');
    else if (CELL_ELEMENTS.has(name)) emit(' ');
  }
  return { text: collapseLines(out.join('')), truncated: length > limit };
}

/** Runs of spaces made one, and no spaces around line breaks. */
function collapseLines(text: string): string {
  return text.replace(/ {2,}/g, ' ').replace(/ ?\n ?/g, '\n');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : '\uFFFD';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/**
 * Sits between the raw stream and mailparser. It counts the bytes, notes NUL bytes, over-long
 * header lines, Content-Transfer-Encodings and the end of the message, and holds back the top-level
 * header block (at most 1 MB) to re-encode any field in raw 8-bit that is not UTF-8 — mailparser
 * reads raw header bytes as UTF-8 only — from the message's charset, else windows-1252.
 */
class RawMailInspector extends Transform {
  bytes = 0;
  hasNul = false;
  longHeaderLine = false;
  /** The charset raw 8-bit header fields were read in, when some were not UTF-8. */
  headerCharset: string | undefined;
  readonly transferEncodings = new Set<string>();
  private head: Buffer[] | undefined = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private scanCarry = '\n';
  /** The last bytes of the header read so far; a virtual line end at first, so a blank first line ends it. */
  private recent = Buffer.from('\n');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) {
      done();
      return;
    }
    this.bytes += chunk.length;
    if (!this.hasNul && chunk.includes(0)) this.hasNul = true;
    this.scanTransferEncodings(chunk);
    this.keepTail(chunk);
    if (!this.head) {
      done(null, chunk);
      return;
    }
    // Look for the blank line that ends the header in the new bytes and the few before them.
    const window = Buffer.concat([this.recent, chunk]);
    const end = headerEnd(window);
    const offset = this.headLength - this.recent.length;
    this.recent = Buffer.from(window.subarray(-3));
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (end !== -1) {
      this.releaseHead(offset + end);
    } else if (this.headLength > MAX_HEAD_BYTES) {
      // Too large for mailparser anyway: pass it on as it is and let the parser say so.
      this.push(Buffer.concat(this.head));
      this.head = undefined;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.head) this.releaseHead(this.headLength);
    done();
  }

  /** Whether the last 64 KB of the message contain `marker` (the closing boundary sits at the end). */
  tailIncludes(marker: string): boolean {
    return Buffer.concat(this.tail).includes(marker, 0, 'latin1');
  }

  private releaseHead(end: number) {
    const all = Buffer.concat(this.head ?? []);
    this.head = undefined;
    this.push(this.repairHeader(all.subarray(0, end)));
    if (end < all.length) this.push(all.subarray(end));
  }

  private repairHeader(block: Buffer): Buffer {
    const lines = block.toString('latin1').split('\n');
    if (lines.some((line) => line.replace(/\r$/, '').length > MAX_LINE_LENGTH)) this.longHeaderLine = true;
    if (isUtf8(block)) return block;
    // Split into fields (a line and its continuation lines) and re-encode those that are not UTF-8.
    const fields: string[] = [];
    for (const line of lines) {
      if (fields.length > 0 && /^[ \t]/.test(line)) fields[fields.length - 1] += `\n${line}`;
      else fields.push(line);
    }
    const contentType = fields.find((field) => /^content-type\s*:/i.test(field));
    return Buffer.concat(
      fields.map((field, index) => {
        const bytes = Buffer.from(index < fields.length - 1 ? `${field}\n` : field, 'latin1');
        // The MIME structure (boundary, charset) must stay byte for byte as the body uses it.
        if (isUtf8(bytes) || /^content-/i.test(field)) return bytes;
        const decoder = headerDecoder(contentType, bytes);
        this.headerCharset = decoder.encoding;
        return Buffer.from(decoder.decode(bytes), 'utf8');
      }),
    );
  }

  private scanTransferEncodings(chunk: Buffer) {
    const text = this.scanCarry + chunk.toString('latin1');
    for (const match of text.matchAll(/\ncontent-transfer-encoding[ \t]*:[ \t]*([^\s;(]+)(?=[\s;(])/gi)) {
      this.transferEncodings.add((match[1] ?? '').toLowerCase());
    }
    this.scanCarry = text.slice(-100);
  }

  private keepTail(chunk: Buffer) {
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    while (this.tail.length > 1 && this.tailLength - (this.tail[0]?.length ?? 0) >= TAIL_BYTES) {
      this.tailLength -= this.tail.shift()?.length ?? 0;
    }
  }
}

/** The offset just after the blank line that ends a header block, or -1. */
function headerEnd(buffer: Buffer): number {
  let at = buffer.indexOf(0x0a);
  while (at !== -1) {
    if (buffer[at + 1] === 0x0a) return at + 2;
    if (buffer[at + 1] === 0x0d && buffer[at + 2] === 0x0a) return at + 3;
    at = buffer.indexOf(0x0a, at + 1);
  }
  return -1;
}

/**
 * A decoder for raw header bytes: the charset the message declares when the bytes are valid in it,
 * else windows-1252 (which reads any byte).
 */
function headerDecoder(contentTypeField: string | undefined, bytes: Buffer): TextDecoder {
  const charset = /charset\s*=\s*"?([\w.:+-]+)/i.exec(contentTypeField ?? '')?.[1]?.toLowerCase();
  if (charset && !['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(charset)) {
    try {
      const declared = new TextDecoder(charset, { fatal: true });
      declared.decode(bytes);
      return new TextDecoder(charset);
    } catch {
      // not a charset this runtime knows, or not the one these bytes are in
    }
  }
  return new TextDecoder('windows-1252');
}
