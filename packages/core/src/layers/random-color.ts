import { add, mul, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { tensor } from '../ops/convert.js';
import { mean } from '../ops/reduce.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { factorRange, isConfig, uniform, type Factor } from './factor-range.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { valueRangeOf } from './value-range.js';

export interface RandomColorConfig extends NoiseLayerConfig {
  /** The range the pixels lie in, [low, high]: outputs are clipped to it. Default [0, 255]. */
  valueRange?: readonly [number, number];
}

/**
 * What Keras's colour augmentation layers (RandomContrast, RandomBrightness, RandomHue, ...)
 * share: while training, each channels-last image is adjusted by its own random draws, then
 * clipped to `valueRange`; otherwise images pass through. Float32 out. The draws are made on the
 * host and the adjustment is written in ops, so gradients reach the pixels on every backend.
 */
export abstract class RandomColor extends NoiseLayer {
  static override readonly options: OptionList = { valueRange: true } satisfies OwnOptions<RandomColorConfig, NoiseLayerConfig>;
  readonly valueRange: [number, number];

  constructor(config: RandomColorConfig) {
    super(config);
    this.valueRange = valueRangeOf(classNameOf(new.target as unknown as LayerClass), config.valueRange);
  }

  /** One image's draw, or its several draws when `adjust` takes several. */
  protected abstract draw(generator: RandomGenerator): number | readonly number[];

  /**
   * `images` adjusted by `draws` (the k-th of each image's draws in the k-th tensor), each shaped
   * to broadcast over height, width and channels; before clipping.
   */
  protected abstract adjust(images: Tensor, ...draws: Tensor[]): Tensor;

  /** The inputs as the float32 images this layer adjusts; RGB layers refuse other channel counts. */
  protected checkedImages(inputs: Tensor): Tensor {
    return floatImages(this.label, inputs);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = this.checkedImages(inputs);
    return kwargs.training ? this.augment(images, this.generator()) : images;
  }

  /**
   * Float32 `images` (a batch, or one image) adjusted by draws from `generator` and clipped: the
   * training output. RandomColorJitter calls its parts' with its own generator.
   */
  augment(images: Tensor, generator: RandomGenerator): Tensor {
    const batch = images.rank === 4 ? images.shape[0]! : 1;
    if (batch === 0) return images;
    const perImage = Array.from({ length: batch }, () => [this.draw(generator)].flat());
    const shape = images.rank === 4 ? [batch, 1, 1, 1] : [1, 1, 1];
    const draws = perImage[0]!.map((_, k) => tensor(perImage.map((d) => d[k]!), shape));
    return clipByValue(this.adjust(images, ...draws), ...this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), valueRange: [...this.valueRange] };
  }
}

export interface RandomContrastConfig extends RandomColorConfig {
  /**
   * The contrast factor's range is [1 − lower, 1 + upper], 0 ≤ lower ≤ upper ≤ 1. A number f
   * is [f, f], so [1 − f, 1 + f], as Keras documents (Keras 3's code reads it as [0, f], which
   * only ever raises the contrast).
   */
  factor: Factor;
}

/** A contrast factor setting as [lower, upper] (a number f is [f, f]); else an error naming `owner` and `option`. */
export const contrastRange = (owner: string, option: string, value: unknown): [number, number] =>
  factorRange(owner, option, typeof value === 'number' && value >= 0 && value <= 1 ? [value, value] : value, 1, 0);

/**
 * Keras's RandomContrast: while training, each image's every channel is spread about its own
 * mean over height and width by the image's random factor, (x − mean)·factor + mean.
 * `new RandomContrast(0.2)`.
 */
export class RandomContrast extends RandomColor {
  static override readonly className = 'RandomContrast';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomContrastConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomContrastConfig, config: Omit<RandomContrastConfig, 'factor'> = {}) {
    const full: RandomContrastConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = contrastRange('RandomContrast', 'factor', full.factor);
  }

  protected draw(generator: RandomGenerator): number {
    return uniform(generator, [1 - this.factor[0], 1 + this.factor[1]]);
  }

  protected adjust(images: Tensor, factors: Tensor): Tensor {
    const means = mean(images, [-3, -2], true);
    return add(mul(sub(images, means), factors), means);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomContrast as LayerClass);

export interface RandomBrightnessConfig extends RandomColorConfig {
  /** The shift's range as a fraction of valueRange's span, within [−1, 1]: f is [−f, f]. −1 makes an image all `low`, 1 all `high`. */
  factor: Factor;
}

/** Keras's RandomBrightness: while training, each image shifted by its own random amount, the same for every pixel and channel. `new RandomBrightness(0.2)`. */
export class RandomBrightness extends RandomColor {
  static override readonly className = 'RandomBrightness';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomBrightnessConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomBrightnessConfig, config: Omit<RandomBrightnessConfig, 'factor'> = {}) {
    const full: RandomBrightnessConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = factorRange('RandomBrightness', 'factor', full.factor, 1);
  }

  protected draw(generator: RandomGenerator): number {
    const [low, high] = this.valueRange;
    return uniform(generator, this.factor) * (high - low);
  }

  protected adjust(images: Tensor, deltas: Tensor): Tensor {
    return add(images, deltas);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomBrightness as LayerClass);
