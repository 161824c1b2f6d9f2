import type { Tensor } from '../tensor/tensor.js';
import { factorRange, type Factor } from './factor-range.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { contrastRange, RandomBrightness, RandomContrast, type RandomColor } from './random-color.js';
import { hueRange, RandomHue } from './random-hue.js';
import { RandomSaturation, saturationRange } from './random-saturation.js';
import { registerClass, type LayerClass } from './registry.js';
import { rgbImages } from './rgb-images.js';
import { valueRangeOf } from './value-range.js';

export interface RandomColorJitterConfig extends NoiseLayerConfig {
  /** The range the pixels lie in, [low, high]; every step clips to it. Default [0, 255]. */
  valueRange?: readonly [number, number];
  /** RandomBrightness's factor; unset (or null) skips the step. */
  brightnessFactor?: Factor | null;
  /** RandomContrast's factor; unset (or null) skips the step. */
  contrastFactor?: Factor | null;
  /** RandomSaturation's factor; unset (or null) skips the step. */
  saturationFactor?: Factor | null;
  /** RandomHue's factor; unset (or null) skips the step. */
  hueFactor?: Factor | null;
}

/**
 * Keras's RandomColorJitter: while training, RandomBrightness, RandomContrast, RandomSaturation
 * and RandomHue in that order, those whose factor is set, each drawing from this layer's
 * generator; otherwise images pass through. Saturation and hue need RGB images.
 * `new RandomColorJitter({valueRange: [0, 1], brightnessFactor: 0.2, hueFactor: 0.1})`.
 */
export class RandomColorJitter extends NoiseLayer {
  static override readonly className = 'RandomColorJitter';
  static override readonly options: OptionList = {
    valueRange: true, brightnessFactor: true, contrastFactor: true, saturationFactor: true, hueFactor: true,
  } satisfies OwnOptions<RandomColorJitterConfig, NoiseLayerConfig>;
  readonly valueRange: [number, number];
  readonly brightness: RandomBrightness | null;
  readonly contrast: RandomContrast | null;
  readonly saturation: RandomSaturation | null;
  readonly hue: RandomHue | null;

  constructor(config: RandomColorJitterConfig = {}) {
    super(config);
    const owner = 'RandomColorJitter';
    const valueRange = valueRangeOf(owner, config.valueRange);
    this.valueRange = valueRange;
    // The steps' names are this layer's, so they take no default name from the user's layers.
    const step = (name: string) => ({ valueRange, name: `${this.name}_${name}` });
    const { brightnessFactor: brightness, contrastFactor: contrast, saturationFactor: saturation, hueFactor: hue } = config;
    this.brightness = brightness == null ? null : new RandomBrightness(factorRange(owner, 'brightnessFactor', brightness, 1), step('brightness'));
    this.contrast = contrast == null ? null : new RandomContrast(contrastRange(owner, 'contrastFactor', contrast), step('contrast'));
    this.saturation = saturation == null ? null : new RandomSaturation(saturationRange(owner, 'saturationFactor', saturation), step('saturation'));
    this.hue = hue == null ? null : new RandomHue(hueRange(owner, 'hueFactor', hue), step('hue'));
  }

  /** Keras writes the factors as given (a number, or a pair), which the constructor reads into pairs. */
  static override fromConfig(_cls: LayerClass, config: ConfigDict): RandomColorJitter {
    return new RandomColorJitter(config as RandomColorJitterConfig);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = this.saturation || this.hue ? rgbImages(this.label, inputs) : floatImages(this.label, inputs);
    if (!kwargs.training) return images;
    const generator = this.generator();
    const steps: (RandomColor | null)[] = [this.brightness, this.contrast, this.saturation, this.hue];
    return steps.reduce((adjusted: Tensor, step) => (step ? step.augment(adjusted, generator) : adjusted), images);
  }

  override getConfig(): ConfigDict {
    const factor = (step: { factor: [number, number] } | null) => (step ? [...step.factor] : null);
    return {
      ...super.getConfig(), valueRange: [...this.valueRange],
      brightnessFactor: factor(this.brightness), contrastFactor: factor(this.contrast), saturationFactor: factor(this.saturation), hueFactor: factor(this.hue),
    };
  }
}
registerClass(RandomColorJitter as LayerClass);
