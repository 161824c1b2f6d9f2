import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { add, mul } from './arithmetic.js';
import { cast } from './cast.js';
import { withTensors, type TensorLike } from './convert.js';
import { slice } from './slice.js';
import { tile } from './tile.js';

/** TensorFlow's luma weights of red, green and blue (ITU-R BT.601), as rgb_to_grayscale and tfjs use them. */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/** Throws naming `op` unless `t` has rank ≥ 2 and `channels` entries in its last dimension. */
function checkChannels(op: string, t: Tensor, channels: number, what: string): void {
  if (t.rank < 2 || t.shape[t.rank - 1] !== channels) {
    throw new Error(`${op}: expected ${what} of rank 2 or more with ${channels} channel${channels > 1 ? 's' : ''} in the last dimension, got shape ${formatShape(t.shape)}`);
  }
}

/**
 * The weighted sum of the red, green and blue channels of float32 `rgb` [..., 3], as [..., 1],
 * added in that order ((r·wr + g·wg) + b·wb), as tfjs adds them, so every backend rounds alike.
 */
export function luma(rgb: Tensor): Tensor {
  const channel = (c: number): Tensor => mul(slice(rgb, [...new Array<number>(rgb.rank - 1).fill(0), c], [...rgb.shape.slice(0, -1), 1]), LUMA_WEIGHTS[c]!);
  return add(add(channel(0), channel(1)), channel(2));
}

/**
 * tf.image.rgbToGrayscale: [..., 3] RGB images to [..., 1] grayscale, r·0.2989 + g·0.587 + b·0.114.
 * As in tfjs, int32 images are weighed as float32 and the result cast back to int32 (truncated
 * towards zero); float32 images give float32 and a gradient through the weights.
 */
export function rgbToGrayscale(images: TensorLike): Tensor {
  return withTensors('rgbToGrayscale', [images], (t) => {
    refuseBool('rgbToGrayscale', t.dtype, true);
    checkChannels('rgbToGrayscale', t, 3, 'RGB images');
    return tidy(() => (t.dtype === 'float32' ? luma(t) : cast(luma(cast(t, 'float32')), t.dtype)));
  });
}

/** tf.image.grayscaleToRGB: [..., 1] grayscale images to [..., 3], the one channel copied three times; the dtype is kept. */
export function grayscaleToRGB(images: TensorLike): Tensor {
  return withTensors('grayscaleToRGB', [images], (t) => {
    checkChannels('grayscaleToRGB', t, 1, 'grayscale images');
    return tile(t, [...new Array<number>(t.rank - 1).fill(1), 3]);
  });
}
