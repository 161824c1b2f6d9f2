import { dense } from '../ops/dense.js';
import type { Tensor } from '../tensor/tensor.js';
import { getActivation, isFusedActivation, type ActivationIdentifier } from './activations.js';

/**
 * activation(rows·kernel + bias) for rows [n, inputs]: the activation runs inside the dense op
 * (a backend's fused kernel) when the op knows it, otherwise after it.
 */
export function activatedDense(rows: Tensor, kernel: Tensor, bias: Tensor | null, activation: ActivationIdentifier): Tensor {
  const fused = isFusedActivation(activation) ? activation : 'linear';
  const output = dense(rows, kernel, bias, fused);
  return fused === activation ? output : getActivation(activation)(output);
}
