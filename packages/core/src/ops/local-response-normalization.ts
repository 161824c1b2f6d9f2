import type { Tensor } from '../tensor/tensor.js';
import { numberArgument, NON_NEGATIVE_INTEGER, FINITE } from '../util/arguments.js';
import { add, mul, pow } from './arithmetic.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { matMul } from './matmul.js';
import { reshape } from './reshape.js';
import { square } from './unary.js';

/** [channels, channels]: 1 where channels i and j are at most `radius` apart, the window each output sums over. */
function band(channels: number, radius: number): Tensor {
  return tensor(Float32Array.from({ length: channels * channels }, (_, k) => (Math.abs(Math.floor(k / channels) - (k % channels)) <= radius ? 1 : 0)), [channels, channels]);
}

/**
 * tf.localResponseNormalization, TensorFlow's LRN over the channels of `x` [batch?, height,
 * width, channels]: x / (bias + alpha · Σ x²)^beta, the sum over channels d − depthRadius …
 * d + depthRadius inside x. The windowed sum is a product with a band matrix, so the gradient
 * (TensorFlow's LRNGrad, the exact derivative) comes from matMul's, pow's and mul's.
 */
export function localResponseNormalization(x: TensorLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  const op = 'localResponseNormalization';
  numberArgument(op, 'depthRadius', depthRadius, NON_NEGATIVE_INTEGER);
  [bias, alpha, beta].forEach((v, i) => numberArgument(op, ['bias', 'alpha', 'beta'][i]!, v, FINITE));
  return withTensors(op, [x], (input) => throughBatchOfOne(op, input, 4, '[batch, height, width, channels]', (images) => {
    const channels = images.shape[3]!;
    const sums = reshape(matMul(reshape(square(images), [-1, channels]), band(channels, depthRadius)), images.shape);
    return mul(images, pow(add(mul(sums, alpha), bias), -beta));
  }));
}
