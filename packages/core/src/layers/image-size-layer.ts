import { slice } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { checkImageShape } from './image-inputs.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { classNameOf, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface ImageSizeConfig extends LayerConfig {
  /** The output's height and width, in pixels. */
  height: number;
  /** The output's width in pixels; a positive integer, as `height`. */
  width: number;
}

/**
 * What Resizing, CenterCrop and RandomCrop share: a target height and width for channels-last
 * images, batched [batch, height, width, channels] or one [height, width, channels], and Keras's
 * window of the target's aspect ratio.
 */
export abstract class ImageSizeLayer extends Layer {
  static override readonly options: OptionList = { height: true, width: true } satisfies OwnOptions<ImageSizeConfig, LayerConfig>;
  readonly height: number;
  readonly width: number;

  protected constructor(config: ImageSizeConfig) {
    super(config);
    const owner = classNameOf(new.target as unknown as LayerClass);
    const pixels = (option: 'height' | 'width'): number => {
      const value: unknown = config[option];
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
      throw new Error(`${owner}: ${option} must be a positive integer, got ${describeValue(value)}`);
    };
    this.height = pixels('height');
    this.width = pixels('width');
  }

  /**
   * The largest centred window with the target's aspect ratio, as Keras's crop_to_aspect_ratio
   * cuts it: sizes rounded down, at least 1.
   */
  protected aspectWindow(images: Tensor): Tensor {
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    const cropHeight = Math.max(1, Math.min(height, Math.trunc((width * this.height) / this.width)));
    const cropWidth = Math.max(1, Math.min(width, Math.trunc((height * this.width) / this.height)));
    return centredSlice(images, cropHeight, cropWidth);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkImageShape(this.label, inputShape);
    return [...inputShape.slice(0, -3), this.height, this.width, inputShape.at(-1)!];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/** The `height` × `width` window of channels-last images whose top-left pixel is (`top`, `left`), every channel. */
export function imageWindow(images: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const lead = images.shape.slice(0, -3);
  return slice(images, [...lead.map(() => 0), top, left, 0], [...lead, height, width, -1]);
}

/** The `height` × `width` window at the centre of channels-last images (its start rounded down); they must be at least that large. */
export function centredSlice(images: Tensor, height: number, width: number): Tensor {
  const [inHeight, inWidth] = images.shape.slice(-3, -1) as [number, number];
  return imageWindow(images, Math.trunc((inHeight - height) / 2), Math.trunc((inWidth - width) / 2), height, width);
}
