import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MailParseError, type ParsedInboundMail } from '../../core/inbound-mail';
import type { InboundMailSource } from '../../core/ports';

/** Reads a raw RFC 5322 message as it streams (the wiring hands in adapters/mail/parse-mail.ts). */
export type MailParser = (raw: Readable) => Promise<ParsedInboundMail>;

/**
 * Raw inbound mail in S3, where the SES receipt rule's S3 action stored it under
 * `<prefix><messageId>`. The message stays there whatever happens to it (P1).
 */
export class S3InboundMailSource implements InboundMailSource {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly parseMail: MailParser,
  ) {}

  private key(messageId: string) {
    return `${this.prefix}${messageId}`;
  }

  async read(messageId: string, maxBytes: number) {
    const key = this.key(messageId);
    const location = `s3://${this.bucket}/${key}`;
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const sizeBytes = object.ContentLength ?? 0;
    // Small enough to attach: hold it whole and parse from memory; otherwise parse as it streams.
    const bytes = sizeBytes <= maxBytes ? await object.Body?.transformToByteArray() : undefined;
    const raw = bytes ? Readable.from([Buffer.from(bytes)]) : (object.Body as Readable);
    try {
      const mail = await this.parseMail(raw);
      return { mail, sizeBytes, location, ...(bytes ? { bytes } : {}) };
    } catch (error) {
      if (!(error instanceof MailParseError)) throw error;
      return { unreadable: error, sizeBytes, location, ...(bytes ? { bytes } : {}) };
    }
  }
}
