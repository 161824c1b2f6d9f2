// Segmentation losses that score the overlap of the predicted region with the true one rather
// than each pixel alone, so a small object counts as much as the background around it.
import { tidy } from '../engine/memory.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import type { TensorLike } from '../ops/convert.js';
import { mean, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, NON_NEGATIVE, numberArgument } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { normalizeAxes } from '../util/shape.js';
import { Loss, lossOptions, reduceOverBatch, type LossConfig, type NamedLossConfig } from './loss.js';
import { alignTargets, asTensor, EPSILON } from './targets.js';

/** The axes the overlap is summed over: one, several, or null for every axis (one number for the whole batch). */
export type OverlapAxis = number | readonly number[] | null;

export interface DiceOptions {
  /** Keras's axis: [1, 2, 3] scores each image of a [batch, height, width, channels] batch alone. Default null: every axis. */
  axis?: OverlapAxis;
}

export interface TverskyOptions extends DiceOptions {
  /** Weight of Σ y·(1 − p), the true region the prediction misses. Default 0.5. */
  alpha?: number;
  /** Weight of Σ (1 − y)·p, the predicted region outside the true one. Default 0.5. */
  beta?: number;
}

export interface DiceConfig extends DiceOptions, NamedLossConfig {}
export interface TverskyConfig extends TverskyOptions, NamedLossConfig {}

/** `axis` if it is an integer, a non-empty list of integers or null; otherwise an error naming `owner`. */
function overlapAxis(owner: string, axis: unknown): OverlapAxis {
  const integer = (a: unknown) => Number.isInteger(a);
  if (axis === undefined || axis === null) return null;
  if (integer(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(integer)) return [...(axis as number[])];
  throw new Error(`${owner}: axis must be an integer, a non-empty list of integers or null (every axis), got ${describeValue(axis)}`);
}

/** Σ over `axis` (every axis when null), the axis checked against yPred's rank and named after `caller`. */
function sumOver(caller: string, x: Tensor, axis: OverlapAxis): Tensor {
  return sum(x, normalizeAxes(caller, axis ?? undefined, x.rank));
}

/** 1 − 2·Σ y·p / (Σ y + Σ p + ε) over `axis`, as Keras's dice. */
function diceLoss(caller: string, yTrue: TensorLike, yPred: TensorLike, axis: OverlapAxis): Tensor {
  const [y, p] = alignTargets(caller, yTrue, yPred);
  const overlap = sumOver(caller, mul(y, p), axis);
  return sub(1, div(mul(overlap, 2), add(add(sumOver(caller, y, axis), sumOver(caller, p, axis)), EPSILON)));
}

/**
 * 1 − TP / (TP + α·Σ y·(1 − p) + β·Σ (1 − y)·p + ε) over `axis`, TP = Σ y·p, as Keras's tversky
 * computes it. (Keras's docstring has alpha weigh the false positives; its code, followed here so
 * that its models train alike, has alpha weigh the missed true region.)
 */
function tverskyLoss(caller: string, yTrue: TensorLike, yPred: TensorLike, alpha: number, beta: number, axis: OverlapAxis): Tensor {
  const [y, p] = alignTargets(caller, yTrue, yPred);
  const overlap = sumOver(caller, mul(y, p), axis);
  const missed = sumOver(caller, mul(y, sub(1, p)), axis);
  const extra = sumOver(caller, mul(sub(1, y), p), axis);
  return sub(1, div(overlap, add(add(add(overlap, mul(missed, alpha)), mul(extra, beta)), EPSILON)));
}

/** Keras's dice: one loss per entry of the axes left (a scalar with the default, every axis). */
export function dice(yTrue: TensorLike, yPred: TensorLike, options: DiceOptions = {}): Tensor {
  const { axis } = checkOptions('dice', options, { axis: true });
  const checked = overlapAxis('dice', axis);
  return tidy(() => diceLoss('dice', yTrue, yPred, checked));
}

/** Keras's tversky: one loss per entry of the axes left (a scalar with the default, every axis). With α = β = ½ it is Dice (but for ε). */
export function tversky(yTrue: TensorLike, yPred: TensorLike, options: TverskyOptions = {}): Tensor {
  const checked = checkOptions('tversky', options, { axis: true, alpha: true, beta: true });
  const [alpha, beta] = [numberArgument('tversky', 'alpha', checked.alpha ?? 0.5, NON_NEGATIVE), numberArgument('tversky', 'beta', checked.beta ?? 0.5, NON_NEGATIVE)];
  const axis = overlapAxis('tversky', checked.axis);
  return tidy(() => tverskyLoss('tversky', yTrue, yPred, alpha, beta, axis));
}

/**
 * What Dice and Tversky share: the axes, and the reduction of a loss over every axis, one number
 * for the batch, which Keras weighs by the mean of the sample weights (the product broadcasts to
 * the weights' shape before the mean over it).
 */
abstract class OverlapLoss extends Loss {
  readonly axis: OverlapAxis;

  constructor(defaultName: string, config: DiceConfig, own: Readonly<Record<string, true>> = {}) {
    super(defaultName, lossOptions(defaultName, config, { axis: true, ...own }).name);
    this.axis = overlapAxis(this.className, config.axis);
  }

  override call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    return tidy(() => {
      const losses = this.perSample(yTrue, yPred);
      return losses.rank === 0 && sampleWeight !== undefined ? mul(losses, mean(asTensor(sampleWeight))) : reduceOverBatch(this.name, losses, sampleWeight);
    });
  }

  /** `axis` is recorded unless null (the default). */
  override getConfig(): LossConfig {
    return { ...super.getConfig(), ...(this.axis === null ? {} : { axis: Array.isArray(this.axis) ? [...this.axis] : this.axis }) };
  }
}

/** Keras's Dice: 1 − 2·Σ y·p / (Σ y + Σ p) over `axis` (every axis by default), for segmentation masks. */
export class Dice extends OverlapLoss {
  static readonly className: string = 'Dice';

  constructor(config: DiceConfig = {}) {
    super('dice', config);
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return diceLoss(this.className, yTrue, yPred, this.axis);
  }
}

/** Keras's Tversky: 1 − TP / (TP + alpha·Σ y·(1 − p) + beta·Σ (1 − y)·p), Dice when alpha = beta = ½. */
export class Tversky extends OverlapLoss {
  static readonly className: string = 'Tversky';
  readonly alpha: number;
  readonly beta: number;

  constructor(config: TverskyConfig = {}) {
    super('tversky', config, { alpha: true, beta: true });
    this.alpha = numberArgument(this.className, 'alpha', config.alpha ?? 0.5, NON_NEGATIVE);
    this.beta = numberArgument(this.className, 'beta', config.beta ?? 0.5, NON_NEGATIVE);
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return tverskyLoss(this.className, yTrue, yPred, this.alpha, this.beta, this.axis);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), alpha: this.alpha, beta: this.beta };
  }
}
