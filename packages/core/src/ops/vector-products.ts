import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { matMul } from './matmul.js';
import { reshape } from './reshape.js';

/**
 * tf.dot: the product of two vectors or matrices (rank 1 or 2 each): vector·vector is a scalar,
 * matrix·vector and vector·matrix vectors, matrix·matrix a matrix. A vector is a row on the
 * left and a column on the right, so the inner sizes must match.
 */
export function dot(t1: TensorLike, t2: TensorLike): Tensor {
  return withTensors('dot', [t1, t2], (a, b) => {
    if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
      throw new Error(`dot: expected two tensors of rank 1 or 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    const inner = a.shape[a.rank - 1]!;
    if (inner !== b.shape[0]) {
      throw new Error(`dot: inner sizes differ: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (expected ${inner} = ${b.shape[0]})`);
    }
    const shape = [...a.shape.slice(0, -1), ...b.shape.slice(1)];
    return tidy(() => reshape(matMul(reshape(a, [a.rank === 1 ? 1 : a.shape[0]!, inner]), reshape(b, [inner, b.rank === 1 ? 1 : b.shape[1]!])), shape));
  });
}

/** tf.outerProduct: the matrix v1[i]·v2[j] of two vectors (a broadcast product, so each entry is one exact float32 product). */
export function outerProduct(v1: TensorLike, v2: TensorLike): Tensor {
  return withTensors('outerProduct', [v1, v2], (a, b) => {
    if (a.rank !== 1 || b.rank !== 1) throw new Error(`outerProduct: expected two vectors (rank 1), got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    return tidy(() => mul(reshape(a, [a.shape[0]!, 1]), reshape(b, [1, b.shape[0]!])));
  });
}
