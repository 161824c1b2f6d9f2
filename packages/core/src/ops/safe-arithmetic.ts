import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, sub } from './arithmetic.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkBinaryOperands, checkNumeric } from './elementwise-operands.js';
import { sqrt, square } from './unary.js';
import { where } from './where.js';

// Arithmetic composites with tfjs's names; each gradient is that of its parts, which is TensorFlow's.

/** 1 / x. */
export function reciprocal(x: TensorLike): Tensor {
  return withTensors('reciprocal', [x], (t) => {
    checkNumeric('reciprocal', t);
    return tidy(() => div(1, t));
  });
}

/** 1 / √x. */
export function rsqrt(x: TensorLike): Tensor {
  return withTensors('rsqrt', [x], (t) => {
    checkNumeric('rsqrt', t);
    return tidy(() => div(1, sqrt(t)));
  });
}

/** (a − b)², broadcasting. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return withTensors('squaredDifference', [a, b], (x, y) => {
    checkBinaryOperands('squaredDifference', x, y, true);
    return tidy(() => square(sub(x, y)));
  });
}

/**
 * a / b, and 0 wherever b is 0 (whatever a is, ∞ and NaN included), as TensorFlow's div_no_nan.
 * The divisor is swapped for 1 where it is 0 before dividing, so neither the value nor the
 * gradient ever sees a 0 / 0: both operands' gradients are 0 there, as TensorFlow's are.
 */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  return withTensors('divNoNan', [a, b], (x, y) => {
    checkBinaryOperands('divNoNan', x, y, true);
    return tidy(() => {
      const zero = equal(y, 0);
      return where(zero, 0, div(x, where(zero, 1, y)));
    });
  });
}
