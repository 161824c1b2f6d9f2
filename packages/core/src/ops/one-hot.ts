import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/** float32 `[...indices.shape, depth]` with `onValue` at each index; no gradient. */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  return withTensors('oneHot', [indices], (idx) => {
    if (idx.dtype !== 'int32') throw new Error(`oneHot: indices must be int32, got ${idx.dtype} ${formatShape(idx.shape)}`);
    if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
    return runOp({
      name: 'oneHot', inputs: [idx], shape: [...idx.shape, depth], dtype: 'float32', attrs: { depth, onValue, offValue },
      kernel: (backend) => backend.oneHot(idx, depth, onValue, offValue), gradient: 'not-differentiable',
    });
  }, 'int32');
}
