import { sizeOf, stridedPositions, stridesOf } from './layout.js';
import { allocate, fromFloat64, type NaiveHandle, type NaiveTensor } from './storage.js';

/** Each reduction folds values into an accumulator that starts at the operation's identity. */
const REDUCERS = {
  sum: { initial: 0, combine: (acc: number, x: number) => acc + x },
  // Math.max/min propagate NaN, so a NaN anywhere in a slice makes its max/min NaN.
  max: { initial: -Infinity, combine: Math.max },
  min: { initial: Infinity, combine: Math.min },
};

/**
 * Reduces `x` over `axes` (sorted, unique), removing them from the shape. An empty `axes`
 * reduces nothing, which is a copy. The output keeps `x`'s dtype.
 *
 * Every input element is folded into exactly one output element: the one whose coordinates
 * are the input's coordinates with the reduced axes dropped. Giving the reduced axes stride 0
 * in the output makes `stridedPositions` compute that position directly.
 */
export function reduce(name: keyof typeof REDUCERS, x: NaiveTensor, axes: readonly number[]): NaiveHandle {
  const { initial, combine } = REDUCERS[name];
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  // Reducing the last axes (a softmax's row maximum, say): each output folds one run of the input.
  if (axes.every((axis, k) => axis === x.shape.length - axes.length + k)) {
    return fromFloat64(x.dtype, foldRuns(x.handle, sizeOf(outShape), initial, combine));
  }
  const outStrides = stridesOf(outShape);
  const stridesInOutput: number[] = [];
  let kept = 0;
  for (let d = 0; d < x.shape.length; d++) stridesInOutput.push(axes.includes(d) ? 0 : outStrides[kept++]);
  const toOutput = stridedPositions(x.shape, stridesInOutput);

  // Accumulate in float64 and round once at the end.
  const acc = new Float64Array(sizeOf(outShape)).fill(initial);
  for (let i = 0; i < x.handle.length; i++) {
    const o = toOutput[i];
    acc[o] = combine(acc[o], x.handle[i]);
  }
  return fromFloat64(x.dtype, acc);
}

/** Folds each of `count` equal runs of `values` into one float64. */
function foldRuns(values: ArrayLike<number>, count: number, initial: number, combine: (acc: number, x: number) => number): Float64Array {
  const acc = new Float64Array(count);
  const run = count === 0 ? 0 : values.length / count;
  for (let o = 0; o < count; o++) {
    let value = initial;
    for (let k = 0; k < run; k++) value = combine(value, values[o * run + k]);
    acc[o] = value;
  }
  return acc;
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
