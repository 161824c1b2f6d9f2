import { add, div, mul, pow, sub } from '../ops/arithmetic.js';
import { clipByValue } from '../ops/clip.js';
import { square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { NON_NEGATIVE, numberArgument, type Requirement } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface FtrlConfig extends OptimizerConfig {
  /** How the rate falls as squared gradients add up; ≤ 0, 0 for a fixed rate. Default −0.5. */
  learningRatePower?: number;
  /** Starting value of the squared-gradient accumulator, ≥ 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** L1 strength: an element whose linear term stays within ±l1 is set to exactly 0. Default 0. */
  l1RegularizationStrength?: number;
  /** L2 strength of the stabilizing penalty. Default 0. */
  l2RegularizationStrength?: number;
  /** L2 penalty on the weights' magnitude, added to the gradient as 2·strength·var. Default 0. */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's β, added to the L2 strength as β / (2·lr). Default 0. */
  beta?: number;
}

const NON_POSITIVE: Requirement = ['a non-positive number (0 for a fixed rate)', (x) => x <= 0];

/**
 * FTRL-Proximal (McMahan et al. 2013) as Keras 3 writes it. With p = −learningRatePower,
 * n' = n + g², σ = (n'ᵖ − nᵖ) / lr and g̃ = g + 2·l2Shrinkage·var:
 * z += g̃ − σ·var, var = (clip(z, −l1, l1) − z) / (n'ᵖ / lr + 2·(l2 + β / (2·lr))), n = n'.
 * The accumulator grows with the raw gradient, not the shrinkage one, as in Keras.
 */
export class Ftrl extends Optimizer {
  readonly className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(config: FtrlConfig = {}) {
    super({ learningRate: 0.001, name: 'ftrl' }, config, {
      learningRatePower: true, initialAccumulatorValue: true, l1RegularizationStrength: true, l2RegularizationStrength: true,
      l2ShrinkageRegularizationStrength: true, beta: true,
    } satisfies OwnOptions<FtrlConfig>);
    this.learningRatePower = numberArgument(this.name, 'learningRatePower', config.learningRatePower ?? -0.5, NON_POSITIVE);
    this.initialAccumulatorValue = numberArgument(this.name, 'initialAccumulatorValue', config.initialAccumulatorValue ?? 0.1, NON_NEGATIVE);
    this.l1RegularizationStrength = numberArgument(this.name, 'l1RegularizationStrength', config.l1RegularizationStrength ?? 0, NON_NEGATIVE);
    this.l2RegularizationStrength = numberArgument(this.name, 'l2RegularizationStrength', config.l2RegularizationStrength ?? 0, NON_NEGATIVE);
    this.l2ShrinkageRegularizationStrength = numberArgument(this.name, 'l2ShrinkageRegularizationStrength', config.l2ShrinkageRegularizationStrength ?? 0, NON_NEGATIVE);
    this.beta = numberArgument(this.name, 'beta', config.beta ?? 0, NON_NEGATIVE);
  }

  get slotNames(): readonly string[] {
    return ['accumulator', 'linear'];
  }

  protected override slotInitialValue(slot: string): number {
    return slot === 'accumulator' ? this.initialAccumulatorValue : 0;
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number): void {
    const accumulator = slots.accumulator!;
    const linear = slots.linear!;
    const power = -this.learningRatePower;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrunk = add(gradient, mul(variable, 2 * this.l2ShrinkageRegularizationStrength));
    const next = add(accumulator, square(gradient));
    const sigma = div(sub(pow(next, power), pow(accumulator, power)), lr);
    linear.assign(add(linear, sub(shrunk, mul(sigma, variable))));
    const quadratic = add(div(pow(next, power), lr), 2 * l2);
    const l1 = this.l1RegularizationStrength;
    variable.assign(div(sub(clipByValue(linear, -l1, l1), linear), quadratic));
    accumulator.assign(next);
  }

  override getConfig(): OptimizerSettings {
    return {
      ...super.getConfig(), learningRatePower: this.learningRatePower, initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength, l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength, beta: this.beta,
    };
  }
}
