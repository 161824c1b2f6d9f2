import { tidy } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { fill } from './creation.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { where } from './where.js';

/** A band limit as a number: an int32 scalar tensor is read back, as tfjs accepts one. */
function bandLimit(name: string, limit: number | Tensor, size: number, what: string): number {
  let value: number;
  if (limit instanceof Tensor) {
    if (limit.rank !== 0 || limit.dtype !== 'int32') throw new Error(`bandPart: ${name} must be an integer or an int32 scalar, got a ${limit.dtype} tensor of shape ${formatShape(limit.shape)}`);
    value = limit.dataSync()[0]!;
  } else {
    value = limit;
  }
  if (!Number.isInteger(value)) throw new Error(`bandPart: ${name} must be an integer, got ${value}`);
  // TensorFlow refuses a band wider than the matrix rather than clamping it.
  if (value > size) throw new Error(`bandPart: ${name} must be negative (the whole triangle) or at most the number of ${what} (${size}), got ${value}`);
  return value < 0 ? size : value;
}

/**
 * tf.linalg.bandPart: each innermost [M, N] matrix with everything outside a central band set to
 * 0 — entry (i, j) is kept when i − j ≤ numLower and j − i ≤ numUpper, a negative limit keeping
 * that whole triangle (bandPart(a, -1, 0) is the lower triangle, (0, -1) the upper). A `where`
 * with a fixed mask, so NaN outside the band becomes 0 as in TensorFlow, and the gradient is the
 * band of the cotangent.
 */
export function bandPart(a: TensorLike, numLower: number | Tensor, numUpper: number | Tensor): Tensor {
  return withTensors('bandPart', [a], (t) => {
    if (t.rank < 2) throw new Error(`bandPart: expected a tensor of rank >= 2 (matrices [..., M, N]), got shape ${formatShape(t.shape)}`);
    const [m, n] = [t.shape[t.rank - 2]!, t.shape[t.rank - 1]!];
    const lower = bandLimit('numLower', numLower, m, 'rows');
    const upper = bandLimit('numUpper', numUpper, n, 'columns');
    const mask = new Uint8Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) mask[i * n + j] = Number(i - j <= lower && j - i <= upper);
    }
    return tidy(() => where(tensor(mask, [m, n], 'bool'), t, fill([], t.dtype === 'bool' ? false : 0, t.dtype)));
  });
}
