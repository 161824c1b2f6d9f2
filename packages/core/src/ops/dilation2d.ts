import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { add } from './arithmetic.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { equal } from './compare.js';
import { withTensors, type TensorLike } from './convert.js';
import { range, zerosLike } from './creation.js';
import { imagePatches } from './image-patches.js';
import { argMax, sum } from './reduce.js';
import { expandDims, reshape } from './reshape.js';
import { where } from './where.js';
import { planWindow, spatialPair, paddingMode, type Padding } from './window-geometry.js';

type Pair = number | readonly [number, number];

/**
 * tf.dilation2d, TensorFlow's grayscale morphological dilation of `x` [batch?, height, width,
 * channels] by `filter` [filterHeight, filterWidth, channels]: each output the largest
 * x[…, y·s + i·d − top, x·s + j·d − left, c] + filter[i, j, c] over its window's taps inside x.
 * The largest is picked with argMax, the first in the taps' row-major order, and read through
 * `where`: so, as TensorFlow's Dilation2DBackprop*, the gradient goes to that one tap of x and
 * of the filter alone. −∞ pads the image, so padding never wins; windows stay rank ≤ 4.
 */
export function dilation2d(x: TensorLike, filter: TensorLike, strides: Pair, pad: Padding, dilations: Pair = [1, 1], dataFormat: 'NHWC' = 'NHWC'): Tensor {
  const op = 'dilation2d';
  return withTensors(op, [x, filter], (input, weights) => {
    if (dataFormat !== 'NHWC') throw new Error(`${op}: dataFormat must be 'NHWC' (channels last), got ${JSON.stringify(dataFormat)}`);
    if (input.dtype !== 'float32' || weights.dtype !== 'float32') throw new Error(`${op}: x and filter must be float32, got ${input.dtype} and ${weights.dtype}`);
    if (weights.rank !== 3) throw new Error(`${op}: filter must be of rank 3 ([filterHeight, filterWidth, channels]), got shape ${formatShape(weights.shape)}`);
    return throughBatchOfOne(op, input, 4, '[batch, height, width, channels]', (images) => {
      const [filterHeight, filterWidth, channels] = weights.shape as [number, number, number];
      if (images.shape[3] !== channels) {
        throw new Error(`${op}: x ${formatShape(input.shape)} has ${images.shape[3]} channels but the filter ${formatShape(weights.shape)} has ${channels} (its last dimension)`);
      }
      const plan = planWindow(op, images.shape, {
        window: [filterHeight, filterWidth], strides: spatialPair(op, 'strides', strides), dilation: spatialPair(op, 'dilations', dilations), padding: paddingMode(op, pad),
      });
      const taps = filterHeight * filterWidth;
      const sums = add(reshape(imagePatches(images, plan, -Infinity), [-1, taps, channels]), reshape(weights, [taps, channels]));
      const picked = equal(expandDims(argMax(sums, 1), 1), reshape(range(0, taps, 1, 'int32'), [taps, 1]));
      const largest = sum(where(picked, sums, zerosLike(sums)), 1);
      return reshape(largest, [images.shape[0]!, plan.rows.output, plan.cols.output, channels]);
    });
  });
}
