import { tidy } from '../engine/memory.js';
import { div, mul } from '../ops/arithmetic.js';
import type { TensorLike } from '../ops/convert.js';
import { sum } from '../ops/reduce.js';
import { reshape, squeeze } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { asTensor } from './targets.js';

/** Serializable settings of a loss, as Keras's `get_config()` (camelCased) returns them. */
export type LossConfig = Record<string, number | string | boolean>;

/**
 * A loss object: `call(yTrue, yPred)` returns a scalar, the per-sample losses averaged over the
 * batch (Keras's 'sum_over_batch_size' reduction). Where Python writes `loss_object(y, probs)`,
 * write `lossObject.call(y, probs)`. Intermediates are freed; only the scalar is returned (owned
 * by the current tidy scope), and it is differentiable with a GradientTape.
 */
export abstract class Loss {
  /** The Keras name, e.g. 'sparse_categorical_crossentropy'. */
  readonly name: string;

  constructor(defaultName: string, name?: string) {
    this.name = name ?? defaultName;
  }

  /** One loss per sample: `yPred` reduced over its last axis. */
  protected abstract perSample(yTrue: TensorLike, yPred: TensorLike): Tensor;

  /** Mean over the batch; with `sampleWeight`, sum(loss·weight) / number of losses, as Keras. */
  call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    return tidy(() => reduceOverBatch(this.name, this.perSample(yTrue, yPred), sampleWeight));
  }

  getConfig(): LossConfig {
    return { name: this.name, reduction: 'sum_over_batch_size' };
  }
}

export function reduceOverBatch(caller: string, losses: Tensor, sampleWeight?: TensorLike): Tensor {
  const weighted = sampleWeight === undefined ? losses : mul(losses, weightsFor(caller, losses, asTensor(sampleWeight)));
  return div(sum(weighted), Math.max(1, losses.size));
}

/**
 * `weights` brought to the rank of the per-sample `losses` as Keras does: a trailing 1 dropped
 * ([batch, 1] for losses [batch]) or trailing 1s added; they must then broadcast to the losses
 * without enlarging them (a [batch, 1] weight would otherwise make a [batch, batch] product).
 */
function weightsFor(caller: string, losses: Tensor, weights: Tensor): Tensor {
  let w = weights;
  if (w.rank === losses.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
  else if (w.rank < losses.rank) w = reshape(w, [...w.shape, ...new Array<number>(losses.rank - w.rank).fill(1)]);
  if (w.rank !== losses.rank || w.shape.some((d, i) => d !== 1 && d !== losses.shape[i])) {
    throw new Error(`${caller}: sampleWeight ${formatShape(weights.shape)} does not fit the per-sample losses ${formatShape(losses.shape)}; expected ${formatShape(losses.shape)}, a trailing 1 more, or a shape that broadcasts to it`);
  }
  return w;
}
