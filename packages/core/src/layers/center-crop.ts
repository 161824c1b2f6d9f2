import { resizeBilinear } from '../ops/resize.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatImages } from './image-inputs.js';
import { centredSlice, ImageSizeLayer, type ImageSizeConfig } from './image-size-layer.js';
import type { OptionList } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';

/**
 * Keras's CenterCrop: the centred `height` × `width` window of channels-last images, as float32.
 * An image smaller than that along either axis is resized instead, as Keras's smart_resize does:
 * its largest centred window of the target's aspect ratio, by bilinear interpolation between
 * pixel centres. `new CenterCrop(24, 24)` or `new CenterCrop({height: 24, width: 24})`.
 */
export class CenterCrop extends ImageSizeLayer {
  static override readonly className = 'CenterCrop';
  static override readonly options: OptionList = {};

  constructor(height: number | ImageSizeConfig, width?: number, config: Omit<ImageSizeConfig, 'height' | 'width'> = {}) {
    super(typeof height === 'object' ? height : { ...config, height, width: width! });
  }

  override call(inputs: Tensor): Tensor {
    const images = floatImages(this.label, inputs);
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    if (height >= this.height && width >= this.width) return centredSlice(images, this.height, this.width);
    return resizeBilinear(this.aspectWindow(images), [this.height, this.width], false, true);
  }
}
registerClass(CenterCrop as LayerClass);
