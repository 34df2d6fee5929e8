import type { BundleResult } from './bundles';
import type { KindCost } from './cost';
import { prices } from './cost';
import type { ThroughputResult } from './form-throughput';
import type { ContactKind, ScreeningLatencyResult } from './screening-latency';
import type { ScoringResult } from './signals';
import type { IngestResult } from './smtp-ingest';
import { round } from './stats';

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** Other work sharing the machine during the run, as far as the load average tells. */
  loadAverageAtStart: number[];
}

export interface BenchRun {
  label: string;
  at: string;
  commit: string;
  seconds: number;
  machine: Machine;
  screening: ScreeningLatencyResult;
  throughput: ThroughputResult;
  ingest: IngestResult;
  bundles: BundleResult;
  cost: Record<ContactKind, KindCost>;
  scoring: ScoringResult;
  /** (7) The monitoring report (13.1) over a year's seeded totals, against the admin API's limit. */
  monitoring?: {
    json: { contacts: number; restrictions: number; ms: number };
    pdf: { contacts: number; restrictions: number; ms: number };
    limitMs: number;
  };
}

export interface Target {
  figure: string;
  target: string;
  measured: string;
  met: boolean;
}

const x = (value: number) => `${round(value, 2)}×`;

/** The targets, each beside the figure this run measured. */
export function targetsOf(run: BenchRun): Target[] {
  const k = run.screening.kinds;
  const t: Target[] = [];
  const stage = (figure: string, limit: number, value: number) =>
    t.push({ figure, target: `≤ ${limit}`, measured: String(value), met: value <= limit });
  stage('form: the answer, sequential stages', 2, k['form-restricted'].requests.answerStages);
  stage(
    'form, unrestricted: screening to the forward and its record, stages',
    4,
    k['form-unrestricted'].requests.toForwardAndRecordStages,
  );
  stage(
    'form, restricted: screening to the forward and its record, stages',
    5,
    k['form-restricted'].requests.toForwardAndRecordStages,
  );
  stage(
    'email, unrestricted: from its S3 object to the forward and its record, stages',
    4,
    k['email-unrestricted'].requests.fromStoredObjectStages ??
      k['email-unrestricted'].requests.toForwardAndRecordStages - 1,
  );
  stage(
    'email, restricted: from its S3 object to the forward and its record, stages',
    5,
    k['email-restricted'].requests.fromStoredObjectStages ??
      k['email-restricted'].requests.toForwardAndRecordStages - 1,
  );
  stage(
    'form, unrestricted: everything for one contact, stages',
    6,
    k['form-unrestricted'].requests.totalStages,
  );
  stage('form, restricted: everything for one contact, stages', 7, k['form-restricted'].requests.totalStages);
  stage(
    'email, unrestricted: everything for one contact, stages',
    5,
    k['email-unrestricted'].requests.totalStages,
  );
  stage(
    'email, restricted: everything for one contact, stages',
    6,
    k['email-restricted'].requests.totalStages,
  );
  for (const kind of ['form-unrestricted', 'form-restricted'] as const) {
    const answer = k[kind].answer!;
    t.push({
      figure: `${kind}: answer p50 ÷ GetItem p50`,
      target: '≤ 2×',
      measured: x(answer.ratioP50),
      met: answer.ratioP50 <= 2,
    });
  }
  for (const kind of [
    'form-unrestricted',
    'form-restricted',
    'email-unrestricted',
    'email-restricted',
  ] as const) {
    const limit = kind.endsWith('-restricted') ? 5 : 4;
    t.push({
      figure: `${kind}: time to forward p50 ÷ GetItem p50`,
      target: `≤ ${limit}×`,
      measured: x(k[kind].toForward.ratioP50),
      met: k[kind].toForward.ratioP50 <= limit,
    });
  }
  const rows = run.throughput.rows;
  const at50 = rows.find((r) => r.connections === 50)!;
  t.push({
    figure: 'POST /contact throughput at 50 connections ÷ one-PutItem endpoint',
    target: '≥ 0.2×',
    measured: x(at50.ratio),
    met: at50.ratio >= 0.2,
  });
  const first = rows[0]!;
  const last = rows.at(-1)!;
  t.push({
    figure: 'throughput from 10 to 200 connections',
    target: 'not falling',
    measured: `${first.form.requestsPerSecond} → ${last.form.requestsPerSecond} req/s`,
    met: last.form.requestsPerSecond >= first.form.requestsPerSecond * 0.95,
  });
  for (const row of run.bundles.rows.filter((r) => r.coldStartMs !== undefined && r.ratio !== undefined)) {
    t.push({
      figure: `${row.entry}: cold start ÷ minimal bundle`,
      target: '≤ 1.5×',
      measured: x(row.ratio!),
      met: row.ratio! <= 1.5,
    });
  }
  t.push({
    figure: '25 MB mail: peak RSS above the idle process',
    target: '≤ 256 MB',
    measured: `${run.ingest.large.stackPeakAboveIdleMb} MB`,
    met: run.ingest.large.stackPeakAboveIdleMb <= 256,
  });
  const errors =
    Object.values(k).reduce((sum, kind) => sum + kind.errors, 0) +
    rows.reduce((sum, r) => sum + r.form.errors + r.form.non2xx + r.form.timeouts, 0) +
    run.throughput.check.missing +
    run.throughput.check.queuedTwice +
    run.throughput.check.unexpected;
  t.push({
    figure: 'errors (screening, load, the 202 check)',
    target: '0',
    measured: String(errors),
    met: errors === 0,
  });
  if (run.scoring)
    t.push({
      figure: `content signals: scoring a ${run.scoring.chars}-character message, p50`,
      target: '< 2 ms',
      measured: `${round(run.scoring.scoring.p50, 2)} ms`,
      met: run.scoring.scoring.p50 < 2,
    });
  if (run.monitoring)
    t.push({
      figure: 'monitoring report (13.1), a year of 100,000 contacts and 500 restrictions, PDF',
      target: `within the admin API's ${run.monitoring.limitMs / 1000} s`,
      measured: `${round(run.monitoring.pdf.ms / 1000, 2)} s`,
      met: run.monitoring.pdf.ms < run.monitoring.limitMs,
    });
  return t;
}

