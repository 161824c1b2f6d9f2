import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { AffineNormalization, type AffineNormalizationConfig } from './affine-normalization.js';
import type { ConfigDict } from './layer.js';
import { axisOption, centeredMoments, featureAxes } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface LayerNormalizationConfig extends AffineNormalizationConfig {
  /** The axis or axes each sample is normalized over; gamma and beta span them. Default -1. */
  axis?: number | readonly number[];
}

/**
 * Keras's LayerNormalization: each sample is normalized with its own mean and (biased) variance
 * over `axis`, then scaled by gamma and shifted by beta; the same in training and inference.
 */
export class LayerNormalization extends AffineNormalization {
  static override readonly className = 'LayerNormalization';
  static override readonly options: OptionList = { axis: true } satisfies OwnOptions<LayerNormalizationConfig, AffineNormalizationConfig>;
  readonly axis: number | readonly number[];

  constructor(config: LayerNormalizationConfig = {}) {
    super(config);
    this.axis = axisOption('LayerNormalization', config.axis);
  }

  override build(inputShape: Shape): void {
    this.addGammaAndBeta(inputShape, featureAxes(this.label, this.axis, inputShape));
  }

  /** Each timestep is normalized alone, so the input's mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor): Tensor {
    const { variance, centered } = centeredMoments(inputs, this.weightAxes);
    return this.normalize(centered, variance);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
  }
}
registerClass(LayerNormalization as LayerClass);
