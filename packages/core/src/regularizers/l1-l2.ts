import { tidy } from '../engine/memory.js';
import { add, mul } from '../ops/arithmetic.js';
import { scalar } from '../ops/convert.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { NON_NEGATIVE, numberArgument } from '../util/arguments.js';
import { checkOptions } from '../util/options.js';
import { Regularizer, type RegularizerConfig } from './regularizer.js';

export interface L1L2Config {
  /** Factor of Σ|x|. */
  l1?: number;
  /** Factor of Σx² (no ½, as Keras). */
  l2?: number;
}


/** l1·Σ|x| + l2·Σx², each term only when its factor is set (keras.regularizers.L1L2). */
export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(config: L1L2Config = {}) {
    super();
    checkOptions(new.target.name, config, { l1: true, l2: true });
    // A finite number >= 0, as Keras's validate_float_arg requires.
    this.l1 = numberArgument(new.target.name, 'l1', config.l1 ?? 0, NON_NEGATIVE);
    this.l2 = numberArgument(new.target.name, 'l2', config.l2 ?? 0, NON_NEGATIVE);
  }

  call(x: Tensor): Tensor {
    return tidy(() => {
      let penalty = scalar(0);
      if (this.l1 > 0) penalty = add(penalty, mul(sum(abs(x)), this.l1));
      if (this.l2 > 0) penalty = add(penalty, mul(sum(square(x)), this.l2));
      return penalty;
    });
  }

  getConfig(): RegularizerConfig {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** l1·Σ|x|; Keras's default factor 0.01. */
export class L1 extends L1L2 {
  override readonly className = 'L1';

  constructor(config: { l1?: number } = {}) {
    checkOptions('L1', config, { l1: true });
    super({ l1: config.l1 ?? 0.01 });
  }

  override getConfig(): RegularizerConfig {
    return { l1: this.l1 };
  }
}

/** l2·Σx²; Keras's default factor 0.01. */
export class L2 extends L1L2 {
  override readonly className = 'L2';

  constructor(config: { l2?: number } = {}) {
    checkOptions('L2', config, { l2: true });
    super({ l2: config.l2 ?? 0.01 });
  }

  override getConfig(): RegularizerConfig {
    return { l2: this.l2 };
  }
}
