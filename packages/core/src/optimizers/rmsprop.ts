import { add, div, mul, sub } from '../ops/arithmetic.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface RMSpropConfig extends OptimizerConfig {
  /** Decay of the squared-gradient average. Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalize by the gradient's estimated variance instead of its second moment. Default false. */
  centered?: boolean;
}

/**
 * RMSprop (Keras 3): v = ρ·v + (1−ρ)·g²; centered also keeps a = ρ·a + (1−ρ)·g and uses
 * v − a²; increment = lr·g / sqrt(denominator + ε); with momentum μ: m = μ·m + increment,
 * var −= m; otherwise var −= increment.
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: RMSpropConfig = {}) {
    super({ learningRate: 0.001, name: 'rmsprop' }, config, { rho: true, momentum: true, epsilon: true, centered: true } satisfies OwnOptions<RMSpropConfig>);
    this.rho = config.rho ?? 0.9;
    this.momentum = config.momentum ?? 0;
    this.epsilon = config.epsilon ?? 1e-7;
    this.centered = config.centered ?? false;
  }

  get slotNames(): readonly string[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['averageGradient'] : [])];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number): void {
    const velocity = slots.velocity!;
    velocity.assign(add(mul(velocity, this.rho), mul(square(gradient), 1 - this.rho)));
    let denominator: Tensor = velocity;
    if (this.centered) {
      const average = slots.averageGradient!;
      average.assign(add(mul(average, this.rho), mul(gradient, 1 - this.rho)));
      denominator = sub(velocity, square(average));
    }
    const increment = div(mul(gradient, lr), sqrt(add(denominator, this.epsilon)));
    if (this.momentum > 0) {
      const m = slots.momentum!;
      m.assign(add(mul(m, this.momentum), increment));
      variable.assign(sub(variable, m));
    } else {
      variable.assign(sub(variable, increment));
    }
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
