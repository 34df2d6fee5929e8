import type { MessageText } from 'mailparser';
import { htmlToText } from './html-text';

/** RFC 5322 2.1.1: a line is at most 998 characters, excluding CRLF. */
export const MAX_LINE_LENGTH = 998;

/**
 * The text of a message, at most `maxTextChars`, for topic detection: the plain text part, else the words of
 * the HTML part, cleaned of control characters; `textTruncated` says whether anything was cut.
 */
export function readText(
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
export function cleanText(text: string): string {
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
export function cleanLine(value: string): string {
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
export function cutAt(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
