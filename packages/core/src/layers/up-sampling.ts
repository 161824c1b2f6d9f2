import { broadcastTo } from '../ops/broadcast-to.js';
import { reshape } from '../ops/reshape.js';
import { resizeBilinear } from '../ops/resize.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { sizeOf } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput, sizesArgument, withMainArgument } from './spatial-arguments.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface UpSamplingConfig extends LayerConfig {
  /** How many times each entry of each spatial axis is repeated (see the class for the forms). Default 2. */
  size?: number | readonly number[];
}

/**
 * Each entry of `x` along `axis` repeated `times` in a row. Done as [before, n, 1, after] broadcast
 * to [before, n, times, after], so no tensor goes above rank 4 whatever the axis: repeating every
 * axis at once would take 2D images to rank 6, beyond what tfjs-webgl's tile (behind broadcastTo) supports.
 */
function repeatEach(x: Tensor, axis: number, times: number): Tensor {
  const shape = x.shape;
  const grouped = [sizeOf(shape.slice(0, axis)), shape[axis]!, 1, sizeOf(shape.slice(axis + 1))];
  const repeated = broadcastTo(reshape(x, grouped), grouped.map((d, i) => (i === 2 ? times : d)));
  return reshape(repeated, shape.map((d, i) => (i === axis ? d * times : d)));
}

/** What UpSampling1D, 2D and 3D share: each entry of the spatial axes of channels-last inputs repeated (nearest-neighbour), by reshape and broadcastTo. */
export abstract class UpSampling extends Layer {
  static override readonly options: OptionList = { size: true } satisfies OwnOptions<UpSamplingConfig, LayerConfig>;
  /** Repeats per spatial axis. */
  readonly size: readonly number[];

  protected constructor(rank: number, config: UpSamplingConfig) {
    super(config);
    this.size = sizesArgument(classNameOf(new.target as unknown as LayerClass), 'size', config.size ?? 2, rank);
  }

  override call(inputs: Tensor): Tensor {
    checkSpatialInput(this.label, inputs.shape, this.size.length);
    return this.size.reduce((x, times, i) => (times === 1 ? x : repeatEach(x, i + 1, times)), inputs);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkSpatialInput(this.label, inputShape, this.size.length);
    return inputShape.map((d, i) => {
      const times = this.size[i - 1];
      return d === null || times === undefined ? d : d * times;
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), size: this.size.length === 1 ? this.size[0]! : [...this.size] };
  }
}

/** Keras's UpSampling1D: each step of [batch, steps, channels] repeated `size` times. `new UpSampling1D(3)`. */
export class UpSampling1D extends UpSampling {
  static override readonly className = 'UpSampling1D';
  static override readonly options: OptionList = {};

  constructor(size?: number | UpSamplingConfig, config: LayerConfig = {}) {
    super(1, withMainArgument<UpSamplingConfig>('size', size, config));
  }
}
registerClass(UpSampling1D as LayerClass);

export interface UpSampling2DConfig extends UpSamplingConfig {
  /** 'nearest' (the default: each pixel repeated) or 'bilinear' (interpolated between pixel centres, as Keras's). */
  interpolation?: 'nearest' | 'bilinear';
}

/**
 * Keras's UpSampling2D: each pixel of [batch, height, width, channels] images repeated into a
 * block of `size` rows and columns. `new UpSampling2D(2)` or `new UpSampling2D([2, 3])` ([height, width]).
 */
export class UpSampling2D extends UpSampling {
  static override readonly className = 'UpSampling2D';
  static override readonly options: OptionList = { interpolation: true } satisfies OwnOptions<UpSampling2DConfig, UpSamplingConfig>;
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(size?: number | readonly [number, number] | UpSampling2DConfig, config: Omit<UpSampling2DConfig, 'size'> = {}) {
    const full = withMainArgument<UpSampling2DConfig>('size', size, config);
    super(2, full);
    const interpolation: unknown = full.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(`UpSampling2D: interpolation must be 'nearest' or 'bilinear' (the ones implemented here), got ${describeValue(interpolation)}`);
    }
    this.interpolation = interpolation;
  }

  /** Bilinear: TensorFlow 2's tf.image.resize, which Keras's UpSampling2D calls (pixel centres sampled). */
  override call(inputs: Tensor): Tensor {
    if (this.interpolation === 'nearest') return super.call(inputs);
    checkSpatialInput(this.label, inputs.shape, 2);
    return resizeBilinear(inputs, [inputs.shape[1]! * this.size[0]!, inputs.shape[2]! * this.size[1]!], false, true);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}
registerClass(UpSampling2D as LayerClass);

/**
 * Keras's UpSampling3D: each voxel of [batch, depth, height, width, channels] volumes repeated
 * into a block of `size` depths, rows and columns. `new UpSampling3D(2)` or `new UpSampling3D([1, 2, 2])`.
 */
export class UpSampling3D extends UpSampling {
  static override readonly className = 'UpSampling3D';
  static override readonly options: OptionList = {};

  constructor(size?: number | readonly [number, number, number] | UpSamplingConfig, config: LayerConfig = {}) {
    super(3, withMainArgument<UpSamplingConfig>('size', size, config));
  }
}
registerClass(UpSampling3D as LayerClass);
