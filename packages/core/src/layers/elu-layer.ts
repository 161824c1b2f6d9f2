import { mul } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { FINITE, numberArgument } from '../util/arguments.js';
import { getActivation } from './activations.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ELUConfig extends LayerConfig {
  /** The scale of the negative side, which tends to −alpha. Default 1. */
  alpha?: number;
}

/** Keras's ELU layer: x for x > 0, alpha·(exp(x) − 1) otherwise. */
export class ELU extends SameShapeLayer {
  static override readonly className = 'ELU';
  static override readonly options: OptionList = { alpha: true } satisfies OwnOptions<ELUConfig, LayerConfig>;
  readonly alpha: number;

  constructor(config: ELUConfig = {}) {
    super(config);
    this.alpha = numberArgument('ELU', 'alpha', config.alpha ?? 1, FINITE);
  }

  override call(inputs: Tensor): Tensor {
    // The 'elu' activation is this layer with alpha 1; another alpha scales its negative side only.
    const unitElu = getActivation('elu')(inputs);
    return this.alpha === 1 ? unitElu : mul(unitElu, where(greater(inputs, 0), 1, this.alpha));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerClass(ELU as LayerClass);
