import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxes } from '../util/shape.js';
import { sub } from './arithmetic.js';
import { cast } from './cast.js';
import { withTensors, type TensorLike } from './convert.js';
import type { Axis } from './reduce.js';
import { mean } from './reduce.js';
import { reshape } from './reshape.js';
import { square } from './unary.js';

/**
 * tf.moments: the mean and (population) variance over `axes` (every axis when omitted), in
 * float32 whatever the input's dtype, as tfjs gives them. The variance is the mean squared
 * deviation from the mean, not E[x²] − E[x]², which cancels catastrophically for large means.
 */
export function moments(x: TensorLike, axes?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  return withTensors('moments', [x], (t) => {
    refuseBool('moments', t.dtype);
    const reduced = normalizeAxes('moments', axes, t.rank);
    return tidy(() => {
      const values = t.dtype === 'float32' ? t : cast(t, 'float32');
      const centre = mean(values, reduced, true);
      const variance = mean(square(sub(values, centre)), reduced, keepDims);
      return { mean: keepDims ? centre : reshape(centre, variance.shape), variance };
    });
  });
}
