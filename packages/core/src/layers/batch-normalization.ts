import { tidy } from '../engine/memory.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { expandDims, reshape } from '../ops/reshape.js';
import { stopGradient } from '../ops/stop-gradient.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { AffineNormalization, type AffineNormalizationConfig } from './affine-normalization.js';
import { serializeInitializer } from './initializer-config.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import { asWeights, sequenceMask } from './mask.js';
import { centeredMoments, featureAxes, weightedCenteredMoments } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface BatchNormalizationConfig extends AffineNormalizationConfig {
  /** The channel axis, kept; the statistics are taken over every other axis. Default -1. */
  axis?: number;
  /** How much of the moving statistics each training batch keeps, in [0, 1]. Default 0.99. */
  momentum?: number;
  /** Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier;
}

/**
 * Keras's BatchNormalization. While training, normalizes each channel with the batch's mean and
 * (biased) variance and moves the moving statistics towards them:
 * moving = moving · momentum + batch · (1 − momentum). Otherwise, and always once the layer is
 * frozen (`trainable = false`, as in Keras 3), it normalizes with the moving statistics.
 */
export class BatchNormalization extends AffineNormalization {
  static override readonly className = 'BatchNormalization';
  static override readonly options: OptionList = { axis: true, momentum: true, movingMeanInitializer: true, movingVarianceInitializer: true } satisfies OwnOptions<BatchNormalizationConfig, AffineNormalizationConfig>;
  readonly axis: number;
  readonly momentum: number;
  readonly movingMeanInitializer: InitializerIdentifier;
  readonly movingVarianceInitializer: InitializerIdentifier;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** Every input axis but the channel, resolved by build. */
  #reductionAxes: number[] = [];

  constructor(config: BatchNormalizationConfig = {}) {
    super(config);
    const axis = config.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`BatchNormalization: axis must be an integer, got ${JSON.stringify(config.axis)}`);
    const momentum = config.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new Error(`BatchNormalization: momentum must be a number in [0, 1], got ${JSON.stringify(config.momentum)}`);
    }
    this.axis = axis;
    this.momentum = momentum;
    this.movingMeanInitializer = config.movingMeanInitializer ?? 'zeros';
    this.movingVarianceInitializer = config.movingVarianceInitializer ?? 'ones';
  }

  override build(inputShape: Shape): void {
    const channel = featureAxes(this.label, this.axis, inputShape);
    this.#reductionAxes = inputShape.map((_, i) => i).filter((i) => !channel.includes(i));
    this.addGammaAndBeta(inputShape, channel);
    const shape = channel.map((a) => inputShape[a]!);
    this.movingMean = this.addWeight('moving_mean', shape, this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, this.movingVarianceInitializer, { trainable: false });
  }

  /** Each step is normalized alone (with statistics of the data steps, in training), so the mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (kwargs.training && this.trainable) {
      // As Keras: a masked sequence's batch statistics are those of its data steps alone.
      const mask = sequenceMask(this.label, kwargs.mask, inputs.shape);
      const { mean, variance, centered } = mask
        ? weightedCenteredMoments(inputs, this.#reductionAxes, expandDims(asWeights(mask), -1))
        : centeredMoments(inputs, this.#reductionAxes);
      this.#updateMovingStatistics(mean, variance);
      return this.normalize(centered, variance);
    }
    const centered = sub(inputs, this.alongWeightAxes(this.movingMean!));
    return this.normalize(centered, this.alongWeightAxes(this.movingVariance!));
  }

  /**
   * The statistics go through stopGradient first: a tape then sees no path from the update to
   * anything it watches, so it neither records the update's ops nor keeps their inputs alive.
   */
  #updateMovingStatistics(batchMean: Tensor, batchVariance: Tensor): void {
    tidy(() => {
      for (const [moving, batch] of [[this.movingMean!, batchMean], [this.movingVariance!, batchVariance]] as const) {
        const observed = reshape(stopGradient(batch), moving.shape);
        moving.assign(add(mul(moving, this.momentum), mul(observed, 1 - this.momentum)));
      }
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
    };
  }
}
registerClass(BatchNormalization as LayerClass);
