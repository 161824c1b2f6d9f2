import { clipByValue } from '../ops/clip.js';
import { tensor } from '../ops/convert.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import { markBox } from './image-box.js';
import { chanceRange, drawChance } from './image-chance.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { valueRangeOf } from './value-range.js';

export interface RandomErasingConfig extends NoiseLayerConfig {
  /** The chance each image has a patch erased: a range of probabilities within [0, 1], a number f being [0, f]. Default 1, so [0, 1]. */
  factor?: Factor;
  /**
   * The range, within [0, 1], of two draws per image whose square roots are the patch's width and
   * height as fractions of the image's (so [s, s] erases about a fraction s of it); a number s is
   * [0, s]. Default [0.02, 0.33]. Keras's docs call it an aspect-ratio range; its code, followed
   * here, uses it so.
   */
  scale?: Factor;
  /** What the patch holds: a number, one number per channel, or null (the default) for normal noise times valueRange's high; clipped to valueRange. */
  fillValue?: number | readonly number[] | null;
  /** The range the pixels lie in, [low, high]. Default [0, 255]. */
  valueRange?: readonly [number, number];
}

/**
 * Keras's RandomErasing: while training, each image by chance (`factor`) has a rectangle of pixels
 * replaced by `fillValue`. Its sides are √s_w·width and √s_h·height (s_w, s_h drawn from `scale`),
 * its corner (x0, y0) uniform over the places it fits; it covers the pixels whose column x and row
 * y satisfy x0 ≤ x < x0 + side and likewise for y. Otherwise images pass through. Float32 out.
 * `new RandomErasing([1, 1], {scale: [0.1, 0.2], fillValue: 0})`.
 */
export class RandomErasing extends NoiseLayer {
  static override readonly className = 'RandomErasing';
  static override readonly options: OptionList = { factor: true, scale: true, fillValue: true, valueRange: true } satisfies OwnOptions<RandomErasingConfig, NoiseLayerConfig>;
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly fillValue: number | readonly number[] | null;
  readonly valueRange: [number, number];

  constructor(factor?: Factor | RandomErasingConfig, config: Omit<RandomErasingConfig, 'factor'> = {}) {
    const full: RandomErasingConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = chanceRange('RandomErasing', full.factor ?? 1);
    this.scale = zeroBasedRange('RandomErasing', 'scale', full.scale ?? [0.02, 0.33], 1);
    const fill: unknown = full.fillValue ?? null;
    const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
    if (fill !== null && !isNumber(fill) && !(Array.isArray(fill) && fill.length > 0 && fill.every(isNumber))) {
      throw new Error(`RandomErasing: fillValue must be a number, a list of numbers (one per channel) or null (noise), got ${describeValue(fill)}`);
    }
    this.fillValue = Array.isArray(fill) ? [...(fill as number[])] : (fill as number | null);
    this.valueRange = valueRangeOf('RandomErasing', full.valueRange);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = floatImages(this.label, inputs);
    if (!kwargs.training) return images;
    const [batch, height, width, channels] = (inputs.rank === 4 ? images.shape : [1, ...images.shape]) as [number, number, number, number];
    if (Array.isArray(this.fillValue) && this.fillValue.length !== channels) {
      throw new Error(`${this.label}: fillValue has ${this.fillValue.length} values but the images have ${channels} channels, shape ${JSON.stringify(images.shape)}`);
    }
    const generator = this.generator();
    const erased = new Uint8Array(batch * height * width);
    for (let b = 0; b < batch; b++) {
      const [across, down] = [Math.sqrt(uniform(generator, this.scale)) * width, Math.sqrt(uniform(generator, this.scale)) * height];
      const [x0, y0] = [generator.nextFloat() * (width - across), generator.nextFloat() * (height - down)];
      if (drawChance(generator, this.factor)) markBox(erased, b, height, width, x0, y0, across, down);
    }
    const fill = this.fillValue === null
      ? tensor(Float32Array.from({ length: images.size }, () => generator.nextNormal() * this.valueRange[1]), images.shape)
      : tensor(typeof this.fillValue === 'number' ? [this.fillValue] : this.fillValue, [typeof this.fillValue === 'number' ? 1 : channels]);
    const mask = tensor(erased, inputs.rank === 4 ? [batch, height, width, 1] : [height, width, 1], 'bool');
    return where(mask, clipByValue(fill, ...this.valueRange), images);
  }

  override getConfig(): ConfigDict {
    const fillValue = Array.isArray(this.fillValue) ? [...this.fillValue] : this.fillValue;
    return { ...super.getConfig(), factor: [...this.factor], scale: [...this.scale], fillValue, valueRange: [...this.valueRange] };
  }
}
registerClass(RandomErasing as LayerClass);
