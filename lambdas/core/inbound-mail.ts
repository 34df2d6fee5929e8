/**
 * What screening reads from an inbound message. Produced by the mail parsing adapter from the
 * raw MIME; holds no body beyond a bounded excerpt of text used to find the topic, and that
 * excerpt is never stored or logged (P7).
 */
export interface ParsedInboundMail {
  /** The Message-ID header, if any. */
  messageIdHeader?: string;
  /** Addresses of the From header(s): none, one or several (all are kept; none is guessed). */
  from: string[];
  /** Display names given with the From addresses, in the same order ('' where none). */
  fromNames: string[];
  replyTo: string[];
  to: string[];
  cc: string[];
  /** Decoded subject, control characters removed, at most 998 characters. */
  subject?: string;
  /** The Date header as an ISO instant, when it could be read. */
  date?: string;
  /** Plain text (from text/plain, else from the HTML), at most `maxTextChars`; for topic detection only. */
  text: string;
  textTruncated: boolean;
  /** Attachment metadata only; contents are never held in memory. */
  attachments: { filename?: string; contentType: string; size: number }[];
  /** RFC 3834 Auto-Submitted header value (e.g. `auto-replied`), lower-cased. */
  autoSubmitted?: string;
  /** X-Screening-Reference: the mark screening puts on its own forwards (a loop, if it comes back). */
  screeningReference?: string;
  /** Precedence header value (`bulk`, `list`, `junk`), lower-cased. */
  precedence?: string;
  /** List-Id, or true-ish presence of List-Unsubscribe / List-Post: marks mailing-list mail (P8). */
  isListMail: boolean;
  /** A delivery or read report (multipart/report): automatic mail whatever its headers say (P8). */
  isDeliveryReport?: boolean;
  /** Size of the raw message in bytes. */
  sizeBytes: number;
  /** Problems noticed while parsing that a reader should know of (e.g. "no From header"). */
  problems: string[];
}

/** Thrown when a message cannot be read at all; the contact is then forwarded unscreened (P1). */
export class MailParseError extends Error {
  override name = 'MailParseError';
}
