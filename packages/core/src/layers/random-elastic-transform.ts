import { clipByValue } from '../ops/clip.js';
import { resample } from '../ops/image-transform.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import { chanceRange, drawChance } from './image-chance.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomWarp, type RandomAffineConfig } from './random-affine.js';
import { gaussianTaps } from './random-gaussian-blur.js';
import { registerClass, type LayerClass } from './registry.js';
import { valueRangeOf } from './value-range.js';

/** `field` [height, width] convolved with taps ⊗ taps, zero beyond the edges, as Keras blurs its displacements. */
function blurField(field: Float64Array, height: number, width: number, taps: readonly number[]): Float64Array {
  const half = (taps.length - 1) / 2;
  const along = (source: Float64Array, step: number, size: number, at: (i: number) => number): Float64Array => {
    const out = new Float64Array(source.length);
    for (let i = 0; i < source.length; i++) {
      let s = 0;
      taps.forEach((w, t) => {
        const j = at(i) + t - half;
        if (j >= 0 && j < size) s += w * source[i + (t - half) * step]!;
      });
      out[i] = s;
    }
    return out;
  };
  return along(along(field, 1, width, (i) => i % width), width, height, (i) => Math.floor(i / width));
}

export interface RandomElasticTransformConfig extends RandomAffineConfig {
  /** The chance each image is distorted: a range of probabilities within [0, 1], a number f being [0, f]. Default 1, so [0, 1]. */
  factor?: Factor;
  /** The range, within [0, 1], of the batch's distortion s: a number is [0, s]. Default 1, so [0, 1]. */
  scale?: Factor;
  /** The range the pixels lie in, [low, high]: outputs are clipped to it. Default [0, 255]. */
  valueRange?: readonly [number, number];
}

/**
 * Keras's RandomElasticTransform: while training, s is drawn from `scale` once per batch, giving
 * α = 0.1·s·max(height, width) and σ = 0.05·s·min(height, width); each image, by chance
 * (`factor`), reads at (x + α·dx, y + α·dy), dx and dy its own fields of normal draws times σ
 * blurred by the Gaussian of σ over int(6σ) | 1 taps, zero beyond the edges, as Keras computes
 * them. Points outside read as fillMode says (default 'reflect', as Keras's code has it; its docs
 * say 'constant'); then every image is clipped to `valueRange`. `new RandomElasticTransform([1, 1], {scale: 0.5})`.
 */
export class RandomElasticTransform extends RandomWarp {
  static override readonly className = 'RandomElasticTransform';
  static override readonly options: OptionList = { factor: true, scale: true, valueRange: true } satisfies OwnOptions<RandomElasticTransformConfig, RandomAffineConfig>;
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly valueRange: [number, number];

  constructor(factor?: Factor | RandomElasticTransformConfig, config: Omit<RandomElasticTransformConfig, 'factor'> = {}) {
    const full: RandomElasticTransformConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = chanceRange('RandomElasticTransform', full.factor ?? 1);
    this.scale = zeroBasedRange('RandomElasticTransform', 'scale', full.scale ?? 1, 1);
    this.valueRange = valueRangeOf('RandomElasticTransform', full.valueRange);
  }

  protected warp(images: Tensor, generator: RandomGenerator): Tensor {
    // As in Keras: a layer that can never distort leaves images as they are, unclipped.
    if (this.scale[1] === 0 || this.factor[1] === 0) return images;
    const [batch, height, width] = images.shape as [number, number, number];
    const distorted = Array.from({ length: batch }, () => drawChance(generator, this.factor));
    const s = uniform(generator, this.scale);
    const [alpha, sigma] = [0.1 * s * Math.max(height, width), 0.05 * s * Math.min(height, width)];
    const taps = sigma > 0 ? gaussianTaps(Math.trunc(6 * sigma) | 1, sigma) : [1];
    const field = () => blurField(Float64Array.from({ length: height * width }, () => generator.nextNormal() * sigma), height, width, taps);
    const shifts = distorted.map((on) => (on ? [field(), field()] : null));
    const points = new Float64Array(2 * shifts.length * height * width);
    shifts.forEach((shift, b) => {
      for (let p = 0; p < height * width; p++) {
        const at = 2 * (b * height * width + p);
        points[at] = (p % width) + (shift ? alpha * shift[0]![p]! : 0);
        points[at + 1] = Math.floor(p / width) + (shift ? alpha * shift[1]![p]! : 0);
      }
    });
    return clipByValue(resample(images, height, width, points, this.interpolation, this.fillMode, this.fillValue), ...this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor], scale: [...this.scale], valueRange: [...this.valueRange] };
  }
}
registerClass(RandomElasticTransform as LayerClass);
