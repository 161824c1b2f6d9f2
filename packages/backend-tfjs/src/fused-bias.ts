import * as tf from '@tensorflow/tfjs-core';
import type { FusedActivation, KernelTensor } from '@perceptron/core';

// The fused kernels' bias and activation on tfjs: the bias added by tfjs's fused product or
// convolution kernel where it can be, the activation always after it.

type T = KernelTensor<tf.Tensor>;

const ACTIVATIONS: Record<FusedActivation, (z: tf.Tensor) => tf.Tensor> = {
  linear: (z) => z,
  relu: tf.relu,
  sigmoid: tf.sigmoid,
  tanh: tf.tanh,
};

/** activation(z + bias) by tfjs's plain ops. */
export function addBiasAndActivate(z: tf.Tensor, bias: T | null, activation: FusedActivation): tf.Tensor {
  return ACTIVATIONS[activation](bias ? tf.add(z, bias.handle) : z);
}

/**
 * activation(z + bias), where `sum(fusedBias)` computes z with tfjs's fused kernel adding the
 * bias when tfjs can (see hasRank1Storage). Only the bias is fused: tfjs 4.22 has no fused tanh,
 * and tfjs-wasm's fused relu turns NaN into 0 (its plain relu keeps NaN), which would hide a
 * diverging loss from TerminateOnNaN on that backend alone.
 */
export function biasThenActivation(bias: T | null, activation: FusedActivation, sum: (fusedBias: tf.Tensor | undefined) => tf.Tensor): tf.Tensor {
  const fused = bias && hasRank1Storage(bias.handle) ? bias.handle : undefined;
  const z = sum(fused);
  return fused ? ACTIVATIONS[activation](z) : addBiasAndActivate(z, bias, activation);
}

/**
 * Whether the data behind `x` was stored with rank 1. tfjs-wasm's fused kernels refuse a bias
 * whose data was created with another rank, and a reshape shares its input's data: a bias that
 * is a row of a matrix reshaped to a vector is added after the product instead. Backends that do
 * not record a shape per data (tfjs-cpu) fuse every bias.
 */
function hasRank1Storage(x: tf.Tensor): boolean {
  const storage = (tf.backend() as unknown as { dataIdMap?: { get(id: object): { shape?: readonly number[] } | undefined } }).dataIdMap;
  const shape = storage?.get(x.dataId)?.shape;
  return shape === undefined || shape.length === 1;
}
