// Focal cross-entropies (Lin et al., 2017): the cross-entropy of each prediction scaled by
// (1 − p_t)^γ, p_t being the probability it gives the true label, so the examples a model already
// gets right weigh little and training concentrates on the hard ones.
import { tidy } from '../engine/memory.js';
import { add, div, mul, pow, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import type { TensorLike } from '../ops/convert.js';
import { mean, sum } from '../ops/reduce.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { softplusParts } from '../ops/softplus.js';
import { transpose } from '../ops/transpose.js';
import { log, neg, sigmoid } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { booleanArgument, INTEGER, NON_NEGATIVE, numberArgument, UNIT_INTERVAL } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { normalizeAxis } from '../util/shape.js';
import { Loss, lossOptions, type LossConfig, type NamedLossConfig } from './loss.js';
import { alignTargets, EPSILON } from './targets.js';

/** What both focal cross-entropies take, as Keras's arguments (camelCased). */
export interface FocalOptions {
  /** Weight of every term (categorical), or of the positive class (binary, with applyClassBalancing). Default 0.25. */
  alpha?: number;
  /** The focusing exponent γ of (1 − p_t)^γ; 0 gives the plain cross-entropy. Default 2. */
  gamma?: number;
  /** yPred are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Moves the targets towards uniform by this fraction, in [0, 1], as Keras's label_smoothing. Default 0. */
  labelSmoothing?: number;
  /** The axis of the classes (categorical), or the one averaged over (binary). Default -1. */
  axis?: number;
}

export interface BinaryFocalCrossentropyOptions extends FocalOptions {
  /** Weigh positive targets by alpha and negative ones by 1 − alpha. Default false. */
  applyClassBalancing?: boolean;
}

export type CategoricalFocalCrossentropyOptions = FocalOptions;
export interface BinaryFocalCrossentropyConfig extends BinaryFocalCrossentropyOptions, NamedLossConfig {}
export interface CategoricalFocalCrossentropyConfig extends CategoricalFocalCrossentropyOptions, NamedLossConfig {}

const FOCAL_OPTIONS = { alpha: true, gamma: true, fromLogits: true, labelSmoothing: true, axis: true } as const;
const BINARY_OPTIONS = { ...FOCAL_OPTIONS, applyClassBalancing: true } as const;

/** `options` checked, named after `owner`, defaults filled in. Binary alpha is a share of the weight, so at most 1. */
function focalSettings(owner: string, options: FocalOptions, alphaRange = NON_NEGATIVE): Required<FocalOptions> {
  return {
    alpha: numberArgument(owner, 'alpha', options.alpha ?? 0.25, alphaRange),
    gamma: numberArgument(owner, 'gamma', options.gamma ?? 2, NON_NEGATIVE),
    fromLogits: booleanArgument(owner, 'fromLogits', options.fromLogits, false),
    labelSmoothing: numberArgument(owner, 'labelSmoothing', options.labelSmoothing ?? 0, UNIT_INTERVAL),
    axis: numberArgument(owner, 'axis', options.axis ?? -1, INTEGER),
  };
}

function binarySettings(owner: string, options: BinaryFocalCrossentropyOptions): Required<BinaryFocalCrossentropyOptions> {
  return { ...focalSettings(owner, options, UNIT_INTERVAL), applyClassBalancing: booleanArgument(owner, 'applyClassBalancing', options.applyClassBalancing, false) };
}

/**
 * `crossentropy` times (1 − p_t)^γ, given 1 − p_t. With γ = 0 the factor is 1 and left out: pow's
 * gradient at a base of 0 would be 0·0⁻¹ = NaN where a prediction is exactly right.
 */
function focused(crossentropy: Tensor, miss: Tensor, gamma: number): Tensor {
  return gamma === 0 ? crossentropy : mul(pow(miss, gamma), crossentropy);
}

/** −(z·log p + (1 − z)·log(1 − p)) elementwise; from logits x, softplus(x) − x·z summed so a confident right answer keeps its small loss. */
function binaryCrossentropyTerms(x: Tensor, p: Tensor, z: Tensor, fromLogits: boolean): Tensor {
  if (!fromLogits) return neg(add(mul(z, log(p)), mul(sub(1, z), log(sub(1, p)))));
  const [positivePart, tail] = softplusParts(x);
  return add(sub(positivePart, mul(x, z)), tail);
}

/**
 * Per element of the binary focal loss, then its mean over `axis`. From logits the cross-entropy
 * is softplus(x) − x·z, as binaryCrossentropy computes it, which Keras's sigmoid-then-clip equals
 * wherever |x| < 16 and which keeps its gradient beyond (a clipped log has none), so
 * BinaryFocalCrossentropy with γ = 0 is BinaryCrossentropy. The focal factor uses the clipped
 * probability, keeping 1 − p_t ≥ ε so that pow's gradient stays finite for γ < 1.
 */
function binaryFocal(caller: string, yTrue: TensorLike, yPred: TensorLike, s: Required<BinaryFocalCrossentropyOptions>): Tensor {
  const [labels, x] = alignTargets(caller, yTrue, yPred);
  const axis = normalizeAxis(caller, s.axis, x.rank);
  // Each label moves towards ½ by labelSmoothing: 1 → 1 − s/2, 0 → s/2.
  const z = s.labelSmoothing > 0 ? add(mul(labels, 1 - s.labelSmoothing), 0.5 * s.labelSmoothing) : labels;
  const p = clipByValue(s.fromLogits ? sigmoid(x) : x, EPSILON, 1 - EPSILON);
  // 1 − p_t, p_t = z·p + (1 − z)·(1 − p).
  const miss = add(mul(z, sub(1, p)), mul(sub(1, z), p));
  const focal = focused(binaryCrossentropyTerms(x, p, z, s.fromLogits), miss, s.gamma);
  const balanced = s.applyClassBalancing ? mul(focal, add(mul(z, s.alpha), mul(sub(1, z), 1 - s.alpha))) : focal;
  return mean(balanced, axis);
}

/**
 * Per sample: Σ over the classes of α·(1 − p)^γ·(−y·log p), p the predictions rescaled to sum
 * to 1 (or the softmax of logits) clipped to [ε, 1 − ε]. From logits, log p is logSoftmax, as
 * categoricalCrossentropy takes it, so γ = 0 and α = 1 give CategoricalCrossentropy. The classes
 * lie along `axis`, moved last so that softmax and the smoothing (over as many classes as that
 * axis has; Keras counts the last axis whatever `axis` is) work on them.
 */
function categoricalFocal(caller: string, yTrue: TensorLike, yPred: TensorLike, s: Required<CategoricalFocalCrossentropyOptions>): Tensor {
  const [aligned, scores] = alignTargets(caller, yTrue, yPred);
  const axis = normalizeAxis(caller, s.axis, scores.rank);
  const toEnd = [...scores.shape.keys()].filter((d) => d !== axis).concat(axis);
  const [labels, x] = axis === scores.rank - 1 ? [aligned, scores] : [transpose(aligned, toEnd), transpose(scores, toEnd)];
  const classes = x.shape[x.rank - 1]!;
  const y = s.labelSmoothing > 0 ? add(mul(labels, 1 - s.labelSmoothing), s.labelSmoothing / classes) : labels;
  const p = clipByValue(s.fromLogits ? softmax(x) : div(x, sum(x, -1, true)), EPSILON, 1 - EPSILON);
  const crossentropy = neg(mul(y, s.fromLogits ? logSoftmax(x) : log(p)));
  return sum(mul(focused(crossentropy, sub(1, p), s.gamma), s.alpha), -1);
}

/** Per sample (yPred reduced over `axis`): Keras's binary_focal_crossentropy. */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalCrossentropyOptions = {}): Tensor {
  const caller = 'binaryFocalCrossentropy';
  const settings = binarySettings(caller, checkOptions(caller, options, BINARY_OPTIONS));
  return tidy(() => binaryFocal(caller, yTrue, yPred, settings));
}

