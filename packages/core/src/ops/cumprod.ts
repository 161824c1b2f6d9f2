import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { normalizeAxis } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { pad } from './pad.js';
import { reverse as reverseAxis } from './reverse.js';
import { slice } from './slice.js';

/**
 * tf.cumprod: the running products of `x` along `axis` (default 0). With `exclusive` each
 * product leaves its own entry out (the first is 1); with `reverse` the products run from the
 * end. Built as a doubling scan (each pass multiplies every entry by the one `shift` before it,
 * shift = 1, 2, 4, ...) of plain products, so, as with prod, the gradient is the product of the
 * other entries exactly, zeros included, where dividing the output by x would give NaN.
 */
export function cumprod(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  return withTensors('cumprod', [x], (t) => {
    refuseBool('cumprod', t.dtype);
    const at = normalizeAxis('cumprod', axis, t.rank);
    const length = t.shape[at]!;
    // x moved `shift` along the axis, ones in front: the entry each one is multiplied by.
    const shifted = (y: Tensor, shift: number): Tensor => pad(
      slice(y, t.shape.map(() => 0), t.shape.map((d, i) => (i === at ? length - shift : d))),
      t.shape.map((_, i) => (i === at ? [shift, 0] : [0, 0]) as [number, number]), 1,
    );
    return tidy(() => {
      let y = reverse ? reverseAxis(t, at) : t;
      if (exclusive && length > 0) y = shifted(y, 1);
      for (let shift = 1; shift < length; shift *= 2) y = mul(y, shifted(y, shift));
      return reverse ? reverseAxis(y, at) : y;
    });
  });
}