const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const ms = (value: number) => `${round(value, 1)} ms`;

function screeningSection(run: BenchRun): string {
  const { screening } = run;
  const kinds = Object.entries(screening.kinds) as [
    ContactKind,
    ScreeningLatencyResult['kinds'][ContactKind],
  ][];
  const latency = table(
    [
      'contact',
      'answer p50 / p99',
      '÷ GetItem',
      'to forward p50 / p99',
      '÷ GetItem',
      'all of screening p50 / p99',
      '÷ GetItem',
      'errors',
    ],
    kinds.map(([kind, r]) => [
      kind,
      r.answer ? `${ms(r.answer.p50)} / ${ms(r.answer.p99)}` : '—',
      r.answer ? `${x(r.answer.ratioP50)} / ${x(r.answer.ratioP99)}` : '—',
      `${ms(r.toForward.p50)} / ${ms(r.toForward.p99)}`,
      `${x(r.toForward.ratioP50)} / ${x(r.toForward.ratioP99)}`,
      `${ms(r.screening.p50)} / ${ms(r.screening.p99)}`,
      `${x(r.screening.ratioP50)} / ${x(r.screening.ratioP99)}`,
      r.errors,
    ]),
  );
  const requests = table(
    [
      'contact',
      'requests',
      'by operation',
      'answer stages',
      'to forward + record',
      'screening stages',
      'all stages',
      'samples like this',
    ],
    kinds.map(([kind, r]) => [
      kind,
      `${r.requests.total} (max ${r.requests.maxTotal})`,
      Object.entries(r.requests.byOperation)
        .map(([op, n]) => `${op} ${n}`)
        .join(', '),
      r.requests.answerStages,
      r.requests.toForwardAndRecordStages,
      kind.startsWith('email') ? (r.requests.fromStoredObjectStages ?? '—') : '—',
      r.requests.screeningStages,
      r.requests.totalStages,
      r.requests.samplesLikeThis,
    ]),
  );
  return [
    `Baseline: a bare consistent GetItem on the same dynalite, p50 ${ms(screening.baselineGetItem.p50)}, p99 ${ms(screening.baselineGetItem.p99)} (${screening.baselineGetItem.n} samples, three a round, ${screening.rounds} rounds). A minimal SES forwarder (S3 GetObject, one SendRawEmail) p50 ${ms(screening.minimalForwarder.p50)}: inbound screening is ${x(screening.minimalForwarder.emailUnrestrictedP50Ratio)} (unrestricted) and ${x(screening.minimalForwarder.emailRestrictedP50Ratio)} (restricted) of it.`,
    '',
    latency,
    '',
    '"Answer": the contact-form function, from the API Gateway event to its 202 (the rate limits and SendMessage to the queue, here an SQS stand-in speaking the real protocol). "To forward": from the queued submission (form-screening) or the stored S3 object (inbound-email) to the end of the forward\'s SendRawEmail. "All of screening": to the handler\'s return (record, events, contact log). The queue\'s own delivery delay is not in these figures.',
    '',
    '### (2) AWS requests per contact and their sequential depth',
    '',
    requests,
    '',
    "Counted by an SDK middleware on the clients the bench builds (scripts/bench/request-counter.ts). A stage: requests that overlap in time count as one; the depth is the longest chain of requests each starting after the one before it ended. The pattern shown is the most common one; a contact that crosses a frequency threshold makes more (max). Everything for one contact = the answer's stages + screening's (the queue separates them).",
  ].join('\n');
}

