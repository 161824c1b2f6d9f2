import { sizeOf, type KernelTensor } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';

/**
 * Sum of a float32 tensor over consecutive axes (a bias gradient's axis 0, a loss's last
 * axis...), or null for other dtypes or axes. Seen as [outer, length, inner] with the summed
 * axes in the middle, each output adds its `length` values in increasing order in float64 and
 * rounds once: the naive kernel's order and rounding, without its per-element index
 * arithmetic.
 */
export function sumConsecutiveAxes(x: KernelTensor, axes: readonly number[], float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32' || axes.length === 0 || axes.some((axis, i) => i > 0 && axis !== axes[i - 1]! + 1)) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const outer = sizeOf(x.shape.slice(0, first));
  const length = sizeOf(x.shape.slice(first, last + 1));
  const inner = sizeOf(x.shape.slice(last + 1));
  const values = x.handle as Float32Array;
  const sums = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      // A sum over the last axes (a loss's, a full reduction): a local accumulator, not a
      // load and store of sums[o] per value; the same additions in the same order.
      let sum = 0;
      for (let j = o * length; j < (o + 1) * length; j++) sum += values[j]!;
      sums[o] = sum;
      continue;
    }
    for (let j = 0; j < length; j++) {
      const from = (o * length + j) * inner;
      for (let k = 0; k < inner; k++) sums[o * inner + k] += values[from + k]!;
    }
  }
  const out = float32(sums.length);
  out.set(sums);
  return out;
}
