import { tidy } from '../engine/memory.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import type { TensorLike } from '../ops/convert.js';
import { softplusParts } from '../ops/softplus.js';
import { mean, sum } from '../ops/reduce.js';
import { softmaxCrossEntropyWithLogits } from '../ops/softmax-cross-entropy.js';
import { log, neg } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, type LossConfig } from './loss.js';
import { oneHotLabels } from './sparse-labels.js';
import { alignTargets, asTensor } from './targets.js';

/** Keras's `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 − EPSILON] before log. */
export const EPSILON = 1e-7;

/**
 * Per sample, mean over the last axis. From logits x and labels z it is softplus(x) − x·z, as
 * TensorFlow's sigmoid_cross_entropy_with_logits, summed as (max(x, 0) − x·z) + log1p(exp(−|x|))
 * so a confident right answer keeps its small loss; gradient at x = 0: sigmoid(0) − z.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  return tidy(() => {
    const [z, x] = alignTargets('binaryCrossentropy', yTrue, yPred);
    if (fromLogits) {
      const [positivePart, tail] = softplusParts(x);
      return mean(add(sub(positivePart, mul(x, z)), tail), -1);
    }
    const p = clipByValue(x, EPSILON, 1 - EPSILON);
    return mean(neg(add(mul(z, log(p)), mul(sub(1, z), log(sub(1, p))))), -1);
  });
}

/**
 * Per sample, −Σ y·log(p) over the last axis. From logits, softmaxCrossEntropyWithLogits; from
 * probabilities, Keras first rescales them to sum to 1, then clips to [ε, 1 − ε].
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  return tidy(() => {
    const [y, x] = alignTargets('categoricalCrossentropy', yTrue, yPred);
    return crossentropyWithOneHot(y, x, fromLogits);
  });
}

function crossentropyWithOneHot(y: Tensor, x: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return softmaxCrossEntropyWithLogits(y, x);
  return neg(sum(mul(y, log(clipByValue(div(x, sum(x, -1, true)), EPSILON, 1 - EPSILON))), -1));
}

/**
 * Categorical cross-entropy with integer class labels: shape yPred.shape[:-1] (or with a
 * trailing 1), int32 or integral float32. A label that is not an integer in [0, classes) is an
 * error naming it and its position.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  return tidy(() => {
    const x = asTensor(yPred);
    return crossentropyWithOneHot(oneHotLabels('sparseCategoricalCrossentropy', yTrue, x), x, fromLogits);
  });
}

type CrossentropyFn = (yTrue: TensorLike, yPred: TensorLike, fromLogits: boolean) => Tensor;

export interface CrossentropyConfig {
  /** yPred are logits (unnormalized scores) rather than probabilities. Default false. */
  fromLogits?: boolean;
  name?: string;
}

/** The three cross-entropy losses differ only in their per-sample function and name. */
abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;

  constructor(defaultName: string, private readonly fn: CrossentropyFn, config: CrossentropyConfig) {
    super(defaultName, config.name);
    this.fromLogits = config.fromLogits ?? false;
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return this.fn(yTrue, yPred, this.fromLogits);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

export class BinaryCrossentropy extends CrossentropyLoss {
  constructor(config: CrossentropyConfig = {}) {
    super('binary_crossentropy', binaryCrossentropy, config);
  }
}

export class CategoricalCrossentropy extends CrossentropyLoss {
  constructor(config: CrossentropyConfig = {}) {
    super('categorical_crossentropy', categoricalCrossentropy, config);
  }
}

export class SparseCategoricalCrossentropy extends CrossentropyLoss {
  constructor(config: CrossentropyConfig = {}) {
    super('sparse_categorical_crossentropy', sparseCategoricalCrossentropy, config);
  }
}
