/** Summary statistics and number formatting for benchmark samples. */

/** The median of `samples` (mean of the middle two for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/**
 * The `p`-th percentile (0–100) by linear interpolation between closest ranks, like
 * numpy's default; NaN when `samples` is empty.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** `numerator / denominator`, NaN when either is not a finite number or the denominator is 0. */
export function ratio(numerator: number, denominator: number): number {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return Number.NaN;
  return numerator / denominator;
}

/** Formats with thousands separators and at most `digits` fraction digits; `n/a` for NaN. */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Formats a ratio as `0.93x`. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

/** Formats milliseconds with a unit that keeps 2–4 significant digits. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Formats a byte count in MiB. */
export function formatMiB(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Formats microseconds. */
export function formatMicros(micros: number): string {
  if (!Number.isFinite(micros)) return 'n/a';
  return `${micros.toFixed(micros >= 100 ? 0 : 1)} µs`;
}

/**
 * The median over rounds of `a[i] / b[i]`, two contenders measured in the same round (seconds
 * apart). On a machine whose load drifts during a run this is steadier than the ratio of the
 * two medians, which can compare a quiet round of one contender with a busy round of another.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const r = ratio(a[i] ?? Number.NaN, b[i] ?? Number.NaN);
    if (Number.isFinite(r)) ratios.push(r);
  }
  return median(ratios);
}

/**
 * The knee of a throughput curve: the smallest load (e.g. requests in flight) whose rate
 * reaches `share` of the best rate measured. `undefined` for an empty curve.
 */
export function kneeOf(rateByLoad: ReadonlyMap<number, number>, share: number): number | undefined {
  const best = Math.max(...rateByLoad.values());
  const loads = [...rateByLoad.keys()].sort((a, b) => a - b);
  return loads.find((load) => (rateByLoad.get(load) ?? 0) >= share * best);
}