function throughputSection(run: BenchRun): string {
  const { throughput } = run;
  const c = throughput.check;
  return [
    table(
      [
        'connections',
        'POST /contact req/s',
        'p50 / p99',
        'errors, non-2xx, timeouts',
        'one-PutItem req/s',
        'p50 / p99',
        'ratio',
      ],
      throughput.rows.map((r) => [
        r.connections,
        r.form.requestsPerSecond,
        `${r.form.p50Ms} / ${r.form.p99Ms} ms`,
        `${r.form.errors}, ${r.form.non2xx}, ${r.form.timeouts}`,
        r.baseline.requestsPerSecond,
        `${r.baseline.p50Ms} / ${r.baseline.p99Ms} ms`,
        x(r.ratio),
      ]),
    ),
    '',
    `${throughput.secondsPerRun} s a run, autocannon in its own process, each form run right after the baseline at the same connections; both endpoints behind the same local HTTP gateway (the API Gateway stand-in), on the same dynalite. The baseline is a function that does one PutItem. Screening is not running meanwhile (in AWS it is another function, fed by the queue). The absolute rates move with what else runs on the shared machine (see its load average above); compare the ratios.`,
    '',
    `The check afterwards: ${c.answered202} answers 202; ${c.queuedOnce} of their references reached the queue exactly once, ${c.queuedTwice} more than once, ${c.missing} never; ${c.unexpected} queued that were never answered 202.`,
  ].join('\n');
}

function ingestSection(run: BenchRun): string {
  const { ingest } = run;
  return [
    table(
      ['', 'stack (SMTP → S3, screening queued)', 'minimal SMTP → S3', 'ratio'],
      [
        [
          'messages accepted / s (one connection)',
          ingest.stack.perSecond,
          ingest.minimal.perSecond,
          x(ingest.ratio),
        ],
        ['screened and forwarded / s (same batches)', ingest.stack.screenedPerSecond, '—', '—'],
        [
          `${ingest.large.sizeMb} MB message: peak RSS above idle`,
          `${ingest.large.stackPeakAboveIdleMb} MB (idle ${ingest.large.stackIdleMb} MB; forwarded in ${ingest.large.secondsToForward} s)`,
          `${ingest.large.minimalPeakAboveIdleMb} MB`,
          x(ingest.large.ratio),
        ],
      ],
    ),
    '',
    `${ingest.messages} small messages in interleaved batches. The 25 MB message runs in a fresh process for each side (the whole local stack: the emulators are in that process too, so s3rver and the SES emulator holding the message count in its RSS).`,
  ].join('\n');
}

function bundleSection(run: BenchRun): string {
  return [
    table(
      ['bundle', 'size', 'import', 'first event', 'cold start', 'ratio'],
      run.bundles.rows.map((r) => [
        r.entry,
        `${r.sizeKb} KB`,
        ms(r.importMs),
        r.firstEventMs === undefined ? '—' : ms(r.firstEventMs),
        r.coldStartMs === undefined ? '— (import only)' : ms(r.coldStartMs),
        r.ratio === undefined ? '—' : `${x(r.ratio)}${r.coldStartMs === undefined ? ' (import)' : ''}`,
      ]),
    ),
    '',
    `Bundled with esbuild as the CDK construct bundles them (ESM, minified, source maps without sources, \`@aws-sdk/*\` external as the runtime provides it). Cold start: a fresh \`node --enable-source-maps\` process, the bundle imported and one event handled against the bench's emulators, p50 of ${run.bundles.runs} runs interleaved with the minimal bundle (one DynamoDB client, one GetItem). Functions without an event here are compared on import time.`,
  ].join('\n');
}

