import { tidy } from '../engine/memory.js';
import { cast } from '../ops/cast.js';
import { greater, less, notEqual } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { oneHot } from '../ops/one-hot.js';
import { argMax, sum } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { oneHotLabels } from '../losses/sparse-labels.js';
import { alignTargets, asTensor } from '../losses/targets.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { classNameOf } from '../util/class-name.js';
import { checkOptions } from '../util/options.js';
import { MeanMetricWrapper } from './mean.js';
import type { MetricConfig } from './metric.js';

/**
 * Per sample, 1 where the true class (one-hot) scores among the k largest of yPred's last axis,
 * as TensorFlow's in_top_k: a class is in the top k when fewer than k classes score strictly
 * higher, so classes tied at the boundary are all in (with k = 1 and every score equal, every
 * class is a hit). A NaN score at the true class is a miss.
 */
function inTopK(trueClass: Tensor, predictions: Tensor, k: number): Tensor {
  // A sum, not a max, picks the true score: a NaN there must stay NaN on every backend.
  const trueScore = sum(where(cast(trueClass, 'bool'), predictions, 0), -1);
  const higher = sum(cast(greater(predictions, expandDims(trueScore, -1)), 'float32'), -1);
  const trueScoreIsNaN = notEqual(trueScore, trueScore);
  return cast(where(trueScoreIsNaN, false, less(higher, k)), 'float32');
}

/** Per sample, 1 where the class of the largest label (argmax of yTrue, one-hot) is among yPred's k largest scores. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return tidy(() => {
    numberArgument('topKCategoricalAccuracy', 'k', k, POSITIVE_INTEGER);
    const [labels, predictions] = alignTargets('topKCategoricalAccuracy', yTrue, yPred);
    return inTopK(oneHot(argMax(labels, -1), predictions.shape[predictions.rank - 1]!), predictions, k);
  });
}

/** Per sample, 1 where the integer label (shape yPred.shape[:-1], or with a trailing 1) is among yPred's k largest scores. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return tidy(() => {
    numberArgument('sparseTopKCategoricalAccuracy', 'k', k, POSITIVE_INTEGER);
    const predictions = asTensor(yPred);
    return inTopK(oneHotLabels('sparseTopKCategoricalAccuracy', yTrue, predictions), predictions, k);
  });
}

export interface TopKConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'top_k_categorical_accuracy' or 'sparse_top_k_categorical_accuracy'. */
  name?: string;
  /** How many of the largest scores count as a hit; a positive integer, default 5. */
  k?: number;
}

const TOP_K_OPTIONS: Record<keyof TopKConfig, true> = { name: true, k: true };

/** The two top-k accuracies differ only in how the labels are given. */
abstract class TopKAccuracy extends MeanMetricWrapper {
  readonly k: number;

  constructor(defaultName: string, fn: (yTrue: TensorLike, yPred: TensorLike, k: number) => Tensor, config: TopKConfig) {
    const owner = classNameOf(new.target);
    const settings = checkOptions(owner, config, TOP_K_OPTIONS);
    const k = numberArgument(owner, 'k', settings.k ?? 5, POSITIVE_INTEGER);
    super(defaultName, (yTrue, yPred) => fn(yTrue, yPred, k), settings.name);
    this.k = k;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), k: this.k };
  }
}

/** Running share of samples whose one-hot label is among the k top-scored classes. */
export class TopKCategoricalAccuracy extends TopKAccuracy {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  constructor(config: TopKConfig = {}) {
    super('top_k_categorical_accuracy', topKCategoricalAccuracy, config);
  }
}

/** Running share of samples whose integer label is among the k top-scored classes. */
export class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  constructor(config: TopKConfig = {}) {
    super('sparse_top_k_categorical_accuracy', sparseTopKCategoricalAccuracy, config);
  }
}
