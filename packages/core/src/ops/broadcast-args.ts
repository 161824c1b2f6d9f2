import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';

/**
 * tf.broadcastArgs: the shape that two shapes broadcast to (NumPy's rules: aligned from the
 * last axis, sizes equal or one of them 1, missing leading axes count as 1), each shape given
 * and returned as an int32 vector. Works on the host, so the result carries no gradient.
 */
export function broadcastArgs(s0: TensorLike, s1: TensorLike): Tensor {
  return withTensors('broadcastArgs', [s0, s1], (a, b) => {
    for (const [name, t] of [['s0', a], ['s1', b]] as const) {
      if (t.dtype !== 'int32' || t.rank !== 1) throw new Error(`broadcastArgs: ${name} must be an int32 vector (rank 1), got a ${t.dtype} tensor of shape ${formatShape(t.shape)}`);
    }
    const [x, y] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
    for (const [name, sizes] of [['s0', x], ['s1', y]] as const) {
      if (sizes.some((d) => d < 0)) throw new Error(`broadcastArgs: ${name} must hold non-negative sizes, got ${formatShape(sizes)}`);
    }
    const rank = Math.max(x.length, y.length);
    const out = new Int32Array(rank);
    for (let k = 1; k <= rank; k++) {
      const [p, q] = [x[x.length - k] ?? 1, y[y.length - k] ?? 1];
      if (p !== q && p !== 1 && q !== 1) {
        throw new Error(`broadcastArgs: shapes ${formatShape(x)} and ${formatShape(y)} do not broadcast: axis ${-k} (from the end) has sizes ${p} and ${q}; each pair must be equal or contain a 1`);
      }
      out[rank - k] = p === 1 ? q : p;
    }
    return hostResult('broadcastArgs', [a, b], out, [rank], 'int32');
  }, 'int32');
}
