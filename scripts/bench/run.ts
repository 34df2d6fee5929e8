/**
 * `npm run bench [-- --label before|after] [-- --quick] [-- --render-only]`: starts its own local stack (ports of
 * its own, DATA_DIR under .bench/), runs each scenario and writes bench/report.md and
 * bench/report.json. The JSON keeps the last run of each label, so that the report can show a
 * run before a change beside the one after it.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { benchReports } from '../bench-reports';
import { startBenchStack } from './bench-stack';
import { measureBundles } from './bundles';
import { costPer10k } from './cost';
import { measureThroughput } from './form-throughput';
import { type BenchRun, renderReport } from './report';
import { measureScreening } from './screening-latency';
import { measureScoring } from './signals';
import { measureIngest } from './smtp-ingest';

const args = process.argv.slice(2);
const label =
  args[args.indexOf('--label') + 1] && args.includes('--label')
    ? args[args.indexOf('--label') + 1]!
    : 'after';
const quick = args.includes('--quick');
const say = (line: string) => console.log(`bench: ${line}`);

const jsonPath = 'bench/report.json';
if (args.includes('--render-only')) {
  // The report again from the runs kept in report.json (no measuring).
  const kept = JSON.parse(await readFile(jsonPath, 'utf8')) as { runs: Record<string, BenchRun> };
  await writeFile('bench/report.md', renderReport(kept.runs));
  say('bench/report.md written again from bench/report.json');
  process.exit(0);
}

const started = performance.now();
const loadAverageAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
const bench = await startBenchStack();
let run: BenchRun;
try {
  say('(1, 2) screening latency and AWS requests per contact…');
  const screening = await measureScreening(bench, quick ? 5 : 40, 3);
  say('(7) content-signal scoring…');
  const scoring = await measureScoring(bench, quick ? 20 : 200);
  say('(7) the monitoring report over a year of 100,000 contacts and 500 restrictions…');
  const monitoring = {
    json: await benchReports('json'),
    pdf: await benchReports('pdf'),
    limitMs: 29_000,
  };
  say('(5) bundles and cold starts…');
  const bundles = await measureBundles(bench, quick ? 1 : 5);
  say('(4) SMTP ingest and a 25 MB message…');
  const ingest = await measureIngest(bench, quick ? 1 : 4, quick ? 5 : 15);
  say('(3) POST /contact throughput…');
  const throughput = await measureThroughput(bench, quick ? 2 : 8);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  run = {
    label,
    at: new Date().toISOString(),
    commit,
    seconds: Math.round((performance.now() - started) / 1000),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.versions.node,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart,
    },
    screening,
    throughput,
    ingest,
    bundles,
    cost: costPer10k(screening),
    scoring,
    monitoring,
  };
} finally {
  await bench.stop();
}

const previous = await readFile(jsonPath, 'utf8').then(
  (text) => JSON.parse(text) as { runs: Record<string, BenchRun> },
  () => ({ runs: {} as Record<string, BenchRun> }),
);
const runs = { ...previous.runs, [label]: run };
await writeFile(jsonPath, `${JSON.stringify({ runs }, null, 2)}\n`);
await writeFile('bench/report.md', renderReport(runs));
say(`done in ${run.seconds} s: bench/report.md, bench/report.json (run "${label}")`);
process.exit(0);
