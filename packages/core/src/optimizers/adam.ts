import { getBackend } from '../backend/registry.js';
import { add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import { sqrt, square } from '../ops/unary.js';
import { Tensor } from '../tensor/tensor.js';
import { numberArgument, UNIT_INTERVAL_BELOW_ONE } from '../util/arguments.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface AdamConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Divide by the largest second moment seen so far. Default false. */
  amsgrad?: boolean;
}

/**
 * Adam (Keras 3 formula). With t the 1-based step and alpha = lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ):
 * m += (g − m)(1 − β₁), v += (g² − v)(1 − β₂), var −= alpha·m / (sqrt(v) + ε); amsgrad uses
 * v̂ = max(v̂, v) in place of v. Runs the backend's fused `adamUpdate` kernel when it has one
 * (not for amsgrad) and composes core ops otherwise.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(config: AdamConfig = {}, defaultName = 'adam') {
    super({ learningRate: 0.001, name: defaultName }, config, { beta1: true, beta2: true, epsilon: true, amsgrad: true } satisfies OwnOptions<AdamConfig>);
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-7;
    this.amsgrad = config.amsgrad ?? false;
    numberArgument(this.name, 'beta1', this.beta1, UNIT_INTERVAL_BELOW_ONE);
    numberArgument(this.name, 'beta2', this.beta2, UNIT_INTERVAL_BELOW_ONE);
  }

  get slotNames(): readonly string[] {
    return this.amsgrad ? ['momentum', 'velocity', 'velocityHat'] : ['momentum', 'velocity'];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, step: number): void {
    const m = slots.momentum!;
    const v = slots.velocity!;
    const backend = getBackend();
    if (backend.adamUpdate && !this.amsgrad) {
      const attrs = { lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, step };
      // The new handles become tensors of this tidy scope; assign shares their storage.
      const [nextVariable, nextM, nextV] = backend.adamUpdate(variable, gradient, m, v, attrs)
        .map((handle) => new Tensor(handle, variable.shape, 'float32', backend));
      variable.assign(nextVariable!);
      m.assign(nextM!);
      v.assign(nextV!);
      return;
    }
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    updateMoments(gradient, m, v, this.beta1, this.beta2);
    let secondMoment: Tensor = v;
    if (this.amsgrad) {
      const vHat = slots.velocityHat!;
      vHat.assign(maximum(vHat, v));
      secondMoment = vHat;
    }
    variable.assign(sub(variable, div(mul(m, alpha), add(sqrt(secondMoment), this.epsilon))));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** m += (g − m)(1 − β₁) and v += (g² − v)(1 − β₂): Adam's moment estimates, shared by Nadam. */
export function updateMoments(gradient: Tensor, m: Variable, v: Variable, beta1: number, beta2: number): void {
  m.assign(add(m, mul(sub(gradient, m), 1 - beta1)));
  v.assign(add(v, mul(sub(square(gradient), v), 1 - beta2)));
}

/**
 * Adam with decoupled weight decay (Keras 3 AdamW): before each Adam update,
 * var −= var · weightDecay · lr. weightDecay defaults to 0.004.
 */
export class AdamW extends Adam {
  override readonly className = 'AdamW';

  constructor(config: AdamConfig = {}) {
    super({ ...config, weightDecay: config.weightDecay ?? 0.004 }, 'adamw');
  }
}
