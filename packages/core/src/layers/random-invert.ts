import { sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import { where } from '../ops/where.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';

export interface RandomInvertConfig extends RandomColorConfig {
  /** The range each image's chance of inversion is drawn from, within [0, 1]; a number p is [0, p]. Default 1: [0, 1], so a chance of ½ overall. */
  factor?: Factor;
}

/**
 * Keras's RandomInvert: while training, each image is, with a chance drawn from `factor`,
 * replaced by its complement within valueRange, low + high − x. Keras 3 computes high − x,
 * which leaves the range unless low is 0; the complement is what its docs describe.
 * `new RandomInvert(0.5)`.
 */
export class RandomInvert extends RandomColor {
  static override readonly className = 'RandomInvert';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomInvertConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor?: Factor | RandomInvertConfig, config: Omit<RandomInvertConfig, 'factor'> = {}) {
    const full: RandomInvertConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = zeroBasedRange('RandomInvert', 'factor', full.factor ?? 1, 1);
  }

  /** 1 to invert, 0 to keep: a threshold below the image's drawn chance. */
  protected draw(generator: RandomGenerator): number {
    const chance = uniform(generator, this.factor);
    return generator.nextFloat() < chance ? 1 : 0;
  }

  protected adjust(images: Tensor, inverted: Tensor): Tensor {
    const [low, high] = this.valueRange;
    return where(greater(inverted, 0.5), sub(low + high, images), images);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomInvert as LayerClass);
