/** Summary statistics for repeated timings. Medians, because a shared machine adds outliers, mostly slow ones. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many samples the summary is of. */
  n: number;
  samples: number[];
}

/** The middle value (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: expected at least one value, got an empty list');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`median: expected finite numbers, got ${bad}`);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), n: samples.length, samples: [...samples] };
}

/** The summary of `f` applied to every sample (e.g. seconds per call → GFLOP/s). */
export function mapSummary(summary: Summary, f: (value: number) => number): Summary {
  return summarize(summary.samples.map(f));
}
