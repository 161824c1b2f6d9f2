import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual, sizeOf, stridesOf } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather, unsortedSegmentSum } from './gather.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';

/**
 * The flat row, within `shape`'s first K dimensions, that each K-tuple of `indices` (its last
 * dimension) addresses: the tuple's dot product with the strides, made of ops so that traced
 * graphs (ONNX export) keep the indices as an input. Every coordinate is checked against its
 * dimension first, as TensorFlow's CPU kernels do.
 */
function flatRows(op: string, indices: Tensor, shape: readonly number[]): Tensor {
  const depth = indices.shape[indices.rank - 1];
  if (indices.dtype !== 'int32' || depth === undefined || depth > shape.length) {
    throw new Error(`${op}: expected int32 indices whose last dimension (at most ${shape.length}) indexes ${formatShape(shape)}, got ${indices.dtype} ${formatShape(indices.shape)}`);
  }
  const addressed = shape.slice(0, depth);
  indices.dataSync().forEach((coordinate, position) => {
    const dimension = position % depth;
    if (coordinate < 0 || coordinate >= addressed[dimension]!) {
      throw new Error(`${op}: index ${coordinate} at position ${position} is outside [0, ${addressed[dimension]}) for dimension ${dimension} of ${formatShape(shape)}`);
    }
  });
  return sum(mul(indices, tensor(stridesOf(addressed), [depth], 'int32')), -1);
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
