import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The committed corpus of inbound mail: small `.eml` files, one per case (see its README). */
export const mailFixturesDir = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));

export function mailFixtureNames(): string[] {
  return readdirSync(mailFixturesDir)
    .filter((name) => name.endsWith('.eml'))
    .sort();
}

export function readMailFixture(name: string): Buffer {
  return readFileSync(join(mailFixturesDir, name));
}

/** Bytes as a stream in chunks of `size`, the way a slow socket would hand them over. */
export function inChunks(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    })(),
  );
}

const BASE64_LINE_BYTES = 57; // 57 bytes encode to one 76-character line

/**
 * A message with a short text part and one base64 attachment, generated as it is read so that
 * nothing of its size is ever held: `encodedBytes` is the approximate size of the encoded
 * attachment (e.g. 39 MB, near SES's 40 MB limit). Returns the stream and the attachment's
 * decoded size.
 */
export function messageWithLargeAttachment(encodedBytes: number): { stream: Readable; decodedBytes: number } {
  const lines = Math.ceil(encodedBytes / 78); // 76 characters and CRLF
  const linesPerChunk = 840; // about 64 KB a chunk
  // One chunk's worth of varied bytes, encoded once and repeated.
  const block = Buffer.alloc(BASE64_LINE_BYTES * linesPerChunk);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + (i >> 8)) & 0xff;
  const encodedBlock = Buffer.from(
    `${block
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n')}\r\n`,
  );
  const head = Buffer.from(
    [
      'From: Ada Testperson <ada.testperson@example.org>',
      'To: customer.services@council.example',
      'Subject: Photos of the fly-tipping CMP-40000',
      'Date: Tue, 01 Jul 2025 10:00:00 +0000',
      'Message-ID: <large.0001@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="large-boundary"',
      '',
      '--large-boundary',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The photos are attached.',
      '--large-boundary',
      'Content-Type: application/zip; name="photos.zip"',
      'Content-Disposition: attachment; filename="photos.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      '',
    ].join('\r\n'),
  );
  const foot = Buffer.from('--large-boundary--\r\n');
  const stream = Readable.from(
    (function* () {
      yield head;
      let left = lines;
      while (left >= linesPerChunk) {
        yield encodedBlock;
        left -= linesPerChunk;
      }
      if (left > 0) yield encodedBlock.subarray(0, left * 78);
      yield foot;
    })(),
  );
  return { stream, decodedBytes: lines * BASE64_LINE_BYTES };
}

/** A message whose Subject is one unfolded header line of `length` characters. */
export function messageWithLongHeaderLine(length: number): Buffer {
  return Buffer.from(
    [
      'From: Ada Testperson <ada.testperson@example.org>',
      `Subject: ${'Long subject '.repeat(Math.ceil(length / 13)).slice(0, length)}`,
      'To: customer.services@council.example',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'A message with one very long header line.',
      '',
    ].join('\r\n'),
  );
}

/** A plain-text message with `chars` characters of body, generated as it is read. */
export function messageWithLongText(chars: number): Readable {
  const line = 'The hedge on Elm Road is overgrown again and blocks the footpath. ';
  const chunk = Buffer.from(`${line.repeat(Math.floor(65_536 / (line.length + 2)))}\r\n`);
  return Readable.from(
    (function* () {
      yield Buffer.from(
        'From: Ada Testperson <ada.testperson@example.org>\r\nSubject: Long letter\r\n' +
          'Content-Type: text/plain; charset=utf-8\r\n\r\n',
      );
      for (let sent = 0; sent < chars; sent += chunk.length) yield chunk;
    })(),
  );
}

/** A stream that gives `bytes` and then fails, as a store connection reset halfway would. */
export function failingStream(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error('connection reset');
    })(),
  );
}
