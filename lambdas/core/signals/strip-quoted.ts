/**
 * Keeps the customer's own words and drops what others wrote: quoted replies, forwarded mail,
 * signatures and disclaimers. A customer quoting the council's letter, or an officer's reply
 * quoted back, must not be flagged as the customer's own abuse (3.1, 5.8 judge the sender's words).
 */

export type StrippedKind = 'quoted' | 'forwarded' | 'signature' | 'disclaimer';

/** A removed part, by offsets in the text as received. */
export interface StrippedPart {
  kind: StrippedKind;
  start: number;
  end: number;
}

/** One kept line: where it starts in the kept text and in the original. */
interface KeptSegment {
  at: number;
  from: number;
  length: number;
}

export interface StrippedContent {
  /** The customer's own words, the kept lines joined by newlines. */
  text: string;
  removed: StrippedPart[];
  segments: readonly KeptSegment[];
}

interface Line {
  text: string;
  start: number;
  /** Offset just after the line's terminator. */
  next: number;
}

const quotePrefix = /^\s*>/;
const signatureDelimiter = /^-- ?$/;
const originalMessage = /^\s*-{2,}\s*original message\s*-{2,}\s*$/i;
const forwardedMarker = /^\s*(?:-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:?)\s*$/i;
const outlookRule = /^\s*_{8,}\s*$/;
const headerFrom = /^\s*\*?from:\*?\s+\S/i;
const headerSentOrDate = /^\s*\*?(?:sent|date):\*?\s+\S/i;
const onWrote = /^\s*on\b.{0,300}\bwrote:\s*$/i;
const addressWrote = /<[^>\s]+@[^>\s]+>\s*wrote:\s*$/i;
const mobileFooter =
  /^\s*(?:sent from my \S.*|sent from (?:outlook|mail|yahoo mail)\b.*|get outlook for \S.*)$/i;
const disclaimerStart =
  /^\s*(?:disclaimer\b|confidentiality notice|this (?:e-?mail|message)(?: and any (?:files|attachments)(?: transmitted with it)?)? (?:is|are|may be|may contain|contains?) (?:confidential|privileged|private|intended)|the information (?:contained )?in this (?:e-?mail|message)|if you (?:are not the intended recipient|have received this (?:e-?mail|message) in error))/i;
const signOffPhrase =
  /^\s*(?:(?:kind|best|warm|warmest|many|with (?:kind|best))\s+)?(?:regards|wishes|thanks|thank you|cheers|sincerely|yours (?:sincerely|faithfully|truly)|all the best|take care|respectfully|thanks again|thanks in advance)\s*[,.!]*\s*/i;
/** After the sign-off phrase on the same line, only a name may follow (capitalised words). */
const nameAfterSignOff = /^(?:\p{Lu}[\p{L}'.-]*(?:\s+\p{Lu}[\p{L}'.-]*){0,3})?\s*$/u;

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const terminator = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = terminator.exec(text); m !== null; m = terminator.exec(text)) {
    lines.push({ text: text.slice(start, m.index), start, next: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), start, next: text.length });
  return lines;
}

const isBlank = (line: Line | undefined) => line !== undefined && line.text.trim() === '';

/** A reply or forward header starting at `i`: how many lines it takes and what follows it. */
function headerAt(
  lines: readonly Line[],
  i: number,
  hasOwnWordsBefore: boolean,
): { length: number; kind: StrippedKind } | undefined {
  const line = lines[i]!.text;
  const next = lines[i + 1]?.text ?? '';
  if (forwardedMarker.test(line)) return { length: 1, kind: 'forwarded' };
  if (originalMessage.test(line)) return { length: 1, kind: 'quoted' };
  const dated = (s: string) => /\d|@/.test(s);
  if (onWrote.test(line) && dated(line)) return { length: 1, kind: 'quoted' };
  // Mail clients wrap a long "On <date>, <name> <address> wrote:" over two lines.
  if (/^\s*on\b/i.test(line) && onWrote.test(`${line} ${next}`) && dated(line + next)) {
    return { length: 2, kind: 'quoted' };
  }
  if (addressWrote.test(line)) return { length: 1, kind: 'quoted' };
  // An Outlook block ("From: … Sent: …") below the customer's words; at the very top it may be
  // the customer's own letter layout, so it is scored.
  const outlookAt = outlookRule.test(line) && headerFrom.test(next) ? i + 1 : i;
  if (hasOwnWordsBefore && headerFrom.test(lines[outlookAt]!.text)) {
    for (let k = outlookAt + 1; k <= outlookAt + 4 && k < lines.length; k++) {
      if (headerSentOrDate.test(lines[k]!.text)) return { length: outlookAt - i + 1, kind: 'quoted' };
    }
  }
  return undefined;
}

