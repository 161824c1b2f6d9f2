import { abs } from '../ops/unary.js';
import { add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL_BELOW_ONE } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface AdamaxConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm. Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adamax (Keras 3), Adam with the infinity norm in place of the second moment. With t the
 * 1-based step: m += (g − m)(1 − β₁), u = max(β₂·u, |g|), var −= lr·m / ((1 − β₁ᵗ)(u + ε)).
 */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamaxConfig = {}) {
    super({ learningRate: 0.001, name: 'adamax' }, config, { beta1: true, beta2: true, epsilon: true } satisfies OwnOptions<AdamaxConfig>);
    this.beta1 = numberArgument(this.name, 'beta1', config.beta1 ?? 0.9, UNIT_INTERVAL_BELOW_ONE);
    this.beta2 = numberArgument(this.name, 'beta2', config.beta2 ?? 0.999, UNIT_INTERVAL_BELOW_ONE);
    this.epsilon = config.epsilon ?? 1e-7;
  }

  get slotNames(): readonly string[] {
    return ['momentum', 'norm'];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, step: number): void {
    const m = slots.momentum!;
    const u = slots.norm!;
    m.assign(add(m, mul(sub(gradient, m), 1 - this.beta1)));
    u.assign(maximum(mul(u, this.beta2), abs(gradient)));
    const correctedRate = lr / (1 - this.beta1 ** step);
    variable.assign(sub(variable, div(mul(m, correctedRate), add(u, this.epsilon))));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
