import { tensor } from '../ops/convert.js';
import { luma } from '../ops/image-colors.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberArgument } from '../util/arguments.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { rgbImages } from './rgb-images.js';

export interface RandomGrayscaleConfig extends NoiseLayerConfig {
  /** Each image's chance of turning grey, in [0, 1]. Default 0.5. */
  factor?: number;
}

/**
 * Keras's RandomGrayscale: while training, each RGB image turns grey with chance `factor`, every
 * channel becoming its luma (0.2989·r + 0.587·g + 0.114·b), so the output keeps 3 channels;
 * otherwise images pass through. Float32 out. `new RandomGrayscale(0.2)`.
 */
export class RandomGrayscale extends NoiseLayer {
  static override readonly className = 'RandomGrayscale';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomGrayscaleConfig, NoiseLayerConfig>;
  readonly factor: number;

  constructor(factor?: number | RandomGrayscaleConfig, config: Omit<RandomGrayscaleConfig, 'factor'> = {}) {
    const full: RandomGrayscaleConfig = typeof factor === 'object' ? factor : { ...config, factor };
    super(full);
    this.factor = numberArgument('RandomGrayscale', 'factor', full.factor ?? 0.5, ['a chance in [0, 1]', (v) => v >= 0 && v <= 1]);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = rgbImages(this.label, inputs);
    if (!kwargs.training) return images;
    const batch = images.rank === 4 ? images.shape[0]! : 1;
    const generator = this.generator();
    const grey = Uint8Array.from({ length: batch }, () => Number(generator.nextFloat() < this.factor));
    return where(tensor(grey, images.rank === 4 ? [batch, 1, 1, 1] : [1, 1, 1], 'bool'), luma(images), images);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
registerClass(RandomGrayscale as LayerClass);
