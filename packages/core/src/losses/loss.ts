import { checkOptions } from '../util/options.js';
import { tidy } from '../engine/memory.js';
import { div, mul } from '../ops/arithmetic.js';
import type { TensorLike } from '../ops/convert.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { classNameOf } from '../util/class-name.js';
import { alignSampleWeight, asTensor } from './targets.js';

/** Serializable settings of a loss, as Keras's `get_config()` (camelCased) returns them. */
export type LossConfig = Record<string, number | string | boolean | readonly number[]>;

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

  /** The class name a saved model records (see classNameOf). */
  get className(): string {
    return classNameOf(this.constructor);
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

/** The settings of a loss that takes none but its name. */
export interface NamedLossConfig {
  /** The loss's name in its errors and saved config. Default: its Keras name ('hinge', 'mean_squared_error', ...). */
  name?: string;
}

/**
 * `config` checked against the loss's options: its `own` ones, its name, and the `reduction`
 * getConfig writes, which must be Keras's default (the only one the losses compute). An option
 * it does not know is an error listing those it takes.
 */
export function lossOptions<C extends NamedLossConfig>(loss: string, config: C, own: Readonly<Record<Exclude<keyof C, 'name'>, true>>): C {
  const checked = checkOptions(loss, config as C & { reduction?: unknown }, { ...own, name: true, reduction: true } as Record<keyof C | 'reduction', true>);
  if (checked.reduction !== undefined && checked.reduction !== 'sum_over_batch_size') {
    throw new Error(`${loss}: reduction must be 'sum_over_batch_size' (the mean over the batch, the only one Perceptron's losses compute), got ${JSON.stringify(checked.reduction)}`);
  }
  return checked;
}

/**
 * A loss given by its per-sample function, as Keras's LossFunctionWrapper: a subclass names the
 * function and the Keras name, and adds settings only if the function takes some.
 */
export abstract class LossFunctionWrapper extends Loss {
  constructor(defaultName: string, private readonly fn: (yTrue: TensorLike, yPred: TensorLike) => Tensor, config: NamedLossConfig) {
    super(defaultName, lossOptions(defaultName, config, {}).name);
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return this.fn(yTrue, yPred);
  }
}

export function reduceOverBatch(caller: string, losses: Tensor, sampleWeight?: TensorLike): Tensor {
  const weighted = sampleWeight === undefined ? losses : mul(losses, alignSampleWeight(caller, losses, asTensor(sampleWeight), 'the per-sample losses'));
  return div(sum(weighted), Math.max(1, losses.size));
}
