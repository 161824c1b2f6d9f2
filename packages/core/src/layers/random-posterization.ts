import { div, mul } from '../ops/arithmetic.js';
import { floor } from '../ops/unary.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { isConfig, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';
import { rescale } from './value-range.js';

export interface RandomPosterizationConfig extends RandomColorConfig {
  /** How many of a pixel's 8 bits to keep: whole numbers [lower, upper] within [1, 8], each image's drawn from them (both ends included); a number b is [1, b]. */
  factor: Factor;
}

/** A bits setting as whole [lower, upper] within [1, 8] (a number b is [1, b], as Keras 3 reads it); else an error naming the option. */
function bitsRange(value: unknown): [number, number] {
  const range = typeof value === 'number' ? [1, value] : value;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => Number.isInteger(v) && v >= 1 && v <= 8) || range[0] > range[1]) {
    throw new Error(`RandomPosterization: factor must be a whole number in [1, 8] or [lower, upper] with whole 1 ≤ lower ≤ upper ≤ 8, got ${describeValue(value)}`);
  }
  return [range[0] as number, range[1] as number];
}

/**
 * Keras's RandomPosterization: while training, each image's pixels, mapped to [0, 255], keep
 * only their top `bits` bits (floor(x / 2^(8 − bits))·2^(8 − bits)), `bits` drawn per image;
 * mapped back. Posterized values are steps, so no gradient reaches the pixels, as in Keras.
 * `new RandomPosterization(4)`.
 */
export class RandomPosterization extends RandomColor {
  static override readonly className = 'RandomPosterization';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomPosterizationConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomPosterizationConfig, config: Omit<RandomPosterizationConfig, 'factor'> = {}) {
    const full: RandomPosterizationConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = bitsRange(full.factor);
  }

  /** The step 2^(8 − bits) for a bit count drawn uniformly from [lower, upper]. */
  protected draw(generator: RandomGenerator): number {
    const [lower, upper] = this.factor;
    return 2 ** (8 - (lower + generator.nextInt(upper - lower + 1)));
  }

  protected adjust(images: Tensor, steps: Tensor): Tensor {
    const levels = floor(div(rescale(images, this.valueRange, [0, 255]), steps));
    return rescale(mul(levels, steps), [0, 255], this.valueRange);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomPosterization as LayerClass);
