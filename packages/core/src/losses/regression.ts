import { tidy } from '../engine/memory.js';
import { sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { zerosLike } from '../ops/creation.js';
import { mean } from '../ops/reduce.js';
import { abs, sqrt, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, reduceOverBatch } from './loss.js';
import { alignTargets } from './targets.js';

// Per-sample forms, like keras.losses.mean_squared_error: the mean over the last axis.

export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanAbsoluteError', yTrue, yPred);
    return mean(abs(sub(p, t)), -1);
  });
}

export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('meanSquaredError', yTrue, yPred);
    return mean(square(sub(p, t)), -1);
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

export class MeanAbsoluteError extends Loss {
  constructor(config: { name?: string } = {}) {
    super('mean_absolute_error', config.name);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

export class MeanSquaredError extends Loss {
  constructor(config: { name?: string } = {}) {
    super('mean_squared_error', config.name);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

/**
 * sqrt(mean squared error over the batch) — the square root of the batch mean, not the mean of
 * per-sample roots, so errors [1,1,3,3] give sqrt(5) ≈ 2.24 as in the lab. Gradient 0 (not NaN)
 * when every prediction is exact.
 */
export class RootMeanSquaredError extends Loss {
  constructor(config: { name?: string } = {}) {
    super('root_mean_squared_error', config.name);
  }
  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
  override call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    return tidy(() => safeSqrt(reduceOverBatch(this.name, this.perSample(yTrue, yPred), sampleWeight)));
  }
}
