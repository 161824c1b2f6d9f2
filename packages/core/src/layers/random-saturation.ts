import { mul } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { hsvToRgb, rgbToHsv } from '../ops/image-hsv.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';
import { rgbImages } from './rgb-images.js';
import { rescale } from './value-range.js';

export interface RandomSaturationConfig extends RandomColorConfig {
  /**
   * The draw's range: a draw f scales the saturation by f / (1 − f), so 0.5 keeps it, 0 makes
   * grey and 1 full saturation. A number f is [0, f], as Keras documents; a pair may reach down
   * to −1 (Keras 3 saves RandomSaturation(f) as [−f, f]), a negative draw making grey.
   */
  factor: Factor;
}

/** Keras's backend epsilon, which keeps a draw of 1 finite: 1 / (1 − 1 + ε). */
const EPSILON = 1e-7;

/** A saturation factor setting as [lower, upper] (a number f is [0, f]); else an error naming `owner` and `option`. */
export const saturationRange = (owner: string, option: string, value: unknown): [number, number] => zeroBasedRange(owner, option, value, 1, -1);

/**
 * Keras's RandomSaturation: while training, each RGB image's HSV saturation is scaled by its own
 * random ratio and clipped to [0, 1]. `new RandomSaturation([0.3, 0.7], {valueRange: [0, 1]})`.
 */
export class RandomSaturation extends RandomColor {
  static override readonly className = 'RandomSaturation';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomSaturationConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomSaturationConfig, config: Omit<RandomSaturationConfig, 'factor'> = {}) {
    const full: RandomSaturationConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = saturationRange('RandomSaturation', 'factor', full.factor);
  }

  protected override checkedImages(inputs: Tensor): Tensor {
    return rgbImages(this.label, inputs);
  }

  protected draw(generator: RandomGenerator): number {
    const f = uniform(generator, this.factor);
    return f / (1 - f + EPSILON);
  }

  protected adjust(images: Tensor, ratios: Tensor): Tensor {
    // Keras 3's code clips the saturation to valueRange, letting it pass 1 (and pixels go
    // negative) on [0, 255] images; a saturation is a fraction, so [0, 1].
    const hsv = rgbToHsv(rescale(images, this.valueRange, [0, 1]));
    return rescale(hsvToRgb({ ...hsv, saturation: clipByValue(mul(hsv.saturation, ratios), 0, 1) }), [0, 1], this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomSaturation as LayerClass);