function isSignOff(line: string): boolean {
  const m = signOffPhrase.exec(line);
  return m !== null && nameAfterSignOff.test(line.slice(m[0].length));
}

/** A line such as a name, a job title, an organisation, an address or a telephone number. */
function looksLikeSignatureLine(line: string): boolean {
  const text = line.trim();
  if (text.length > 80) return false;
  if (/\d|@|https?:|www\./.test(text)) return true;
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const capitalised = words.filter((w) => /^\P{L}*\p{Lu}/u.test(w)).length;
  return words.length > 0 && capitalised / words.length >= 0.6;
}

/** The end (exclusive line index) of a signature block after a sign-off at `i`, if there is one. */
function signatureBlockEnd(lines: readonly Line[], i: number, stopAt: number): number | undefined {
  const body = lines.slice(i + 1, stopAt).filter((l) => !isBlank(l));
  // A sign-off with nothing after it is left alone: there is no signature to drop.
  if (body.length === 0 || body.length > 8) return undefined;
  return body.every((l) => looksLikeSignatureLine(l.text)) ? stopAt : undefined;
}

/** Where the next header, quote or delimiter starts after `i` (the end of a sign-off block). */
function nextBoundary(lines: readonly Line[], i: number): number {
  for (let k = i + 1; k < lines.length; k++) {
    const text = lines[k]!.text;
    if (quotePrefix.test(text) || signatureDelimiter.test(text) || headerAt(lines, k, true)) return k;
  }
  return lines.length;
}

/**
 * Strips quoted replies (`>` lines, "On … wrote:", Outlook's "From: … Sent: …" blocks,
 * "-----Original Message-----"), forwarded mail, signatures ("-- " and sign-off blocks), mobile
 * footers and disclaimers. Inline replies between quoted lines are kept.
 */
export function stripQuotedAndSignature(text: string): StrippedContent {
  const lines = splitLines(text);
  const removedKind: (StrippedKind | undefined)[] = new Array(lines.length).fill(undefined);
  const remove = (from: number, to: number, kind: StrippedKind) => {
    for (let k = from; k < to; k++) removedKind[k] = kind;
  };
  let hasOwnWords = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!.text;
    if (quotePrefix.test(line)) {
      remove(i, i + 1, 'quoted');
      i += 1;
      continue;
    }
    const header = headerAt(lines, i, hasOwnWords);
    if (header) {
      let k = i + header.length;
      while (isBlank(lines[k])) k += 1;
      // Quoted with ">" below the header: the quoted lines go, inline replies stay.
      if (k < lines.length && quotePrefix.test(lines[k]!.text)) {
        remove(i, k, header.kind);
        i = k;
        continue;
      }
      remove(i, lines.length, header.kind);
      break;
    }
    if (signatureDelimiter.test(line)) {
      remove(i, lines.length, 'signature');
      break;
    }
    if (disclaimerStart.test(line)) {
      remove(i, lines.length, 'disclaimer');
      break;
    }
    if (mobileFooter.test(line)) {
      remove(i, i + 1, 'signature');
      i += 1;
      continue;
    }
    if (isSignOff(line)) {
      const end = signatureBlockEnd(lines, i, nextBoundary(lines, i));
      if (end !== undefined) {
        remove(i, end, 'signature');
        i = end;
        continue;
      }
    }
    if (line.trim() !== '') hasOwnWords = true;
    i += 1;
  }
  return assemble(lines, removedKind);
}

function assemble(lines: readonly Line[], kinds: readonly (StrippedKind | undefined)[]): StrippedContent {
  const kept: string[] = [];
  const segments: KeptSegment[] = [];
  const removed: StrippedPart[] = [];
  let at = 0;
  lines.forEach((line, k) => {
    const kind = kinds[k];
    if (kind === undefined) {
      if (kept.length > 0) at += 1; // the joining newline
      segments.push({ at, from: line.start, length: line.text.length });
      kept.push(line.text);
      at += line.text.length;
      return;
    }
    const last = removed.at(-1);
    if (last && last.kind === kind && last.end === line.start) last.end = line.next;
    else removed.push({ kind, start: line.start, end: line.next });
  });
  return { text: kept.join('\n'), removed, segments };
}

/** The offset in the text as received of an offset in the kept text. */
export function sourceOffsetOf(content: StrippedContent, offset: number): number {
  const { segments } = content;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid]!.at <= offset) low = mid;
    else high = mid - 1;
  }
  const segment = segments[low];
  if (!segment) return offset;
  return segment.from + Math.min(offset - segment.at, segment.length);
}
