import { describe, expect, it } from 'vitest';
import { mergeComprehendLabels, segmentsOf } from '../../lambdas/adapters/comprehend/content-scorer';
import { scoreContent, stripQuotedAndSignature } from '../../lambdas/core/signals';

describe('the Comprehend scorer (CONTENT_SCORER=comprehend)', () => {
  it('splits text into at most 10 segments of at most 1,000 UTF-8 bytes, at spaces, keeping offsets', () => {
    const text = 'ab£ '.repeat(900);
    const segments = segmentsOf(text);
    expect(segments.length).toBeLessThanOrEqual(10);
    for (const segment of segments) {
      expect(Buffer.byteLength(segment.text)).toBeLessThanOrEqual(1_000);
      expect(text.slice(segment.start, segment.start + segment.text.length)).toBe(segment.text);
    }
    expect(segmentsOf('x'.repeat(20_000))).toHaveLength(10);
    expect(segmentsOf('   ')).toEqual([]);
  });

  it("adds Comprehend's labels to the in-process flags, mapped to our categories, above its minimum score", () => {
    const text = 'You lot are a disgrace.\n\nIf you evict me I will kill myself.';
    const stripped = stripQuotedAndSignature(text);
    const segments = segmentsOf(stripped.text);
    const merged = mergeComprehendLabels(
      scoreContent(text),
      [
        {
          Labels: [
            { Name: 'INSULT', Score: 0.91 },
            { Name: 'VIOLENCE_OR_THREAT', Score: 0.4 },
            { Name: 'GRAPHIC', Score: 0.99 },
          ],
        },
      ],
      segments,
      stripped,
    );
    expect(merged.flags.map((f) => [f.category, f.confidence])).toEqual([
      ['offensive', 0.91],
      ['self-harm', expect.any(Number)],
    ]);
    expect(merged.flags[0]?.evidence[0]).toMatchObject({ ruleId: 'comprehend:INSULT', sourceStart: 0 });
    expect(merged.detectorVersion).toMatch(/^in-process\/.+\+comprehend\/detect-toxic-content$/);
  });
});
