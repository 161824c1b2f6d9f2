import { tidy } from '../engine/memory.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { lessEqual } from '../ops/compare.js';
import type { TensorLike } from '../ops/convert.js';
import { mean } from '../ops/reduce.js';
import { softplus } from '../ops/softplus.js';
import { abs, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, POSITIVE } from '../util/arguments.js';
import { Loss, LossFunctionWrapper, lossOptions, type LossConfig, type NamedLossConfig } from './loss.js';
import { alignTargets } from './targets.js';

// Regression losses that an outlier pulls less than the squared error: both grow like e²/2 near
// 0 and only linearly far from it.

/** Per sample: mean of ½e² where |e| ≤ δ, else δ·|e| − ½δ², with e = p − y. */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('huber', yTrue, yPred);
    const error = sub(p, t);
    const absError = abs(error);
    return mean(where(lessEqual(absError, delta), mul(square(error), 0.5), sub(mul(absError, delta), 0.5 * delta * delta)), -1);
  });
}

/**
 * Per sample: mean log(cosh(e)), e = p − y, written e + softplus(−2e) − log 2, which equals it
 * and cannot overflow where cosh would (|e| > 89 in float32).
 */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('logCosh', yTrue, yPred);
    const error = sub(p, t);
    return mean(sub(add(error, softplus(mul(error, -2))), Math.LN2), -1);
  });
}

export interface HuberConfig extends NamedLossConfig {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Keras's Huber: ½e² where |e| ≤ delta, delta·(|e| − ½·delta) beyond, e = p − y, averaged over the last axis. */
export class Huber extends Loss {
  static readonly className: string = 'Huber';
  readonly delta: number;

  constructor(config: HuberConfig = {}) {
    super('huber_loss', lossOptions('huber_loss', config, { delta: true }).name);
    this.delta = numberArgument('Huber', 'delta', config.delta ?? 1, POSITIVE);
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return huber(yTrue, yPred, this.delta);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/** Keras's LogCosh: logCosh reduced over the batch. */
export class LogCosh extends LossFunctionWrapper {
  static readonly className: string = 'LogCosh';
  constructor(config: NamedLossConfig = {}) {
    super('log_cosh', logCosh, config);
  }
}
