import type { Tensor } from '../tensor/tensor.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/** Permutes dimensions: output dimension i is input dimension `perm[i]` (default: reversed). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return withTensors('transpose', [x], (t) => {
    const order = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
    const isPermutation = order.length === t.rank && [...order].sort((a, b) => a - b).every((p, i) => p === i);
    if (!isPermutation) {
      throw new Error(`transpose: perm ${JSON.stringify(order)} is not a permutation of the ${t.rank} dimensions of a tensor of rank ${t.rank}`);
    }
    const inverse = new Array<number>(order.length);
    order.forEach((p, i) => (inverse[p] = i));
    return runOp({
      name: 'transpose', inputs: [t], shape: order.map((p) => t.shape[p]!), dtype: t.dtype, attrs: { perm: [...order] },
      kernel: (backend) => backend.transpose(t, order),
      gradient: (dy) => [transpose(dy, inverse)],
    });
  });
}
