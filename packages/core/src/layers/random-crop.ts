import { resizeBilinear } from '../ops/resize.js';
import type { RandomGenerator } from '../random/generator.js';
import { layerGenerator } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatImages } from './image-inputs.js';
import { imageWindow, ImageSizeLayer, type ImageSizeConfig } from './image-size-layer.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';

export interface RandomCropConfig extends ImageSizeConfig {
  /** Seeds this layer's own generator; without it, the crops come from the global one (`setSeed`). */
  seed?: number;
}

/**
 * Keras's RandomCrop: while training, a `height` × `width` window at a random place, the same for
 * every image of the batch, as Keras does. Otherwise, and for images not larger than the window,
 * the largest centred window of its aspect ratio resized to it (Keras's smart_resize), so
 * inference sees whole images. Float32 out. `new RandomCrop(24, 24, {seed: 1})`.
 */
export class RandomCrop extends ImageSizeLayer {
  static override readonly className = 'RandomCrop';
  static override readonly options: OptionList = { seed: true } satisfies OwnOptions<RandomCropConfig, ImageSizeConfig>;
  readonly seed: number | undefined;
  readonly #generator: () => RandomGenerator;

  constructor(height: number | RandomCropConfig, width?: number, config: Omit<RandomCropConfig, 'height' | 'width'> = {}) {
    const full: RandomCropConfig = typeof height === 'object' ? height : { ...config, height, width: width! };
    super(full);
    this.seed = full.seed;
    this.#generator = layerGenerator(full.seed);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = floatImages(this.label, inputs);
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    if (!kwargs.training || height <= this.height || width <= this.width) {
      return resizeBilinear(this.aspectWindow(images), [this.height, this.width], false, true);
    }
    const generator = this.#generator();
    return imageWindow(images, generator.nextInt(height - this.height + 1), generator.nextInt(width - this.width + 1), this.height, this.width);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
registerClass(RandomCrop as LayerClass);
