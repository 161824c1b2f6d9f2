import { RandomGenerator, type DType } from '@perceptron/core';
import type { InputData } from './types.js';

// One fixed stream for the whole table, so every case's inputs are the same on every run.
const stream = new RandomGenerator(20240611);

const size = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** Given values; floats are rounded to float32 so the oracle sees exactly what the backend stores. */
export function values(shape: readonly number[], data: readonly number[], dtype: DType = 'float32'): InputData {
  if (data.length !== size(shape)) throw new Error(`values: ${data.length} values for shape [${shape.join(',')}]`);
  return { shape, dtype, values: dtype === 'float32' ? data.map(Math.fround) : [...data] };
}

/**
 * Uniform floats in [lo, hi). With `awayFromZero`, magnitudes are at least that much, keeping
 * finite differences off kinks (relu, abs, sign at 0).
 */
export function uniform(shape: readonly number[], lo = -1, hi = 1, awayFromZero = 0): InputData {
  const data = Array.from({ length: size(shape) }, () => {
    const v = lo + stream.nextFloat() * (hi - lo);
    return Math.abs(v) >= awayFromZero ? v : Math.sign(v || 1) * awayFromZero;
  });
  return values(shape, data);
}

/** Integers in [lo, hi) as int32. */
export function ints(shape: readonly number[], lo: number, hi: number): InputData {
  return values(shape, Array.from({ length: size(shape) }, () => lo + stream.nextInt(hi - lo)), 'int32');
}

/** Random 0/1 as bool. */
export function bools(shape: readonly number[]): InputData {
  return values(shape, Array.from({ length: size(shape) }, () => stream.nextInt(2)), 'bool');
}

/** Distinct floats (a shuffled ramp), so max/min/argMax have no ties. */
export function distinct(shape: readonly number[]): InputData {
  const n = size(shape);
  const ramp = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.37 + 0.05);
  for (let i = n - 1; i > 0; i--) {
    const j = stream.nextInt(i + 1);
    [ramp[i], ramp[j]] = [ramp[j]!, ramp[i]!];
  }
  return values(shape, ramp);
}
