import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { abs, exp, neg, sign, square } from './unary.js';

// Abramowitz & Stegun 7.1.26, which tfjs's erf kernel uses too.
const P = 0.3275911;
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/**
 * The error function, 2/√π ∫₀ˣ e^(−t²) dt, as sign(x)·(1 − poly(t)·e^(−x²)) with
 * t = 1 / (1 + P·|x|): within 1.5e-7 of erf everywhere, about float32's own rounding at 1. Made
 * of ops, so its gradient is the formula's, within 1e-6 of 2/√π·e^(−x²).
 */
export function erf(x: TensorLike): Tensor {
  return withTensors('erf', [x], (t) => tidy(() => {
    const s = div(1, add(mul(abs(t), P), 1));
    // Horner: t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))
    const poly = A.reduceRight<Tensor | number>((inner, a) => mul(s, add(inner, a)), 0) as Tensor;
    return mul(sign(t), sub(1, mul(poly, exp(neg(square(t))))));
  }));
}
