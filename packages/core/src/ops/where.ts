import type { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { zerosLike } from './creation.js';
import { runOp } from './run-op.js';
import { unbroadcast } from './unbroadcast.js';

/** Picks `a` where `condition` is true and `b` elsewhere; all three broadcast together. */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return withTensors('where', [a, b], (x, y) => withTensors('where', [condition], (c) => {
    if (c.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${c.dtype} ${formatShape(c.shape)}`);
    if (x.dtype !== y.dtype) {
      throw new Error(`where: a and b must share a dtype, got ${x.dtype} ${formatShape(x.shape)} and ${y.dtype} ${formatShape(y.shape)}`);
    }
    const shape = broadcastShapes('where', c.shape, x.shape, y.shape);
    return runOp({
      name: 'where', inputs: [c, x, y], shape, dtype: x.dtype,
      kernel: (backend) => backend.where(c, x, y, shape),
      gradient: (dy, { inputs: [cond, left, right] }, [, needA, needB]) => {
        const zero = zerosLike(dy);
        return [
          null,
          needA ? unbroadcast(where(cond!, dy, zero), left!.shape) : null,
          needB ? unbroadcast(where(cond!, zero, dy), right!.shape) : null,
        ];
      },
    });
  }, 'bool'));
}
