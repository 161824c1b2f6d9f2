import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { normalizeAxes } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { range } from './creation.js';
import { gather } from './gather.js';

/**
 * tf.reverse: `x` with the order of its entries along each axis of `axis` (default: every axis)
 * reversed, as a gather of the indices from last to first, whose gradient reverses back.
 */
export function reverse(x: TensorLike, axis?: number | readonly number[]): Tensor {
  return withTensors('reverse', [x], (t) => {
    const axes = normalizeAxes('reverse', axis, t.rank);
    return tidy(() => axes.reduce((y, a) => gather(y, range(t.shape[a]! - 1, -1, -1, 'int32'), a), t));
  });
}
