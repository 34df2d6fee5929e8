import { createHash } from 'node:crypto';
import { dateInWords } from './london-day';

/**
 * What a contact is about, and how that was decided (explained in the record and the summary).
 * 4.2.7 counts contacts "in relation to a topic"; 4.2.14 warns of the same contact sent again
 * with minor differences, so near-copies must land on the same topic.
 */
export interface Topic {
  /** Stable key: `case:CMP-12345`, `form:bins and recycling`, `text:<simhash hex>`. */
  key: string;
  /** How a person reads it: `CMP-12345`, `"Bins and recycling" (form topic)`, `the matter first raised in CS-… (2 December 2026)`. */
  label: string;
  how: 'case-reference' | 'similar-text' | 'form-topic' | 'new-text';
}

/** A topic the sender has written about recently, with its text fingerprint if it has one. */
export interface KnownTopic {
  key: string;
  label: string;
  fingerprint?: string;
}

const stopWords = new Set(
  'a an and are as at be but by for from has have i in is it its me my of on or our re fw fwd so that the this to was we were with you your dear hello hi regards thanks thank yours sincerely'.split(
    ' ',
  ),
);

/** Words of a text, lower-cased, without punctuation, quoted replies or stop words. */
export function wordsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('>'))
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !stopWords.has(word));
}

/**
 * A 64-bit SimHash of the text's words, as 16 hex digits. Texts that differ in a
 * few words have fingerprints a few bits apart; unrelated texts differ in about half the bits.
 */
export function simhash(text: string): string {
  const words = wordsOf(text);
  const shingles = words;
  const weights = new Array<number>(64).fill(0);
  for (const shingle of shingles) {
    const digest = createHash('sha256').update(shingle).digest();
    for (let bit = 0; bit < 64; bit++) {
      const byte = digest[bit >> 3]!;
      weights[bit]! += (byte >> (bit & 7)) & 1 ? 1 : -1;
    }
  }
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) if (weights[nibble * 4 + bit]! > 0) value |= 1 << bit;
    hex += value.toString(16);
  }
  return hex;
}

export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = Number.parseInt(a[i]!, 16) ^ Number.parseInt(b[i]!, 16);
    while (x) {
      distance += x & 1;
      x >>= 1;
    }
  }
  return distance;
}

/** Fingerprints at most this many bits apart (of 64) are the same message with minor differences. */
export const nearCopyDistance = 12;

/** Texts this short say too little to fingerprint reliably. */
const minimumWords = 4;

/**
 * Decides a contact's topic: a case reference if it has one; else a topic the sender wrote about
 * recently whose text it nearly copies (4.2.14), whatever the channel; else the form's topic;
 * else a new topic from its own text.
 */
export function decideTopic(
  contact: {
    caseReferences: readonly string[];
    formTopic?: string | undefined;
    subject?: string | undefined;
    text: string;
    /** This contact: a new matter is named after it (the reference a person can look up). */
    reference?: string | undefined;
    receivedAt?: string | undefined;
  },
  known: readonly KnownTopic[],
): Topic & { fingerprint?: string } {
  const [caseReference] = contact.caseReferences;
  if (caseReference)
    return {
      key: `case:${caseReference.toUpperCase()}`,
      label: caseReference.toUpperCase(),
      how: 'case-reference',
    };

  const text = `${contact.subject ?? ''}\n${contact.text}`;
  const enoughText = wordsOf(text).length >= minimumWords;
  const fingerprint = enoughText ? simhash(text) : undefined;
  if (fingerprint) {
    let best: KnownTopic | undefined;
    let bestDistance = nearCopyDistance + 1;
    for (const topic of known) {
      if (!topic.fingerprint) continue;
      const distance = hammingDistance(fingerprint, topic.fingerprint);
      if (distance < bestDistance) [best, bestDistance] = [topic, distance];
    }
    if (best)
      return { key: best.key, label: best.label, how: 'similar-text', fingerprint: best.fingerprint! };
  }
  if (contact.formTopic) {
    const normalised = contact.formTopic.trim().toLowerCase().replace(/\s+/g, ' ');
    return {
      key: `form:${normalised}`,
      label: `"${contact.formTopic.trim()}" (form topic)`,
      how: 'form-topic',
      ...(fingerprint ? { fingerprint } : {}),
    };
  }
  const key = `text:${fingerprint ?? createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  return {
    key,
    // No words of the message in the label: it travels in events and records (P7). The contact that
    // first raised the matter names it: staff open it by that reference to see what it is about.
    label: contact.reference
      ? `the matter first raised in ${contact.reference}${contact.receivedAt ? ` (${dateInWords(contact.receivedAt)})` : ''}`
      : 'a matter without a case reference (messages alike)',
    how: 'new-text',
    ...(fingerprint ? { fingerprint } : {}),
  };
}
