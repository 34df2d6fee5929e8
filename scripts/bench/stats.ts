/** Percentiles and ratios for the bench report: nearest-rank percentiles over measured samples. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(values: readonly number[]): Summary {
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), mean };
}

/** `value ÷ baseline`, rounded to two places (NaN when either is missing). */
export const ratio = (value: number, baseline: number) =>
  Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0
    ? Math.round((value / baseline) * 100) / 100
    : Number.NaN;

export const round = (value: number, places = 2) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** The most frequent value of a list (the first seen wins a tie), with how often it came. */
export function mode<T>(
  values: readonly T[],
  key: (value: T) => string,
): { value: T; times: number } | undefined {
  const seen = new Map<string, { value: T; times: number }>();
  for (const value of values) {
    const k = key(value);
    const entry = seen.get(k) ?? { value, times: 0 };
    entry.times += 1;
    seen.set(k, entry);
  }
  let best: { value: T; times: number } | undefined;
  for (const entry of seen.values()) if (!best || entry.times > best.times) best = entry;
  return best;
}
