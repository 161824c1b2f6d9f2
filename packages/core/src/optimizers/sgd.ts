import { add, mul, sub } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { numberArgument, UNIT_INTERVAL } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface SGDConfig extends OptimizerConfig {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum: the gradient is taken as if the momentum step were already made. Default false. */
  nesterov?: boolean;
}

/**
 * Gradient descent (Keras 3). Without momentum: var −= lr·g. With momentum μ:
 * m = μ·m − lr·g, then var += m, or with Nesterov var += μ·m − lr·g.
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    super({ learningRate: 0.01, name: 'SGD' }, config, { momentum: true, nesterov: true } satisfies OwnOptions<SGDConfig>);
    this.momentum = config.momentum ?? 0;
    this.nesterov = config.nesterov ?? false;
    numberArgument('SGD', 'momentum', this.momentum, UNIT_INTERVAL);
  }

  get slotNames(): readonly string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, _step: number): void {
    const step = mul(gradient, lr);
    if (this.momentum === 0) {
      variable.assign(sub(variable, step));
      return;
    }
    const m = slots.momentum!;
    m.assign(sub(mul(m, this.momentum), step));
    variable.assign(add(variable, this.nesterov ? sub(mul(m, this.momentum), step) : m));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
