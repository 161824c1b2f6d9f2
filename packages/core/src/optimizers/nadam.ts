import { add, div, mul, sub } from '../ops/arithmetic.js';
import { sqrt } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL_BELOW_ONE } from '../util/arguments.js';
import { updateMoments } from './adam.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface NadamConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Nadam (Keras 3), Adam with Nesterov momentum. The momentum schedule is μₖ = β₁(1 − ½·0.96ᵏ)
 * and Πₜ = μ₁⋯μₜ. With t the 1-based step, after Adam's moment updates:
 * m̂ = μₜ₊₁·m / (1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ), v̂ = v / (1 − β₂ᵗ),
 * var −= lr·m̂ / (sqrt(v̂) + ε).
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Πₜ for the last step asked, so a run multiplies once per step. */
  #product = { step: 0, value: 1 };

  constructor(config: NadamConfig = {}) {
    super({ learningRate: 0.001, name: 'nadam' }, config, { beta1: true, beta2: true, epsilon: true } satisfies OwnOptions<NadamConfig>);
    this.beta1 = numberArgument(this.name, 'beta1', config.beta1 ?? 0.9, UNIT_INTERVAL_BELOW_ONE);
    this.beta2 = numberArgument(this.name, 'beta2', config.beta2 ?? 0.999, UNIT_INTERVAL_BELOW_ONE);
    this.epsilon = config.epsilon ?? 1e-7;
  }

  get slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  #momentumAt(step: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** step);
  }

  /**
   * Πₜ. Keras keeps it as a variable; here it follows from the step alone, so restored
   * `iterations` restore it too (recomputed from 1 when the step jumps).
   */
  #momentumProduct(step: number): number {
    if (step < this.#product.step) this.#product = { step: 0, value: 1 };
    while (this.#product.step < step) {
      const next = this.#product.step + 1;
      this.#product = { step: next, value: this.#product.value * this.#momentumAt(next) };
    }
    return this.#product.value;
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, step: number): void {
    const m = slots.momentum!;
    const v = slots.velocity!;
    updateMoments(gradient, m, v, this.beta1, this.beta2);
    const momentum = this.#momentumAt(step);
    const nextMomentum = this.#momentumAt(step + 1);
    const product = this.#momentumProduct(step);
    const mHat = add(mul(m, nextMomentum / (1 - product * nextMomentum)), mul(gradient, (1 - momentum) / (1 - product)));
    const vHat = div(v, 1 - this.beta2 ** step);
    variable.assign(sub(variable, div(mul(mHat, lr), add(sqrt(vHat), this.epsilon))));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
