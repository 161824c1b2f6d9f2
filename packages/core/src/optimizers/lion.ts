import { add, mul, sub } from '../ops/arithmetic.js';
import { sign } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL, UNIT_INTERVAL_ABOVE_ZERO } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface LionConfig extends OptimizerConfig {
  /** Weight of the momentum in the step's direction. Default 0.9. */
  beta1?: number;
  /** Decay of the momentum. Default 0.99. */
  beta2?: number;
}

/**
 * Lion (Keras 3): var −= lr·sign(β₁·m + (1 − β₁)·g), then m = β₂·m + (1 − β₂)·g. Every
 * element moves by exactly lr, so rates are usually 3–10 times smaller than Adam's.
 */
export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(config: LionConfig = {}) {
    super({ learningRate: 0.001, name: 'lion' }, config, { beta1: true, beta2: true } satisfies OwnOptions<LionConfig>);
    // β₁ = 0 would make it sign descent on the raw gradient, which Keras refuses.
    this.beta1 = numberArgument(this.name, 'beta1', config.beta1 ?? 0.9, UNIT_INTERVAL_ABOVE_ZERO);
    this.beta2 = numberArgument(this.name, 'beta2', config.beta2 ?? 0.99, UNIT_INTERVAL);
  }

  get slotNames(): readonly string[] {
    return ['momentum'];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number): void {
    const m = slots.momentum!;
    const direction = sign(add(mul(m, this.beta1), mul(gradient, 1 - this.beta1)));
    variable.assign(sub(variable, mul(direction, lr)));
    m.assign(add(mul(m, this.beta2), mul(gradient, 1 - this.beta2)));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
