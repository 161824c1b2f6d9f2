import { add, div, mul, sub } from '../ops/arithmetic.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface AdadeltaConfig extends OptimizerConfig {
  /** Decay of both running averages. Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta (Keras 3): a = ρ·a + (1−ρ)·g²; Δ = sqrt(d + ε)·g / sqrt(a + ε);
 * d = ρ·d + (1−ρ)·Δ²; var −= lr·Δ. Keras's default rate is 0.001; the paper's is 1.
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(config: AdadeltaConfig = {}) {
    super({ learningRate: 0.001, name: 'adadelta' }, config, { rho: true, epsilon: true } satisfies OwnOptions<AdadeltaConfig>);
    this.rho = numberArgument(this.name, 'rho', config.rho ?? 0.95, UNIT_INTERVAL);
    this.epsilon = config.epsilon ?? 1e-7;
  }

  get slotNames(): readonly string[] {
    return ['accumulatedGrad', 'accumulatedDelta'];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number): void {
    const accumulatedGrad = slots.accumulatedGrad!;
    const accumulatedDelta = slots.accumulatedDelta!;
    const rms = (x: Tensor): Tensor => sqrt(add(x, this.epsilon));
    accumulatedGrad.assign(add(mul(accumulatedGrad, this.rho), mul(square(gradient), 1 - this.rho)));
    const delta = div(mul(rms(accumulatedDelta), gradient), rms(accumulatedGrad));
    accumulatedDelta.assign(add(mul(accumulatedDelta, this.rho), mul(square(delta), 1 - this.rho)));
    variable.assign(sub(variable, mul(delta, lr)));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
