import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { withTensors, type TensorLike } from './convert.js';
import { reverse } from './reverse.js';

/**
 * tf.image.flipLeftRight: each image mirrored left to right, its columns in reverse order. Takes
 * [batch, height, width, channels] images, as tfjs does, or one [height, width, channels] image,
 * as TensorFlow's flip_left_right also does; any dtype is kept, since pixels are only moved. The
 * gradient is the cotangent flipped back (reverse's).
 */
export function flipLeftRight(images: TensorLike): Tensor {
  return withTensors('flipLeftRight', [images], (t) => {
    if (t.rank !== 3 && t.rank !== 4) {
      throw new Error(`flipLeftRight: expected images of rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], got shape ${formatShape(t.shape)}`);
    }
    return reverse(t, t.rank - 2);
  });
}
