import { tidy } from '../engine/memory.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import type { TensorLike } from '../ops/convert.js';
import { mean, sum } from '../ops/reduce.js';
import { log } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { LossFunctionWrapper, type NamedLossConfig } from './loss.js';
import { alignTargets, EPSILON } from './targets.js';

/**
 * Per sample: mean of p − y·log(p + ε), the negative log-likelihood of counts y under rate p
 * (up to a term without p).
 */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('poisson', yTrue, yPred);
    return mean(sub(p, mul(t, log(add(p, EPSILON)))), -1);
  });
}

/** Per sample: Σ y·log(y / p) over the last axis, both clipped to [ε, 1] as Keras does. */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('klDivergence', yTrue, yPred).map((x) => clipByValue(x, EPSILON, 1));
    return sum(mul(t!, log(div(t!, p!))), -1);
  });
}

/** Keras's Poisson: poisson (mean p − y·log(p + ε)) reduced over the batch. */
export class Poisson extends LossFunctionWrapper {
  static readonly className: string = 'Poisson';
  constructor(config: NamedLossConfig = {}) {
    super('poisson', poisson, config);
  }
}

/** Keras's KLDivergence: klDivergence (Σ y·log(y / p)) reduced over the batch. */
export class KLDivergence extends LossFunctionWrapper {
  static readonly className: string = 'KLDivergence';
  constructor(config: NamedLossConfig = {}) {
    super('kl_divergence', klDivergence, config);
  }
}
