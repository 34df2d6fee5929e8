import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectorVersion } from '../../lambdas/core/signals';
import {
  evaluate,
  fixtureDirectory,
  loadLabelledMessages,
  parseLabelledMessages,
  scoreMessages,
  splits,
} from '../../scripts/signals-evaluation';
import { type HistoryEntry, renderReport, targets } from '../../scripts/signals-report';

describe('the labelled evaluation set', () => {
  it('reads headers, several-line messages and "none"', () => {
    const source =
      '=== a-1 | threat | threat, intimidation\nline one\nline two\n=== a-2 | neutral | none\nhello\n';
    expect(parseLabelledMessages(source, 'dev')).toEqual([
      {
        id: 'a-1',
        kind: 'threat',
        expected: ['threat', 'intimidation'],
        split: 'dev',
        text: 'line one\nline two',
      },
      { id: 'a-2', kind: 'neutral', expected: [], split: 'dev', text: 'hello' },
    ]);
    expect(() => parseLabelledMessages('=== b-1 | x | menace\nhi', 'dev')).toThrow(/unknown category menace/);
  });

  it('has at least 300 messages with unique ids', () => {
    const messages = loadLabelledMessages();
    expect(messages.length).toBeGreaterThanOrEqual(300);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
  });

  const outcomes = scoreMessages(loadLabelledMessages());
  const whole = evaluate(outcomes);

  it("meets the issue's targets on the whole committed set", () => {
    const missed = targets.filter((t) => !t.met(whole)).map((t) => `${t.name}: ${t.value(whole)}`);
    expect(missed).toEqual([]);
  });

  it('has its committed report up to date with the detector', () => {
    const history = JSON.parse(
      readFileSync(join(fixtureDirectory, 'history.json'), 'utf8'),
    ) as HistoryEntry[];
    const bySplit = splits.map((split) => ({
      split,
      evaluation: evaluate(outcomes.filter((o) => o.message.split === split)),
      showErrors: split !== 'held-out-2',
    }));
    const report = renderReport({ detectorVersion, whole, bySplit, history });
    expect(readFileSync(join(fixtureDirectory, 'REPORT.md'), 'utf8')).toBe(report);
  });
});
