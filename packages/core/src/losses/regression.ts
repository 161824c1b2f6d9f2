import { tidy } from '../engine/memory.js';
import { div, maximum, mul, sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { zerosLike } from '../ops/creation.js';
import { mean } from '../ops/reduce.js';
import { log1p } from '../ops/log1p.js';
import { abs, sqrt, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, LossFunctionWrapper, lossOptions, reduceOverBatch, type NamedLossConfig } from './loss.js';
import { alignTargets, EPSILON } from './targets.js';

// Per-sample forms, like keras.losses.mean_squared_error: the mean over the last axis.

/** Per sample: mean |p − y| over the last axis. */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanAbsoluteError', yTrue, yPred);
    return mean(abs(sub(p, t)), -1);
  });
}

/** Per sample: mean (p − y)² over the last axis. */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanSquaredError', yTrue, yPred);
    return mean(square(sub(p, t)), -1);
  });
}

/** Per sample: 100 · mean |(y − p) / max(|y|, ε)|, the ε keeping a zero target finite, as Keras. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanAbsolutePercentageError', yTrue, yPred);
    return mul(mean(abs(div(sub(t, p), maximum(abs(t), EPSILON))), -1), 100);
  });
}

/** Per sample: mean (log(1 + max(p, ε)) − log(1 + max(y, ε)))², errors measured as ratios. */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanSquaredLogarithmicError', yTrue, yPred);
    return mean(square(sub(log1p(maximum(p, EPSILON)), log1p(maximum(t, EPSILON)))), -1);
  });
}

/**
 * sqrt(x) whose gradient at x = 0 is 0 rather than Infinity·0 = NaN: a perfect prediction must
 * not poison the weights. Both branches of the `where` are finite.
 */
export function safeSqrt(x: Tensor): Tensor {
  const positive = greater(x, 0);
  return where(positive, sqrt(where(positive, x, 1)), zerosLike(x));
}

/** Per sample: sqrt of that sample's mean squared error. */
export function rootMeanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => safeSqrt(meanSquaredError(yTrue, yPred)));
}

/** Keras's MeanAbsoluteError: meanAbsoluteError reduced over the batch (sample weights and `reduction` apply). */
export class MeanAbsoluteError extends LossFunctionWrapper {
  static readonly className: string = 'MeanAbsoluteError';
  constructor(config: NamedLossConfig = {}) {
    super('mean_absolute_error', meanAbsoluteError, config);
  }
}

/** Keras's MeanSquaredError: meanSquaredError reduced over the batch (sample weights and `reduction` apply). */
export class MeanSquaredError extends LossFunctionWrapper {
  static readonly className: string = 'MeanSquaredError';
  constructor(config: NamedLossConfig = {}) {
    super('mean_squared_error', meanSquaredError, config);
  }
}

/**
 * sqrt(mean squared error over the batch) — the square root of the batch mean, not the mean of
 * per-sample roots, so errors [1,1,3,3] give sqrt(5) ≈ 2.24 as in the lab. Gradient 0 (not NaN)
 * when every prediction is exact.
 */
export class RootMeanSquaredError extends Loss {
  static readonly className: string = 'RootMeanSquaredError';
  constructor(config: NamedLossConfig = {}) {
    super('root_mean_squared_error', lossOptions('root_mean_squared_error', config, {}).name);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
  override call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    return tidy(() => safeSqrt(reduceOverBatch(this.name, this.perSample(yTrue, yPred), sampleWeight)));
  }
}

/** Keras's MeanAbsolutePercentageError: meanAbsolutePercentageError reduced over the batch. */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  static readonly className: string = 'MeanAbsolutePercentageError';
  constructor(config: NamedLossConfig = {}) {
    super('mean_absolute_percentage_error', meanAbsolutePercentageError, config);
  }
}

/** Keras's MeanSquaredLogarithmicError: meanSquaredLogarithmicError reduced over the batch. */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  static readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(config: NamedLossConfig = {}) {
    super('mean_squared_logarithmic_error', meanSquaredLogarithmicError, config);
  }
}
