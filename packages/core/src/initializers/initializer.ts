import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';

/** Serializable settings of an initializer, as Keras's `get_config()` returns them. */
export type InitializerConfig = Record<string, number | string | null>;

/**
 * Produces the initial value of a weight. `apply` returns a new tensor owned by the current
 * tidy scope; `className` and `getConfig()` are what `getInitializer({className, config})`
 * takes back.
 */
export abstract class Initializer {
  abstract readonly className: string;
  abstract apply(shape: Shape, dtype?: DType): Tensor;
  getConfig(): InitializerConfig {
    return {};
  }
}

/** Random initializers draw floats only, as in Keras. */
export function checkFloat(className: string, dtype: DType): void {
  if (dtype !== 'float32') throw new Error(`${className}: expected dtype float32, got ${dtype}`);
}
