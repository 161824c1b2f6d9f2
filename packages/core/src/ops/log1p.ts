import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { onesLike } from './creation.js';
import { log } from './unary.js';
import { where } from './where.js';

/**
 * log(1 + x), accurate for small x where `log(add(x, 1))` rounds 1 + x to 1 and loses x (as
 * TensorFlow's log1p). Composed from ops, so its gradient comes with them: with u = 1 + x
 * rounded, log(u) · x/(u − 1) cancels the rounding of u (Goldberg's identity; the ratio first,
 * so a huge x cannot overflow), and where u is exactly 1 the answer is x itself. The division
 * never sees 0, so no NaN reaches the gradient; +∞ is its own answer.
 */
export function log1p(x: TensorLike): Tensor {
  return withTensors('log1p', [x], (t) => {
    if (t.dtype !== 'float32') throw new Error(`log1p: expected a float32 tensor, got ${t.dtype}; cast it first`);
    return tidy(() => {
      const u = add(t, 1);
      const rounded = equal(u, 1);
      const safeDenominator = where(rounded, onesLike(u), sub(u, 1));
      const corrected = where(rounded, t, mul(log(u), div(t, safeDenominator)));
      return where(equal(t, Infinity), t, corrected);
    });
  });
}
