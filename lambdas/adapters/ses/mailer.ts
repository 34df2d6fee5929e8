import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mailer, OutboundForward, OutboundNotice } from '../../core/ports';

/** Header values that came from outside must not break out of their header (CR/LF injection). */
const oneLine = (value: string) => value.replace(/[\r\n\0]+/g, ' ').trim();

function build(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer(options).compile().build((error, message) => (error ? reject(error) : resolve(message)));
  });
}

/**
 * Sends as the council's screening address through SES SendRawEmail. The MIME is built by
 * nodemailer's composer, never by string concatenation. Every message is marked
 * `Auto-Submitted: auto-generated` so that well-behaved systems never answer it (P8).
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  async forward(message: OutboundForward): Promise<string> {
    const raw = await build({
      from: this.from,
      to: message.to,
      cc: message.cc,
      ...(message.replyTo ? { replyTo: oneLine(message.replyTo) } : {}),
      subject: oneLine(message.subject),
      text: message.summary,
      headers: {
        'X-Screening-Reference': message.reference,
        'X-Screening-Route': message.route,
        'Auto-Submitted': 'auto-generated',
      },
      attachments: message.original
        ? [
            {
              filename: `${message.reference}-original.eml`,
              content: Buffer.from(message.original),
              contentType: 'message/rfc822',
              contentDisposition: 'attachment',
            },
          ]
        : [],
    });
    return this.send(raw, [...message.to, ...message.cc]);
  }

  async notify(message: OutboundNotice): Promise<string> {
    const inReplyTo = message.inReplyTo ? oneLine(message.inReplyTo) : undefined;
    const raw = await build({
      from: this.from,
      to: message.to,
      subject: oneLine(message.subject),
      text: message.text,
      ...(inReplyTo ? { inReplyTo, references: [inReplyTo] } : {}),
      headers: {
        'X-Screening-Reference': message.reference,
        'Auto-Submitted': message.autoSubmitted ?? 'auto-replied',
      },
    });
    return this.send(raw, [message.to]);
  }

  private async send(raw: Buffer, destinations: string[]): Promise<string> {
    const output = await this.client.send(
      new SendRawEmailCommand({ Source: this.from, Destinations: destinations, RawMessage: { Data: raw } }),
    );
    return output.MessageId ?? '';
  }
}
