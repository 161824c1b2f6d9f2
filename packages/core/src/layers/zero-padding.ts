import { pad } from '../ops/pad.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput, edgesArgument, edgesConfig, withMainArgument, type Edges, type EdgesArgument } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ZeroPaddingConfig extends LayerConfig {
  /** Zeros added at the ends of each spatial axis (see the class for the forms). Default 1. */
  padding?: EdgesArgument;
}

/** What ZeroPadding1D, 2D and 3D share: zeros around the spatial axes of channels-last inputs, by the pad op. */
export abstract class ZeroPadding extends Layer {
  static override readonly options: OptionList = { padding: true } satisfies OwnOptions<ZeroPaddingConfig, LayerConfig>;
  /** [before, after] per spatial axis. */
  readonly padding: Edges;

  protected constructor(rank: number, config: ZeroPaddingConfig) {
    super(config);
    this.padding = edgesArgument(classNameOf(new.target as unknown as LayerClass), 'padding', config.padding ?? 1, rank);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, this.padding.length);
    return pad(inputs, [[0, 0], ...this.padding, [0, 0]]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, this.padding.length);
    return inputShape.map((d, i) => {
      const edges = this.padding[i - 1];
      return d === null || !edges ? d : d + edges[0] + edges[1];
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), padding: edgesConfig(this.padding) };
  }
}

/**
 * Keras's ZeroPadding1D: zeros before and after the steps of [batch, steps, channels].
 * `new ZeroPadding1D(2)` (2 each side), `new ZeroPadding1D([1, 3])` ([before, after]).
 */
export class ZeroPadding1D extends ZeroPadding {
  static override readonly className = 'ZeroPadding1D';
  static override readonly options: OptionList = {};

  constructor(padding?: number | readonly [number, number] | ZeroPaddingConfig, config: LayerConfig = {}) {
    super(1, withMainArgument<ZeroPaddingConfig>('padding', padding, config));
  }
}
registerClass(ZeroPadding1D as LayerClass);

/**
 * Keras's ZeroPadding2D: zero rows and columns around [batch, height, width, channels] images.
 * `new ZeroPadding2D(1)`, `new ZeroPadding2D([1, 2])` ([height, width], both sides) or
 * `new ZeroPadding2D([[0, 1], [2, 3]])` ([[top, bottom], [left, right]]).
 */
export class ZeroPadding2D extends ZeroPadding {
  static override readonly className = 'ZeroPadding2D';
  static override readonly options: OptionList = {};

  constructor(padding?: EdgesArgument | ZeroPaddingConfig, config: LayerConfig = {}) {
    super(2, withMainArgument<ZeroPaddingConfig>('padding', padding, config));
  }
}
registerClass(ZeroPadding2D as LayerClass);

/**
 * Keras's ZeroPadding3D: zeros around the depth, height and width of [batch, depth, height,
 * width, channels] volumes. `new ZeroPadding3D(1)`, `new ZeroPadding3D([1, 2, 0])` ([depth,
 * height, width], both sides) or `new ZeroPadding3D([[0, 1], [2, 3], [1, 1]])`.
 */
export class ZeroPadding3D extends ZeroPadding {
  static override readonly className = 'ZeroPadding3D';
  static override readonly options: OptionList = {};

  constructor(padding?: EdgesArgument | ZeroPaddingConfig, config: LayerConfig = {}) {
    super(3, withMainArgument<ZeroPaddingConfig>('padding', padding, config));
  }
}
registerClass(ZeroPadding3D as LayerClass);
