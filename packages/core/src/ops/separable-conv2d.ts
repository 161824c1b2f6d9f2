import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { conv2d } from './conv2d.js';
import { withTensors, type TensorLike } from './convert.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import type { Padding } from './window-geometry.js';

type Pair = number | readonly [number, number];

/**
 * tf.separableConv2d: `x` [batch?, height, width, inChannels] convolved depthwise by
 * `depthwiseFilter` [fh, fw, inChannels, multiplier] (with the strides, padding and dilation),
 * then mixed by `pointwiseFilter` [1, 1, inChannels · multiplier, outChannels].
 */
export function separableConv2d(
  x: TensorLike, depthwiseFilter: TensorLike, pointwiseFilter: TensorLike, strides: Pair, pad: Padding, dilation: Pair = [1, 1], dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Tensor {
  const op = 'separableConv2d';
  return withTensors(op, [x, depthwiseFilter, pointwiseFilter], (input, depthwise, pointwise) => {
    if (dataFormat !== 'NHWC') throw new Error(`${op}: dataFormat must be 'NHWC' (channels last), got ${JSON.stringify(dataFormat)}`);
    const [, , channels, multiplier] = depthwise.shape;
    if (pointwise.rank !== 4 || pointwise.shape[0] !== 1 || pointwise.shape[1] !== 1 || (depthwise.rank === 4 && pointwise.shape[2] !== channels! * multiplier!)) {
      throw new Error(
        `${op}: pointwiseFilter must be [1, 1, inChannels · multiplier, outChannels] for depthwiseFilter ${formatShape(depthwise.shape)}, got ${formatShape(pointwise.shape)}`,
      );
    }
    return throughBatchOfOne(op, input, 4, '[batch, height, width, inChannels]', (images) => {
      if (depthwise.rank !== 4 || images.shape[3] !== channels) {
        throw new Error(`${op}: depthwiseFilter must be [filterHeight, filterWidth, inChannels ${images.shape[3]}, multiplier] for x ${formatShape(input.shape)}, got ${formatShape(depthwise.shape)}`);
      }
      return conv2d(depthwiseConv2d(images, depthwise, { strides, padding: pad, dilations: dilation }), pointwise);
    });
  });
}
