import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { less } from './compare.js';
import type { TensorLike } from './convert.js';
import { unaryComposite } from './unary-composite.js';
import { abs, exp } from './unary.js';
import { where } from './where.js';

/** Below this |x|, e^x − 1 loses more than a few digits to cancellation; the series takes over. */
const SERIES_BELOW = 0.35;
/** 1/k! for k = 1…8: x·Σ x^(k−1)/k! is within 2e-8 relative of e^x − 1 for |x| ≤ 0.35. */
const SERIES = Array.from({ length: 8 }, (_, i) => {
  let factorial = 1;
  for (let k = 2; k <= i + 1; k++) factorial *= k;
  return 1 / factorial;
});

/**
 * e^x − 1, accurate for small x where `sub(exp(x), 1)` cancels to a few digits or to 0 (as
 * TensorFlow's expm1), with the gradient e^x. Near 0 it is the Maclaurin series, made of
 * multiplications and additions only, so it does not lean on the backend's exp or log being
 * correctly rounded near 1 (GPU ones are not); beyond, e^x − 1 cancels at most a bit or two.
 */
export function expm1(x: TensorLike): Tensor {
  return unaryComposite('expm1', x, (t) => {
    const series = mul(t, SERIES.reduceRight<Tensor | number>((inner, c) => add(mul(inner, t), c), 0));
    return where(less(abs(t), SERIES_BELOW), series, sub(exp(t), 1));
  }, (dy, { inputs: [t] }) => [mul(dy, exp(t!))]);
}
