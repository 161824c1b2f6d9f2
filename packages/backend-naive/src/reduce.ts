import type { Shape } from '@perceptron/core';
import { sizeOf } from './layout.js';
import { allocate, fromFloat64, type NaiveHandle, type NaiveTensor } from './storage.js';

/** Each reduction folds values into an accumulator that starts at the operation's identity. */
const REDUCERS = {
  sum: { initial: 0, combine: (acc: number, x: number) => acc + x },
  // Math.max/min propagate NaN, so a NaN anywhere in a slice makes its max/min NaN.
  max: { initial: -Infinity, combine: Math.max },
  min: { initial: Infinity, combine: Math.min },
};

/**
 * `shape` with neighbouring axes that are both reduced, or both kept, merged into one, and
 * length-1 axes dropped: the same values in the same memory order, seen through fewer, longer
 * axes. Each merged axis comes with its stride in the output, 0 when it is reduced.
 */
function mergedLayout(shape: Shape, axes: readonly number[]): { sizes: number[]; outStrides: number[] } {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const isReduced = axes.includes(d);
    if (sizes.length > 0 && reduced[reduced.length - 1] === isReduced) sizes[sizes.length - 1] *= size;
    else {
      sizes.push(size);
      reduced.push(isReduced);
    }
  });
  if (sizes.length === 0) return { sizes: [1], outStrides: [0] };
  const outStrides = sizes.map(() => 0);
  let stride = 1;
  for (let d = sizes.length - 1; d >= 0; d--) {
    if (reduced[d]) continue;
    outStrides[d] = stride;
    stride *= sizes[d];
  }
  return { sizes, outStrides };
}

/**
 * Reduces `x` over `axes` (sorted, unique), removing them from the shape. An empty `axes`
 * reduces nothing, which is a copy. The output keeps `x`'s dtype.
 *
 * Every input element is folded into exactly one output element: the one whose coordinates
 * are the input's coordinates with the reduced axes dropped. The input is read in memory order,
 * a row of the innermost (merged) axis at a time, while the coordinates of the outer axes count
 * up like an odometer and move the output position by their output strides.
 */
export function reduce(name: keyof typeof REDUCERS, x: NaiveTensor, axes: readonly number[]): NaiveHandle {
  const { initial, combine } = REDUCERS[name];
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  // Accumulate in float64 and round once at the end.
  const acc = new Float64Array(sizeOf(outShape)).fill(initial);
  if (x.handle.length === 0) return fromFloat64(x.dtype, acc);
  const { sizes, outStrides } = mergedLayout(x.shape, axes);
  const last = sizes.length - 1;
  const rowLength = sizes[last];
  const rowStride = outStrides[last];
  const coordinates = new Array<number>(last).fill(0);
  let o = 0;
  for (let i = 0; i < x.handle.length; i += rowLength) {
    for (let k = 0; k < rowLength; k++) acc[o + k * rowStride] = combine(acc[o + k * rowStride], x.handle[i + k]);
    for (let d = last - 1; d >= 0; d--) {
      o += outStrides[d];
      if (++coordinates[d] < sizes[d]) break;
      o -= outStrides[d] * sizes[d];
      coordinates[d] = 0;
    }
  }
  return fromFloat64(x.dtype, acc);
}

/** int32 index of the first largest value along `axis`; the axis is removed from the shape. */
export function argMax(x: NaiveTensor, axis: number): NaiveHandle {
  // View x as [outer, length, inner]: `axis` in the middle, everything before and after it
  // flattened. Then the values of one slice are at (o * length + j) * inner + k for j < length.
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = allocate('int32', outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const at = (j: number) => x.handle[(o * length + j) * inner + k];
      let best = 0;
      // Strictly greater, so ties keep the first index.
      for (let j = 1; j < length; j++) if (at(j) > at(best)) best = j;
      out[o * inner + k] = best;
    }
  }
  return out;
}
