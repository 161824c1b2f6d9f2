import type { Tensor } from '../tensor/tensor.js';

/** Serializable settings of a regularizer, as Keras's `get_config()` returns them. */
export type RegularizerConfig = Record<string, number>;

/**
 * A penalty on a weight (or a layer's output) added to the training loss, as
 * keras.regularizers.Regularizer: `call(x)` returns a scalar owned by the current tidy scope,
 * differentiable with a GradientTape.
 */
export abstract class Regularizer {
  abstract readonly className: string;
  abstract call(x: Tensor): Tensor;
  abstract getConfig(): RegularizerConfig;
}
