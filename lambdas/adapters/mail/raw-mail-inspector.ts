import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { MAX_LINE_LENGTH } from './mail-text';

/** mailparser's own limit on one header block (its maxHeadSize default). */
const MAX_HEAD_BYTES = 1024 * 1024;
/** How much of the end of the message is kept to look for the closing MIME boundary. */
const TAIL_BYTES = 64 * 1024;

/**
 * Sits between the raw stream and mailparser. It counts the bytes, notes NUL bytes, over-long
 * header lines, Content-Transfer-Encodings and the end of the message, and holds back the top-level
 * header block (at most 1 MB) to re-encode any field in raw 8-bit that is not UTF-8 — mailparser
 * reads raw header bytes as UTF-8 only — from the message's charset, else windows-1252.
 */
export class RawMailInspector extends Transform {
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
