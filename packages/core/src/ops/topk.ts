import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { add, mul } from './arithmetic.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { range } from './creation.js';
import { gather } from './gather.js';
import { sum } from './reduce.js';
import { expandDims, reshape } from './reshape.js';
import { runOp } from './run-op.js';
import { where } from './where.js';

/**
 * Above this many (k × row length) comparisons per row, the values are gathered from the
 * flattened rows instead of picked by position: linear in the values, where picking is not.
 */
const PICK_LIMIT = 1 << 14;

/**
 * Entry j of a row's values is its entry where the position matches indices[j]: a where and a
 * sum over one hit (exact), whose gradient reaches only the entries picked. The positions are
 * compared with a range, so nothing depends on the batch size and traced graphs stay general.
 */
function pickByPosition(x: Tensor, indices: Tensor): Tensor {
  const picked = equal(expandDims(indices, -1), range(0, x.shape[x.rank - 1]!, 1, 'int32'));
  return sum(where(picked, expandDims(x, -2), 0), -1);
}

/**
 * Row r's positions offset by r × length into x flattened, one gather (its gradient scatters
 * back). The offsets are a constant of the batch size, so a model doing this does not export
 * to ONNX for other batch sizes: fine for sorting long rows, which picking could not afford.
 */
function gatherFromRows(x: Tensor, indices: Tensor): Tensor {
  const length = x.shape[x.rank - 1]!;
  const rows = sizeOf(x.shape.slice(0, -1));
  const offsets = reshape(mul(range(0, rows, 1, 'int32'), length), [...x.shape.slice(0, -1), 1]);
  return reshape(gather(reshape(x, [-1]), add(indices, offsets), 0), indices.shape);
}

/**
 * tf.topk: the `k` (default 1) largest entries of each row of `x`'s last axis, largest first
 * (equal entries lower index first), and their positions (int32). The kernel finds the
 * positions; the values are picked from `x` with them, so their gradient flows back to the
 * entries chosen. Always sorted: tf.topk's `sorted` only allows another order.
 */
export function topk(x: TensorLike, k = 1): { values: Tensor; indices: Tensor } {
  return withTensors('topk', [x], (t) => {
    refuseBool('topk', t.dtype);
    const length = t.shape[t.rank - 1];
    if (length === undefined) throw new Error('topk: a scalar has no last axis; expected a tensor of rank >= 1');
    if (!Number.isInteger(k) || k < 0 || k > length) throw new Error(`topk: k must be an integer in [0, ${length}] (the last axis of ${formatShape(t.shape)}), got ${k}`);
    const shape = [...t.shape.slice(0, -1), k];
    const indices = runOp({
      name: 'topkIndices', inputs: [t], shape, dtype: 'int32', attrs: { k },
      kernel: (backend) => backend.topkIndices(t, k), gradient: 'not-differentiable',
    });
    const values = tidy(() => (k * length <= PICK_LIMIT ? pickByPosition(t, indices) : gatherFromRows(t, indices)));
    return { values, indices };
  });
}
