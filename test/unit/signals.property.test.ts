import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreContent, signalCategories, stripQuotedAndSignature } from '../../lambdas/core/signals';

/** Pieces of council contact, to build messages that exercise every rule and the stripper. */
const fragments = fc.constantFrom(
  'I know where you live',
  "I'll k1ll y0u",
  'i wil killll youuu',
  'I want to end it all',
  "I'm not going to kill myself",
  'fuuuck this council',
  'sh1t service',
  'f*** off',
  'I could kill for a cup of tea',
  'My neighbour said "I\'ll burn your house down"',
  '> quoted reply from the council',
  'On Tue, 4 Jun 2024 at 09:12, Housing <housing@council.example> wrote:',
  '-- ',
  'Kind regards',
  'Sent from my iPhone',
  'Penistone Road, kitchen-cum-diner',
  '“smart quotes” and ’apostrophes’',
  'ﬁne ligature, Ünïcödé, 𝔣𝔲𝔠𝔨, 🙂',
);
const separator = fc.constantFrom(' ', '\n', '\n\n', '. ', '\r\n', ', ', '');
const message = fc
  .array(fc.tuple(fc.oneof(fragments, fc.string({ maxLength: 30 })), separator), { maxLength: 12 })
  .map((parts) => parts.map(([text, sep]) => text + sep).join(''));

function expectWellFormed(text: string, stripQuoted: boolean) {
  const signals = scoreContent(text, { stripQuoted, minimumConfidence: 0.3 });
  const scored = stripQuoted ? stripQuotedAndSignature(text).text : text;
  expect(new Set(signals.flags.map((f) => f.category)).size).toBe(signals.flags.length);
  for (const flag of signals.flags) {
    expect(signalCategories).toContain(flag.category);
    expect(flag.confidence).toBeGreaterThan(0);
    expect(flag.confidence).toBeLessThanOrEqual(1);
    for (const e of flag.evidence) {
      expect(e.end).toBeGreaterThan(e.start);
      expect(scored.slice(e.start, e.end)).toBe(e.phrase);
      // Without stripping, the scored text is the text as received.
      if (!stripQuoted) expect(text.slice(e.sourceStart, e.sourceEnd)).toBe(e.phrase);
    }
  }
}

describe('scoreContent (properties)', () => {
  it('never throws on any text, and its evidence points at the matched words', () => {
    fc.assert(
      fc.property(
        fc.oneof(message, fc.string({ unit: 'binary', maxLength: 200 })),
        fc.boolean(),
        (text, strip) => {
          expectWellFormed(text, strip);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('maps evidence back to the text as received when quotes and signatures are stripped', () => {
    fc.assert(
      fc.property(message, (text) => {
        const signals = scoreContent(text);
        for (const e of signals.flags.flatMap((f) => f.evidence)) {
          // Evidence that does not span a removed part reads the same in the original.
          const original = text.slice(e.sourceStart, e.sourceEnd);
          if (original.length === e.phrase.length) expect(original).toBe(e.phrase);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('scores a 5,000-character message (time measured and reported, not asserted)', () => {
    const paragraph =
      'I have reported the damp in the back bedroom four times and nobody has come. This is fucking ridiculous. ' +
      'I know where you live. The bins were missed again on Tuesday and the street light is still out. ';
    const text = paragraph.repeat(Math.ceil(5000 / paragraph.length)).slice(0, 5000);
    scoreContent(text);
    const runs = 50;
    const started = performance.now();
    for (let i = 0; i < runs; i++) scoreContent(text);
    const perMessage = (performance.now() - started) / runs;
    console.info(
      `signals: a 5,000-character message scored in ${perMessage.toFixed(2)} ms (mean of ${runs})`,
    );
    expect(scoreContent(text).flags.map((f) => f.category)).toEqual(['offensive', 'intimidation']);
  });
});
