import { add, div, mul, sub } from '../ops/arithmetic.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface AdagradConfig extends OptimizerConfig {
  /** Starting value of the accumulator. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** Adagrad (Keras 3): acc += g², var −= lr·g / sqrt(acc + ε). */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(config: AdagradConfig = {}) {
    super({ learningRate: 0.001, name: 'adagrad' }, config, { initialAccumulatorValue: true, epsilon: true } satisfies OwnOptions<AdagradConfig>);
    this.initialAccumulatorValue = config.initialAccumulatorValue ?? 0.1;
    this.epsilon = config.epsilon ?? 1e-7;
  }

  get slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number): void {
    const accumulator = slots.accumulator!;
    accumulator.assign(add(accumulator, square(gradient)));
    variable.assign(sub(variable, div(mul(gradient, lr), sqrt(add(accumulator, this.epsilon)))));
  }

  override getConfig(): OptimizerSettings {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
