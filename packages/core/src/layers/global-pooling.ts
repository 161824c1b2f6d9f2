import { div, mul } from '../ops/arithmetic.js';
import { max, mean, sum } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { booleanArgument } from '../util/arguments.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig } from './layer.js';
import { asWeights, sequenceMask, type LayerMask } from './mask.js';
import type { PoolReduction } from './pooling.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface GlobalPoolingConfig extends LayerConfig {
  /** Keep the spatial axes as 1s ([batch, 1, channels], [batch, 1, 1, channels], [batch, 1, 1, 1, channels]). Default false: [batch, channels]. */
  keepdims?: boolean;
}

/** The config of GlobalAveragePooling2D, as every global pooling's. */
export type GlobalAveragePooling2DConfig = GlobalPoolingConfig;

const REDUCTIONS: Readonly<Record<PoolReduction, typeof mean>> = { average: mean, max };

/**
 * What the global poolings share: each channel of channels-last inputs [batch, ...spatial,
 * channels] reduced over all `rank` spatial axes at once, by the mean or max reduction op.
 */
export abstract class GlobalPooling extends Layer {
  static override readonly options: OptionList = { keepdims: true } satisfies OwnOptions<GlobalPoolingConfig, LayerConfig>;
  readonly keepdims: boolean;
  readonly #rank: number;
  readonly #reduction: PoolReduction;

  protected constructor(rank: number, reduction: PoolReduction, config: GlobalPoolingConfig) {
    super(config);
    this.keepdims = booleanArgument(classNameOf(new.target as unknown as LayerClass), 'keepdims', config.keepdims, false);
    this.#rank = rank;
    this.#reduction = reduction;
  }

  get #spatialAxes(): number[] {
    return Array.from({ length: this.#rank }, (_, i) => i + 1);
  }

  /** The average over a sequence's steps reads their mask, as Keras's GlobalAveragePooling1D. */
  override get supportsMasking(): boolean {
    return this.#rank === 1 && this.#reduction === 'average';
  }

  /** The steps are pooled away, and their mask with them. */
  override computeMask(_inputs?: Tensor | Tensor[], _mask?: LayerMask): LayerMask {
    return null;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    checkSpatialInput(this.label, inputs.shape, this.#rank);
    const mask = this.supportsMasking ? sequenceMask(this.label, kwargs.mask, inputs.shape) : null;
    if (mask) {
      // The mean over the data steps alone: padding weighs 0 in the sum and in the count.
      const weights = expandDims(asWeights(mask), -1);
      return div(sum(mul(inputs, weights), 1, this.keepdims), sum(weights, 1, this.keepdims));
    }
    return REDUCTIONS[this.#reduction](inputs, this.#spatialAxes, this.keepdims);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, this.#rank);
    const [batch, channels] = [inputShape[0] ?? null, inputShape[this.#rank + 1] ?? null];
    return this.keepdims ? [batch, ...this.#spatialAxes.map(() => 1), channels] : [batch, channels];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), keepdims: this.keepdims };
  }
}

/** Keras's GlobalAveragePooling1D: the mean of each feature over the steps of [batch, steps, features]. */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(1, 'average', config);
  }
}
registerClass(GlobalAveragePooling1D as LayerClass);

/** Keras's GlobalMaxPooling1D: the largest value of each feature over the steps of [batch, steps, features]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(1, 'max', config);
  }
}
registerClass(GlobalMaxPooling1D as LayerClass);

/** Keras's GlobalAveragePooling2D: the mean of each channel over the height and width of [batch, height, width, channels]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(2, 'average', config);
  }
}
registerClass(GlobalAveragePooling2D as LayerClass);

/** Keras's GlobalMaxPooling2D: the largest value of each channel over the height and width of [batch, height, width, channels]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(2, 'max', config);
  }
}
registerClass(GlobalMaxPooling2D as LayerClass);

/** Keras's GlobalAveragePooling3D: the mean of each channel over the depth, height and width of [batch, depth, height, width, channels]. */
export class GlobalAveragePooling3D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling3D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(3, 'average', config);
  }
}
registerClass(GlobalAveragePooling3D as LayerClass);

/** Keras's GlobalMaxPooling3D: the largest value of each channel over the depth, height and width of [batch, depth, height, width, channels]. */
export class GlobalMaxPooling3D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling3D';
  static override readonly options: OptionList = {};

  constructor(config: GlobalPoolingConfig = {}) {
    super(3, 'max', config);
  }
}
registerClass(GlobalMaxPooling3D as LayerClass);
