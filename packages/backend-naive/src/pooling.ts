import type { Pool2DGeometry } from '@perceptron/core';
import type { NaiveHandle, NaiveTensor } from './storage.js';
import { forEachTap, type Taps } from './windows.js';

// Max and average pooling and their gradients: walks over the windows' taps inside the image
// (windows.ts), per channel, from image position `pixel` (channels at xAt = pixel·channels) to
// output position `position` (yAt = position·channels). Sums add in float64 and round to
// float32 once, as the convolutions do. Pooling is float32 only (core checks), hence the casts.

const windowTaps = (g: Pool2DGeometry): Taps => ({ height: g.windowHeight, width: g.windowWidth, dilationHeight: 1, dilationWidth: 1 });

const outputSize = (g: Pool2DGeometry): number => g.batch * g.outHeight * g.outWidth * g.channels;
const inputSize = (g: Pool2DGeometry): number => g.batch * g.inHeight * g.inWidth * g.channels;

/** How many of each window's taps lie inside the image, per output position. */
function tapCounts(g: Pool2DGeometry): Float64Array {
  const counts = new Float64Array(g.batch * g.outHeight * g.outWidth);
  forEachTap(g, windowTaps(g), (_pixel, _tap, position) => counts[position]++);
  return counts;
}

/** y[b, oy, ox, c] = the largest x[b, y, x, c] of the window (Math.max: a NaN makes it NaN, as the max kernel). */
export function maxPool2d(x: NaiveTensor, g: Pool2DGeometry): NaiveHandle {
  const X = x.handle as Float32Array;
  const y = new Float32Array(outputSize(g)).fill(-Infinity);
  forEachTap(g, windowTaps(g), (pixel, _tap, position) => {
    const xAt = pixel * g.channels;
    const yAt = position * g.channels;
    for (let c = 0; c < g.channels; c++) y[yAt + c] = Math.max(y[yAt + c]!, X[xAt + c]!);
  });
  return y;
}

/**
 * dx[b, y, x, c] = Σ dy[b, oy, ox, c] over the windows that pick x[b, y, x, c]: each window
 * picks, per channel, the first of its taps (row-major) holding its largest value.
 */
export function maxPool2dBackprop(dy: NaiveTensor, x: NaiveTensor, g: Pool2DGeometry): NaiveHandle {
  const [DY, X] = [dy.handle as Float32Array, x.handle as Float32Array];
  const best = new Float32Array(outputSize(g));
  const picked = new Int32Array(outputSize(g)).fill(-1);
  forEachTap(g, windowTaps(g), (pixel, _tap, position) => {
    const xAt = pixel * g.channels;
    const yAt = position * g.channels;
    for (let c = 0; c < g.channels; c++) {
      // The window's first tap is picked whatever it holds, so that every window picks one.
      if (picked[yAt + c]! < 0 || X[xAt + c]! > best[yAt + c]!) {
        best[yAt + c] = X[xAt + c]!;
        picked[yAt + c] = xAt + c;
      }
    }
  });
  const dx = new Float64Array(inputSize(g));
  picked.forEach((at, k) => {
    dx[at] += DY[k]!;
  });
  return Float32Array.from(dx);
}

/** y[b, oy, ox, c] = the mean of x[b, y, x, c] over the window's taps inside the image. */
export function avgPool2d(x: NaiveTensor, g: Pool2DGeometry): NaiveHandle {
  const X = x.handle as Float32Array;
  const sums = new Float64Array(outputSize(g));
  forEachTap(g, windowTaps(g), (pixel, _tap, position) => {
    const xAt = pixel * g.channels;
    const yAt = position * g.channels;
    for (let c = 0; c < g.channels; c++) sums[yAt + c] += X[xAt + c]!;
  });
  const counts = tapCounts(g);
  return Float32Array.from(sums, (total, k) => total / counts[Math.floor(k / g.channels)]!);
}

/** dx[b, y, x, c] = Σ dy[b, oy, ox, c] / count(b, oy, ox) over the windows holding (y, x). */
export function avgPool2dBackprop(dy: NaiveTensor, g: Pool2DGeometry): NaiveHandle {
  const DY = dy.handle as Float32Array;
  const counts = tapCounts(g);
  const dx = new Float64Array(inputSize(g));
  forEachTap(g, windowTaps(g), (pixel, _tap, position) => {
    const xAt = pixel * g.channels;
    const yAt = position * g.channels;
    for (let c = 0; c < g.channels; c++) dx[xAt + c] += DY[yAt + c]! / counts[position]!;
  });
  return Float32Array.from(dx);
}
