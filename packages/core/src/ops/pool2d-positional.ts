import type { Tensor } from '../tensor/tensor.js';
import { throughBatchOfOne } from './batch-of-one.js';
import { withTensors, type TensorLike } from './convert.js';
import { avgPool2d, maxPool2d } from './pool2d.js';
import { planPool2D, resolvePool2DSettings, type Pool2DSettings } from './pool2d-geometry.js';
import type { Padding } from './window-geometry.js';

// tf.maxPool and tf.avgPool as tfjs spells them, positional arguments and rank-3 images
// included, over maxPool2d and avgPool2d (which check the sizes, strides and padding).

type Pair = number | readonly [number, number];

/** tfjs's dimRoundingMode rounds the output size of a numeric pad, which these ops do not take. */
function poolSettings(op: string, filterSize: Pair, strides: Pair, pad: Padding, dimRoundingMode: string | undefined): Pool2DSettings {
  if (dimRoundingMode !== undefined) {
    throw new Error(`${op}: dimRoundingMode applies to a numeric pad; expected pad 'valid' or 'same' and no dimRoundingMode, got ${JSON.stringify(dimRoundingMode)}`);
  }
  return { poolSize: filterSize, strides, padding: pad };
}

function pool(op: string, run: (x: Tensor, s: Pool2DSettings) => Tensor, x: TensorLike, settings: Pool2DSettings): Tensor {
  return withTensors(op, [x], (input) => throughBatchOfOne(op, input, 4, '[batch, height, width, channels]', (images) => {
    // Checked here too, so that errors name the op called rather than the one it wraps.
    planPool2D(op, images.shape, resolvePool2DSettings(op, settings));
    return run(images, settings);
  }));
}

/** tf.maxPool: the largest value of each window of `x` [batch?, height, width, channels]. */
export function maxPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding, dimRoundingMode?: 'floor' | 'round' | 'ceil'): Tensor {
  return pool('maxPool', maxPool2d, x, poolSettings('maxPool', filterSize, strides, pad, dimRoundingMode));
}

/** tf.avgPool: the mean of each window's values inside `x` [batch?, height, width, channels]. */
export function avgPool(x: TensorLike, filterSize: Pair, strides: Pair, pad: Padding, dimRoundingMode?: 'floor' | 'round' | 'ceil'): Tensor {
  return pool('avgPool', avgPool2d, x, poolSettings('avgPool', filterSize, strides, pad, dimRoundingMode));
}
