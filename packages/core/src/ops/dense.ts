import type { FusedActivation } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { add } from './arithmetic.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { activate, activationGradient, checkFusedActivation } from './fused-activation.js';
import { matMul } from './matmul.js';
import { runOp } from './run-op.js';
import { sum } from './reduce.js';

function inputs(x: Tensor, kernel: Tensor, bias: Tensor | undefined): Tensor[] {
  return bias ? [x, kernel, bias] : [x, kernel];
}

/**
 * activation(x·kernel + bias) for a batch of rows: a dense layer's forward pass as one op. Runs
 * the backend's fused kernel when it has one, otherwise composes matMul, add and the activation.
 */
export function dense(x: TensorLike, kernel: TensorLike, bias: TensorLike | null = null, activation: FusedActivation = 'linear'): Tensor {
  const args = bias === null ? [x, kernel] : [x, kernel, bias];
  return withTensors('dense', args, (input, weights, b) => {
    checkFusedActivation('dense', activation);
    if (inputs(input, weights, b).some((t) => t.dtype !== 'float32')) {
      throw new Error(`dense: x, kernel and bias must be float32, got ${inputs(input, weights, b).map((t) => t.dtype).join(', ')}`);
    }
    if (input.rank !== 2 || weights.rank !== 2 || input.shape[1] !== weights.shape[0] || (b && (b.rank !== 1 || b.shape[0] !== weights.shape[1]))) {
      throw new Error(`dense: expected x [batch, n], kernel [n, units] and bias [units], got x ${formatShape(input.shape)}, kernel ${formatShape(weights.shape)}${b ? `, bias ${formatShape(b.shape)}` : ''}`);
    }
    return runOp({
      name: 'dense', inputs: inputs(input, weights, b), shape: [input.shape[0]!, weights.shape[1]!], dtype: 'float32', attrs: { activation },
      kernel: (backend) => backend.fusedMatMul?.(input, weights, b ?? null, activation, false, false)
        ?? compositeKernel(backend, () => activate(b ? add(matMul(input, weights), b) : matMul(input, weights), activation)),
      gradient: (dy, { inputs: [xs, w], output }, [needX, needKernel, needBias]) => {
        const dz = activationGradient(dy, output, activation);
        const grads = [needX ? matMul(dz, w!, false, true) : null, needKernel ? matMul(xs!, dz, true, false) : null];
        return b ? [...grads, needBias ? sum(dz, 0) : null] : grads;
      },
    });
  });
}
