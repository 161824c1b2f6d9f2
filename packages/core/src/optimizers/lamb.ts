import { add, div, mul, sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import { sum } from '../ops/reduce.js';
import { sqrt, square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL_BELOW_ONE } from '../util/arguments.js';
import { updateMoments } from './adam.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface LambConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * LAMB (You et al. 2019) as Keras 3 writes it: Adam's moments, the bias-corrected step
 * u = (m / (1 − β₁ᵗ)) / (sqrt(v / (1 − β₂ᵗ)) + ε), then var −= ratio·lr·u with the trust ratio
 * ratio = ‖var‖ / ‖u‖ over the whole variable, or 1 when either norm is 0.
 */
export class Lamb extends Optimizer {
  readonly className = 'Lamb';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: LambConfig = {}) {
    super({ learningRate: 0.001, name: 'lamb' }, config, { beta1: true, beta2: true, epsilon: true } satisfies OwnOptions<LambConfig>);
    this.beta1 = numberArgument(this.name, 'beta1', config.beta1 ?? 0.9, UNIT_INTERVAL_BELOW_ONE);
    this.beta2 = numberArgument(this.name, 'beta2', config.beta2 ?? 0.999, UNIT_INTERVAL_BELOW_ONE);
    this.epsilon = config.epsilon ?? 1e-7;
  }

  get slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, step: number): void {
    const m = slots.momentum!;
    const v = slots.velocity!;
    updateMoments(gradient, m, v, this.beta1, this.beta2);
    const update = div(div(m, 1 - this.beta1 ** step), add(sqrt(div(v, 1 - this.beta2 ** step)), this.epsilon));
    const variableNorm = sqrt(sum(square(variable)));
    const updateNorm = sqrt(sum(square(update)));
    // The quotient of the branch not taken may be 0/0 or x/0; where picks the 1 instead.
    const ratio = where(greater(variableNorm, 0), where(greater(updateNorm, 0), div(variableNorm, updateNorm), 1), 1);
    variable.assign(sub(variable, mul(update, mul(ratio, lr))));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
