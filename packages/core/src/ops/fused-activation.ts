import type { FusedActivation } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { greater } from './compare.js';
import { relu, sigmoid, square, tanh } from './unary.js';

// The activations a fused op (dense, the fused convolutions) applies to its sum, composed of
// ops for a backend without the fused kernel, and their derivatives for the op's gradient.

const ACTIVATIONS: Record<FusedActivation, (z: Tensor) => Tensor> = {
  linear: (z) => z,
  relu,
  sigmoid,
  tanh,
};

/** d activation / dz, written from the activation's output y. */
const DERIVATIVES: Record<FusedActivation, ((y: Tensor) => Tensor) | null> = {
  linear: null,
  relu: (y) => cast(greater(y, 0), 'float32'),
  sigmoid: (y) => mul(y, sub(1, y)),
  tanh: (y) => sub(1, square(y)),
};

/** Throws unless `activation` is one a fused op applies. */
export function checkFusedActivation(op: string, activation: string): asserts activation is FusedActivation {
  if (!(activation in ACTIVATIONS)) throw new Error(`${op}: unknown activation '${activation}'; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
}

export function activate(z: Tensor, activation: FusedActivation): Tensor {
  return ACTIVATIONS[activation](z);
}

/** The gradient of the activation's input, given `dy` for its output `y`. */
export function activationGradient(dy: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  const derivative = DERIVATIVES[activation];
  return derivative ? mul(dy, derivative(y)) : dy;
}
