import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createGateway } from '../../local/gateway';
import { functionNames } from '../../local/settings';
import { type BenchStack, benchDir } from './bench-stack';
import { ratio, round } from './stats';

interface CannonRun {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  count2xx: number;
}

export interface ThroughputRow {
  connections: number;
  form: CannonRun;
  baseline: CannonRun;
  /** form requests/s ÷ baseline requests/s. */
  ratio: number;
}

export interface ThroughputResult {
  secondsPerRun: number;
  rows: ThroughputRow[];
  /** Every 202's reference reached the queue exactly once (SendMessage), and nothing else did. */
  check: {
    answered202: number;
    queuedOnce: number;
    queuedTwice: number;
    missing: number;
    unexpected: number;
  };
}

/**
 * Runs autocannon in a process of its own (its own core), each request with a body of its own (the
 * CLI's id replacement sends nothing on this version, so the runner sets each request up itself).
 */
const cannonRunner = `import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
const [url, connections, duration, template] = process.argv.slice(2);
const result = await autocannon({
  url, connections: Number(connections), duration: Number(duration), timeout: 30,
  requests: [{
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    setupRequest: (request) => ({ ...request, body: template.replaceAll('[<id>]', randomUUID()) }),
  }],
});
process.stdout.write(JSON.stringify(result) + '\\n');
process.exit(0);
`;

function cannon(url: string, connections: number, seconds: number, body: string): Promise<CannonRun> {
  const runner = path.join(benchDir, 'cannon.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, url, String(connections), String(seconds), body], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(out.trim().split('\n').at(-1) ?? '') as {
          requests: { average: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
          timeouts: number;
          '2xx': number;
        };
        resolve({
          requestsPerSecond: round(result.requests.average, 1),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          count2xx: result['2xx'],
        });
      } catch (error) {
        reject(new Error(`autocannon gave no result: ${String(error)}`));
      }
    });
  });
}

/**
 * (3): POST /contact through the local HTTP gateway (the API Gateway stand-in) at 10, 50 and 200
 * connections, each run right after the same load on a one-PutItem endpoint behind the same
 * gateway and dynalite. Then every 202 is checked against what reached the queue.
 */
export async function measureThroughput(bench: BenchStack, seconds: number): Promise<ThroughputResult> {
  const answered = new Set<string>();
  let duplicateAnswers = 0;
  const gateway = createGateway({
    routes: [
      {
        route: 'ANY /contact',
        functionName: functionNames.contactForm,
        handler: async (event, context) => {
          const result = (await bench.handlers.contactForm(
            event,
            context,
          )) as APIGatewayProxyStructuredResultV2;
          if (result.statusCode === 202) {
            const reference = (JSON.parse(String(result.body)) as { reference: string }).reference;
            if (answered.has(reference)) duplicateAnswers += 1;
            answered.add(reference);
          }
          return result;
        },
      },
      {
        route: 'ANY /baseline',
        functionName: 'bench-baseline',
        handler: async (event) => {
          await bench.bare.putItem(event.requestContext.requestId);
          return { statusCode: 202, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
        },
      },
    ],
  });
  const port = await gateway.listen('127.0.0.1', { port: 0, env: 'BENCH_PORT' });
  const base = `http://127.0.0.1:${port}`;
  const queuedBefore = bench.queued.length;
  const body = JSON.stringify({
    name: 'Resident [<id>]',
    email: 'resident.[<id>]@example.org',
    topic: 'Bins and recycling',
    subject: 'Missed collection [<id>]',
    message: 'The bins on our street were missed again this week ([<id>]). Please send someone.',
    consent: true,
  });
  const rows: ThroughputRow[] = [];
  await writeFile(path.join(benchDir, 'cannon.mjs'), cannonRunner);
  try {
    // A short warm-up of both, so that neither run pays for the first connections and JIT.
    await cannon(`${base}/baseline`, 10, 1, body);
    await cannon(`${base}/contact`, 10, 1, body);
    for (const connections of [10, 50, 200]) {
      const baseline = await cannon(`${base}/baseline`, connections, seconds, body);
      const form = await cannon(`${base}/contact`, connections, seconds, body);
      rows.push({
        connections,
        form,
        baseline,
        ratio: ratio(form.requestsPerSecond, baseline.requestsPerSecond),
      });
    }
  } finally {
    await gateway.close();
  }
  const seen = new Map<string, number>();
  for (const message of bench.queued.slice(queuedBefore)) {
    const reference = message.attributes.reference?.StringValue ?? JSON.parse(message.body).reference;
    seen.set(reference, (seen.get(reference) ?? 0) + 1);
  }
  let queuedOnce = 0;
  let queuedTwice = 0;
  let missing = 0;
  for (const reference of answered) {
    const times = seen.get(reference) ?? 0;
    if (times === 1) queuedOnce += 1;
    else if (times === 0) missing += 1;
    else queuedTwice += 1;
  }
  const unexpected = [...seen.keys()].filter((reference) => !answered.has(reference)).length;
  return {
    secondsPerRun: seconds,
    rows,
    check: { answered202: answered.size + duplicateAnswers, queuedOnce, queuedTwice, missing, unexpected },
  };
}
