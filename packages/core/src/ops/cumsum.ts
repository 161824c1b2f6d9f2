import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxis } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';

/**
 * tf.cumsum: the running sums of `x` along `axis` (default 0). With `exclusive` each sum leaves
 * its own entry out (the first is 0); with `reverse` the sums run from the end. Each entry adds
 * to the sums after it (before it, reversed), so the gradient is dy's running sum the other way.
 */
export function cumsum(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  return withTensors('cumsum', [x], (t) => {
    refuseBool('cumsum', t.dtype);
    const at = normalizeAxis('cumsum', axis, t.rank);
    return runOp({
      name: 'cumsum', inputs: [t], shape: t.shape, dtype: t.dtype, attrs: { axis: at, exclusive, reverse },
      kernel: (backend) => backend.cumsum(t, at, exclusive, reverse),
      gradient: (dy) => [cumsum(dy, at, exclusive, !reverse)],
    });
  });
}
