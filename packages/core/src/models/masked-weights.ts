// Keras leaves the padding of a masked output out of the loss and the metrics: the output's mask
// (attached by the forward pass of trainStep and testStep, see mask.ts) weighs each step.
import { div, maximum, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { asWeights, maskOf } from '../layers/mask.js';
import type { Tensor } from '../tensor/tensor.js';

/** Keras's epsilon: keeps a batch of padding alone from dividing by zero. */
const EPSILON = 1e-7;

/**
 * The mask of a prediction [batch, steps, ...features] as float32 weights [batch, steps], when it
 * has one of that shape (a mask of another shape weighs nothing here).
 */
function stepWeights(prediction: Tensor): Tensor | null {
  const mask = maskOf(prediction);
  if (!mask || mask.rank !== prediction.rank - 1 || mask.shape.some((d, i) => d !== prediction.shape[i])) return null;
  return asWeights(mask);
}

/** `sampleWeight` ([batch], or as many axes as the steps) times the step weights. */
function times(sampleWeight: Tensor | undefined, steps: Tensor): Tensor {
  if (!sampleWeight) return steps;
  const aligned = sampleWeight.rank < steps.rank ? reshape(sampleWeight, [...sampleWeight.shape, ...steps.shape.slice(sampleWeight.rank).map(() => 1)]) : sampleWeight;
  return mul(aligned, steps);
}

/**
 * The loss's sample weights with the prediction's mask, as Keras's apply_mask: data steps weigh
 * total/valid, so the loss, a mean over every step, is the mean over the data steps alone.
 */
export function lossWeights(sampleWeight: Tensor | undefined, prediction: Tensor): Tensor | undefined {
  const steps = stepWeights(prediction);
  if (!steps) return sampleWeight;
  return times(sampleWeight, mul(steps, div(steps.size, maximum(sum(steps), EPSILON))));
}

/** A metric's sample weights with the prediction's mask: padding steps weigh 0 (metrics divide by the weights' sum). */
export function metricWeights(sampleWeight: Tensor | undefined, prediction: Tensor): Tensor | undefined {
  const steps = stepWeights(prediction);
  return steps ? times(sampleWeight, steps) : sampleWeight;
}
