import { tidy } from '../engine/memory.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import type { TensorLike } from '../ops/convert.js';
import { softplusParts } from '../ops/softplus.js';
import { mean, sum } from '../ops/reduce.js';
import { softmaxCrossEntropyWithLogits } from '../ops/softmax-cross-entropy.js';
import { log, neg } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, UNIT_INTERVAL } from '../util/arguments.js';
import { Loss, lossOptions, type LossConfig } from './loss.js';
import { oneHotLabels } from './sparse-labels.js';
import { alignTargets, asTensor, EPSILON } from './targets.js';

/**
 * Per sample, mean over the last axis. From logits x and labels z it is softplus(x) − x·z, as
 * TensorFlow's sigmoid_cross_entropy_with_logits, summed as (max(x, 0) − x·z) + log1p(exp(−|x|))
 * so a confident right answer keeps its small loss; gradient at x = 0: sigmoid(0) − z.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  return tidy(() => {
    const [labels, x] = alignTargets('binaryCrossentropy', yTrue, yPred);
    // Each label moves towards ½ by labelSmoothing: 1 → 1 − s/2, 0 → s/2.
    const z = labelSmoothing > 0 ? add(mul(labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : labels;
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
 * probabilities, Keras first rescales them to sum to 1, then clips to [ε, 1 − ε]. labelSmoothing
 * s moves each one-hot row towards uniform: y·(1 − s) + s / classes.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  return tidy(() => {
    const [labels, x] = alignTargets('categoricalCrossentropy', yTrue, yPred);
    const classes = x.shape[x.rank - 1] ?? 1;
    const y = labelSmoothing > 0 ? add(mul(labels, 1 - labelSmoothing), labelSmoothing / classes) : labels;
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

export interface CrossentropyConfig {
  /** yPred are logits (unnormalized scores) rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** The loss's name in its errors and saved config. Default: its Keras name ('binary_crossentropy', 'categorical_crossentropy' or 'sparse_categorical_crossentropy'). */
  name?: string;
}

export interface SmoothedCrossentropyConfig extends CrossentropyConfig {
  /** Moves the targets towards uniform by this fraction, in [0, 1], as Keras's label_smoothing. Default 0. */
  labelSmoothing?: number;
}

abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;

  /** `own` lists a subclass's options beside fromLogits and name. */
  constructor(defaultName: string, config: CrossentropyConfig, own: Readonly<Record<string, true>> = {}) {
    super(defaultName, lossOptions(defaultName, config, { fromLogits: true, ...own }).name);
    this.fromLogits = config.fromLogits ?? false;
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

/** The cross-entropies with dense targets, which Keras lets smooth. */
abstract class SmoothedCrossentropyLoss extends CrossentropyLoss {
  readonly labelSmoothing: number;

  constructor(defaultName: string, config: SmoothedCrossentropyConfig) {
    super(defaultName, config, { labelSmoothing: true });
    this.labelSmoothing = numberArgument(this.className, 'labelSmoothing', config.labelSmoothing ?? 0, UNIT_INTERVAL);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), labelSmoothing: this.labelSmoothing };
  }
}

/** Keras's BinaryCrossentropy: −(y·log p + (1 − y)·log(1 − p)) averaged over the last axis; `fromLogits` takes scores, `labelSmoothing` pulls the labels towards ½. */
export class BinaryCrossentropy extends SmoothedCrossentropyLoss {
  static readonly className: string = 'BinaryCrossentropy';
  constructor(config: SmoothedCrossentropyConfig = {}) {
    super('binary_crossentropy', config);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return binaryCrossentropy(yTrue, yPred, this.fromLogits, this.labelSmoothing);
  }
}

/** Keras's CategoricalCrossentropy: −Σ y·log p over the classes, y one-hot (or smoothed by `labelSmoothing`); `fromLogits` takes scores. */
export class CategoricalCrossentropy extends SmoothedCrossentropyLoss {
  static readonly className: string = 'CategoricalCrossentropy';
  constructor(config: SmoothedCrossentropyConfig = {}) {
    super('categorical_crossentropy', config);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return categoricalCrossentropy(yTrue, yPred, this.fromLogits, this.labelSmoothing);
  }
}

/** Keras's SparseCategoricalCrossentropy: −log p[label], the labels class indices; `fromLogits` takes scores. The lab's loss. */
export class SparseCategoricalCrossentropy extends CrossentropyLoss {
  static readonly className: string = 'SparseCategoricalCrossentropy';
  constructor(config: CrossentropyConfig = {}) {
    super('sparse_categorical_crossentropy', config);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, this.fromLogits);
  }
}
