// Shared by the second-derivative tests (convolution, pooling): seeded float32 draws, and the
// float64 pieces their checks are made of.
import { RandomGenerator } from '@perceptron/core';
import type { NDArray } from '../../src/reference/index.js';

/** Values in [-1, 1) for a tensor of `shape`, rounded to float32, from a generator seeded with `seed`. */
export function draw(shape: number[], seed: number): number[] {
  const g = new RandomGenerator(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(2 * g.nextFloat() - 1));
}

export function squaredNorm(a: NDArray): number {
  return a.data.reduce((s, v) => s + v * v, 0);
}

/** d/dv_p of `f` at `values` for every p, by central differences in float64. */
export function centralDifferences(values: number[], f: (moved: number[]) => number): number[] {
  return values.map((v, p) => {
    const h = 1e-5 * Math.max(1, Math.abs(v));
    const at = (u: number): number => f(values.map((other, q) => (q === p ? u : other)));
    return (at(v + h) - at(v - h)) / (2 * h);
  });
}
