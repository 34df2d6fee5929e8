import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InboundMailSource } from '../../core/ports';
import { parseInboundMail } from '../mail/parse-mail';

/**
 * Raw inbound mail in S3, where the SES receipt rule's S3 action stored it under
 * `<prefix><messageId>`. The message stays there whatever happens to it (P1).
 */
export class S3InboundMailSource implements InboundMailSource {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  private key(messageId: string) {
    return `${this.prefix}${messageId}`;
  }

  async parse(messageId: string) {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.key(messageId) }),
    );
    return parseInboundMail(object.Body as Readable);
  }

  async original(messageId: string, maxBytes: number) {
    const key = this.key(messageId);
    const location = `s3://${this.bucket}/${key}`;
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    const sizeBytes = head.ContentLength ?? 0;
    if (sizeBytes > maxBytes) return { sizeBytes, location };
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const bytes = await object.Body?.transformToByteArray();
    return { sizeBytes, location, ...(bytes ? { bytes } : {}) };
  }
}
