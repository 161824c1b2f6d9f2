import { ravel, zeros, type NDArray } from './ndarray.js';

/** tf.image.transform's settings, with nothing defaulted. */
export interface TransformSettings {
  readonly interpolation: 'nearest' | 'bilinear';
  readonly fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest';
  readonly fillValue: number;
  /** The output's [height, width]; null for the input's. */
  readonly outputShape: readonly number[] | null;
}

/**
 * Where TensorFlow's ImageProjectiveTransformV3 reads a coordinate `c` along an axis of `n`
 * pixels, for each fill mode, stated as its kernel states it (scipy.ndimage's rules):
 * - constant: `c` itself (a point outside then reads the fill value);
 * - nearest: `c` clamped to [0, n − 1];
 * - reflect, below 0: c is brought into (−2n, 0] by whole periods 2n (remainder towards zero),
 *   then read at c + 2n below −n, else at −c − 1; above n − 1: brought into [0, 2n) the same
 *   way, then read at 2n − c − 1 from n on;
 * - wrap, below 0: c + n·(⌊−c/(n − 1)⌋ + 1); above n − 1: c − n·⌊c/(n − 1)⌋;
 * then clamped to [0, n − 1]. An axis of one pixel reads 0 in the last two.
 */
export function transformCoordinate(c: number, n: number, mode: TransformSettings['fillMode']): number {
  const clamp = (v: number): number => Math.min(n - 1, Math.max(0, v));
  switch (mode) {
    case 'constant': return c;
    case 'nearest': return clamp(c);
    case 'reflect': {
      if (c >= 0 && c <= n - 1) return c;
      if (n <= 1) return 0;
      const r = c % (2 * n);
      if (c < 0) return clamp(r < -n ? r + 2 * n : -r - 1);
      return clamp(r >= n ? 2 * n - r - 1 : r);
    }
    case 'wrap': {
      if (c >= 0 && c <= n - 1) return c;
      if (n <= 1) return 0;
      return clamp(c < 0 ? c + n * (Math.floor(-c / (n - 1)) + 1) : c - n * Math.floor(c / (n - 1)));
    }
  }
}

/**
 * tf.image.transform on [batch, height, width, channels] images: output pixel (x column, y row)
 * of image b reads the input at ((a0·x + a1·y + a2)/k, (a3·x + a4·y + a5)/k), k = a6·x + a7·y + 1,
 * with [a0..a7] row b of `transforms` (or its only row). The transforms are rounded to float32,
 * as the op reads them from a float32 tensor. Plain loops in float64.
 */
export function transform(images: NDArray, transforms: readonly (readonly number[])[], settings: TransformSettings): NDArray {
  const [batch, height, width, channels] = images.shape as [number, number, number, number];
  const [outHeight, outWidth] = (settings.outputShape ?? [height, width]) as [number, number];
  const { interpolation, fillMode, fillValue } = settings;
  const out = zeros([batch, outHeight, outWidth, channels]);
  // A pixel outside the image reads the fill value (only bilinear's far neighbours can be).
  const pixel = (b: number, row: number, column: number, c: number): number =>
    (row >= 0 && row < height && column >= 0 && column < width ? images.data[ravel([b, row, column, c], images.shape)]! : fillValue);
  for (let b = 0; b < batch; b++) {
    const a = transforms[transforms.length === 1 ? 0 : b]!.map(Math.fround);
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const k = a[6]! * x + a[7]! * y + 1;
        const sx = transformCoordinate((a[0]! * x + a[1]! * y + a[2]!) / k, width, fillMode);
        const sy = transformCoordinate((a[3]! * x + a[4]! * y + a[5]!) / k, height, fillMode);
        const outside = k === 0 || !(sx >= 0 && sx <= width - 1 && sy >= 0 && sy <= height - 1);
        for (let c = 0; c < channels; c++) {
          let value = fillValue;
          if (!outside && interpolation === 'nearest') {
            // std::round: halves away from zero (sx, sy are never negative here).
            value = pixel(b, Math.sign(sy) * Math.round(Math.abs(sy)), Math.sign(sx) * Math.round(Math.abs(sx)), c);
          } else if (!outside) {
            const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
            const top = (x0 + 1 - sx) * pixel(b, y0, x0, c) + (sx - x0) * pixel(b, y0, x0 + 1, c);
            const bottom = (x0 + 1 - sx) * pixel(b, y0 + 1, x0, c) + (sx - x0) * pixel(b, y0 + 1, x0 + 1, c);
            value = (y0 + 1 - sy) * top + (sy - y0) * bottom;
          }
          out.data[ravel([b, y, x, c], out.shape)] = value;
        }
      }
    }
  }
  return out;
}
