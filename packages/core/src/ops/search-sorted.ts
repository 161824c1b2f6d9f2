import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';

/**
 * tf.searchSorted: for each of `values`, the position in its row of `sortedSequence` (rows along
 * the last axis; the leading dimensions of both must match) where it would be inserted to keep
 * the row sorted: before any equal entries ('left', the first entry >= value) or after them
 * ('right', the first entry > value). A binary search on the host, as TensorFlow's CPU kernel;
 * the int32 positions carry no gradient.
 */
export function searchSorted(sortedSequence: TensorLike, values: TensorLike, side: 'left' | 'right' = 'left'): Tensor {
  return withTensors('searchSorted', [sortedSequence, values], (sorted, v) => {
    if (side !== 'left' && side !== 'right') throw new Error(`searchSorted: side must be 'left' or 'right', got ${JSON.stringify(side)}`);
    if (sorted.rank < 1) throw new Error(`searchSorted: sortedSequence must have rank >= 1, got shape ${formatShape(sorted.shape)}`);
    if (sorted.rank !== v.rank || sorted.shape.slice(0, -1).some((d, i) => d !== v.shape[i])) {
      throw new Error(`searchSorted: sortedSequence ${formatShape(sorted.shape)} and values ${formatShape(v.shape)} must have the same rank and leading dimensions`);
    }
    if (sorted.dtype !== v.dtype) throw new Error(`searchSorted: sortedSequence and values must have one dtype, got ${sorted.dtype} and ${v.dtype}`);
    const [rowLength, perRow] = [sorted.shape[sorted.rank - 1]!, v.shape[v.rank - 1]!];
    const [row, queries] = [sorted.dataSync(), v.dataSync()];
    const positions = new Int32Array(queries.length);
    queries.forEach((q, i) => {
      const start = Math.floor(i / perRow) * rowLength;
      let [low, high] = [0, rowLength];
      while (low < high) {
        const mid = (low + high) >> 1;
        const goesAfter = side === 'left' ? row[start + mid]! < q : row[start + mid]! <= q;
        if (goesAfter) low = mid + 1;
        else high = mid;
      }
      positions[i] = low;
    });
    return hostResult('searchSorted', [sorted, v], positions, v.shape, 'int32', { side });
  });
}

/** tf.lowerBound: searchSorted with side 'left'. */
export function lowerBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, 'left');
}

/** tf.upperBound: searchSorted with side 'right'. */
export function upperBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, 'right');
}
