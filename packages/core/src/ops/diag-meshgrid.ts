import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { broadcastTo } from './broadcast-to.js';
import { withTensors, type TensorLike } from './convert.js';
import { eye } from './linspace-eye.js';
import { reshape } from './reshape.js';

/**
 * tf.diag: x of shape S placed on the diagonal of a tensor of shape S ++ S (out[i..., i...] =
 * x[i...], zero elsewhere): x flattened times an identity, so the gradient is the diagonal back.
 */
export function diag(x: TensorLike): Tensor {
  return withTensors('diag', [x], (t) => {
    if (t.rank === 0) throw new Error('diag: expected a tensor of rank >= 1, got a scalar');
    if (t.dtype === 'bool') throw new Error('diag: expected float32 or int32, got bool');
    const n = sizeOf(t.shape);
    return tidy(() => reshape(mul(reshape(t, [n, 1]), eye(n, n, undefined, t.dtype)), [...t.shape, ...t.shape]));
  });
}

/**
 * tf.meshgrid: the coordinate grids of two 1-D lists (inputs of higher rank are flattened).
 * 'xy' (Cartesian) indexing gives grids of shape [y.size, x.size], 'ij' (matrix) [x.size, y.size].
 * Broadcasts, so each grid's gradient is its rows or columns summed.
 */
export function meshgrid(x: TensorLike, y?: TensorLike, { indexing = 'xy' }: { indexing?: 'xy' | 'ij' } = {}): Tensor[] {
  if (indexing !== 'xy' && indexing !== 'ij') throw new Error(`meshgrid: indexing must be 'xy' or 'ij', got ${JSON.stringify(indexing)}`);
  if (y === undefined) return withTensors('meshgrid', [x], (a) => [reshape(a, [sizeOf(a.shape)])]);
  return withTensors('meshgrid', [x, y], (a, b) => {
    if (a.dtype !== b.dtype) throw new Error(`meshgrid: x and y must have one dtype, got ${a.dtype} and ${b.dtype}`);
    const [nx, ny] = [sizeOf(a.shape), sizeOf(b.shape)];
    return tidy(() => (indexing === 'xy'
      ? [broadcastTo(reshape(a, [1, nx]), [ny, nx]), broadcastTo(reshape(b, [ny, 1]), [ny, nx])]
      : [broadcastTo(reshape(a, [nx, 1]), [nx, ny]), broadcastTo(reshape(b, [1, ny]), [nx, ny])]));
  });
}
