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
  from: number[];
  /** For each character of `text`: where its source (and any letters collapsed into it) ends. */
  to: number[];
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

/** The offsets of digits and symbols standing for letters: in a word that has a letter in it. */
function leetOffsets(input: string): Set<number> {
  const offsets = new Set<number>();
  for (const word of input.matchAll(/[\p{L}\p{N}@$!'\u2019]+/gu)) {
    if (!letter.test(word[0])) continue;
    for (let k = 0; k < word[0].length; k++) {
      const ch = word[0][k]!;
      const inside = k > 0 && k < word[0].length - 1;
      if (leet[ch] !== undefined || (ch === '!' && inside && letter.test(word[0][k + 1] ?? ''))) {
        offsets.add(word.index + k);
      }
    }
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
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const emit = (ch: string, start: number, end: number) => {
    const last = out.length - 1;
    // Collapse a run of one letter, and whitespace, into the first of the run.
    if (last >= 0 && out[last] === ch && (ch === ' ' || /[a-z]/.test(ch))) {
      to[last] = end;
      return;
    }
    out.push(ch);
    from.push(start);
    to.push(end);
  };
  let i = 0;
  while (i < input.length) {
    const code = input.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    const end = i + ch.length;
    if (/\s/.test(ch)) {
      let j = end;
      while (j < input.length && /\s/.test(input[j]!)) j += 1;
      const breaks = input.slice(i, j).match(/\r\n|\n|\r/g)?.length ?? 0;
      emit(breaks >= 2 ? '\n' : ' ', i, j);
      i = j;
      continue;
    }
    if (!zeroWidth.test(ch)) {
      const folded = decode.has(i) ? (leet[ch] ?? 'i') : fold(ch);
      for (const part of folded) emit(part, i, end);
    }
    i = end;
  }
  return { text: out.join(''), from, to };
}
