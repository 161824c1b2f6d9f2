import { tidy } from '../engine/memory.js';
import { neg } from '../ops/unary.js';
import { cosineSimilarity } from '../losses/cosine-similarity.js';
import { categoricalHinge, hinge, squaredHinge } from '../losses/hinge.js';
import { klDivergence, poisson } from '../losses/probabilistic.js';
import { meanAbsolutePercentageError, meanSquaredLogarithmicError } from '../losses/regression.js';
import { logCosh } from '../losses/robust.js';
import { INTEGER, numberArgument } from '../util/arguments.js';
import { classNameOf } from '../util/class-name.js';
import { checkOptions } from '../util/options.js';
import { MeanMetricWrapper, type MetricFn } from './mean.js';
import type { MetricConfig } from './metric.js';

// Keras's metrics that are running means of a loss function's per-sample values (regression,
// probabilistic and hinge metrics). A class whose Keras name is also a loss class's carries a
// `Metric` suffix, as MeanSquaredErrorMetric does; its `name` is still the Keras one.

const NAME_OPTION: Record<'name', true> = { name: true };

/** The running mean of `fn`; only a name can be set. */
abstract class LossMetric extends MeanMetricWrapper {
  constructor(defaultName: string, fn: MetricFn, config: { name?: string }) {
    super(defaultName, fn, checkOptions(classNameOf(new.target), config, NAME_OPTION).name);
  }
}

/** Running mean of 100 · mean |(y − p) / max(|y|, ε)| per sample. */
export class MeanAbsolutePercentageErrorMetric extends LossMetric {
  static override readonly className: string = 'MeanAbsolutePercentageErrorMetric';
  constructor(config: { name?: string } = {}) {
    super('mean_absolute_percentage_error', meanAbsolutePercentageError, config);
  }
}

/** Running mean of mean (log(1 + p) − log(1 + y))² per sample. */
export class MeanSquaredLogarithmicErrorMetric extends LossMetric {
  static override readonly className: string = 'MeanSquaredLogarithmicErrorMetric';
  constructor(config: { name?: string } = {}) {
    super('mean_squared_logarithmic_error', meanSquaredLogarithmicError, config);
  }
}

/** Running mean of mean log(cosh(p − y)) per sample. Keras names it 'logcosh'; its class name does not clash with the LogCosh loss. */
export class LogCoshError extends LossMetric {
  static override readonly className: string = 'LogCoshError';
  constructor(config: { name?: string } = {}) {
    super('logcosh', logCosh, config);
  }
}

/** Running mean of Σ y·log(y / p) per sample, both clipped to [ε, 1]. */
export class KLDivergenceMetric extends LossMetric {
  static override readonly className: string = 'KLDivergenceMetric';
  constructor(config: { name?: string } = {}) {
    super('kl_divergence', klDivergence, config);
  }
}

/** Running mean of mean p − y·log(p + ε) per sample. */
export class PoissonMetric extends LossMetric {
  static override readonly className: string = 'PoissonMetric';
  constructor(config: { name?: string } = {}) {
    super('poisson', poisson, config);
  }
}

/** Running mean of mean max(1 − y·p, 0) per sample, 0/1 labels taken as ±1. */
export class HingeMetric extends LossMetric {
  static override readonly className: string = 'HingeMetric';
  constructor(config: { name?: string } = {}) {
    super('hinge', hinge, config);
  }
}

/** Running mean of mean max(1 − y·p, 0)² per sample, 0/1 labels taken as ±1. */
export class SquaredHingeMetric extends LossMetric {
  static override readonly className: string = 'SquaredHingeMetric';
  constructor(config: { name?: string } = {}) {
    super('squared_hinge', squaredHinge, config);
  }
}

/** Running mean of max(best wrong score − right score + 1, 0) per sample, one-hot labels. */
export class CategoricalHingeMetric extends LossMetric {
  static override readonly className: string = 'CategoricalHingeMetric';
  constructor(config: { name?: string } = {}) {
    super('categorical_hinge', categoricalHinge, config);
  }
}

export interface CosineSimilarityMetricConfig {
  /** The metric's name, under which the logs report it (with Keras's val_ and output-name prefixes). Default 'cosine_similarity'. */
  name?: string;
  /** The axis the vectors lie along. Default -1. */
  axis?: number;
}

/**
 * Running mean of cos(y, p) per sample, in [−1, 1], 1 when they point the same way. The sign is
 * the metric's, to maximise: the CosineSimilarity loss is its negative.
 */
export class CosineSimilarityMetric extends MeanMetricWrapper {
  static override readonly className: string = 'CosineSimilarityMetric';
  readonly axis: number;

  constructor(config: CosineSimilarityMetricConfig = {}) {
    const settings = checkOptions('CosineSimilarityMetric', config, { name: true, axis: true });
    const axis = numberArgument('CosineSimilarityMetric', 'axis', settings.axis ?? -1, INTEGER);
    super('cosine_similarity', (yTrue, yPred) => tidy(() => neg(cosineSimilarity(yTrue, yPred, axis))), settings.name);
    this.axis = axis;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
