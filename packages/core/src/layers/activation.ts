import type { Tensor } from '../tensor/tensor.js';
import { getActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

export interface ActivationConfig extends LayerConfig {
  activation: ActivationIdentifier | string;
}

/** Applies an activation function: `new Activation('softmax')`. */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationIdentifier;

  constructor(activationOrConfig: string | ActivationConfig, config: LayerConfig = {}) {
    const full = typeof activationOrConfig === 'string' ? { ...config, activation: activationOrConfig } : activationOrConfig;
    super(full);
    this.activation = resolveActivation(full.activation);
  }

  /** Elementwise, so the input's mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor): Tensor {
    return getActivation(this.activation)(inputs);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), activation: this.activation };
  }
}
registerClass(Activation as LayerClass);
