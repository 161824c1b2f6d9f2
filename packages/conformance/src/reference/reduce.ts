import { toInt32 } from './int32.js';
import { generate, ravel, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** Axes as sorted non-negative numbers; undefined = all. */
export function resolveAxes(axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/**
 * Folds the values along `axes` with `combine` starting from `initial`. Every input element is
 * visited once and sent to the output cell its kept coordinates name.
 */
export function reduce(
  x: NDArray, axis: number | readonly number[] | undefined, keepDims: boolean,
  initial: number, combine: (acc: number, v: number) => number,
): NDArray {
  const axes = resolveAxes(axis, x.shape.length);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(sizeOfShape(keptShape)).fill(initial);
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape);
    let flat = 0;
    index.forEach((v, d) => (flat = flat * keptShape[d]! + (axes.includes(d) ? 0 : v)));
    out[flat] = combine(out[flat]!, x.data[i]!);
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return { shape, data: out };
}

export const sum = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, 0, (a, v) => a + v);
export const max = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, -Infinity, Math.max);
export const prod = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, 1, (a, v) => a * v);
export const min = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, Infinity, Math.min);

export function mean(x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray {
  const count = resolveAxes(axis, x.shape.length).reduce((n, a) => n * x.shape[a]!, 1);
  const s = sum(x, axis, keepDims);
  return { shape: s.shape, data: s.data.map((v) => v / count) };
}

/**
 * The mean of int32 values as TensorFlow computes it: their int32 sum (wrapped) divided by the
 * count, rounded towards zero (-1/2 is 0); the mean of nothing is 0.
 */
export function intMean(x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray {
  const count = resolveAxes(axis, x.shape.length).reduce((n, a) => n * x.shape[a]!, 1);
  const s = sum(x, axis, keepDims);
  return { shape: s.shape, data: s.data.map((v) => (count === 0 ? 0 : Math.trunc(toInt32(v) / count))) };
}

/** Index of the first largest value along `axis`. */
export function argMax(x: NDArray, axis: number): NDArray {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const shape = x.shape.filter((_, i) => i !== a);
  return generate(shape, (outIndex) => {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < x.shape[a]!; k++) {
      const index = [...outIndex.slice(0, a), k, ...outIndex.slice(a)];
      let flat = 0;
      index.forEach((v, d) => (flat = flat * x.shape[d]! + v));
      if (x.data[flat]! > bestValue) [best, bestValue] = [k, x.data[flat]!];
    }
    return best;
  });
}

/** The index of the first smallest value along `axis`. */
export function argMin(x: NDArray, axis: number): NDArray {
  return argMax({ shape: x.shape, data: x.data.map((v) => -v) }, axis);
}

/** Booleans (0/1) reduced: any is 1 when some value is nonzero, all when every one is (1 over none). */
export const any = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, 0, (a, v) => Number(a !== 0 || v !== 0));
export const all = (x: NDArray, axis?: number | readonly number[], keepDims = false): NDArray => reduce(x, axis, keepDims, 1, (a, v) => Number(a !== 0 && v !== 0));

/** Running sums along `axis`, each one's own entry left out when exclusive, from the end when reversed. */
export function cumsum(x: NDArray, axis: number, exclusive: boolean, reverse: boolean): NDArray {
  return generate(x.shape, (index) => {
    let total = 0;
    for (let k = 0; k < x.shape[axis]!; k++) {
      const counted = reverse ? (exclusive ? k > index[axis]! : k >= index[axis]!) : (exclusive ? k < index[axis]! : k <= index[axis]!);
      if (counted) total += x.data[ravel(index.map((v, d) => (d === axis ? k : v)), x.shape)]!;
    }
    return total;
  });
}

/** The `k` largest entries of each row of the last axis, largest first (equal ones lower index first), and their positions. */
export function topk(x: NDArray, k: number): { values: NDArray; indices: NDArray } {
  const length = x.shape[x.shape.length - 1]!;
  const shape = [...x.shape.slice(0, -1), k];
  const rank = (row: number): number[] => {
    const entries = Array.from({ length }, (_, i) => i);
    // Picked one at a time: the largest left, the first of equals.
    return Array.from({ length: k }, () => entries.splice(entries.reduce((best, i, at) => (x.data[row * length + i]! > x.data[row * length + entries[best]!]! ? at : best), 0), 1)[0]!);
  };
  const picks = Array.from({ length: sizeOfShape(shape.slice(0, -1)) }, (_, row) => rank(row));
  return {
    values: { shape, data: Float64Array.from(picks.flatMap((p, row) => p.map((i) => x.data[row * length + i]!))) },
    indices: { shape, data: Float64Array.from(picks.flat()) },
  };
}
