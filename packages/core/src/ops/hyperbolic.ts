import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { less } from './compare.js';
import type { TensorLike } from './convert.js';
import { expm1 } from './expm1.js';
import { log1p } from './log1p.js';
import { unaryComposite } from './unary-composite.js';
import { abs, exp, log, neg, sqrt, square } from './unary.js';
import { where } from './where.js';

// The hyperbolic ops and their inverses, each worked out on |x| and given x's sign back (or
// kept even), with TensorFlow's gradients: cosh, sinh, 1 / cosh(y), 1 / sinh(y), 1 / (1 − x²).

/** Beyond this |x|, e^−|x| is below float32's rounding of e^|x|: sinh and cosh are e^|x| / 2. */
const EXP_DOMINATES = 10;
/** Beyond this |x|, asinh and acosh are log(2|x|) to float32 precision (the next term is 1 / 4x²). */
const LOG_DOMINATES = 4096;

/** e^a / 2 as e^(a/2) · (e^(a/2) / 2): finite up to float32's largest sinh and cosh, where e^a itself overflows. */
function halfExp(a: Tensor): Tensor {
  const root = exp(div(a, 2));
  return mul(root, div(root, 2));
}
const withSignOf = (x: Tensor, magnitude: Tensor): Tensor => where(less(x, 0), neg(magnitude), magnitude);

/** sinh(x); with t = e^|x| − 1 it is (t + t / (t + 1)) / 2, which keeps small |x|'s digits. */
export function sinh(x: TensorLike): Tensor {
  return unaryComposite('sinh', x, (t) => {
    const a = abs(t);
    const m = expm1(a);
    return withSignOf(t, where(less(a, EXP_DOMINATES), div(add(m, div(m, add(m, 1))), 2), halfExp(a)));
  }, (dy, { inputs: [t] }) => [mul(dy, cosh(t!))]);
}

/** cosh(x) = (eˣ + e⁻ˣ) / 2; for large |x| it is e^(|x|/2) · e^(|x|/2) / 2, finite wherever cosh is. */
export function cosh(x: TensorLike): Tensor {
  return unaryComposite('cosh', x, (t) => {
    const a = abs(t);
    const e = exp(a);
    return where(less(a, EXP_DOMINATES), div(add(e, div(1, e)), 2), halfExp(a));
  }, (dy, { inputs: [t] }) => [mul(dy, sinh(t!))]);
}

/** asinh(x) = log1p(a + a² / (1 + √(1 + a²))) for a = |x|, which is a near 0; log(2a) for huge a. */
export function asinh(x: TensorLike): Tensor {
  return unaryComposite('asinh', x, (t) => {
    const a = abs(t);
    const moderate = log1p(add(a, div(square(a), add(1, sqrt(add(1, square(a)))))));
    return withSignOf(t, where(less(a, LOG_DOMINATES), moderate, add(log(a), Math.LN2)));
  }, (dy, { output }) => [div(dy, cosh(output))]);
}

/** acosh(x) = log1p(t + √(t(t + 2))) for t = x − 1, exact near 1; log(2x) for huge x. NaN below 1. */
export function acosh(x: TensorLike): Tensor {
  return unaryComposite('acosh', x, (t) => {
    const above = sub(t, 1);
    const moderate = log1p(add(above, sqrt(mul(above, add(above, 2)))));
    return where(less(t, LOG_DOMINATES), moderate, add(log(t), Math.LN2));
  }, (dy, { output }) => [div(dy, sinh(output))]);
}

/** atanh(x) = log1p(2a / (1 − a)) / 2 for a = |x|: a near 0 keeps its digits, ±1 gives ±∞, beyond is NaN. */
export function atanh(x: TensorLike): Tensor {
  return unaryComposite('atanh', x, (t) => {
    const a = abs(t);
    return withSignOf(t, div(log1p(div(mul(a, 2), sub(1, a))), 2));
  }, (dy, { inputs: [t] }) => [div(dy, sub(1, square(t!)))]);
}
