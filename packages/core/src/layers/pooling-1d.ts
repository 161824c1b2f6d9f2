import type { Padding, WindowSettings } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { Pooling, type PoolReduction } from './pooling.js';
import { registerClass, type LayerClass } from './registry.js';
import { outputSteps, rowWindow, throughRowImage } from './sequence-as-image.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList } from './layer-options.js';

export interface Pooling1DConfig extends LayerConfig {
  /** Steps in a window (Keras also takes it as a list of one). Default 2. */
  poolSize?: number | readonly [number];
  /** Default (and null): the pool size, so the windows tile the sequence. */
  strides?: number | readonly [number] | null;
  /** Default 'valid'. */
  padding?: Padding;
}

/** `value`, a positive integer or a list of one, as the one size of the steps axis. */
function stepsArgument(layer: string, option: string, value: unknown): readonly [number] {
  const size: unknown = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw new Error(`${layer}: ${option} must be a positive integer, got ${describeValue(value)}`);
  }
  return [size];
}

/**
 * What MaxPooling1D and AveragePooling1D share: pooling sequences [batch, steps, features]
 * along the steps, as the 2D pooling ops on one-row images (as Conv1D does on conv2d).
 */
export abstract class Pooling1D extends Pooling {
  declare readonly poolSize: readonly [number];
  declare readonly strides: readonly [number];

  protected constructor(reduction: PoolReduction, config: Pooling1DConfig) {
    super(reduction, config, stepsArgument);
  }

  protected get imageWindow(): WindowSettings {
    return rowWindow(this.poolSize[0], this.strides[0], this.padding);
  }

  #outputSteps(shape: SymbolicShape): number | null {
    return outputSteps(this.label, shape, this.imageWindow, 'the pooling window');
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too short a sequence names the layer, not the op.
    this.#outputSteps(inputs.shape);
    return throughRowImage(inputs, (image) => this.poolImages(image, this.imageWindow));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, this.#outputSteps(inputShape), inputShape[2] ?? null];
  }

  /** Sizes as single numbers, as Conv1D writes its kernelSize and strides. */
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize[0], strides: this.strides[0] };
  }
}

/** Keras's MaxPooling1D: the largest value of each window of steps, per feature; the gradient goes to the first maximum of a window, as in MaxPooling2D. */
export class MaxPooling1D extends Pooling1D {
  static override readonly className = 'MaxPooling1D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling1DConfig = {}) {
    super('max', config);
  }
}
registerClass(MaxPooling1D as LayerClass);

/** Keras's AveragePooling1D: the mean of each window of steps, per feature; with 'same', of its steps inside the sequence only. */
export class AveragePooling1D extends Pooling1D {
  static override readonly className = 'AveragePooling1D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling1DConfig = {}) {
    super('average', config);
  }
}
registerClass(AveragePooling1D as LayerClass);
