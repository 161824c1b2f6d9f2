import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { equal } from './compare.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { log } from './unary.js';
import { where } from './where.js';

/**
 * log(1 + x), accurate for small x where `log(add(x, 1))` rounds 1 + x to 1 and loses x (as
 * TensorFlow's log1p). One op with the closed-form gradient 1 / (1 + x), so tapes and tracers
 * (ONNX export) see it as itself. Its value is composed from ops: with u = 1 + x rounded,
 * log(u) · x/(u − 1) cancels the rounding of u (Goldberg's identity; the ratio first, so a huge
 * x cannot overflow), and where u is exactly 1 the answer is x itself; +∞ is its own answer.
 */
export function log1p(x: TensorLike): Tensor {
  return withTensors('log1p', [x], (t) => {
    if (t.dtype !== 'float32') throw new Error(`log1p: expected a float32 tensor, got ${t.dtype}; cast it first`);
    return runOp({
      name: 'log1p', inputs: [t], shape: t.shape, dtype: 'float32',
      kernel: (backend) => compositeKernel(backend, () => {
        const u = add(t, 1);
        const rounded = equal(u, 1);
        const corrected = where(rounded, t, mul(log(u), div(t, where(rounded, 1, sub(u, 1)))));
        return where(equal(t, Infinity), t, corrected);
      }),
      gradient: (dy, { inputs: [input] }) => [div(dy, add(input!, 1))],
    });
  });
}
