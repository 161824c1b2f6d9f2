import type { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, minimum, mul, sub } from './arithmetic.js';
import { clipByValue } from './clip.js';
import { equal, greater, less } from './compare.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { mod } from './floor-div.js';
import { slice } from './slice.js';
import { abs } from './unary.js';
import { where } from './where.js';

/** Hue (in turns, [0, 1)), saturation and value planes, each [..., 1]. */
export interface HsvPlanes {
  hue: Tensor;
  saturation: Tensor;
  value: Tensor;
}

/** Channel `c` of [..., 3] images, as [..., 1]. */
const channel = (images: Tensor, c: number): Tensor => slice(images, [...new Array<number>(images.rank - 1).fill(0), c], [...images.shape.slice(0, -1), 1]);

/**
 * Float32 RGB images [..., 3] as HSV planes, computed as Keras 3's rgb_to_hsv (after dm_pix) with
 * elementwise ops, so gradients reach the pixels: value = max, saturation = (max − min) / max,
 * hue from whichever channel is the max (red before green before blue on ties). Grey pixels get
 * hue 0, black ones saturation 0. Scaling the pixels scales the value alone.
 */
export function rgbToHsv(images: Tensor): HsvPlanes {
  const [r, g, b] = [0, 1, 2].map((c) => channel(images, c)) as [Tensor, Tensor, Tensor];
  const value = maximum(maximum(r, g), b);
  const span = sub(value, minimum(minimum(r, g), b));
  const hasValue = greater(value, 0);
  const hasSpan = greater(span, 0);
  // The safe denominators keep 0/0 (and its NaN gradient) out of the branches where() drops.
  const saturation = where(hasValue, div(span, where(hasValue, value, 1)), 0);
  const norm = div(1, mul(where(hasSpan, span, 1), 6));
  const fromGreenOrBlue = where(equal(value, g), add(mul(sub(b, r), norm), 2 / 6), add(mul(sub(r, g), norm), 4 / 6));
  const signed = where(hasSpan, where(equal(value, r), mul(sub(g, b), norm), fromGreenOrBlue), 0);
  const hue = add(signed, cast(less(signed, 0), 'float32'));
  return { hue, saturation, value };
}

/**
 * HSV planes back to RGB images [..., 3], as Keras 3's hsv_to_rgb: the hue is taken modulo one
 * turn, so a shifted hue needs no wrapping; each channel is value·(1 − saturation·(1 − ramp)),
 * its ramp a clipped triangle of the hue.
 */
export function hsvToRgb({ hue, saturation, value }: HsvPlanes): Tensor {
  const sixths = mul(mod(hue, 1), 6);
  const ramps = [
    clipByValue(sub(abs(sub(sixths, 3)), 1), 0, 1),
    clipByValue(sub(2, abs(sub(sixths, 2))), 0, 1),
    clipByValue(sub(2, abs(sub(sixths, 4))), 0, 1),
  ];
  const grey = sub(1, saturation);
  return concat(ramps.map((ramp) => mul(value, add(grey, mul(saturation, ramp)))), -1);
}
