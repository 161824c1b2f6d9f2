import { sizeOf } from './layout.js';
import { allocate, fromFloat64, type NaiveHandle, type NaiveTensor } from './storage.js';

/*
 * Both kernels view their data tensor as [outer, rows, inner]: the indexed dimension in the
 * middle, everything before it flattened into `outer` and everything after it into `inner`.
 * Then a row is a contiguous run of `inner` values, and indexing picks whole rows.
 */

/** Rows shorter than this are copied value by value (measured: the two cost the same near 64). */
const SHORT_ROW = 64;

/** out[o, j, :] = x[o, indices[j], :]; output shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function gather(x: NaiveTensor, indices: NaiveTensor, axis: number): NaiveHandle {
  const outer = sizeOf(x.shape.slice(0, axis));
  const rows = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const picks = indices.handle;
  const out = allocate(x.dtype, outer * picks.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < picks.length; j++) {
      const from = (o * rows + picks[j]) * inner;
      const to = (o * picks.length + j) * inner;
      // A short row (an image's one channel) is copied by a loop: making a view per row costs
      // more than copying it. A long one (an image) is one block copy.
      if (inner < SHORT_ROW) for (let k = 0; k < inner; k++) out[to + k] = x.handle[from + k];
      else out.set(x.handle.subarray(from, from + inner), to);
    }
  }
  return out;
}

/**
 * out[s, :] = Σ x[r, :] over the rows r with segmentIds[r] = s: the gradient of gather along
 * axis 0. `segmentIds` covers the leading dimensions of `x` (flattened, they are the rows);
 * ids outside [0, numSegments) are dropped.
 */
export function unsortedSegmentSum(x: NaiveTensor, segmentIds: NaiveTensor, numSegments: number): NaiveHandle {
  const ids = segmentIds.handle;
  const inner = sizeOf(x.shape.slice(segmentIds.shape.length));
  const sums = new Float64Array(numSegments * inner);
  for (let r = 0; r < ids.length; r++) {
    const segment = ids[r];
    if (segment < 0 || segment >= numSegments) continue;
    for (let k = 0; k < inner; k++) sums[segment * inner + k] += x.handle[r * inner + k];
  }
  return fromFloat64(x.dtype, sums);
}
