import { SELU_ALPHA, SELU_SCALE } from '../ops/activation-ops.js';
import { add, mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { Dropout, type DropoutConfig } from './dropout.js';
import type { CallKwargs } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { OptionList } from './layer-options.js';

/** SELU's negative saturation −λα, the value a dropped unit takes: SELU's output for x → −∞. */
const SATURATION = -SELU_ALPHA * SELU_SCALE;

/**
 * The affine map a·x + b of alpha dropout at `rate`, as per-entry factors and offsets of `shape`:
 * a kept entry maps x to a·x + b, a dropped one to a·SATURATION + b. a and b are Klambauer et
 * al.'s (and Keras's), chosen so inputs of mean 0 and variance 1 keep them. One uniform draw per
 * entry, kept where it is >= rate, as Dropout draws.
 */
function alphaDropoutAffine(shape: Shape, rate: number, generator: RandomGenerator): [scale: Tensor, offset: Tensor] {
  const a = ((1 - rate) * (1 + rate * SATURATION ** 2)) ** -0.5;
  const b = -a * SATURATION * rate;
  const size = shape.reduce((n, d) => n * d, 1);
  const [scale, offset] = [new Float32Array(size), new Float32Array(size)];
  for (let i = 0; i < size; i++) {
    const kept = generator.nextFloat() >= rate;
    scale[i] = kept ? a : 0;
    offset[i] = kept ? b : a * SATURATION + b;
  }
  return [tensor(scale, shape), tensor(offset, shape)];
}

/**
 * Keras's AlphaDropout, the dropout for SELU networks: while training, sets each input to SELU's
 * saturation −λα with probability `rate` (rather than to 0, which is not where SELU rests), then
 * maps every value by a·x + b so that the mean and variance of self-normalized inputs (0 and 1)
 * stay as they were; outside training it passes inputs through. `noiseShape` and `seed` work as
 * Dropout's.
 */
export class AlphaDropout extends Dropout {
  static override readonly className: string = 'AlphaDropout';
  // None of its own; listing them makes the layer check its options against Dropout's.
  static override readonly options: OptionList = {};

  constructor(rateOrConfig: number | DropoutConfig, config: Omit<DropoutConfig, 'rate'> = {}) {
    super(rateOrConfig, config);
    // At rate 1 every entry is dropped and a = 1 / √0: the output would be ∞ − ∞.
    if (this.rate === 1) throw new Error('AlphaDropout: rate must be below 1 (dropping every value leaves no variance to restore), got 1');
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (!kwargs.training || this.rate === 0) return inputs;
    const [scale, offset] = alphaDropoutAffine(this.maskShape(inputs.shape), this.rate, this.generator());
    return add(mul(inputs, scale), offset);
  }
}
registerClass(AlphaDropout as LayerClass);
