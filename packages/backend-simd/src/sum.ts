import { sizeOf, type KernelTensor } from '@perceptron/core';
import type { Float32Source } from './array-pool.js';
import { columnSums } from './kernels/column-sums.js';
import type { WasmKernels } from './kernels/wasm-module.js';

/**
 * Sum of a float32 tensor over consecutive axes (a bias gradient's leading axes, a loss's last
 * axis...), or null for other dtypes or axes. Seen as [outer, length, inner] with the summed
 * axes in the middle, each output adds its `length` values in increasing order in float64 and
 * rounds once: the naive kernel's order and rounding, without its per-element index
 * arithmetic. Sums over leading or middle axes are column sums of [length, inner] matrices, in
 * the wasm kernel; sums over the last axes are one chain each, as fast in a JavaScript loop.
 */
export function sumConsecutiveAxes(wasm: WasmKernels, x: KernelTensor, axes: readonly number[], float32: Float32Source): Float32Array | null {
  if (x.dtype !== 'float32' || axes.length === 0 || axes.some((axis, i) => i > 0 && axis !== axes[i - 1]! + 1)) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const outer = sizeOf(x.shape.slice(0, first));
  const length = sizeOf(x.shape.slice(first, last + 1));
  const inner = sizeOf(x.shape.slice(last + 1));
  const values = x.handle as Float32Array;
  const out = float32(outer * inner);
  if (inner > 1) {
    columnSums(wasm, values, outer, length, inner, out);
    return out;
  }
  for (let o = 0; o < outer; o++) {
    let sum = 0;
    for (let j = o * length; j < (o + 1) * length; j++) sum += values[j]!;
    out[o] = sum;
  }
  return out;
}
