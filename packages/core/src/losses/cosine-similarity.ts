import { tidy } from '../engine/memory.js';
import { div, maximum, mul } from '../ops/arithmetic.js';
import type { TensorLike } from '../ops/convert.js';
import { sum } from '../ops/reduce.js';
import { neg, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { INTEGER, numberArgument } from '../util/arguments.js';
import { Loss, lossOptions, type LossConfig, type NamedLossConfig } from './loss.js';
import { safeSqrt } from './regression.js';
import { alignTargets, EPSILON } from './targets.js';

/** x / max(‖x‖₂, ε) along `axis`; a zero vector stays zero, with a zero (not NaN) gradient. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, maximum(safeSqrt(sum(square(x), axis, true)), EPSILON));
}

/**
 * Per sample: −cos(y, p) along `axis`, in [−1, 1], −1 when they point the same way: minimising
 * it aligns the predictions with the targets whatever their lengths.
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tidy(() => {
    const [t, p] = alignTargets('cosineSimilarity', yTrue, yPred);
    return neg(sum(mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis));
  });
}

export interface CosineSimilarityConfig extends NamedLossConfig {
  /** The axis the vectors lie along. Default -1. */
  axis?: number;
}

/** Keras's CosineSimilarity: cosineSimilarity (−cos(y, p) along `axis`) reduced over the batch. */
export class CosineSimilarity extends Loss {
  static readonly className: string = 'CosineSimilarity';
  readonly axis: number;

  constructor(config: CosineSimilarityConfig = {}) {
    super('cosine_similarity', lossOptions('cosine_similarity', config, { axis: true }).name);
    this.axis = numberArgument('CosineSimilarity', 'axis', config.axis ?? -1, INTEGER);
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return cosineSimilarity(yTrue, yPred, this.axis);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
