import { add, mul, sub } from '../ops/arithmetic.js';
import { luma } from '../ops/image-colors.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';
import { rgbImages } from './rgb-images.js';

export interface RandomColorDegenerationConfig extends RandomColorConfig {
  /**
   * How far towards grey: 0 keeps the image, 1 makes it its luma. A number f is [0, f], as Keras
   * documents; a pair may reach down to −1 (Keras 3 saves RandomColorDegeneration(f) as [−f, f]),
   * a negative draw moving colours away from grey.
   */
  factor: Factor;
}

/**
 * Keras's RandomColorDegeneration: while training, each RGB image blended towards its own
 * grey (luma, 0.2989·r + 0.587·g + 0.114·b) by a random amount, x + f·(grey − x), clipped.
 * `new RandomColorDegeneration(0.5)`.
 */
export class RandomColorDegeneration extends RandomColor {
  static override readonly className = 'RandomColorDegeneration';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomColorDegenerationConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomColorDegenerationConfig, config: Omit<RandomColorDegenerationConfig, 'factor'> = {}) {
    const full: RandomColorDegenerationConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = zeroBasedRange('RandomColorDegeneration', 'factor', full.factor, 1, -1);
  }

  protected override checkedImages(inputs: Tensor): Tensor {
    return rgbImages(this.label, inputs);
  }

  protected draw(generator: RandomGenerator): number {
    return uniform(generator, this.factor);
  }

  protected adjust(images: Tensor, amounts: Tensor): Tensor {
    return add(images, mul(amounts, sub(luma(images), images)));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomColorDegeneration as LayerClass);
