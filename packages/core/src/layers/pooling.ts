import { avgPool2d, maxPool2d } from '../ops/pool2d.js';
import type { Pool2DSettings } from '../ops/pool2d-geometry.js';
import { paddingMode, type Padding, type WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface PoolingConfig extends LayerConfig {
  /** The window: one size per spatial axis, or one number for every axis. Default 2. */
  poolSize?: number | readonly number[];
  /** Steps between windows, in the same forms. Default (and null): the pool size, so the windows tile the input. */
  strides?: number | readonly number[] | null;
  /** Default 'valid'. */
  padding?: Padding;
}

/** What a pooling keeps of each window: its largest value or its mean. */
export type PoolReduction = 'max' | 'average';

const POOL_OPS: Readonly<Record<PoolReduction, (images: Tensor, settings: Pool2DSettings) => Tensor>> = { max: maxPool2d, average: avgPool2d };

/** Checks a poolSize or strides argument and gives one size per spatial axis, or an error naming `layer` and `option`. */
export type SizesArgument = (layer: string, option: string, value: unknown) => readonly number[];

/**
 * What the max and average poolings of every rank share: the window, its strides and padding,
 * checked once, and the pooling of images by the maxPool2d or avgPool2d op (a 1D pooling's are
 * one row high; a 3D pooling's ops pool depth planes with them), so its gradients and ONNX
 * export come with the op.
 */
export abstract class Pooling extends Layer {
  static override readonly options: OptionList = { poolSize: true, strides: true, padding: true } satisfies OwnOptions<PoolingConfig, LayerConfig>;
  /** One size per spatial axis. */
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  protected readonly reduction: PoolReduction;

  protected constructor(reduction: PoolReduction, config: PoolingConfig, sizesArgument: SizesArgument) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.poolSize = sizesArgument(layer, 'poolSize', config.poolSize ?? 2);
    this.strides = sizesArgument(layer, 'strides', config.strides ?? this.poolSize);
    this.padding = paddingMode(layer, config.padding ?? 'valid');
    this.reduction = reduction;
  }

  /** `images` [batch, height, width, channels] pooled as `imageWindow` says: [batch, outHeight, outWidth, channels]. */
  protected poolImages(images: Tensor, imageWindow: WindowSettings): Tensor {
    const { window, strides, padding } = imageWindow;
    return POOL_OPS[this.reduction](images, { poolSize: window, strides, padding });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}
