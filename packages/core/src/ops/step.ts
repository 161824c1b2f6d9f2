import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { greater, notEqual } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkNumeric } from './elementwise-operands.js';
import { where } from './where.js';

/**
 * 1 where x > 0, else `alpha` (0 at x = 0 too); NaN stays NaN, as tfjs's step. The result keeps
 * x's dtype. Its gradient is 0 everywhere, as in tfjs: the values picked are constants.
 */
export function step(x: TensorLike, alpha = 0): Tensor {
  return withTensors('step', [x], (t) => {
    checkNumeric('step', t, true);
    return tidy(() => {
      const stepped = cast(where(greater(t, 0), 1, alpha), t.dtype);
      return t.dtype === 'float32' ? where(notEqual(t, t), t, stepped) : stepped;
    });
  });
}
