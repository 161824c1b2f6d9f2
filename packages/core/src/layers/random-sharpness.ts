import { add, mul, sub } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import { depthwiseConv2d } from '../ops/depthwise-conv2d.js';
import { reshape } from '../ops/reshape.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { isConfig, uniform, zeroBasedRange, type Factor } from './factor-range.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { RandomColor, type RandomColorConfig } from './random-color.js';
import { registerClass, type LayerClass } from './registry.js';

export interface RandomSharpnessConfig extends RandomColorConfig {
  /** The draw's range within [0, 1]: 0 blurs, 0.5 keeps the image, 1 sharpens; a number f is [0, f]. */
  factor: Factor;
}

/** The smoothing filter's weights, row-major 3×3: the centre 5/13, its neighbours 1/13. */
const SMOOTHING = [1, 1, 1, 1, 5, 1, 1, 1, 1].map((w) => w / 13);

/**
 * Keras's RandomSharpness: while training, each image blended with its smoothed self (each
 * channel convolved with SMOOTHING, zero-padded at the borders as Keras 3's 'same' convolution
 * is) by a random amount s = 2·draw: x + (1 − s)·(smoothed − x), clipped.
 * `new RandomSharpness([0.2, 0.8])`.
 */
export class RandomSharpness extends RandomColor {
  static override readonly className = 'RandomSharpness';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomSharpnessConfig, RandomColorConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomSharpnessConfig, config: Omit<RandomSharpnessConfig, 'factor'> = {}) {
    const full: RandomSharpnessConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = zeroBasedRange('RandomSharpness', 'factor', full.factor, 1);
  }

  protected draw(generator: RandomGenerator): number {
    return 2 * uniform(generator, this.factor);
  }

  protected adjust(images: Tensor, sharpness: Tensor): Tensor {
    const channels = images.shape[images.rank - 1]!;
    const filter = tensor(SMOOTHING.flatMap((w) => new Array<number>(channels).fill(w)), [3, 3, channels, 1]);
    const batched = images.rank === 4 ? images : reshape(images, [1, ...images.shape]);
    const smoothed = reshape(depthwiseConv2d(batched, filter, { padding: 'same' }), images.shape);
    return add(images, mul(sub(1, sharpness), sub(smoothed, images)));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomSharpness as LayerClass);
