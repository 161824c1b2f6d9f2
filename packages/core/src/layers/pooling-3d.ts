import { avgPool3d, maxPool3d, type Pool3DSettings } from '../ops/pool3d.js';
import { outputVolumeSize, spatialTriple, type SpatialTriple, type VolumeWindow } from '../ops/volume-geometry.js';
import type { Padding } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerConfig } from './layer.js';
import { Pooling, type PoolReduction } from './pooling.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList } from './layer-options.js';

export interface Pooling3DConfig extends LayerConfig {
  /** The window [depth, height, width], or one number for all three. Default 2. */
  poolSize?: number | readonly [number, number, number];
  /** Default (and null): the pool size, so the windows tile the volume. */
  strides?: number | readonly [number, number, number] | null;
  /** Default 'valid'. */
  padding?: Padding;
}

const POOL_3D_OPS: Readonly<Record<PoolReduction, (volumes: Tensor, settings: Pool3DSettings) => Tensor>> = { max: maxPool3d, average: avgPool3d };

/** What MaxPooling3D and AveragePooling3D share: pooling channels-last volumes [batch, depth, height, width, channels] by the maxPool3d or avgPool3d op. */
export abstract class Pooling3D extends Pooling {
  declare readonly poolSize: SpatialTriple;
  declare readonly strides: SpatialTriple;

  protected constructor(reduction: PoolReduction, config: Pooling3DConfig) {
    super(reduction, config, spatialTriple);
  }

  get #window(): VolumeWindow {
    return { window: this.poolSize, strides: this.strides, dilation: [1, 1, 1], padding: this.padding };
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small a volume names the layer, not the op.
    outputVolumeSize(this.label, inputs.shape, this.#window);
    return POOL_3D_OPS[this.reduction](inputs, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputVolumeSize(this.label, inputShape, this.#window), inputShape[4] ?? null];
  }
}

/**
 * Keras's MaxPooling3D: the largest value of each window (of its values inside the volume, with
 * 'same'), by the maxPool3d op. The gradient goes to the window's first maximum in (depth, row,
 * column) order when several tie.
 */
export class MaxPooling3D extends Pooling3D {
  static override readonly className = 'MaxPooling3D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling3DConfig = {}) {
    super('max', config);
  }
}
registerClass(MaxPooling3D as LayerClass);

/** Keras's AveragePooling3D: the mean of each window; with 'same', of its values inside the volume only. By the avgPool3d op. */
export class AveragePooling3D extends Pooling3D {
  static override readonly className = 'AveragePooling3D';
  static override readonly options: OptionList = {};

  constructor(config: Pooling3DConfig = {}) {
    super('average', config);
  }
}
registerClass(AveragePooling3D as LayerClass);
