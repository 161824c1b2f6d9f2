import type { Tensor } from '../tensor/tensor.js';
import { getActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ActivationConfig extends LayerConfig {
  /** The activation's name: 'relu', 'softmax', 'gelu'… */
  activation: ActivationIdentifier | string;
}

/** Applies an activation function: `new Activation('softmax')`. */
export class Activation extends SameShapeLayer {
  static override readonly className = 'Activation';
  static override readonly options: OptionList = { activation: true } satisfies OwnOptions<ActivationConfig, LayerConfig>;
  readonly activation: ActivationIdentifier;

  constructor(activationOrConfig: string | ActivationConfig, config: LayerConfig = {}) {
    const full = typeof activationOrConfig === 'string' ? { ...config, activation: activationOrConfig } : activationOrConfig;
    super(full);
    this.activation = resolveActivation(full.activation);
  }

  override call(inputs: Tensor): Tensor {
    return getActivation(this.activation)(inputs);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), activation: this.activation };
  }
}
registerClass(Activation as LayerClass);
