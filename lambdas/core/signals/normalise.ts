/**
 * The text the phrase rules read: lower case, accents and look-alike letters folded, curly
 * quotes straightened, digits-for-letters decoded inside words ("k1ll" → "kill"), runs of one
 * letter collapsed ("killlll", "kill" → "kil"), whitespace to one space (a blank line to a
 * newline, a sentence break). Each character keeps the span of the original it came from, so
 * evidence points at the words as written.
 */
export interface NormalisedText {
  text: string;
  /** For each character of `text`: where its source starts in the input. */
  from: Int32Array;
  /** For each character of `text`: where its source (and any letters collapsed into it) ends. */
  to: Int32Array;
}

const leet: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const zeroWidth = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const apostrophes = /[\u2018\u2019\u201a\u201b\u02bc`\u00b4]/;
const doubleQuotes = /[\u201c\u201d\u201e\u00ab\u00bb]/;
const letter = /\p{L}/u;
const space = /\s/;

const isAsciiLetter = (code: number) => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
const isAsciiWordChar = (code: number) =>
  isAsciiLetter(code) ||
  (code >= 48 && code <= 57) ||
  code === 33 ||
  code === 36 ||
  code === 39 ||
  code === 64;
const isWordChar = (ch: string) => {
  const code = ch.charCodeAt(0);
  return code < 128 ? isAsciiWordChar(code) : /[\p{L}\p{N}\u2019]/u.test(ch);
};

/**
 * The offsets of digits and symbols standing for letters: inside a word that has a letter in it
 * ("k1ll", "y0u", "1'll"), never in a number ("10am" has a letter, so it decodes harmlessly).
 * A "!" decodes only between letters ("sh!t"), never at the end of a word ("you!").
 */
function leetOffsets(input: string): Set<number> {
  const offsets = new Set<number>();
  for (const m of input.matchAll(/[013457@$!]/g)) {
    const at = m.index;
    if (m[0] === '!' && !(letter.test(input[at - 1] ?? '') && letter.test(input[at + 1] ?? ''))) continue;
    let start = at;
    while (start > 0 && isWordChar(input[start - 1]!)) start -= 1;
    let end = at + 1;
    while (end < input.length && isWordChar(input[end]!)) end += 1;
    if (letter.test(input.slice(start, end))) offsets.add(at);
  }
  return offsets;
}

function fold(ch: string): string {
  if (apostrophes.test(ch)) return "'";
  if (doubleQuotes.test(ch)) return '"';
  return ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function normaliseForRules(input: string): NormalisedText {
  const decode = leetOffsets(input);
  // Folding may lengthen a character ("ﬁ" → "fi"): room for that, trimmed at the end.
  const from = new Int32Array(input.length * 2 + 1);
  const to = new Int32Array(input.length * 2 + 1);
  const parts: string[] = [];
  let length = 0;
  let last = '';
  const emit = (ch: string, start: number, end: number) => {
    // Collapse a run of one letter, and whitespace, into the first of the run.
    if (ch === last && (ch === ' ' || (ch >= 'a' && ch <= 'z'))) {
      to[length - 1] = end;
      return;
    }
    parts.push(ch);
    from[length] = start;
    to[length] = end;
    length += 1;
    last = ch;
  };
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code < 128 && (decode.size === 0 || !decode.has(i))) {
      if (code === 32 || (code >= 9 && code <= 13)) {
        let j = i + 1;
        let breaks = code === 10 || code === 13 ? 1 : 0;
        while (j < input.length && space.test(input[j]!)) {
          if (input[j] === '\r' || (input[j] === '\n' && input[j - 1] !== '\r')) breaks += 1;
          j += 1;
        }
        emit(breaks >= 2 ? '\n' : ' ', i, j);
        i = j;
        continue;
      }
      emit(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : input[i]!, i, i + 1);
      i += 1;
      continue;
    }
    const ch = String.fromCodePoint(input.codePointAt(i)!);
    const end = i + ch.length;
    if (decode.has(i)) emit(leet[ch] ?? 'i', i, end);
    else if (space.test(ch)) emit(' ', i, end);
    else if (!zeroWidth.test(ch)) {
      // Per UTF-16 unit, as the rules' match offsets count: an emoji is two, each from the same source.
      const folded = fold(ch);
      for (let k = 0; k < folded.length; k++) emit(folded[k]!, i, end);
    }
    i = end;
  }
  return { text: parts.join(''), from: from.subarray(0, length), to: to.subarray(0, length) };
}
