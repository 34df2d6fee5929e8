import { scoreContent } from '../../lambdas/core/signals';
import type { BenchStack } from './bench-stack';
import { ratio, type Summary, summarise } from './stats';

export interface ScoringResult {
  chars: number;
  scoring: Summary;
  baselineGetItem: Summary;
  ratioP50: number;
  ratioP99: number;
}

/** A 5,000-character message (the form's limit) in ordinary words, with a few lines that score. */
export function messageOf(chars: number): string {
  const lines = [
    'I am writing again about the bins on our street, which were missed for the third week running.',
    'Nobody has called me back, and I am fed up with being passed from one office to another.',
    'If this is not sorted by Friday I will take it further, to my councillor and to the ombudsman.',
    'Please could someone tell me when the collection will be made, and why it keeps being missed.',
  ];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${lines[i % lines.length]}\n`;
  return text.slice(0, chars);
}

/**
 * (7): the content-signal scorer (lambdas/core/signals scoreContent) on a 5,000-character
 * message, in-process, interleaved with a bare GetItem: what scoring adds to screening a contact.
 */
export async function measureScoring(bench: BenchStack, rounds: number): Promise<ScoringResult> {
  const text = messageOf(5000);
  const scoring: number[] = [];
  const getItem: number[] = [];
  for (let i = 0; i < 20; i++) scoreContent(`${text} ${i}`);
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    scoreContent(`${text} ${i}`);
    scoring.push(performance.now() - start);
    const get = performance.now();
    await bench.bare.getItem();
    getItem.push(performance.now() - get);
  }
  const s = summarise(scoring);
  const g = summarise(getItem);
  return {
    chars: 5000,
    scoring: s,
    baselineGetItem: g,
    ratioP50: ratio(s.p50, g.p50),
    ratioP99: ratio(s.p99, g.p99),
  };
}
