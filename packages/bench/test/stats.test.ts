import { describe, expect, it } from 'vitest';
import { mapSummary, median, summarize } from '../src/stats.js';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3.5])).toBe(3.5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 0])).toBe(5);
  });

  it('is not moved by one outlier, unlike the mean', () => {
    expect(median([1, 1.1, 0.9, 1.05, 60])).toBe(1.05);
  });

  it('refuses an empty list and non-finite values, naming them', () => {
    expect(() => median([])).toThrow(/median: expected at least one value/);
    expect(() => median([1, NaN])).toThrow(/median: expected finite numbers, got NaN/);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives median, min, max and the sample count', () => {
    expect(summarize([2, 8, 4])).toEqual({ median: 4, min: 2, max: 8, n: 3, samples: [2, 8, 4] });
  });

  it('maps every sample, so a decreasing map swaps min and max', () => {
    // Seconds per pass of 1,000 images → images per second.
    const rates = mapSummary(summarize([0.5, 0.25, 2]), (s) => 1000 / s);
    expect(rates).toEqual({ median: 2000, min: 500, max: 4000, n: 3, samples: [2000, 4000, 500] });
  });

  it('takes the median of the mapped samples for an even count', () => {
    // 1/mean(1, 4) = 0.4, but the median rate is mean(1, 0.25) = 0.625.
    expect(mapSummary(summarize([1, 4]), (s) => 1 / s).median).toBe(0.625);
  });
});
