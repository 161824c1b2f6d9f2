import { sub } from '../ops/arithmetic.js';
import type { TensorLike } from '../ops/convert.js';
import { square } from '../ops/unary.js';
import { meanAbsoluteError, meanSquaredError } from '../losses/regression.js';
import { alignTargets } from '../losses/targets.js';
import { MeanMetricWrapper, WeightedMean } from './mean.js';

// The metric classes take a `Metric` suffix: the loss classes of the same Keras name
// (MeanAbsoluteError, ...) are exported from the same package and compute a tensor to minimise,
// these a running number to report.

/** Running mean of the per-sample mean absolute error. */
export class MeanAbsoluteErrorMetric extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsoluteErrorMetric';
  constructor(config: { name?: string } = {}) {
    super('mean_absolute_error', meanAbsoluteError, config.name);
  }
}

/** Running mean of the per-sample mean squared error. */
export class MeanSquaredErrorMetric extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredErrorMetric';
  constructor(config: { name?: string } = {}) {
    super('mean_squared_error', meanSquaredError, config.name);
  }
}

/** sqrt of the running mean of every squared error seen (not a mean of per-batch roots), as Keras. */
export class RootMeanSquaredErrorMetric extends WeightedMean {
  static readonly className: string = 'RootMeanSquaredErrorMetric';
  constructor(config: { name?: string } = {}) {
    super('root_mean_squared_error', config.name);
  }

  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    this.accumulate(() => {
      const [t, p] = alignTargets(this.name, yTrue, yPred);
      return square(sub(p, t));
    }, sampleWeight);
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}
