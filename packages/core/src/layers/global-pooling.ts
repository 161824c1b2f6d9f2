import { max, mean } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { booleanArgument } from '../util/arguments.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { PoolReduction } from './pooling.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface GlobalPoolingConfig extends LayerConfig {
  /** Keep the spatial axes as 1s ([batch, 1, channels], [batch, 1, 1, channels]). Default false: [batch, channels]. */
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
  readonly keepdims: boolean;
  readonly #rank: number;
  readonly #reduction: PoolReduction;

  protected constructor(rank: number, reduction: PoolReduction, config: GlobalPoolingConfig) {
    super(config);
    this.keepdims = booleanArgument(classNameOf(new.target as unknown as LayerClass), 'keepdims', config.keepdims, false);
    this.#rank = rank;
    this.#reduction = reduction;
  }

  get #label(): string {
    return `${classNameOf(this.constructor as LayerClass)} '${this.name}'`;
  }

  get #spatialAxes(): number[] {
    return Array.from({ length: this.#rank }, (_, i) => i + 1);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.#label, inputs.shape, this.#rank);
    return REDUCTIONS[this.#reduction](inputs, this.#spatialAxes, this.keepdims);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.#label, inputShape, this.#rank);
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

  constructor(config: GlobalPoolingConfig = {}) {
    super(1, 'average', config);
  }
}
registerClass(GlobalAveragePooling1D as LayerClass);

/** Keras's GlobalMaxPooling1D: the largest value of each feature over the steps of [batch, steps, features]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';

  constructor(config: GlobalPoolingConfig = {}) {
    super(1, 'max', config);
  }
}
registerClass(GlobalMaxPooling1D as LayerClass);

/** Keras's GlobalAveragePooling2D: the mean of each channel over the height and width of [batch, height, width, channels]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';

  constructor(config: GlobalPoolingConfig = {}) {
    super(2, 'average', config);
  }
}
registerClass(GlobalAveragePooling2D as LayerClass);

/** Keras's GlobalMaxPooling2D: the largest value of each channel over the height and width of [batch, height, width, channels]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';

  constructor(config: GlobalPoolingConfig = {}) {
    super(2, 'max', config);
  }
}
registerClass(GlobalMaxPooling2D as LayerClass);
