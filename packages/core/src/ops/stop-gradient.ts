import type { Tensor } from '../tensor/tensor.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/** The same values, but tapes see no path through it: gradients stop here. */
export function stopGradient(x: TensorLike): Tensor {
  return withTensors('stopGradient', [x], (t) => runOp({
    name: 'stopGradient', inputs: [t], shape: t.shape, dtype: t.dtype,
    kernel: (backend) => backend.reshape(t, t.shape), gradient: 'not-differentiable',
  }));
}
