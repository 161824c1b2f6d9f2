import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual, sizeOf, stridesOf } from '../util/shape.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather, unsortedSegmentSum } from './gather.js';
import { reshape } from './reshape.js';

/**
 * The flat row, within `shape`'s first K dimensions, that each K-tuple of `indices` (its last
 * dimension) addresses, as an int32 tensor of `indices`' leading dimensions. Every coordinate
 * is checked against its dimension, as TensorFlow's CPU kernels do.
 */
function flatRows(op: string, indices: Tensor, shape: readonly number[]): Tensor {
  const depth = indices.shape[indices.rank - 1];
  if (indices.dtype !== 'int32' || depth === undefined || depth > shape.length) {
    throw new Error(`${op}: expected int32 indices whose last dimension (at most ${shape.length}) indexes ${formatShape(shape)}, got ${indices.dtype} ${formatShape(indices.shape)}`);
  }
  const addressed = shape.slice(0, depth);
  const strides = stridesOf(addressed);
  const coordinates = indices.dataSync();
  const rows = new Int32Array(sizeOf(indices.shape.slice(0, -1)));
  for (let row = 0; row < rows.length; row++) {
    for (let k = 0; k < depth; k++) {
      const coordinate = coordinates[row * depth + k]!;
      if (coordinate < 0 || coordinate >= addressed[k]!) {
        throw new Error(`${op}: index ${coordinate} at position ${row * depth + k} is outside [0, ${addressed[k]}) for dimension ${k} of ${formatShape(shape)}`);
      }
      rows[row] += coordinate * strides[k]!;
    }
  }
  return tensor(rows, indices.shape.slice(0, -1), 'int32');
}

/**
 * tf.gatherND: the slices of `x` that the K-tuples in `indices`' last dimension address, of shape
 * `indices.shape[:-1] + x.shape[K:]`. The first K dimensions of `x` are flattened into one, so
 * this is a gather of rows; its gradient (a segment sum) adds repeated tuples up.
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  return withTensors('gatherND', [x], (t) => withTensors('gatherND', [indices], (idx) => tidy(() => {
    const rows = flatRows('gatherND', idx, t.shape);
    const depth = idx.shape[idx.rank - 1]!;
    return gather(reshape(t, [sizeOf(t.shape.slice(0, depth)), ...t.shape.slice(depth)]), rows, 0);
  }), 'int32'));
}

/**
 * tf.scatterND: a tensor of `shape`, zero except where the K-tuples of `indices` address it,
 * which hold the matching slices of `updates` (of shape `indices.shape[:-1] + shape[K:]`);
 * repeated tuples add up. gatherND's transpose: a segment sum over the flattened rows.
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: readonly number[]): Tensor {
  return withTensors('scatterND', [updates], (u) => withTensors('scatterND', [indices], (idx) => tidy(() => {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`scatterND: expected shape to be non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const rows = flatRows('scatterND', idx, shape);
    const depth = idx.shape[idx.rank - 1]!;
    const expected = [...rows.shape, ...shape.slice(depth)];
    if (!shapesEqual(u.shape, expected)) {
      throw new Error(`scatterND: expected updates of shape ${formatShape(expected)} (indices' leading dimensions, then shape's beyond the first ${depth}), got ${formatShape(u.shape)}`);
    }
    return reshape(unsortedSegmentSum(u, rows, sizeOf(shape.slice(0, depth))), shape);
  }), 'int32'));
}
