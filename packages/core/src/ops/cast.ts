import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../types.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/**
 * Converts to `dtype`: float→int truncates towards zero, anything→bool is `x != 0`. Only a
 * float→float cast passes a gradient; integer results carry none.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  return withTensors('cast', [x], (t) => {
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
      throw new Error(`cast: unknown dtype '${String(dtype)}'; expected float32, int32 or bool`);
    }
    return runOp({
      name: 'cast', inputs: [t], shape: t.shape, dtype, attrs: { dtype },
      kernel: (backend) => (t.dtype === dtype ? backend.reshape(t, t.shape) : backend.cast(t, dtype)),
      gradient: t.dtype === 'float32' && dtype === 'float32' ? (dy) => [dy] : 'not-differentiable',
    });
  });
}
