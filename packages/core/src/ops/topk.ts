import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { range } from './creation.js';
import { sum } from './reduce.js';
import { expandDims } from './reshape.js';
import { runOp } from './run-op.js';
import { where } from './where.js';

/**
 * tf.topk: the `k` (default 1) largest entries of each row of `x`'s last axis, largest first
 * (equal entries lower index first), and their positions (int32). The kernel finds the
 * positions; the values are picked from `x` with them, so their gradient flows back to the
 * entries chosen. Always sorted: tf.topk's `sorted` only allows another order.
 */
export function topk(x: TensorLike, k = 1): { values: Tensor; indices: Tensor } {
  return withTensors('topk', [x], (t) => {
    if (t.dtype === 'bool') throw new Error('topk: expected a float32 or int32 tensor, got bool; cast it first');
    const length = t.shape[t.rank - 1];
    if (length === undefined) throw new Error('topk: a scalar has no last axis; expected a tensor of rank >= 1');
    if (!Number.isInteger(k) || k < 0 || k > length) throw new Error(`topk: k must be an integer in [0, ${length}] (the last axis of ${formatShape(t.shape)}), got ${k}`);
    const shape = [...t.shape.slice(0, -1), k];
    const indices = runOp({
      name: 'topkIndices', inputs: [t], shape, dtype: 'int32', attrs: { k },
      kernel: (backend) => backend.topkIndices(t, k), gradient: 'not-differentiable',
    });
    // Entry j of a row's values is its entry where the position matches indices[j]: a where and
    // a sum over one hit (exact), whose gradient reaches only the entries picked. Positions are
    // compared with a range, so nothing depends on the batch size (traced graphs stay general).
    const values = tidy(() => {
      const picked = equal(expandDims(indices, -1), range(0, length, 1, 'int32'));
      return sum(where(picked, expandDims(t, -2), 0), -1);
    });
    return { values, indices };
  });
}
