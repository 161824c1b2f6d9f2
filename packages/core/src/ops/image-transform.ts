import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { refuseBool } from '../util/dtype.js';
import { formatShape } from '../util/shape.js';
import { mul } from './arithmetic.js';
import { cast } from './cast.js';
import { scalar, tensor, withTensors, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { where } from './where.js';

/** How a sample point between pixels is read: the nearest pixel, or its four neighbours mixed by distance. */
export type TransformInterpolation = 'nearest' | 'bilinear';
/** How a sample point outside the image is read: as fillValue, or mapped back inside by reflecting, wrapping or clamping. */
export type TransformFillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

const INTERPOLATIONS: readonly string[] = ['nearest', 'bilinear'];
const FILL_MODES: readonly string[] = ['constant', 'reflect', 'wrap', 'nearest'];

/**
 * A coordinate along an axis of `size` pixels mapped into [0, size − 1] as TensorFlow's
 * ImageProjectiveTransformV3 maps it (after scipy.ndimage), quirks included: 'reflect' mirrors
 * about the outer edges of the end pixels (dcba|abcd|dcba); 'wrap' shifts by whole periods of
 * `size` but counts them in steps of size − 1. 'constant' leaves the point where it is.
 */
function mapCoordinate(c: number, size: number, mode: TransformFillMode): number {
  if (mode === 'constant') return c;
  if (mode !== 'nearest' && (c < 0 || c > size - 1)) {
    if (size <= 1) return 0;
    if (mode === 'reflect') {
      const period = 2 * size;
      const folded = c - period * Math.trunc(c / period);
      c = c < 0 ? (folded < -size ? folded + period : -folded - 1) : (folded >= size ? period - folded - 1 : folded);
    } else {
      c = c < 0 ? c + size * (Math.trunc(-c / (size - 1)) + 1) : c - size * Math.trunc(c / (size - 1));
    }
  }
  return Math.min(size - 1, Math.max(0, c));
}

/**
 * tf.image.transform (TensorFlow's ImageProjectiveTransformV3): each output pixel (x column,
 * y row) of [batch, height, width, channels] images reads the input at
 * ((a0·x + a1·y + a2)/k, (a3·x + a4·y + a5)/k), k = a6·x + a7·y + 1, for its image's row
 * [a0..a7] of `transforms` ([batch, 8], or [1, 8] for all). A point with k = 0, or outside the
 * image once `fillMode` has mapped it, reads `fillValue`. Images are float32 or int32 (cast);
 * the result is float32 of [batch, ...outputShape, channels] (default: the images' size).
 *
 * The transforms are read on the host and not differentiated, as in TensorFlow. From them the
 * sample positions and weights are worked out in plain arrays, and the result is a gather of
 * input pixels times those weights, so every backend runs it and the images' gradient comes
 * from gather, mul, sum and where.
 */
export function transform(
  images: TensorLike, transforms: TensorLike, interpolation: TransformInterpolation = 'nearest', fillMode: TransformFillMode = 'constant',
  fillValue = 0, outputShape?: readonly [number, number],
): Tensor {
  return withTensors('transform', [images], (t) => withTensors('transform', [transforms], (m) => {
    if (t.rank !== 4) throw new Error(`transform: expected images of rank 4 [batch, height, width, channels], got shape ${formatShape(t.shape)}`);
    refuseBool('transform', t.dtype, true);
    const [batch, height, width] = t.shape as [number, number, number, number];
    if (height === 0 || width === 0) throw new Error(`transform: cannot transform images with no pixels, got shape ${formatShape(t.shape)}`);
    if (m.dtype !== 'float32' || m.rank !== 2 || m.shape[1] !== 8 || (m.shape[0] !== 1 && m.shape[0] !== batch)) {
      throw new Error(`transform: expected float32 transforms of shape [${batch},8] (one row per image) or [1,8] (one for all), got ${m.dtype} ${formatShape(m.shape)}`);
    }
    if (!INTERPOLATIONS.includes(interpolation)) throw new Error(`transform: expected interpolation 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}`);
    if (!FILL_MODES.includes(fillMode)) throw new Error(`transform: expected fillMode 'constant', 'reflect', 'wrap' or 'nearest', got ${JSON.stringify(fillMode)}`);
    if (typeof fillValue !== 'number') throw new Error(`transform: expected fillValue to be a number, got ${JSON.stringify(fillValue)}`);
    if (outputShape !== undefined && (!Array.isArray(outputShape) || outputShape.length !== 2 || outputShape.some((d) => !Number.isInteger(d) || d < 1))) {
      throw new Error(`transform: expected outputShape to be two positive integers [height, width], got ${JSON.stringify(outputShape)}`);
    }
    const [outHeight, outWidth] = outputShape ?? [height, width];
    const rows = m.dataSync();
    const perImage = m.shape[0] === 1 ? 0 : 8;
    const points = new Float64Array(2 * batch * outHeight * outWidth);
    // Plain arithmetic on locals: this loop runs once per output pixel of every training batch.
    for (let p = 0; p < points.length / 2; p++) {
      const x = p % outWidth;
      const y = Math.floor(p / outWidth) % outHeight;
      const row = perImage * Math.floor(p / (outWidth * outHeight));
      const k = rows[row + 6]! * x + rows[row + 7]! * y + 1;
      // k = 0 puts the point at infinity; TensorFlow reads the fill value there (NaN does).
      points[2 * p] = k === 0 ? NaN : (rows[row]! * x + rows[row + 1]! * y + rows[row + 2]!) / k;
      points[2 * p + 1] = k === 0 ? NaN : (rows[row + 3]! * x + rows[row + 4]! * y + rows[row + 5]!) / k;
    }
    return resample(t, outHeight, outWidth, points, interpolation, fillMode, fillValue);
  }, 'float32'));
}

/**
 * Checked float32-or-int32 images [batch, height, width, channels] read at one point per output
 * pixel, as `transform` reads them: `points` holds, for each output pixel p in row-major order
 * over [batch, outHeight, outWidth], the column and row it reads at 2p and 2p + 1 (NaN for the
 * fill value); `fillMode` maps points outside, bilinear mixes the four pixels around a point.
 * Gives float32 [batch, outHeight, outWidth, channels]. The pixels are read by gather, mul, sum
 * and where, so the images' gradient flows on every backend. (RandomElasticTransform reads at
 * displaced points.)
 */
export function resample(
  t: Tensor, outHeight: number, outWidth: number, points: Float64Array,
  interpolation: TransformInterpolation, fillMode: TransformFillMode, fillValue: number,
): Tensor {
  const [batch, height, width, channels] = t.shape as [number, number, number, number];
  // Per output pixel: `taps` flat indices into the images as [batch·height·width, channels],
  // their weights, and whether the pixel samples the image at all (else it is fillValue).
  const taps = interpolation === 'bilinear' ? 4 : 1;
  const pixels = batch * outHeight * outWidth;
  const index = new Int32Array(pixels * taps);
  const weight = new Float32Array(taps === 4 ? pixels * 4 : 0);
  const inside = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const sx = mapCoordinate(points[2 * p]!, width, fillMode);
    const sy = mapCoordinate(points[2 * p + 1]!, height, fillMode);
    // Only 'constant' leaves points outside. As in TensorFlow, a point past the outermost pixel
    // centres reads fillValue whole, even where bilinear could reach a pixel; so does a NaN point.
    if (!(sx >= 0 && sx <= width - 1 && sy >= 0 && sy <= height - 1)) continue;
    inside[p] = 1;
    const imageStart = Math.floor(p / (outWidth * outHeight)) * height * width;
    if (taps === 1) {
      // The pixel is copied, unweighted. TensorFlow rounds with std::round (halves away from
      // zero), which Math.round matches for the non-negative sx, sy.
      index[p] = imageStart + Math.round(sy) * width + Math.round(sx);
      continue;
    }
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const fx = sx - x0;
    const fy = sy - y0;
    // The neighbour past the last column (row) is only reached when sx = width − 1 (sy = height − 1),
    // with weight 0: TensorFlow reads it as fillValue × 0, here the clamped pixel × 0.
    const x1 = Math.min(x0 + 1, width - 1);
    const top = imageStart + y0 * width;
    const bottom = imageStart + Math.min(y0 + 1, height - 1) * width;
    const q = 4 * p;
    index[q] = top + x0;
    index[q + 1] = top + x1;
    index[q + 2] = bottom + x0;
    index[q + 3] = bottom + x1;
    weight[q] = (1 - fy) * (1 - fx);
    weight[q + 1] = (1 - fy) * fx;
    weight[q + 2] = fy * (1 - fx);
    weight[q + 3] = fy * fx;
  }

  return tidy(() => {
    const floats = t.dtype === 'float32' ? t : cast(t, 'float32');
    const read = gather(reshape(floats, [batch * height * width, channels]), tensor(index, [pixels * taps], 'int32'));
    const sampled = taps === 1
      ? reshape(read, [batch, outHeight, outWidth, channels])
      : sum(mul(reshape(read, [batch, outHeight, outWidth, taps, channels]), tensor(weight, [batch, outHeight, outWidth, taps, 1])), 3);
    return where(tensor(inside, [batch, outHeight, outWidth, 1], 'bool'), sampled, scalar(fillValue, 'float32'));
  });
}
