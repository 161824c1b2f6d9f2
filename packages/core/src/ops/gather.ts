import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { transpose } from './transpose.js';
import { reshape } from './reshape.js';

/** Throws naming the first index outside `[0, size)`. */
function checkIndices(op: string, indices: Tensor, size: number): void {
  const values = indices.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) throw new Error(`${op}: index ${v} at position ${i} is outside [0, ${size})`);
  }
}

/**
 * Slices of `x` along `axis` at int32 `indices`. The gradient scatters back with
 * unsortedSegmentSum, so repeated indices add up.
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  return withTensors('gather', [x], (t) => withTensors('gather', [indices], (idx) => {
    if (idx.dtype !== 'int32') throw new Error(`gather: indices must be int32, got ${idx.dtype} ${formatShape(idx.shape)}`);
    const at = normalizeAxis('gather', axis, t.rank);
    checkIndices('gather', idx, t.shape[at]!);
    const shape = [...t.shape.slice(0, at), ...idx.shape, ...t.shape.slice(at + 1)];
    return runOp({
      name: 'gather', inputs: [t, idx], shape, dtype: t.dtype, attrs: { axis: at },
      kernel: (backend) => backend.gather(t, idx, at),
      gradient: (dy, { inputs: [input, ids] }) => [scatterBack(dy, input!, ids!, at), null],
    });
  }, 'int32'));
}

/** The gradient of gather: move the gathered dims first, segment-sum, move the axis back. */
function scatterBack(dy: Tensor, input: Tensor, ids: Tensor, axis: number): Tensor {
  const idRank = ids.rank;
  const front = Array.from({ length: idRank }, (_, i) => axis + i);
  const rest = Array.from({ length: dy.rank }, (_, i) => i).filter((i) => i < axis || i >= axis + idRank);
  const summed = unsortedSegmentSum(transpose(dy, [...front, ...rest]), ids, input.shape[axis]!);
  const back = Array.from({ length: input.rank }, (_, i) => i).map((i) => (i < axis ? i + 1 : i === axis ? 0 : i));
  return reshape(transpose(summed, back), input.shape);
}

/** Adds the slices of `x` whose segment id is the same; ids are `x`'s leading dimensions. */
export function unsortedSegmentSum(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  return withTensors('unsortedSegmentSum', [x], (t) => withTensors('unsortedSegmentSum', [segmentIds], (ids) => {
    const leading = t.shape.slice(0, ids.rank);
    if (ids.dtype !== 'int32' || ids.shape.some((d, i) => d !== leading[i])) {
      throw new Error(`unsortedSegmentSum: segmentIds must be int32 with the leading dimensions of x ${formatShape(t.shape)}, got ${ids.dtype} ${formatShape(ids.shape)}`);
    }
    if (!Number.isInteger(numSegments) || numSegments < 0) throw new Error(`unsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
    checkIndices('unsortedSegmentSum', ids, numSegments);
    return runOp({
      name: 'unsortedSegmentSum', inputs: [t, ids], shape: [numSegments, ...t.shape.slice(ids.rank)], dtype: t.dtype, attrs: { numSegments },
      kernel: (backend) => backend.unsortedSegmentSum(t, ids, numSegments),
      gradient: (dy, { inputs: [, seg] }) => [gather(dy, seg!, 0), null],
    });
  }, 'int32'));
}
