import { pad } from '../ops/pad.js';
import { resizeBilinear, resizeNearestNeighbor } from '../ops/resize.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { floatImages } from './image-inputs.js';
import { ImageSizeLayer, type ImageSizeConfig } from './image-size-layer.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';

const INTERPOLATIONS = ['bilinear', 'nearest'] as const;
type Interpolation = (typeof INTERPOLATIONS)[number];

export interface ResizingConfig extends ImageSizeConfig {
  /** 'bilinear' (the default) or 'nearest'. */
  interpolation?: Interpolation;
  /** Crop the largest centred window of the target's aspect ratio first, so nothing is stretched. Default false. */
  cropToAspectRatio?: boolean;
  /** Pad the short side evenly with `fillValue` to the target's aspect ratio first. Default false. */
  padToAspectRatio?: boolean;
  /** How padding is filled: only 'constant' (with `fillValue`), as in Keras. */
  fillMode?: 'constant';
  /** The value `padToAspectRatio` pads with; a finite number, default 0. */
  fillValue?: number;
}

/**
 * Keras's Resizing: [batch, height, width, channels] images (or one image without the batch)
 * resized to `height` × `width`, sampling pixel centres as TensorFlow 2's tf.image.resize does,
 * as float32. `new Resizing(64, 64)` or `new Resizing({height: 64, width: 64, cropToAspectRatio: true})`.
 */
export class Resizing extends ImageSizeLayer {
  static override readonly className = 'Resizing';
  static override readonly options: OptionList = {
    interpolation: true, cropToAspectRatio: true, padToAspectRatio: true, fillMode: true, fillValue: true,
  } satisfies OwnOptions<ResizingConfig, ImageSizeConfig>;

  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(height: number | ResizingConfig, width?: number, config: Omit<ResizingConfig, 'height' | 'width'> = {}) {
    const full: ResizingConfig = typeof height === 'object' ? height : { ...config, height, width: width! };
    super(full);
    const interpolation: unknown = full.interpolation ?? 'bilinear';
    if (!INTERPOLATIONS.includes(interpolation as Interpolation)) {
      throw new Error(`Resizing: interpolation must be 'bilinear' or 'nearest' (the ones implemented here), got ${describeValue(interpolation)}`);
    }
    this.interpolation = interpolation as Interpolation;
    this.cropToAspectRatio = full.cropToAspectRatio ?? false;
    this.padToAspectRatio = full.padToAspectRatio ?? false;
    if (this.cropToAspectRatio && this.padToAspectRatio) throw new Error('Resizing: cropToAspectRatio and padToAspectRatio cannot both be true');
    if ((full.fillMode ?? 'constant') !== 'constant') throw new Error(`Resizing: fillMode must be 'constant' (the only one Keras has), got ${describeValue(full.fillMode)}`);
    this.fillValue = full.fillValue ?? 0;
    if (!Number.isFinite(this.fillValue)) throw new Error(`Resizing: fillValue must be a finite number, got ${describeValue(full.fillValue)}`);
  }

  override call(inputs: Tensor): Tensor {
    const images = floatImages(this.label, inputs);
    const framed = this.cropToAspectRatio ? this.aspectWindow(images) : this.padToAspectRatio ? this.#padded(images) : images;
    const resize = this.interpolation === 'bilinear' ? resizeBilinear : resizeNearestNeighbor;
    return resize(framed, [this.height, this.width], false, true);
  }

  /** The short side padded with `fillValue`, the same amount on both ends, as Keras does. */
  #padded(images: Tensor): Tensor {
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    const padHeight = Math.max(height, Math.trunc((width * this.height) / this.width));
    const padWidth = Math.max(width, Math.trunc((height * this.width) / this.height));
    const [top, left] = [Math.trunc((padHeight - height) / 2), Math.trunc((padWidth - width) / 2)];
    const lead = images.shape.slice(0, -3).map(() => [0, 0] as const);
    return pad(images, [...lead, [top, top], [left, left], [0, 0]], this.fillValue);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(), interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio, padToAspectRatio: this.padToAspectRatio, fillMode: 'constant', fillValue: this.fillValue,
    };
  }
}
registerClass(Resizing as LayerClass);
