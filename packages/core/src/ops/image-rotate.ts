import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { cast } from './cast.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { transform } from './image-transform.js';
import { pad } from './pad.js';
import { where } from './where.js';

/** What rotateWithOffset writes where no pixel lands: one value, or a colour [red, green, blue]. */
export type RotateFill = number | readonly [number, number, number];

const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

/**
 * The fill of each of `channels` channels: one value for all, or, as tfjs's kernel reads a
 * colour, channels 0–2 from it and an alpha channel 3 fully opaque (255).
 */
function fillPerChannel(fillValue: RotateFill, channels: number): number[] {
  if (isNumber(fillValue)) return new Array<number>(channels).fill(fillValue);
  if (!Array.isArray(fillValue) || fillValue.length !== 3 || !fillValue.every(isNumber)) {
    throw new Error(`rotateWithOffset: expected fillValue to be a number or three numbers [red, green, blue], got ${JSON.stringify(fillValue)}`);
  }
  if (channels > 4) throw new Error(`rotateWithOffset: a fill colour [red, green, blue] fits images of at most 4 channels (RGBA), got ${channels}`);
  return Array.from({ length: channels }, (_, c) => (c === 3 ? 255 : fillValue[c]!));
}

/**
 * tf.image.rotateWithOffset (tfjs): [batch, height, width, channels] images rotated by
 * `radians` about (width·cx, height·cy), `center` being cx = cy or [cx, cy] in fractions of the
 * size (default the middle, 0.5). As tfjs's kernels define it, output pixel (x, y) copies the
 * input pixel at (round((x − cx)cos − (y − cy)sin + cx), round((x − cx)sin + (y − cy)cos + cy)),
 * rounding halves up, or the fill where that pixel is outside the image. The dtype is kept.
 *
 * Built on transform: the image is framed by a border one pixel wide holding the fill, and
 * transform reads it with nearest interpolation and 'nearest' fill mode, which clamps points
 * outside onto the border. A point rounding to column −1 lies in [−1.5, −0.5), which, shifted by
 * the border's pixel, is [−0.5, 0.5) and rounds to the border column 0 (and the same on every
 * side), so exactly the points whose rounded pixel is outside the image read the fill.
 * The gradient reaches the images through transform, the border and the framing.
 */
export function rotateWithOffset(image: TensorLike, radians: number, fillValue: RotateFill = 0, center: number | readonly [number, number] = 0.5): Tensor {
  return withTensors('rotateWithOffset', [image], (t) => {
    if (t.rank !== 4) throw new Error(`rotateWithOffset: expected images of rank 4 [batch, height, width, channels], got shape ${formatShape(t.shape)}`);
    refuseBool('rotateWithOffset', t.dtype, true);
    if (!Number.isFinite(radians)) throw new Error(`rotateWithOffset: expected radians to be a finite number, got ${String(radians)}`);
    const [centerX, centerY] = isNumber(center) ? [center, center] : Array.isArray(center) && center.length === 2 && center.every(isNumber) ? center : [NaN, NaN];
    if (Number.isNaN(centerX)) throw new Error(`rotateWithOffset: expected center to be a number or two numbers [x, y], got ${JSON.stringify(center)}`);
    const [, height, width, channels] = t.shape as [number, number, number, number];
    const fill = fillPerChannel(fillValue, channels);
    const [cx, cy] = [width * centerX, height * centerY];
    const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
    // Output (x, y) → framed input (x', y') = the rotated point shifted by the border's pixel.
    const row = [cos, -sin, cx - cos * cx + sin * cy + 1, sin, cos, cy - sin * cx - cos * cy + 1, 0, 0];
    return tidy(() => {
      const floats = t.dtype === 'float32' ? t : cast(t, 'float32');
      const border = new Uint8Array((height + 2) * (width + 2)).map((_, i) => {
        const [y, x] = [Math.floor(i / (width + 2)), i % (width + 2)];
        return y === 0 || x === 0 || y === height + 1 || x === width + 1 ? 1 : 0;
      });
      const framed = where(tensor(border, [1, height + 2, width + 2, 1], 'bool'), tensor(fill, [channels], 'float32'), pad(floats, [[0, 0], [1, 1], [1, 1], [0, 0]]));
      const rotated = transform(framed, [row], 'nearest', 'nearest', 0, [height, width]);
      return t.dtype === 'float32' ? rotated : cast(rotated, t.dtype);
    });
  });
}
