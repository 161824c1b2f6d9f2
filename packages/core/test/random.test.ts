import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '../src/random/generator.js';

describe('RandomGenerator', () => {
  it('repeats its sequence for one seed and differs across seeds', () => {
    const a = new RandomGenerator(91195003);
    const b = new RandomGenerator(91195003);
    const c = new RandomGenerator(91195004);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws uniform floats in [0, 1) with the right mean and variance', () => {
    const g = new RandomGenerator(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = g.nextFloat();
      if (u < 0 || u >= 1) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    // Standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4: five of them is a safe bound.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });

  it('draws standard normals (mean 0, variance 1, ~68.27% within one sigma)', () => {
    const g = new RandomGenerator(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let within = 0;
    for (let i = 0; i < n; i++) {
      const z = g.nextNormal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) < 1) within++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.012);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(within / n - 0.6827)).toBeLessThan(0.005);
  });

  it('permutes 0..n-1: every index exactly once, a new order on each draw', () => {
    const generator = new RandomGenerator(7);
    const first = generator.permutation(50);
    const second = generator.permutation(50);
    const sorted = (order: Int32Array) => [...order].sort((p, q) => p - q);
    expect(sorted(first)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sorted(second)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...first]).not.toEqual([...second]);
  });
});
