import type { Tensor } from '../tensor/tensor.js';
import { formatShape, normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';

/**
 * tf.split: `x` cut along `axis` into `count` equal pieces, or into pieces of the sizes listed
 * (one may be -1: the rest). Each piece is a slice, so its gradient is the piece's own padded
 * back to x's shape.
 */
export function split(x: TensorLike, countOrSizes: number | readonly number[], axis = 0): Tensor[] {
  return withTensors('split', [x], (t) => {
    const at = normalizeAxis('split', axis, t.rank);
    let begin = 0;
    return pieceSizes(t.shape, at, countOrSizes).map((size) => {
      const piece = slice(t, t.shape.map((_, d) => (d === at ? begin : 0)), t.shape.map((n, d) => (d === at ? size : n)));
      begin += size;
      return piece;
    });
  });
}

/** tf.unstack: the slices of `x` along `axis`, each without that axis. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  return withTensors('unstack', [x], (t) => {
    const at = normalizeAxis('unstack', axis, t.rank);
    const pieceShape = t.shape.filter((_, d) => d !== at);
    return Array.from({ length: t.shape[at]! }, (_, i) => reshape(slice(t, t.shape.map((_, d) => (d === at ? i : 0)), t.shape.map((n, d) => (d === at ? 1 : n))), pieceShape));
  });
}

/** The length of each piece along `axis`, checked against the dimension it cuts. */
function pieceSizes(shape: readonly number[], axis: number, countOrSizes: number | readonly number[]): number[] {
  const length = shape[axis]!;
  if (typeof countOrSizes === 'number') {
    if (!Number.isInteger(countOrSizes) || countOrSizes <= 0 || length % countOrSizes !== 0) {
      throw new Error(`split: expected a count of pieces that divides dimension ${axis} (${length}) of shape ${formatShape(shape)}, got ${countOrSizes}`);
    }
    return Array.from({ length: countOrSizes }, () => length / countOrSizes);
  }
  const rest = countOrSizes.filter((s) => s === -1).length;
  const given = countOrSizes.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  const valid = countOrSizes.length > 0 && rest <= 1 && countOrSizes.every((s) => Number.isInteger(s) && s >= -1) && (rest === 1 ? given <= length : given === length);
  if (!valid) {
    throw new Error(`split: expected sizes (at most one -1) adding up to dimension ${axis} (${length}) of shape ${formatShape(shape)}, got ${JSON.stringify(countOrSizes)}`);
  }
  return countOrSizes.map((s) => (s === -1 ? length - given : s));
}