function costSection(run: BenchRun): string {
  const parts: string[] = [
    `Region ${prices.region}; ${prices.asOf}. DynamoDB on-demand $${prices.dynamodbWritePerMillion}/M WRU, $${prices.dynamodbReadPerMillion}/M RRU; SES $${prices.sesSendPerThousand}/1,000 sent, $${prices.sesReceivePerThousand}/1,000 received + $${prices.sesReceiveChunkPerThousand}/1,000 256 KB chunks; S3 GET $${prices.s3GetPerThousand}/1,000, PUT $${prices.s3PutPerThousand}/1,000; EventBridge $${prices.eventBridgePerMillion}/M; SQS $${prices.sqsPerMillion}/M; Lambda $${prices.lambdaRequestPerMillion}/M requests, $${prices.lambdaArmGbSecond}/GB-s (arm64); HTTP API $${prices.httpApiPerMillion}/M. Units: one per DynamoDB request (items ≤ 1 KB written, ≤ 4 KB read, consistent) plus one for the ~2 KB contact record; Lambda time from the measured p50 on this machine.`,
    '',
  ];
  for (const [kind, cost] of Object.entries(run.cost)) {
    parts.push(`**${kind}: $${cost.per10k} per 10,000 contacts**`, '');
    parts.push(
      table(
        ['what', 'arithmetic', '$'],
        cost.lines.map((l) => [l.what, l.arithmetic, l.dollars]),
      ),
      '',
    );
  }
  return parts.join('\n');
}

/** Why the targets not met are not, with what this run measured of the cause. */
function gapsSection(run: BenchRun, targets: Target[]): string {
  const k = run.screening.kinds;
  const missed = (prefix: string) => targets.some((t) => !t.met && t.figure.startsWith(prefix));
  const lines: string[] = [];
  if (missed('email, unrestricted'))
    lines.push(
      `- **Email, unrestricted: one stage over.** Its pattern has ${k['email-unrestricted'].requests.byOperation['SES SendRawEmail'] ?? 0} SES SendRawEmail: the automatic reply goes after the forward and before the record, so that the record says truly whether it went (P3, P6) and a forward that fails hands the day's allowance back for the retry (P8). Sending it beside the forward would acknowledge a contact not yet delivered; beside the record, the record could claim a reply that a crash never sent. Email without a reply (here the restricted sender after the day's first) meets its targets.`,
    );
  if (targets.some((t) => !t.met && t.figure.includes('÷ GetItem')))
    lines.push(
      `- **Latency ratios.** dynalite, s3rver, the SES emulator, the local bus and the handlers share one Node.js process on two shared cores (load average ${run.machine.loadAverageAtStart.join(', ')} at the start): a request's round trip here is work on the same event loop, not waiting on a network, so requests sent together take nearly as long as one after another. The stages fell (above) far more than the times. The form's answer is two stages (the rate limits together, then SendMessage) against one GetItem: 2× is its floor here, before parsing and validation. In AWS, where each request is a network round trip, the number of stages is what sets the time.`,
    );
  if (missed('POST /contact') || missed('throughput') || missed('errors')) {
    const at200 = run.throughput.rows.at(-1);
    lines.push(
      `- **Throughput and errors under load.** Every request comes from one address, so every one updates the same per-address rate-limit item (a hot key, which dynalite serialises; the baseline writes a new item each time), and the gateway, dynalite and the SQS stand-in share the bench's process. At 200 connections answers wait for the CPU (p99 ${at200?.form.p99Ms ?? '?'} ms); a SendMessage past the SQS client's attempt deadline (8 s locally) is answered 503 "not sent" although the queue had it: those are the ${run.throughput.check.unexpected} "queued that were never answered 202" (their answers came after autocannon's run ended, so it does not count them). A person who sends again sends the same contact: the same reference within the duplicate window, screened once (P6).`,
    );
  }
  if (targets.some((t) => !t.met && t.figure.includes('cold start'))) {
    const minimal = run.bundles.rows[0]!;
    const form = run.bundles.rows.find((r) => r.entry === 'contact-form');
    lines.push(
      `- **Cold starts.** Importing the bundle is most of it: the minimal bundle imports in ${minimal.importMs} ms, contact-form (${form?.sizeKb} KB: zod and its OpenAPI generator, Powertools, middy, libphonenumber, the page templates) in ${form?.importMs} ms; the first event adds little. This work did not change the bundles.`,
    );
  }
  return lines.length
    ? ['## Targets not met: the gap and its measured cause', '', ...lines, ''].join('\n')
    : '';
}

