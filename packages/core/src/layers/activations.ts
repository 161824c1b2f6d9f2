import type { FusedActivation } from '../backend/backend.js';
import { elu, leakyRelu, relu6, selu } from '../ops/activation-ops.js';
import { add, div, minimum, mul } from '../ops/arithmetic.js';
import { erf } from '../ops/erf.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { softplus } from '../ops/softplus.js';
import { abs, exp, relu, sigmoid, tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';

/** Activation names as TensorFlow.js spells them (Keras's snake_case is accepted too). */
export type ActivationIdentifier =
  | 'linear' | 'relu' | 'relu6' | 'elu' | 'selu' | 'gelu' | 'leakyRelu' | 'sigmoid' | 'hardSigmoid' | 'hardSigmoidKeras2' | 'tanh'
  | 'softmax' | 'logSoftmax' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'hardSilu' | 'mish' | 'exponential';

const swish = (x: Tensor): Tensor => mul(x, sigmoid(x));
/** Keras 3's hard sigmoid, relu6(x + 3) / 6: 0 below −3, 1 above 3 (Keras 2 and tfjs used 0.2x + 0.5). */
const hardSigmoid = (x: Tensor): Tensor => div(minimum(relu(add(x, 3)), 6), 6);

const ACTIVATIONS: Record<ActivationIdentifier, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu,
  relu6,
  elu,
  selu,
  // Keras's default, exact form: x·Φ(x), Φ the standard normal's distribution function.
  gelu: (x) => mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1)),
  // Keras 3's slope below 0 (its LeakyReLU layer's default is 0.3).
  leakyRelu: (x) => leakyRelu(x, 0.2),
  sigmoid,
  hardSigmoid,
  // Keras 2's and TensorFlow.js's hard sigmoid, which models saved by them use (tfjs's LSTM
  // gates by default): clip(0.2x + 0.5, 0, 1).
  hardSigmoidKeras2: (x) => minimum(relu(add(mul(x, 0.2), 0.5)), 1),
  tanh,
  softmax: (x) => softmax(x),
  logSoftmax: (x) => logSoftmax(x),
  // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), which neither overflows nor loses small values.
  softplus,
  softsign: (x) => div(x, add(abs(x), 1)),
  // Keras 3 calls it silu, with swish as another name; both are kept, as saved models name either.
  swish,
  silu: swish,
  hardSilu: (x) => mul(x, hardSigmoid(x)),
  mish: (x) => mul(x, tanh(softplus(x))),
  exponential: exp,
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
