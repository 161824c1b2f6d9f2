import { div } from '../ops/arithmetic.js';
import { max, mean, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { poolingWindows, windowCounts } from './pooling-windows.js';
import { outputSpatialSize, paddingMode, planWindow, spatialPair, type Padding, type SpatialPair, type WindowPlan, type WindowSettings } from '../ops/window-geometry.js';

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

  /** Reduces each window of the plan to one value per channel: [batch, outHeight, outWidth, channels]. */
  protected abstract pool(inputs: Tensor, plan: WindowPlan): Tensor;

  protected get label(): string {
    return `${classNameOf(this.constructor as LayerClass)} '${this.name}'`;
  }

  get #window(): WindowSettings {
    return { window: this.poolSize, strides: this.strides, dilation: [1, 1], padding: this.padding };
  }

  override call(inputs: Tensor): Tensor {
    return this.pool(inputs, planWindow(this.label, inputs.shape, this.#window));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.#window), inputShape[3] ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding };
  }
}

/**
 * Keras's MaxPooling2D: the largest value of each window. With 'same' the padding is −∞, so it
 * never wins. The gradient is the max op's: it goes to the elements equal to the window's
 * maximum, shared equally among ties (as TensorFlow's reduce_max; Keras's max_pool2d gives it all
 * to one of them instead).
 */
export class MaxPooling2D extends Pooling2D {
  static override readonly className = 'MaxPooling2D';

  protected override pool(inputs: Tensor, plan: WindowPlan): Tensor {
    const { windows, axes } = poolingWindows(inputs, plan, -Infinity);
    return max(windows, axes);
  }
}
registerClass(MaxPooling2D as LayerClass);

/** Keras's AveragePooling2D: the mean of each window; with 'same', of its values inside the image only. */
export class AveragePooling2D extends Pooling2D {
  static override readonly className = 'AveragePooling2D';

  protected override pool(inputs: Tensor, plan: WindowPlan): Tensor {
    const { windows, axes } = poolingWindows(inputs, plan, 0);
    const counts = windowCounts(plan);
    return counts ? div(sum(windows, axes), counts) : mean(windows, axes);
  }
}
registerClass(AveragePooling2D as LayerClass);
