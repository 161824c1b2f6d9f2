import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { div, mul, sub } from './arithmetic.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { runOp } from './run-op.js';
import { max, sum } from './reduce.js';
import { exp, log } from './unary.js';

function checkLogits(op: string, t: Tensor, dim: number): void {
  if (t.dtype !== 'float32' || t.rank < 1) throw new Error(`${op}: expected float32 logits of rank >= 1, got ${t.dtype} ${formatShape(t.shape)}`);
  if (dim !== -1 && dim !== t.rank - 1) throw new Error(`${op}: only the last dimension is supported, got dim ${dim} for shape ${formatShape(t.shape)}`);
}

/** x - max(x): the same softmax, without overflow for large logits. */
function shifted(t: Tensor): Tensor {
  return sub(t, max(t, -1, true));
}

/**
 * exp(x) / sum(exp(x)) over the last dimension, computed stably. Uses the backend's fused
 * kernel when it has one; the gradient is the same either way: y·(dy − Σ dy·y).
 */
export function softmax(logits: TensorLike, dim = -1): Tensor {
  return withTensors('softmax', [logits], (t) => {
    checkLogits('softmax', t, dim);
    return runOp({
      name: 'softmax', inputs: [t], shape: t.shape, dtype: 'float32', attrs: { axis: -1 },
      kernel: (backend) => backend.softmax?.(t) ?? compositeKernel(backend, () => {
        const e = exp(shifted(t));
        return div(e, sum(e, -1, true));
      }),
      gradient: (dy, { output }) => [mul(output, sub(dy, sum(mul(dy, output), -1, true)))],
    });
  });
}

/** log(softmax(x)) over the last dimension, as x − max − log Σ exp(x − max). */
export function logSoftmax(logits: TensorLike, dim = -1): Tensor {
  return withTensors('logSoftmax', [logits], (t) => {
    checkLogits('logSoftmax', t, dim);
    return runOp({
      name: 'logSoftmax', inputs: [t], shape: t.shape, dtype: 'float32', attrs: { axis: -1 },
      kernel: (backend) => backend.logSoftmax?.(t) ?? compositeKernel(backend, () => {
        const s = shifted(t);
        return sub(s, log(sum(exp(s), -1, true)));
      }),
      gradient: (dy, { output }) => [sub(dy, mul(exp(output), sum(dy, -1, true)))],
    });
  });
}