/** The report: the machine, every figure with its baseline and ratio, and the targets beside them. */
export function renderReport(runs: Record<string, BenchRun>): string {
  const latest = runs.after ?? runs.before!;
  const before = runs.before && runs.after ? runs.before : undefined;
  const m = latest.machine;
  const targets = targetsOf(latest);
  const beforeTargets = before ? targetsOf(before) : undefined;
  const parts = [
    '# Benchmark: contact screening on the local stack',
    '',
    `Written by \`npm run bench\` (scripts/bench/). Run "${latest.label}" at ${latest.at}, commit ${latest.commit}, ${latest.seconds} s. Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB memory, Node.js ${m.node} on ${m.platform}; load average at the start ${m.loadAverageAtStart.join(', ')} (the machine is shared: absolute times vary, the ratios against baselines measured in the same run, interleaved, are what to compare).`,
    '',
    '## Targets',
    '',
    table(
      before ? ['figure', 'target', 'before', 'after', 'met'] : ['figure', 'target', 'measured', 'met'],
      targets.map((t, i) =>
        before
          ? [t.figure, t.target, beforeTargets![i]?.measured ?? '—', t.measured, t.met ? 'yes' : 'no']
          : [t.figure, t.target, t.measured, t.met ? 'yes' : 'no'],
      ),
    ),
    '',
    gapsSection(latest, targets),
    '## (1) Screening latency',
    '',
    screeningSection(latest),
    '',
  ];
  if (before) parts.push('### Before the restructuring (same scenarios)', '', screeningSection(before), '');
  parts.push(
    '## (3) `POST /contact` throughput',
    '',
    throughputSection(latest),
    '',
    ...(before ? ['### Before', '', throughputSection(before), ''] : []),
    '## (4) SMTP ingest and a 25 MB message',
    '',
    ingestSection(latest),
    '',
    '## (5) Bundles and cold starts',
    '',
    bundleSection(latest),
    '',
    '## (6) Cost per 10,000 contacts',
    '',
    costSection(latest),
    '## (7) Content signals and the monitoring report',
    '',
    table(
      ['figure', 'p50 / p99', 'baseline (GetItem) p50 / p99', 'ratio p50 / p99'],
      [
        [
          `scoreContent on a ${latest.scoring.chars}-character message (lambdas/core/signals)`,
          `${ms(latest.scoring.scoring.p50)} / ${ms(latest.scoring.scoring.p99)}`,
          `${ms(latest.scoring.baselineGetItem.p50)} / ${ms(latest.scoring.baselineGetItem.p99)}`,
          `${x(latest.scoring.ratioP50)} / ${x(latest.scoring.ratioP99)}`,
        ],
        ...(latest.monitoring
          ? (['json', 'pdf'] as const).map((format) => {
              const m = latest.monitoring!;
              return [
                `the monitoring report (13.1), ${format.toUpperCase()}, a year of ${m[format].contacts.toLocaleString('en-GB')} contacts and ${m[format].restrictions} restrictions`,
                `${ms(m[format].ms)} (one run)`,
                `the admin API's limit ${ms(m.limitMs)}`,
                `${(m[format].ms / m.limitMs).toFixed(3)} of the limit`,
              ];
            })
          : [['the monitoring report (13.1)', 'not measured in this run', '—', '—']]),
      ],
    ),
    '',
    'The scorer runs in-process (no network), inside screening for email, the form and recorded contacts. The report reads twelve month partitions of day totals in parallel and the register (scripts/bench-reports.ts seeds them in a dynalite of its own); it never scans the table.',
    '',
  );
  return parts.join('\n');
}
