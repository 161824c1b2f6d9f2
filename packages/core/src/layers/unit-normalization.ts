import { div, maximum } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { sum } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { axisOption, featureAxes } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface UnitNormalizationConfig extends LayerConfig {
  /** The axis or axes each sample's L2 norm is taken over. Default -1. */
  axis?: number | readonly number[];
}

/**
 * Keras's floor under the squared norm (not the norm): a slice of zeros stays zeros, with the
 * finite gradient 1/sqrt(1e-12) = 1e6, instead of 0/0.
 */
const SQUARED_NORM_FLOOR = 1e-12;

/**
 * Keras's UnitNormalization: each sample divided by its L2 norm over `axis`,
 * x / sqrt(max(Σx², 1e-12)), so that it has norm 1 there. No weights. Keras keeps the input's
 * mask whatever the axes.
 */
export class UnitNormalization extends SameShapeLayer {
  static override readonly className = 'UnitNormalization';
  static override readonly options: OptionList = { axis: true } satisfies OwnOptions<UnitNormalizationConfig, LayerConfig>;
  readonly axis: number | readonly number[];

  constructor(config: UnitNormalizationConfig = {}) {
    super(config);
    this.axis = axisOption('UnitNormalization', config.axis);
  }

  override call(inputs: Tensor): Tensor {
    // Checked on every call: with no weights, nothing ties the layer to the shape it was built for.
    const axes = featureAxes(this.label, this.axis, inputs.shape);
    // As Keras, integer inputs are normalized as floats.
    const x = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    return div(x, sqrt(maximum(sum(square(x), axes, true), SQUARED_NORM_FLOOR)));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
  }
}
registerClass(UnitNormalization as LayerClass);
