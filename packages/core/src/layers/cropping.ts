import { slice } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput, edgesArgument, edgesConfig, spatialAxisName, withMainArgument, type Edges, type EdgesArgument } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface CroppingConfig extends LayerConfig {
  /** Entries removed at the ends of each spatial axis (see the class for the forms). Default: 1 in 1D and 3D, 0 in 2D, as in Keras. */
  cropping?: EdgesArgument;
}

/** What Cropping1D, 2D and 3D share: the ends of the spatial axes of channels-last inputs cut off, by the slice op. */
export abstract class Cropping extends Layer {
  static override readonly options: OptionList = { cropping: true } satisfies OwnOptions<CroppingConfig, LayerConfig>;
  /** [before, after] per spatial axis. */
  readonly cropping: Edges;

  protected constructor(rank: number, config: CroppingConfig, fallback: number) {
    super(config);
    this.cropping = edgesArgument(classNameOf(new.target as unknown as LayerClass), 'cropping', config.cropping ?? fallback, rank);
  }

  /** The input's shape with each spatial axis cropped (null stays unknown); an error naming the layer when an axis would be left empty, as Keras refuses that too. */
  #croppedShape(shape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, shape, this.cropping.length);
    return shape.map((d, i) => {
      const edges = this.cropping[i - 1];
      if (d === null || !edges) return d;
      const kept = d - edges[0] - edges[1];
      if (kept <= 0) {
        throw new Error(
          `${this.label}: cropping ${edges[0]} + ${edges[1]} along ${spatialAxisName(this.cropping.length, i - 1)} needs more than ${edges[0] + edges[1]} entries there,`
          + ` got ${d} (shape ${formatShape(shape.map((s) => s ?? -1))})`,
        );
      }
      return kept;
    });
  }

  override call(inputs: Tensor): Tensor {
    const size = this.#croppedShape(inputs.shape) as number[];
    return slice(inputs, [0, ...this.cropping.map((edges) => edges[0]), 0], size);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.#croppedShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cropping: edgesConfig(this.cropping) };
  }
}

/**
 * Keras's Cropping1D: steps cut off the start and end of [batch, steps, channels].
 * `new Cropping1D(2)` (2 each end), `new Cropping1D([1, 3])` ([start, end]). Default 1.
 */
export class Cropping1D extends Cropping {
  static override readonly className = 'Cropping1D';
  static override readonly options: OptionList = {};

  constructor(cropping?: number | readonly [number, number] | CroppingConfig, config: LayerConfig = {}) {
    super(1, withMainArgument<CroppingConfig>('cropping', cropping, config), 1);
  }
}
registerClass(Cropping1D as LayerClass);

/**
 * Keras's Cropping2D: rows and columns cut off the borders of [batch, height, width, channels]
 * images. `new Cropping2D(1)`, `new Cropping2D([1, 2])` ([height, width], both sides) or
 * `new Cropping2D([[0, 1], [2, 3]])` ([[top, bottom], [left, right]]). Default 0.
 */
export class Cropping2D extends Cropping {
  static override readonly className = 'Cropping2D';
  static override readonly options: OptionList = {};

  constructor(cropping?: EdgesArgument | CroppingConfig, config: LayerConfig = {}) {
    super(2, withMainArgument<CroppingConfig>('cropping', cropping, config), 0);
  }
}
registerClass(Cropping2D as LayerClass);

/**
 * Keras's Cropping3D: depths, rows and columns cut off the borders of [batch, depth, height,
 * width, channels] volumes. `new Cropping3D(1)`, `new Cropping3D([1, 2, 0])` ([depth, height,
 * width], both sides) or `new Cropping3D([[0, 1], [2, 3], [1, 1]])`. Default 1.
 */
export class Cropping3D extends Cropping {
  static override readonly className = 'Cropping3D';
  static override readonly options: OptionList = {};

  constructor(cropping?: EdgesArgument | CroppingConfig, config: LayerConfig = {}) {
    super(3, withMainArgument<CroppingConfig>('cropping', cropping, config), 1);
  }
}
registerClass(Cropping3D as LayerClass);
