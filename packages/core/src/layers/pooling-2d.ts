import { avgPool2d, maxPool2d } from '../ops/pool2d.js';
import type { Pool2DSettings } from '../ops/pool2d-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { outputSpatialSize, paddingMode, spatialPair, type Padding, type SpatialPair, type WindowSettings } from '../ops/window-geometry.js';

export interface Pooling2DConfig extends LayerConfig {
  /** The window [height, width], or one number for both. Default 2. */
  poolSize?: number | readonly [number, number];
  /** Default: the pool size, so the windows tile the image. */
  strides?: number | readonly [number, number] | null;
  /** Default 'valid'. */
  padding?: Padding;
}

/** What MaxPooling2D and AveragePooling2D share: the window, its strides and padding on channels-last images. */
export abstract class Pooling2D extends Layer {
  readonly poolSize: SpatialPair;
  readonly strides: SpatialPair;
  readonly padding: Padding;

  constructor(config: Pooling2DConfig = {}) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.poolSize = spatialPair(layer, 'poolSize', config.poolSize ?? 2);
    this.strides = spatialPair(layer, 'strides', config.strides ?? this.poolSize);
    this.padding = paddingMode(layer, config.padding ?? 'valid');
  }

  /** Reduces each window to one value per channel: [batch, outHeight, outWidth, channels]. */
  protected abstract pool(inputs: Tensor, settings: Pool2DSettings): Tensor;

  protected get label(): string {
    return `${classNameOf(this.constructor as LayerClass)} '${this.name}'`;
  }

  get #window(): WindowSettings {
    return { window: this.poolSize, strides: this.strides, dilation: [1, 1], padding: this.padding };
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small an image names the layer, not the op.
    outputSpatialSize(this.label, inputs.shape, this.#window);
    return this.pool(inputs, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.#window), inputShape[3] ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}

/**
 * Keras's MaxPooling2D: the largest value of each window (of its values inside the image, with
 * 'same'), by the maxPool2d op. The gradient goes to one tap per window, the first holding the
 * maximum when several do, as TensorFlow's max_pool2d gradient, which Keras uses.
 */
export class MaxPooling2D extends Pooling2D {
  static override readonly className = 'MaxPooling2D';

  protected override pool(inputs: Tensor, settings: Pool2DSettings): Tensor {
    return maxPool2d(inputs, settings);
  }
}
registerClass(MaxPooling2D as LayerClass);

/** Keras's AveragePooling2D: the mean of each window; with 'same', of its values inside the image only. By the avgPool2d op. */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';

  protected override pool(inputs: Tensor, settings: Pool2DSettings): Tensor {
    return avgPool2d(inputs, settings);
  }
}
registerClass(AveragePooling2D as LayerClass);
