import { checkOptions } from '../util/options.js';
import { fill } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { Initializer, type InitializerConfig } from './initializer.js';

/** Every element `value`. */
export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;

  constructor(given: { value?: number } = {}) {
    super();
    const config = checkOptions('Constant', given, { value: true });
    this.value = config.value ?? 0;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    return fill(shape, this.value, dtype);
  }

  override getConfig(): InitializerConfig {
    return { value: this.value };
  }
}

/** Every element 0. */
export class Zeros extends Constant {
  override readonly className = 'Zeros';
  constructor() {
    super({ value: 0 });
  }
  override getConfig(): InitializerConfig {
    return {};
  }
}

/** Every element 1. */
export class Ones extends Constant {
  override readonly className = 'Ones';
  constructor() {
    super({ value: 1 });
  }
  override getConfig(): InitializerConfig {
    return {};
  }
}
