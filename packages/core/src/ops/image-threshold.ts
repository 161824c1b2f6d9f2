import { roundHalfToEven } from '../backend/round-half-to-even.js';
import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import { cast } from './cast.js';
import { greater, lessEqual } from './compare.js';
import { scalar, withTensors, type TensorLike } from './convert.js';
import { hostResult } from './host-result.js';
import { luma } from './image-colors.js';
import { where } from './where.js';

export type ThresholdMethod = 'binary' | 'otsu';

const LEVELS = 256;

/**
 * Otsu's level for a histogram of gray levels 0..255: the t for which splitting into [0, t] and
 * (t, 255] gives the largest between-class variance w₀w₁(μ₀ − μ₁)², where it is defined (both
 * classes hold pixels); the lowest t on ties, and −1 when no split separates anything (every
 * pixel then lies above it). With n₀, n₁ the class counts and s₀, s₁ their sums of levels, the
 * variance is (n₁s₀ − n₀s₁)² / (n₀n₁N²), compared exactly in integers (BigInt, as the products
 * outgrow 2^53), so ties are ties: tfjs compares it in float32, where rounding can split them.
 */
function otsuLevel(histogram: readonly number[]): number {
  const total = histogram.reduce((n, h) => n + h, 0);
  const levelSum = histogram.reduce((s, h, i) => s + h * i, 0);
  let [best, bestNumerator, bestDenominator] = [-1, 0n, 1n];
  let [n0, s0] = [0, 0];
  for (let t = 0; t < LEVELS - 1; t++) {
    n0 += histogram[t]!;
    s0 += histogram[t]! * t;
    const [n1, s1] = [total - n0, levelSum - s0];
    if (n0 === 0 || n1 === 0) continue;
    const spread = BigInt(n1) * BigInt(s0) - BigInt(n0) * BigInt(s1);
    const [numerator, denominator] = [spread * spread, BigInt(n0) * BigInt(n1)];
    if (numerator * bestDenominator > bestNumerator * denominator) [best, bestNumerator, bestDenominator] = [t, numerator, denominator];
  }
  return best;
}

/** The histogram of float32 gray values rounded half to even (as tf.round), refusing values outside 0..255. */
function grayHistogram(gray: Tensor): number[] {
  const histogram = new Array<number>(LEVELS).fill(0);
  for (const v of gray.dataSync()) {
    const level = roundHalfToEven(v);
    if (!(level >= 0 && level < LEVELS)) throw new Error(`threshold: method 'otsu' needs gray values in [0, 255] (the histogram's levels), got ${v}`);
    histogram[level] = histogram[level]! + 1;
  }
  return histogram;
}

/**
 * tf.image.threshold (tfjs): binarizes an image [height, width, channels] of 1 (gray) or 3
 * (RGB, weighed to gray as rgbToGrayscale does) channels, float32 or int32 with values in
 * 0..255, to int32 [height, width, 1]: 255 where the gray value is above the threshold, 0
 * elsewhere, or the other way round when `inverted` (255 at or below it). 'binary' thresholds
 * at threshValue × 255 (both as float32, as tfjs multiplies them); 'otsu' at Otsu's level of
 * the image's 256-level histogram, read on the host (an op ONNX export does not map). No
 * gradient, as the result is integer.
 */
export function threshold(image: TensorLike, method: ThresholdMethod = 'binary', inverted = false, threshValue = 0.5): Tensor {
  return withTensors('threshold', [image], (t) => {
    if (t.rank !== 3 || (t.shape[2] !== 1 && t.shape[2] !== 3)) {
      throw new Error(`threshold: expected an image of rank 3 [height, width, channels] with 1 or 3 channels, got shape ${formatShape(t.shape)}`);
    }
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`threshold: expected a float32 or int32 image, got ${t.dtype}`);
    if (method !== 'binary' && method !== 'otsu') throw new Error(`threshold: expected method 'binary' or 'otsu', got ${JSON.stringify(method)}`);
    if (typeof inverted !== 'boolean') throw new Error(`threshold: expected inverted to be a boolean, got ${JSON.stringify(inverted)}`);
    if (typeof threshValue !== 'number' || Number.isNaN(threshValue)) throw new Error(`threshold: expected threshValue to be a number, got ${String(threshValue)}`);
    return tidy(() => {
      const floats = t.dtype === 'float32' ? t : cast(t, 'float32');
      const gray = t.shape[2] === 3 ? luma(floats) : floats;
      const level = method === 'otsu'
        ? hostResult('otsuLevel', [gray], Float32Array.of(otsuLevel(grayHistogram(gray))), [], 'float32')
        : Math.fround(Math.fround(threshValue) * 255);
      const on = inverted ? lessEqual(gray, level) : greater(gray, level);
      return where(on, scalar(255, 'int32'), scalar(0, 'int32'));
    });
  });
}
