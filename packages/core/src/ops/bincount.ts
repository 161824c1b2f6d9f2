import type { Tensor } from '../tensor/tensor.js';
import { allocate } from '../util/dtype.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';

/**
 * Counts of each value of `x` in [0, size) per row (weighted: the sum of the matching weights),
 * worked out on the host as TensorFlow's CPU kernels do. Values >= size are left out; negative
 * ones are an error, as in TensorFlow. Empty weights count each value once.
 */
function countRows(op: string, x: Tensor, weights: Tensor, size: number, binaryOutput: boolean, rows: number): Tensor {
  if (x.dtype !== 'int32') throw new Error(`${op}: x must be int32, got ${x.dtype}`);
  if (!Number.isInteger(size) || size < 0) throw new Error(`${op}: size must be a non-negative integer, got ${size}`);
  const weighted = sizeOf(weights.shape) > 0;
  if (weighted && weights.shape.join(',') !== x.shape.join(',')) {
    throw new Error(`${op}: weights must have the shape of x ${formatShape(x.shape)} or be empty, got ${formatShape(weights.shape)}`);
  }
  if (weights.dtype === 'bool') throw new Error(`${op}: weights must be float32 or int32, got bool`);
  const [values, w] = [x.dataSync(), weighted ? weights.dataSync() : null];
  const negative = values.findIndex((v) => v < 0);
  if (negative >= 0) throw new Error(`${op}: x must be non-negative, got ${values[negative]} at flat index ${negative}`);
  const perRow = values.length / Math.max(rows, 1);
  const counts = allocate(weights.dtype, rows * size);
  values.forEach((v, i) => {
    if (v >= size) return;
    const bin = Math.floor(i / perRow) * size + v;
    counts[bin] = binaryOutput ? 1 : counts[bin]! + (w ? w[i]! : 1);
  });
  return hostResult(op, [x, weights], counts, rows === 1 && x.rank === 1 ? [size] : [rows, size], weights.dtype, { size, binaryOutput });
}

/** tf.bincount: counts (or summed weights) of each value of the 1-D int32 `x` in [0, size). */
export function bincount(x: TensorLike, weights: TensorLike, size: number): Tensor {
  return withTensors('bincount', [x, weights], (t, w) => {
    if (t.rank !== 1) throw new Error(`bincount: x must be 1-D, got shape ${formatShape(t.shape)}`);
    return countRows('bincount', t, w, size, false, 1);
  });
}

/**
 * tf.denseBincount: bincount of a 1-D x, or of each row of a 2-D one (giving [rows, size]);
 * with `binaryOutput` a bin is 1 when its value occurs at all.
 */
export function denseBincount(x: TensorLike, weights: TensorLike, size: number, binaryOutput = false): Tensor {
  return withTensors('denseBincount', [x, weights], (t, w) => {
    if (t.rank !== 1 && t.rank !== 2) throw new Error(`denseBincount: x must be 1-D or 2-D, got shape ${formatShape(t.shape)}`);
    return countRows('denseBincount', t, w, size, binaryOutput, t.rank === 2 ? t.shape[0]! : 1);
  });
}
