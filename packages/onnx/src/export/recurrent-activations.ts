import type { ActivationIdentifier } from '@perceptron/core';

// The activations of Keras's recurrent layers that ONNX's LSTM, GRU and RNN can apply themselves
// (their `activations` list, with activation_alpha / activation_beta). A layer using any other
// (selu, gelu, swish, relu6, ...) keeps its unrolled parts, which export.

/** An ONNX recurrent activation: its name, and its alpha and beta where it takes them. */
export interface OnnxActivation {
  readonly name: string;
  readonly alpha?: number;
  readonly beta?: number;
}

const ONNX_ACTIVATIONS: Partial<Record<ActivationIdentifier, OnnxActivation>> = {
  sigmoid: { name: 'Sigmoid' },
  tanh: { name: 'Tanh' },
  relu: { name: 'Relu' },
  // Affine(x) = alpha·x + beta.
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  // Keras 3's relu6(x + 3) / 6 is clip(x/6 + 0.5, 0, 1); Keras 2's clip(0.2x + 0.5, 0, 1).
  hardSigmoid: { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 },
  hardSigmoidKeras2: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
  // core's leakyRelu activation's slope, Keras 3's.
  leakyRelu: { name: 'LeakyRelu', alpha: 0.2 },
};

/** The ONNX activation computing core's activation `identifier`, or null where ONNX has none. */
export function onnxActivation(identifier: string): OnnxActivation | null {
  return ONNX_ACTIVATIONS[identifier as ActivationIdentifier] ?? null;
}
