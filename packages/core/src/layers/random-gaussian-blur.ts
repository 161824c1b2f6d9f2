import { clipByValue } from '../ops/clip.js';
import { tensor } from '../ops/convert.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { reshape } from '../ops/reshape.js';
import { transpose } from '../ops/transpose.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { factorRange, isConfig, uniform, type Factor } from './factor-range.js';
import { chanceRange, drawChance } from './image-chance.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { valueRangeOf } from './value-range.js';

/** Keras's Gaussian taps along one axis: exp(−½(i − (size − 1)/2)²/σ²), normalised to sum 1. */
export function gaussianTaps(size: number, sigma: number): number[] {
  const taps = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
  const total = taps.reduce((s, v) => s + v, 0);
  return taps.map((v) => v / total);
}

const isOddSize = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0 && v % 2 === 1;

export interface RandomGaussianBlurConfig extends NoiseLayerConfig {
  /** The chance each image is blurred: a range of probabilities within [0, 1], a number f being [0, f]. Default 1, so [0, 1]. */
  factor?: Factor;
  /** The kernel's size, odd: k for k × k, or [height, width]. Default 3. */
  kernelSize?: number | readonly [number, number];
  /** The kernel's standard deviation in pixels: a number σ > 0, or [lower, upper] (0 ≤ lower ≤ upper) to draw one per image. Default 1. */
  sigma?: Factor;
  /** The range the pixels lie in, [low, high]: outputs are clipped to it. Default [0, 255]. */
  valueRange?: readonly [number, number];
}

/**
 * Keras's RandomGaussianBlur: while training, each image is blurred by chance (`factor`) with a
 * Gaussian kernel of its own σ (drawn from `sigma`, plus 1e-6 as Keras adds), the image taken as
 * zero beyond its edges, as Keras's 'same' convolution does; then every image is clipped to
 * `valueRange`. Otherwise images pass through. Float32 out. One σ per image, for both axes, as
 * Keras documents; Keras's code draws one σ per axis for the whole batch.
 * `new RandomGaussianBlur([1, 1], {sigma: [0.5, 2]})`.
 */
export class RandomGaussianBlur extends NoiseLayer {
  static override readonly className = 'RandomGaussianBlur';
  static override readonly options: OptionList = { factor: true, kernelSize: true, sigma: true, valueRange: true } satisfies OwnOptions<RandomGaussianBlurConfig, NoiseLayerConfig>;
  readonly factor: [number, number];
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  readonly valueRange: [number, number];

  constructor(factor?: Factor | RandomGaussianBlurConfig, config: Omit<RandomGaussianBlurConfig, 'factor'> = {}) {
    const full: RandomGaussianBlurConfig = factor !== undefined && isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = chanceRange('RandomGaussianBlur', full.factor ?? 1);
    const size: unknown = full.kernelSize ?? 3;
    const sizes = typeof size === 'number' ? [size, size] : size;
    if (!Array.isArray(sizes) || sizes.length !== 2 || !sizes.every(isOddSize)) {
      throw new Error(`RandomGaussianBlur: kernelSize must be an odd positive integer or [height, width] of them, got ${describeValue(size)}`);
    }
    this.kernelSize = [sizes[0] as number, sizes[1] as number];
    const sigma = full.sigma ?? 1;
    // A number is the σ itself, as Keras documents (Keras's code reads it as [0, σ] and caps it at 1).
    if (typeof sigma === 'number' && !(sigma > 0)) throw new Error(`RandomGaussianBlur: sigma must be a positive number or [lower, upper] with 0 ≤ lower ≤ upper, got ${describeValue(sigma)}`);
    this.sigma = factorRange('RandomGaussianBlur', 'sigma', typeof sigma === 'number' ? [sigma, sigma] : sigma, Infinity, 0);
    this.valueRange = valueRangeOf('RandomGaussianBlur', full.valueRange);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = floatImages(this.label, inputs);
    if (!kwargs.training) return images;
    const [batch, height, width, channels] = (inputs.rank === 4 ? images.shape : [1, ...images.shape]) as [number, number, number, number];
    const generator = this.generator();
    const [kh, kw] = this.kernelSize;
    // One depthwise filter per image and channel: the image's Gaussian, or for an image left
    // alone a single tap of 1, which reproduces it exactly.
    const filter = new Float32Array(kh * kw * batch * channels);
    for (let b = 0; b < batch; b++) {
      const blurred = drawChance(generator, this.factor);
      const sigma = uniform(generator, this.sigma) + 1e-6;
      const [rows, columns] = blurred ? [gaussianTaps(kh, sigma), gaussianTaps(kw, sigma)] : [[1], [1]];
      const [top, left] = blurred ? [0, 0] : [(kh - 1) / 2, (kw - 1) / 2];
      rows.forEach((ry, i) => columns.forEach((rx, j) => {
        for (let c = 0; c < channels; c++) filter[(((top + i) * kw + left + j) * batch + b) * channels + c] = ry * rx;
      }));
    }
    // The batch folded into the channels, so each image meets its own filter in one convolution.
    const folded = reshape(transpose(reshape(images, [batch, height, width, channels]), [1, 2, 0, 3]), [1, height, width, batch * channels]);
    const convolved = depthwiseConv2d(folded, tensor(filter, [kh, kw, batch * channels, 1]), { padding: 'same' });
    const unfolded = transpose(reshape(convolved, [height, width, batch, channels]), [2, 0, 1, 3]);
    return clipByValue(reshape(unfolded, images.shape), ...this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor], kernelSize: [...this.kernelSize], sigma: [...this.sigma], valueRange: [...this.valueRange] };
  }
}
registerClass(RandomGaussianBlur as LayerClass);
