/**
 * `npm run eval:signals`: scores the labelled set under test/fixtures/signals/, prints precision
 * and recall per category and the confusion between categories, and writes REPORT.md there.
 * `--show-all` also lists the messages the never-tuned split gets wrong.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorVersion } from '../lambdas/core/signals';
import {
  evaluate,
  fixtureDirectory,
  loadLabelledMessages,
  scoreMessages,
  splits,
} from './signals-evaluation';
import { type HistoryEntry, renderReport, targets } from './signals-report';

/** The split that was never tuned on: its mistakes are not printed unless asked. */
const unseenSplit = 'held-out-2';

const showAll = process.argv.includes('--show-all');
const outcomes = scoreMessages(loadLabelledMessages());
const whole = evaluate(outcomes);
const bySplit = splits.map((split) => ({
  split,
  evaluation: evaluate(outcomes.filter((o) => o.message.split === split)),
  showErrors: showAll || split !== unseenSplit,
}));
const history = JSON.parse(readFileSync(join(fixtureDirectory, 'history.json'), 'utf8')) as HistoryEntry[];

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`detector ${detectorVersion}, ${whole.messages} messages`);
for (const { split, evaluation } of [{ split: 'whole set', evaluation: whole }, ...bySplit]) {
  console.log(`\n${split} (${evaluation.messages})`);
  for (const f of evaluation.figures) {
    console.log(
      `  ${pad(f.category, 13)} precision ${f.precision.toFixed(2)}  recall ${f.recall.toFixed(2)}  (tp ${f.truePositives}, fp ${f.falsePositives}, fn ${f.falseNegatives})`,
    );
  }
}
console.log('\nconfusion (rows expected, columns found), whole set');
const labels = Object.keys(whole.confusion);
console.log(`  ${pad('', 13)}${labels.map((l) => pad(l, 13)).join('')}`);
for (const row of labels) {
  console.log(`  ${pad(row, 13)}${labels.map((c) => pad(String(whole.confusion[row]![c]), 13)).join('')}`);
}
console.log('\ntargets (whole set)');
for (const t of targets) console.log(`  ${t.met(whole) ? 'met   ' : 'MISSED'} ${t.name}: ${t.value(whole)}`);

const reportPath = join(fixtureDirectory, 'REPORT.md');
writeFileSync(reportPath, renderReport({ detectorVersion, whole, bySplit, history }));
console.log(`\nwrote ${reportPath}`);
