import { performance } from 'node:perf_hooks';
import { scoreContent, warmUpDetector } from '../lambdas/core/signals';

/**
 * How long scoring takes (`npx tsx scripts/time-signals.ts`): a 5,000-character council email
 * (with a threat, some foul language, quoted history and a signature), scored many times after
 * warm-up; prints p50, p99 and the mean per message. The target: under 2 ms.
 */
const paragraph =
  'I have written to you three times about the damp in my flat at 14 Mill Lane and nobody has come. ' +
  'The mould is back on the bedroom wall and my daughter is coughing every night. This is bloody useless. ';
const body = [
  paragraph.repeat(16),
  'If nobody comes this week I will burn your office down, and I know where you live.',
  paragraph.repeat(7),
  '',
  'Regards,',
  'A. Resident',
  '',
  '> On 1 May 2026, Customer Services wrote:',
  '> Thank you for your email. We will kill the weeds on the verge next week.',
].join('\n');
// 5,000 characters exactly: the quoted reply and signature at its end are stripped before scoring.
const text = `My damp flat\n\n${body}`.padStart(5_000, ' ').slice(-5_000);

warmUpDetector();
for (let i = 0; i < 200; i++) scoreContent(text);
const runs = 2_000;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  scoreContent(text);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3);
const mean = (times.reduce((sum, t) => sum + t, 0) / runs).toFixed(3);
console.log(
  `scoreContent, ${text.length} characters, ${runs} runs on node ${process.version}: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, mean ${mean} ms`,
);
console.log(
  `flags: ${scoreContent(text)
    .flags.map((f) => f.category)
    .join(', ')}`,
);
