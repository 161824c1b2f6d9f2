import { add, mul } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { rsqrt } from '../ops/safe-arithmetic.js';
import { square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { NON_NEGATIVE, numberArgument } from '../util/arguments.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { axisOption, checkWeightAxes, featureAxes, weightBroadcastShape } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface RMSNormalizationConfig extends LayerConfig {
  /** The axis or axes each sample's root mean square is taken over; the scale spans them. Default -1. */
  axis?: number | readonly number[];
  /** Added to the mean square, inside the square root. Default 1e-6, as Keras. */
  epsilon?: number;
}

/**
 * Keras's RMSNormalization (Keras 3.9 on; Zhang and Sennrich's RMSNorm): each sample divided by
 * its root mean square over `axis`, then multiplied by the learned `scale` (ones at first),
 * x · 1/sqrt(mean(x²) + epsilon) · scale. Unlike LayerNormalization, nothing is subtracted and
 * nothing added: no mean, no beta.
 */
export class RMSNormalization extends Layer {
  static override readonly className = 'RMSNormalization';
  static override readonly options: OptionList = { axis: true, epsilon: true } satisfies OwnOptions<RMSNormalizationConfig, LayerConfig>;
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  scale: Variable | null = null;
  /** The input axes the scale spans, sorted, known once built. */
  #axes: number[] = [];
  /** The shape that lines the scale up with the input, or null when it already does. */
  #broadcastShape: number[] | null = null;

  constructor(config: RMSNormalizationConfig = {}) {
    super(config);
    this.axis = axisOption('RMSNormalization', config.axis);
    this.epsilon = numberArgument('RMSNormalization', 'epsilon', config.epsilon ?? 1e-6, NON_NEGATIVE);
  }

  override build(inputShape: Shape): void {
    this.#axes = featureAxes(this.label, this.axis, inputShape);
    this.#broadcastShape = weightBroadcastShape(this.#axes, inputShape);
    this.scale = this.addWeight('scale', this.#axes.map((a) => inputShape[a]!), 'ones');
  }

  /** Each position is normalized alone along the feature axes, so the input's mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  protected override checkBuiltInputShape(shape: Shape, built: Shape): void {
    checkWeightAxes(this.label, this.#axes, shape, built);
  }

  override call(inputs: Tensor): Tensor {
    const scale = this.#broadcastShape ? reshape(this.scale!, this.#broadcastShape) : this.scale!;
    return mul(mul(inputs, rsqrt(add(mean(square(inputs), this.#axes, true), this.epsilon))), scale);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis], epsilon: this.epsilon };
  }
}
registerClass(RMSNormalization as LayerClass);
