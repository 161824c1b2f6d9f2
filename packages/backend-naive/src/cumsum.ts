import { sizeOf } from './layout.js';
import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/**
 * Running sums along `axis`, each kept in float64 and rounded once on the store (int32 wraps
 * there, as TensorFlow's int32 sums do). x is seen as [outer, length, inner], the axis in the
 * middle: one running sum per (outer, inner) pair, walked forwards or, reversed, backwards.
 */
export function cumsum(x: NaiveTensor, axis: number, exclusive: boolean, reverse: boolean): NaiveHandle {
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = allocate(x.dtype, x.handle.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let total = 0;
      for (let step = 0; step < length; step++) {
        const at = (o * length + (reverse ? length - 1 - step : step)) * inner + k;
        if (exclusive) out[at] = total;
        total += x.handle[at]!;
        if (!exclusive) out[at] = total;
      }
    }
  }
  return out;
}
