import type { SESClient } from '@aws-sdk/client-ses';

/** What aws-ses-v2-local keeps of each message it was asked to send (GET /store). */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { filename?: string; contentType: string; content: string; size?: number }[];
  at: number;
}

export async function storedEmails(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}

/** The stored emails whose subject carries this contact reference. */
export async function emailsAbout(sesEndpoint: string, reference: string): Promise<StoredEmail[]> {
  return (await storedEmails(sesEndpoint)).filter((email) => email.subject.includes(reference));
}

/**
 * Records every raw message sent through this SES client (the one a test's handlers were built
 * with), as the SDK puts it on the wire: the emulator's store drops headers such as X-Screening-Route.
 */
export function captureSentRaw(client: SESClient, encoding: BufferEncoding = 'latin1'): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { RawMessage?: { Data?: Uint8Array } };
      if (input.RawMessage?.Data) sent.push(Buffer.from(input.RawMessage.Data).toString(encoding));
      return next(args);
    },
    { step: 'initialize', name: `capture-raw-${Math.random()}` },
  );
  return sent;
}
