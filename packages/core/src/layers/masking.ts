import { mul } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { notEqual } from '../ops/compare.js';
import { max } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import type { LayerMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface MaskingConfig extends LayerConfig {
  /** The value every feature of a padding step holds. Default 0. */
  maskValue?: number;
}

/**
 * Keras's Masking: in sequences [batch, timesteps, features], a step whose every feature equals
 * `maskValue` is padding. The output is the input with padding steps zeroed, and its mask is
 * false there, so the recurrent layers after it skip them.
 */
export class Masking extends SameShapeLayer {
  static override readonly className = 'Masking';
  static override readonly options: OptionList = { maskValue: true } satisfies OwnOptions<MaskingConfig, LayerConfig>;
  readonly maskValue: number;

  constructor(config: MaskingConfig = {}) {
    super(config);
    if (typeof (config.maskValue ?? 0) !== 'number') throw new Error(`Masking: maskValue must be a number, got ${JSON.stringify(config.maskValue)}`);
    this.maskValue = config.maskValue ?? 0;
  }

  override call(inputs: Tensor): Tensor {
    return mul(inputs, this.#dataSteps(inputs, true));
  }

  override computeMask(inputs: Tensor | Tensor[], _mask?: LayerMask): LayerMask {
    return notEqual(this.#dataSteps([inputs].flat()[0]!, false), 0);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }

  /** 1 at each step with a feature other than maskValue, 0 at padding: [batch, timesteps], or [batch, timesteps, 1] to scale the steps. */
  #dataSteps(inputs: Tensor, keepDims: boolean): Tensor {
    if (inputs.shape.length < 3) throw new Error(`${this.label}: expected inputs of rank 3 or more ([batch, timesteps, features]), got shape ${formatShape(inputs.shape)}`);
    return max(cast(notEqual(inputs, this.maskValue), inputs.dtype), -1, keepDims);
  }
}
registerClass(Masking as LayerClass);
