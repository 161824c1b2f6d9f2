import type { Tensor } from '../tensor/tensor.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkNumeric } from './elementwise-operands.js';
import { runOp, type GradientFn } from './run-op.js';

/**
 * A float32 elementwise op whose value is composed from other ops but which tapes and tracers
 * see as one op with its own closed-form gradient (TensorFlow's formula). The forward is not
 * recorded, so it may compute every branch of a `where` and keep the good one: the NaN or ∞ of
 * a branch dropped (an overflowing e^x, a 0 / 0 at a boundary) never reaches a gradient.
 */
export function unaryComposite(name: string, x: TensorLike, compute: (t: Tensor) => Tensor, gradient: GradientFn): Tensor {
  return withTensors(name, [x], (t) => {
    checkNumeric(name, t);
    return runOp({
      name, inputs: [t], shape: t.shape, dtype: 'float32',
      kernel: (backend) => compositeKernel(backend, () => compute(t)),
      gradient,
    });
  });
}
