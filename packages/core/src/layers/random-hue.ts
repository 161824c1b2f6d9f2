import { add } from '../ops/arithmetic.js';
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

export interface RandomHueConfig extends RandomColorConfig {
  /** The shift's size in half turns of the hue circle, within [0, 1]: f is [0, f]. Each image turns by a draw from it, either way with equal chance. */
  factor: Factor;
}

/** A hue factor setting as [lower, upper] (a number f is [0, f]); else an error naming `owner` and `option`. */
export const hueRange = (owner: string, option: string, value: unknown): [number, number] => zeroBasedRange(owner, option, value, 1);

/**
 * Keras's RandomHue: while training, each RGB image's hue is turned by its own random amount,
 * up to half a turn (factor 1), in HSV computed on the images mapped to [0, 1].
 * `new RandomHue(0.2, {valueRange: [0, 1]})`.
 */
export class RandomHue extends RandomColor {
  static override readonly className = 'RandomHue';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomHueConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomHueConfig, config: Omit<RandomHueConfig, 'factor'> = {}) {
    const full: RandomHueConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = hueRange('RandomHue', 'factor', full.factor);
  }

  protected override checkedImages(inputs: Tensor): Tensor {
    return rgbImages(this.label, inputs);
  }

  /** The turn as a fraction of the circle: a half-turn-scaled size, its sign drawn first. */
  protected draw(generator: RandomGenerator): number {
    const sign = generator.nextFloat() > 0.5 ? -1 : 1;
    return sign * uniform(generator, this.factor) * 0.5;
  }

  protected adjust(images: Tensor, turns: Tensor): Tensor {
    const hsv = rgbToHsv(rescale(images, this.valueRange, [0, 1]));
    return rescale(hsvToRgb({ ...hsv, hue: add(hsv.hue, turns) }), [0, 1], this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomHue as LayerClass);
