import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { broadcastTo } from './broadcast-to.js';
import { withTensors, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';

/**
 * tf.tile: `x` repeated `reps[i]` times along each dimension i ([a, b] tiled [2] is [a, b, a, b]).
 * Each repeated dimension d is spread to [reps, d] and broadcast there, so one reshape joins the
 * copies in order; the gradient sums the copies back through the broadcast.
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  return withTensors('tile', [x], (t) => {
    if (!Array.isArray(reps) || reps.length !== t.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new Error(`tile: expected reps of ${t.rank} non-negative integers, one per dimension of ${formatShape(t.shape)}, got ${JSON.stringify(reps)}`);
    }
    return tidy(() => {
      const spread = t.shape.flatMap((d, i) => (reps[i] === 1 ? [d] : [1, d]));
      const copies = t.shape.flatMap((d, i) => (reps[i] === 1 ? [d] : [reps[i]!, d]));
      return reshape(broadcastTo(reshape(t, spread), copies), t.shape.map((d, i) => d * reps[i]!));
    });
  });
}
