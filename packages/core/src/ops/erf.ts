import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, mul, sub } from './arithmetic.js';
import { clipByValue } from './clip.js';
import { less } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { abs, exp, neg, sign, square } from './unary.js';
import { where } from './where.js';

/** Below this |x| the series is used, above it Abramowitz & Stegun's formula. */
const SERIES_BELOW = 0.5;
/** 2/√π · (−1)ⁿ / (n!·(2n + 1)), n = 0…7: the Maclaurin series of erf, x·Σ cₙ·x²ⁿ, within 1e-11 of erf for |x| ≤ 0.5. */
const SERIES = Array.from({ length: 8 }, (_, n) => {
  let factorial = 1;
  for (let k = 2; k <= n; k++) factorial *= k;
  return (2 / Math.sqrt(Math.PI)) * (n % 2 === 0 ? 1 : -1) / (factorial * (2 * n + 1));
});
// Abramowitz & Stegun 7.1.26, within 1.5e-7 of erf; tfjs's erf kernel uses it too.
const P = 0.3275911;
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/** Σ coefficients[i]·zⁱ by Horner's rule, as ops. */
function polynomial(z: Tensor, coefficients: readonly number[]): Tensor {
  return coefficients.reduceRight<Tensor | number>((inner, c) => add(mul(inner, z), c), 0) as Tensor;
}

/**
 * The error function, 2/√π ∫₀ˣ e^(−t²) dt, made of ops, so its gradient is the formulas': near 0
 * the odd Maclaurin series, whose slope at 0 is erf's 2/√π (Abramowitz & Stegun's formula is
 * written in |x|, whose gradient at 0 is 0); beyond, sign(x)·(1 − t·poly(t)·e^(−x²)) with
 * t = 1 / (1 + P·|x|), within 1.5e-7 of erf and its slope within 2e-6 of erf's. Each formula is
 * fed only the values it serves (clipped), so the other's gradient cannot turn into NaN.
 */
export function erf(x: TensorLike): Tensor {
  return withTensors('erf', [x], (t) => tidy(() => {
    const near = clipByValue(t, -SERIES_BELOW, SERIES_BELOW);
    const series = mul(near, polynomial(square(near), SERIES));
    const far = maximum(abs(t), SERIES_BELOW);
    const tail = mul(polynomial(div(1, add(mul(far, P), 1)), [0, ...A]), exp(neg(square(far))));
    return where(less(abs(t), SERIES_BELOW), series, mul(sign(t), sub(1, tail)));
  }));
}
