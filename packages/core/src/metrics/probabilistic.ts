import type { TensorLike } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/crossentropy.js';
import { booleanArgument, numberArgument, UNIT_INTERVAL } from '../util/arguments.js';
import { classNameOf } from '../util/class-name.js';
import { checkOptions } from '../util/options.js';
import { MeanMetricWrapper } from './mean.js';
import type { MetricConfig } from './metric.js';

// Keras's probabilistic metrics: the running mean of a cross-entropy loss's per-sample values.
// The classes carry a `Metric` suffix, as the regression metrics do, since the loss classes of
// the same Keras names are exported from the same package.

export interface CrossentropyMetricConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'binary_crossentropy', 'categorical_crossentropy' or 'sparse_categorical_crossentropy'. */
  name?: string;
  /** yPred are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
}

export interface SmoothedCrossentropyMetricConfig extends CrossentropyMetricConfig {
  /** Moves the targets towards uniform by this fraction, in [0, 1], as Keras's label_smoothing. Default 0. */
  labelSmoothing?: number;
}

const CROSSENTROPY_OPTIONS: Record<keyof CrossentropyMetricConfig, true> = { name: true, fromLogits: true };
const SMOOTHED_CROSSENTROPY_OPTIONS: Record<keyof SmoothedCrossentropyMetricConfig, true> = { ...CROSSENTROPY_OPTIONS, labelSmoothing: true };

type CrossentropyFn = (yTrue: TensorLike, yPred: TensorLike, fromLogits: boolean) => Tensor;
type SmoothedCrossentropyFn = (yTrue: TensorLike, yPred: TensorLike, fromLogits: boolean, labelSmoothing: number) => Tensor;

/** The cross-entropy metrics differ only in their per-sample function, name and options. */
abstract class CrossentropyMetric extends MeanMetricWrapper {
  readonly fromLogits: boolean;

  constructor(defaultName: string, fn: CrossentropyFn, config: CrossentropyMetricConfig, known: Readonly<Record<string, true>> = CROSSENTROPY_OPTIONS) {
    const owner = classNameOf(new.target);
    const settings = checkOptions(owner, config, known);
    const fromLogits = booleanArgument(owner, 'fromLogits', settings.fromLogits, false);
    super(defaultName, (yTrue, yPred) => fn(yTrue, yPred, fromLogits), settings.name);
    this.fromLogits = fromLogits;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

/** The cross-entropies with dense targets, which Keras lets smooth. */
abstract class SmoothedCrossentropyMetric extends CrossentropyMetric {
  readonly labelSmoothing: number;

  constructor(defaultName: string, fn: SmoothedCrossentropyFn, config: SmoothedCrossentropyMetricConfig) {
    const labelSmoothing = numberArgument(classNameOf(new.target), 'labelSmoothing', config?.labelSmoothing ?? 0, UNIT_INTERVAL);
    super(defaultName, (yTrue, yPred, fromLogits) => fn(yTrue, yPred, fromLogits, labelSmoothing), config, SMOOTHED_CROSSENTROPY_OPTIONS);
    this.labelSmoothing = labelSmoothing;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), labelSmoothing: this.labelSmoothing };
  }
}

/** Running mean of the binary cross-entropy (per sample, the mean over its last axis). */
export class BinaryCrossentropyMetric extends SmoothedCrossentropyMetric {
  static override readonly className: string = 'BinaryCrossentropyMetric';
  constructor(config: SmoothedCrossentropyMetricConfig = {}) {
    super('binary_crossentropy', binaryCrossentropy, config);
  }
}

/** Running mean of the categorical cross-entropy of one-hot labels. */
export class CategoricalCrossentropyMetric extends SmoothedCrossentropyMetric {
  static override readonly className: string = 'CategoricalCrossentropyMetric';
  constructor(config: SmoothedCrossentropyMetricConfig = {}) {
    super('categorical_crossentropy', categoricalCrossentropy, config);
  }
}

/** Running mean of the categorical cross-entropy of integer labels. */
export class SparseCategoricalCrossentropyMetric extends CrossentropyMetric {
  static override readonly className: string = 'SparseCategoricalCrossentropyMetric';
  constructor(config: CrossentropyMetricConfig = {}) {
    super('sparse_categorical_crossentropy', sparseCategoricalCrossentropy, config);
  }
}
