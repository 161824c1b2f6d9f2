import type { FusedActivation } from '../backend/backend.js';
import { add, div, minimum, mul, sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { softplus } from '../ops/softplus.js';
import { abs, exp, relu, sigmoid, tanh } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';

/** Activation names as TensorFlow.js spells them (Keras's snake_case is accepted too). */
export type ActivationIdentifier =
  | 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'tanh' | 'softmax' | 'logSoftmax' | 'softplus' | 'softsign' | 'swish';

const ACTIVATIONS: Record<ActivationIdentifier, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu,
  relu6: (x) => minimum(relu(x), 6),
  elu: (x) => where(greater(x, 0), x, sub(exp(minimum(x, 0)), 1)),
  sigmoid,
  tanh,
  softmax: (x) => softmax(x),
  logSoftmax: (x) => logSoftmax(x),
  // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), which neither overflows nor loses small values.
  softplus,
  softsign: (x) => div(x, add(abs(x), 1)),
  swish: (x) => mul(x, sigmoid(x)),
};

/** The activations the fused dense op (and a backend's fused kernel) applies itself. */
const FUSED = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh']);

/** Resolves 'relu', 'log_softmax', 'logSoftmax', ... to the canonical name, or throws listing them. */
export function resolveActivation(identifier: string): ActivationIdentifier {
  const key = identifier.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (key in ACTIVATIONS) return key as ActivationIdentifier;
  throw new Error(`Unknown activation '${identifier}'; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
}

/** The activation function named `identifier`. */
export function getActivation(identifier: string): (x: Tensor) => Tensor {
  return ACTIVATIONS[resolveActivation(identifier)];
}

export function isFusedActivation(name: ActivationIdentifier): name is ActivationIdentifier & FusedActivation {
  return FUSED.has(name);
}
