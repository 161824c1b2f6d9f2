import { add, mul, sub } from '../ops/arithmetic.js';
import { betaDraw } from '../random/distributions.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, POSITIVE } from '../util/arguments.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { MixingLayer, type Mixing } from './mixing-layer.js';
import type { NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';

export interface MixUpConfig extends NoiseLayerConfig {
  /** The Beta(alpha, alpha) distribution's parameter, positive: small values mix little. Default 0.2. */
  alpha?: number;
}

/**
 * Keras's MixUp: while training, one weight λ ~ Beta(alpha, alpha) per batch, as Keras draws it,
 * and each image becomes λ·image + (1 − λ)·partner, its label likewise (see MixingLayer for how
 * labels are passed). `new MixUp(0.2).apply([images, labels], {training: true})`.
 */
export class MixUp extends MixingLayer {
  static override readonly className = 'MixUp';
  static override readonly options: OptionList = { alpha: true } satisfies OwnOptions<MixUpConfig, NoiseLayerConfig>;
  readonly alpha: number;

  constructor(alpha?: number | MixUpConfig, config: Omit<MixUpConfig, 'alpha'> = {}) {
    const full: MixUpConfig = typeof alpha === 'object' ? alpha : { ...config, alpha };
    super(full);
    this.alpha = numberArgument('MixUp', 'alpha', full.alpha ?? 0.2, POSITIVE);
  }

  protected mix(images: Tensor, partners: Tensor, generator: RandomGenerator): Mixing {
    const weight = betaDraw(generator, this.alpha, this.alpha);
    return { images: add(partners, mul(sub(images, partners), weight)), labelWeights: Array<number>(images.shape[0]!).fill(weight) };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerClass(MixUp as LayerClass);