/** Per sample (yPred reduced over the class `axis`): Keras's categorical_focal_crossentropy, with one-hot targets. */
export function categoricalFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalFocalCrossentropyOptions = {}): Tensor {
  const caller = 'categoricalFocalCrossentropy';
  const settings = focalSettings(caller, checkOptions(caller, options, FOCAL_OPTIONS));
  return tidy(() => categoricalFocal(caller, yTrue, yPred, settings));
}

/** Keras's BinaryFocalCrossentropy: the binary cross-entropy weighted by (1 − pₜ)^gamma, so confident right answers count less; `applyClassBalancing` weighs positives by alpha. */
export class BinaryFocalCrossentropy extends Loss {
  static readonly className: string = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(config: BinaryFocalCrossentropyConfig = {}) {
    super('binary_focal_crossentropy', lossOptions('binary_focal_crossentropy', config, BINARY_OPTIONS).name);
    ({
      applyClassBalancing: this.applyClassBalancing, alpha: this.alpha, gamma: this.gamma,
      fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis,
    } = binarySettings(this.className, config));
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return binaryFocal(this.className, yTrue, yPred, this);
  }

  override getConfig(): LossConfig {
    const { applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis } = this;
    return { ...super.getConfig(), applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing, axis };
  }
}

/** Keras's CategoricalFocalCrossentropy: the categorical cross-entropy weighted by alpha·(1 − p)^gamma, so confident right answers count less. */
export class CategoricalFocalCrossentropy extends Loss {
  static readonly className: string = 'CategoricalFocalCrossentropy';
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(config: CategoricalFocalCrossentropyConfig = {}) {
    super('categorical_focal_crossentropy', lossOptions('categorical_focal_crossentropy', config, FOCAL_OPTIONS).name);
    ({ alpha: this.alpha, gamma: this.gamma, fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis } = focalSettings(this.className, config));
  }

  protected perSample(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return categoricalFocal(this.className, yTrue, yPred, this);
  }

  override getConfig(): LossConfig {
    const { alpha, gamma, fromLogits, labelSmoothing, axis } = this;
    return { ...super.getConfig(), alpha, gamma, fromLogits, labelSmoothing, axis };
  }
}
