import type { Tensor } from '../tensor/tensor.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import { mul, sub } from './arithmetic.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { expandDims } from './reshape.js';
import { runOp } from './run-op.js';
import { sum } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';
import { neg } from './unary.js';

/**
 * −Σ labels·log softmax(logits) over the last axis: one loss per row, shape
 * `logits.shape[:-1]` (TensorFlow's softmax_cross_entropy_with_logits). Uses the backend's fused
 * kernel when it has one. The gradient is the closed form softmax(logits)·Σlabels − labels for
 * the logits (softmax − labels when each row of labels sums to 1) and −log softmax(logits) for
 * the labels, so any labels, not only distributions, get their exact derivative.
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  return withTensors('softmaxCrossEntropyWithLogits', [labels, logits], (y, x) => {
    if (x.dtype !== 'float32' || y.dtype !== 'float32' || x.rank < 1 || !shapesEqual(x.shape, y.shape)) {
      throw new Error(
        `softmaxCrossEntropyWithLogits: expected float32 labels and logits of one shape, rank >= 1; got labels ${y.dtype} ${formatShape(y.shape)} and logits ${x.dtype} ${formatShape(x.shape)}`,
      );
    }
    return runOp({
      name: 'softmaxCrossEntropyWithLogits', inputs: [y, x], shape: x.shape.slice(0, -1), dtype: 'float32', attrs: { axis: -1 },
      kernel: (backend) => backend.softmaxCrossEntropy?.(y, x) ?? compositeKernel(backend, () => neg(sum(mul(y, logSoftmax(x)), -1))),
      gradient: (dy, { inputs: [labelsIn, logitsIn] }, [labelsNeeded, logitsNeeded]) => {
        const perRow = expandDims(dy, -1);
        return [
          labelsNeeded ? neg(mul(perRow, logSoftmax(logitsIn!))) : null,
          logitsNeeded ? mul(perRow, sub(mul(softmax(logitsIn!), sum(labelsIn!, -1, true)), labelsIn!)) : null,
        ];
      },
    });
  });
}
