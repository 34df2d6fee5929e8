import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SignalCategory, scoreContent, signalCategories } from '../lambdas/core/signals';

/** One labelled message of the evaluation set (test/fixtures/signals/README.md). */
export interface LabelledMessage {
  id: string;
  split: string;
  kind: string;
  expected: SignalCategory[];
  text: string;
}

/** The kinds of legitimate contact in which no threat may be found (the done-when). */
export const legitimateKinds = new Set([
  'foul-complaint',
  'angry-acceptable',
  'lawful-escalation',
  'safety-report',
  'sarcasm',
  'idiom',
  'negation',
  'reported',
  'quoting',
  'neutral',
]);

export const fixtureDirectory = join(import.meta.dirname, '..', 'test', 'fixtures', 'signals');
export const splits = ['dev', 'held-out', 'held-out-2'] as const;

const header = /^=== (\S+) \| ([a-z-]+) \| (.+)$/;

/** Reads one split: `=== <id> | <kind> | <categories or none>` then the message's lines. */
export function parseLabelledMessages(source: string, split: string): LabelledMessage[] {
  const messages: LabelledMessage[] = [];
  let current: { id: string; kind: string; expected: SignalCategory[]; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const { id, kind, expected, lines } = current;
    messages.push({ id, kind, expected, split, text: lines.join('\n').replace(/\n+$/, '') });
  };
  for (const line of source.split('\n')) {
    const m = header.exec(line);
    if (!m) {
      if (!current) throw new Error(`${split}: text before the first header: ${line.slice(0, 40)}`);
      current.lines.push(line);
      continue;
    }
    finish();
    const labels = m[3]!.trim() === 'none' ? [] : m[3]!.split(',').map((s) => s.trim());
    for (const label of labels) {
      if (!(signalCategories as readonly string[]).includes(label)) {
        throw new Error(`${split} ${m[1]}: unknown category ${label}`);
      }
    }
    current = { id: m[1]!, kind: m[2]!, expected: labels as SignalCategory[], lines: [] };
  }
  finish();
  return messages;
}

export function loadLabelledMessages(directory = fixtureDirectory): LabelledMessage[] {
  return splits.flatMap((split) =>
    parseLabelledMessages(readFileSync(join(directory, `${split}.txt`), 'utf8'), split),
  );
}

export interface Outcome {
  message: LabelledMessage;
  predicted: SignalCategory[];
}

export interface CategoryFigures {
  category: SignalCategory;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  messages: number;
  figures: CategoryFigures[];
  /** Rows: expected (or `none`); columns: predicted (or `none`); a message counts in each pair. */
  confusion: Record<string, Record<string, number>>;
  /** Legitimate contacts (see legitimateKinds) in which a threat was found. */
  legitimateFlaggedAsThreat: Outcome[];
  errors: Outcome[];
}

export function scoreMessages(messages: readonly LabelledMessage[]): Outcome[] {
  return messages.map((message) => ({
    message,
    predicted: scoreContent(message.text).flags.map((f) => f.category),
  }));
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
const none = 'none';

export function evaluate(outcomes: readonly Outcome[]): Evaluation {
  const figures = signalCategories.map((category) => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const { message, predicted } of outcomes) {
      const expected = message.expected.includes(category);
      const found = predicted.includes(category);
      if (expected && found) truePositives += 1;
      else if (found) falsePositives += 1;
      else if (expected) falseNegatives += 1;
    }
    return {
      category,
      truePositives,
      falsePositives,
      falseNegatives,
      precision: ratio(truePositives, truePositives + falsePositives),
      recall: ratio(truePositives, truePositives + falseNegatives),
    };
  });
  const labels = [...signalCategories, none];
  const confusion = Object.fromEntries(
    labels.map((row) => [row, Object.fromEntries(labels.map((c) => [c, 0]))]),
  );
  for (const { message, predicted } of outcomes) {
    const rows = message.expected.length > 0 ? message.expected : [none];
    const columns = predicted.length > 0 ? predicted : [none];
    for (const row of rows) for (const column of columns) confusion[row]![column]! += 1;
  }
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x) => b.includes(x));
  return {
    messages: outcomes.length,
    figures,
    confusion,
    legitimateFlaggedAsThreat: outcomes.filter(
      (o) =>
        legitimateKinds.has(o.message.kind) &&
        !o.message.expected.includes('threat') &&
        o.predicted.includes('threat'),
    ),
    errors: outcomes.filter((o) => !sameSet(o.message.expected, o.predicted)),
  };
}
