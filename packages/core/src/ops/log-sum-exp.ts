import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxes } from '../util/shape.js';
import { add, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { less } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import type { Axis } from './reduce.js';
import { max, sum } from './reduce.js';
import { reshape } from './reshape.js';
import { stopGradient } from './stop-gradient.js';
import { abs, exp, log } from './unary.js';
import { where } from './where.js';

/**
 * tf.logSumExp: log(sum(exp(x))) over `axis` (every axis when omitted), shifted by the max so
 * that no exp overflows. The shift cancels out of the value, so, as in TensorFlow, no gradient
 * flows through it (the gradient is then exactly the softmax); an infinite max is not shifted
 * by, since inf − inf would give NaN where the answer is ±inf.
 */
export function logSumExp(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withTensors('logSumExp', [x], (t) => {
    refuseBool('logSumExp', t.dtype);
    const axes = normalizeAxes('logSumExp', axis, t.rank);
    return tidy(() => {
      const values = t.dtype === 'float32' ? t : cast(t, 'float32');
      const peak = stopGradient(max(values, axes, true));
      const shift = where(less(abs(peak), Infinity), peak, 0);
      const total = add(log(sum(exp(sub(values, shift)), axes, true)), shift);
      return reshape(total, keepDims ? total.shape : t.shape.filter((_, i) => !axes.includes(i)));
    });
  });
}
