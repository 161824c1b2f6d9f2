import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { max, min, sum } from './reduce.js';
import { reshape } from './reshape.js';
import { abs, sqrt, square } from './unary.js';

export type NormOrd = number | 'euclidean' | 'fro';

/**
 * tf.norm: a vector norm over one axis (or over every entry when `axis` is omitted), or a matrix
 * norm over two axes [rows, columns]. Vector ords: 'euclidean' (= 2), 1, Infinity, -Infinity;
 * matrix ords: 'euclidean' = 'fro' (Frobenius), 1 (largest column sum of |x|), Infinity
 * (largest row sum), -Infinity (smallest row sum) — the ones tfjs supports. Each reduction keeps
 * its dims, so the two axes of a matrix norm may come in either order.
 */
export function norm(x: TensorLike, ord: NormOrd = 'euclidean', axis?: number | readonly number[], keepDims = false): Tensor {
  return withTensors('norm', [x], (t) => {
    refuseBool('norm', t.dtype);
    const list = axis === undefined ? t.shape.map((_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
    const axes = list.map((a) => normalizeAxis('norm', a, t.rank));
    const matrix = axis !== undefined && axes.length === 2;
    if (axis !== undefined && axes.length !== 1 && !matrix) {
      throw new Error(`norm: axis ${JSON.stringify(axis)} should name one axis (a vector norm) or two (a matrix norm)`);
    }
    if (matrix && axes[0] === axes[1]) throw new Error(`norm: the matrix axes ${JSON.stringify(axis)} must differ`);
    const vectorOrds: NormOrd[] = ['euclidean', 2, 1, Infinity, -Infinity];
    const matrixOrds: NormOrd[] = ['euclidean', 'fro', 1, Infinity, -Infinity];
    if (!(matrix ? matrixOrds : vectorOrds).includes(ord)) {
      throw new Error(`norm: ord ${String(ord)} is not a ${matrix ? 'matrix' : 'vector'} norm; expected one of ${(matrix ? matrixOrds : vectorOrds).map(String).join(', ')}`);
    }
    const shape = keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : t.shape.filter((_, i) => !axes.includes(i));
    return tidy(() => reshape(matrix ? matrixNorm(t, ord, axes[0]!, axes[1]!) : vectorNorm(t, ord, axes), shape));
  });
}

/** tf.euclideanNorm: the square root of the sum of squares over `axis` (every axis when omitted). */
export function euclideanNorm(x: TensorLike, axis?: number | readonly number[], keepDims = false): Tensor {
  return withTensors('euclideanNorm', [x], (t) => {
    refuseBool('euclideanNorm', t.dtype);
    return norm(t, 'euclidean', axis, keepDims);
  });
}

function vectorNorm(t: Tensor, ord: NormOrd, axes: number[]): Tensor {
  if (ord === 1) return sum(abs(t), axes, true);
  if (ord === Infinity) return max(abs(t), axes, true);
  if (ord === -Infinity) return min(abs(t), axes, true);
  return sqrt(sum(square(t), axes, true));
}

function matrixNorm(t: Tensor, ord: NormOrd, rows: number, columns: number): Tensor {
  if (ord === 1) return max(sum(abs(t), rows, true), columns, true);
  if (ord === Infinity) return max(sum(abs(t), columns, true), rows, true);
  if (ord === -Infinity) return min(sum(abs(t), columns, true), rows, true);
  return sqrt(sum(square(t), [rows, columns], true));
}
