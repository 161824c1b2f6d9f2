import { outputSpatialSize, spatialPair, type Padding, type SpatialPair, type WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import { Pooling, type PoolReduction } from './pooling.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { LayerConfig } from './layer.js';
import type { OptionList } from './layer-options.js';

export interface Pooling2DConfig extends LayerConfig {
  /** The window [height, width], or one number for both. Default 2. */
  poolSize?: number | readonly [number, number];
  /** Default (and null): the pool size, so the windows tile the image. */
  strides?: number | readonly [number, number] | null;
  /** Default 'valid'. */
  padding?: Padding;
}

/** What MaxPooling2D and AveragePooling2D share: pooling channels-last images [batch, height, width, channels]. */
export abstract class Pooling2D extends Pooling {
  declare readonly poolSize: SpatialPair;
  declare readonly strides: SpatialPair;

  protected constructor(reduction: PoolReduction, config: Pooling2DConfig) {
    super(reduction, config, spatialPair);
  }

  protected get imageWindow(): WindowSettings {
    return { window: this.poolSize, strides: this.strides, dilation: [1, 1], padding: this.padding };
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small an image names the layer, not the op.
    outputSpatialSize(this.label, inputs.shape, this.imageWindow);
    return this.poolImages(inputs, this.imageWindow);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.imageWindow), inputShape[3] ?? null];
  }
}

/**
 * Keras's MaxPooling2D: the largest value of each window (of its values inside the image, with
 * 'same'), by the maxPool2d op. The gradient goes to one tap per window, the first holding the
 * maximum when several do, as TensorFlow's max_pool2d gradient, which Keras uses.
 */
export class MaxPooling2D extends Pooling2D {
  static override readonly className = 'MaxPooling2D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling2DConfig = {}) {
    super('max', config);
  }
}
registerClass(MaxPooling2D as LayerClass);

/** Keras's AveragePooling2D: the mean of each window; with 'same', of its values inside the image only. By the avgPool2d op. */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling2DConfig = {}) {
    super('average', config);
  }
}
registerClass(AveragePooling2D as LayerClass);
