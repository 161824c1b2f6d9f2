import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { conv2dBackpropInput } from './conv2d.js';
import { outputShapeOf, planConv2D, resolveConv2DSettings } from './conv2d-geometry.js';
import { withTensors, type TensorLike } from './convert.js';
import type { Padding } from './window-geometry.js';

/**
 * tf.conv2dTranspose: the transposed convolution of `x` [batch?, height, width, inDepth] by
 * `filter` [filterHeight, filterWidth, outDepth, inDepth] to `outputShape` [batch?, outHeight,
 * outWidth, outDepth] — the gradient of the input of the convolution of `outputShape` by
 * `filter` given `x` as its output's gradient, which is what conv2dBackpropInput computes.
 */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, outputShape: Shape, strides: number | readonly [number, number], pad: Padding): Tensor {
  const op = 'conv2dTranspose';
  return withTensors(op, [x, filter], (input, weights) => {
    if (outputShape.length !== input.rank) {
      throw new Error(`${op}: outputShape must have x's rank ${input.rank} ([batch?, outHeight, outWidth, outDepth]), got ${formatShape(outputShape)} for x ${formatShape(input.shape)}`);
    }
    return throughBatchOfOne(op, input, 4, '[batch, height, width, inDepth]', (dy) => {
      const shape = outputShape.length === 4 ? outputShape : [1, ...outputShape];
      if (weights.rank !== 4 || weights.shape[2] !== shape[3] || weights.shape[3] !== dy.shape[3]) {
        throw new Error(`${op}: filter must be [filterHeight, filterWidth, outDepth ${shape[3]}, inDepth ${dy.shape[3]}] for x ${formatShape(input.shape)} and outputShape ${formatShape(outputShape)}, got ${formatShape(weights.shape)}`);
      }
      const settings = { strides, padding: pad };
      const expected = outputShapeOf(planConv2D(op, shape, weights.shape, weights.shape[3]!, resolveConv2DSettings(op, settings)));
      if (expected.some((d, i) => d !== dy.shape[i])) {
        throw new Error(`${op}: x must be ${formatShape(expected)}, the output of convolving outputShape ${formatShape(shape)} by the filter ${formatShape(weights.shape)}, got ${formatShape(dy.shape)}`);
      }
      return conv2dBackpropInput(dy, weights, shape, settings);
    });
  });
}
