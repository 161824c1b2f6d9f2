import { cast } from '../ops/cast.js';
import { pad } from '../ops/pad.js';
import { resizeBilinear, resizeNearestNeighbor } from '../ops/resize.js';
import { slice } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

const INTERPOLATIONS = ['bilinear', 'nearest'] as const;
type Interpolation = (typeof INTERPOLATIONS)[number];

export interface ResizingConfig extends LayerConfig {
  /** The output's height and width, in pixels. */
  height: number;
  width: number;
  /** 'bilinear' (the default) or 'nearest'. */
  interpolation?: Interpolation;
  /** Crop the largest centred window of the target's aspect ratio first, so nothing is stretched. Default false. */
  cropToAspectRatio?: boolean;
  /** Pad the short side evenly with `fillValue` to the target's aspect ratio first. Default false. */
  padToAspectRatio?: boolean;
  /** How padding is filled: only 'constant' (with `fillValue`), as in Keras. */
  fillMode?: 'constant';
  fillValue?: number;
}

/** `value` if it is a positive integer; else an error naming the option. */
function pixels(option: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new Error(`Resizing: ${option} must be a positive integer, got ${describeValue(value)}`);
}

/**
 * Keras's Resizing: [batch, height, width, channels] images (or one image without the batch)
 * resized to `height` × `width`, sampling pixel centres as TensorFlow 2's tf.image.resize does,
 * as float32. `new Resizing(64, 64)` or `new Resizing({height: 64, width: 64, cropToAspectRatio: true})`.
 */
export class Resizing extends Layer {
  static override readonly className = 'Resizing';
  static override readonly options: OptionList = {
    height: true, width: true, interpolation: true, cropToAspectRatio: true, padToAspectRatio: true, fillMode: true, fillValue: true,
  } satisfies OwnOptions<ResizingConfig, LayerConfig>;

  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(height: number | ResizingConfig, width?: number, config: Omit<ResizingConfig, 'height' | 'width'> = {}) {
    const full: ResizingConfig = typeof height === 'object' ? height : { ...config, height, width: width! };
    super(full);
    this.height = pixels('height', full.height);
    this.width = pixels('width', full.width);
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
    this.#checkRank(inputs.shape);
    const floats = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    const framed = this.cropToAspectRatio ? this.#cropped(floats) : this.padToAspectRatio ? this.#padded(floats) : floats;
    const resize = this.interpolation === 'bilinear' ? resizeBilinear : resizeNearestNeighbor;
    return resize(framed, [this.height, this.width], false, true);
  }

  /** The largest centred window of the target's aspect ratio (Keras's sizes: rounded down, at least 1). */
  #cropped(images: Tensor): Tensor {
    const [height, width] = images.shape.slice(-3, -1) as [number, number];
    const cropHeight = Math.max(1, Math.min(height, Math.trunc((width * this.height) / this.width)));
    const cropWidth = Math.max(1, Math.min(width, Math.trunc((height * this.width) / this.height)));
    const lead = images.shape.slice(0, -3).map(() => 0);
    const begin = [...lead, Math.trunc((height - cropHeight) / 2), Math.trunc((width - cropWidth) / 2), 0];
    return slice(images, begin, [...images.shape.slice(0, -3), cropHeight, cropWidth, -1]);
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

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== 3 && shape.length !== 4) {
      throw new Error(`${this.label}: expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape ${formatShape(shape.map((d) => d ?? -1))}`);
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    return [...inputShape.slice(0, -3), this.height, this.width, inputShape.at(-1)!];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio, padToAspectRatio: this.padToAspectRatio, fillMode: 'constant', fillValue: this.fillValue,
    };
  }
}
registerClass(Resizing as LayerClass);
