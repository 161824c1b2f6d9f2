import type { Conv2DGeometry } from '@perceptron/core';
import type { NaiveHandle, NaiveTensor } from './storage.js';

/**
 * Calls `visit(xAt, filterAt, yAt)` for every pair of an image position and a filter tap that
 * the convolution multiplies, with xAt the flat index of x[b, y, x, 0], filterAt that of
 * filter[i, j, 0, 0] and yAt that of y[b, oy, ox, 0]; the channels follow from there. Taps that
 * fall in the padding are skipped: they read zeros.
 */
function forEachTap(g: Conv2DGeometry, visit: (xAt: number, filterAt: number, yAt: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const yAt = ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels;
        for (let i = 0; i < g.filterHeight; i++) {
          const y = oy * g.strideHeight + i * g.dilationHeight - g.padTop;
          if (y < 0 || y >= g.inHeight) continue;
          for (let j = 0; j < g.filterWidth; j++) {
            const x = ox * g.strideWidth + j * g.dilationWidth - g.padLeft;
            if (x < 0 || x >= g.inWidth) continue;
            visit(((b * g.inHeight + y) * g.inWidth + x) * g.inChannels, (i * g.filterWidth + j) * g.inChannels * g.outChannels, yAt);
          }
        }
      }
    }
  }
}

// Each kernel adds its products into a float64 array and rounds to float32 once at the end, as
// the naive matMul does. The three are the same walk over the taps; only what is added where
// differs. Convolutions are float32 only (core checks), hence the casts.

/** y[b, oy, ox, f] += x[b, y, x, c] · filter[i, j, c, f] for every tap. */
export function conv2d(x: NaiveTensor, filter: NaiveTensor, g: Conv2DGeometry): NaiveHandle {
  const [X, W] = [x.handle as Float32Array, filter.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * outChannels);
  forEachTap(g, (xAt, filterAt, yAt) => {
    for (let c = 0; c < inChannels; c++) {
      const value = X[xAt + c]!;
      const weights = filterAt + c * outChannels;
      for (let f = 0; f < outChannels; f++) y[yAt + f] += value * W[weights + f]!;
    }
  });
  return Float32Array.from(y);
}

/** dx[b, y, x, c] += dy[b, oy, ox, f] · filter[i, j, c, f] for every tap. */
export function conv2dBackpropInput(dy: NaiveTensor, filter: NaiveTensor, g: Conv2DGeometry): NaiveHandle {
  const [DY, W] = [dy.handle as Float32Array, filter.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const dx = new Float64Array(g.batch * g.inHeight * g.inWidth * inChannels);
  forEachTap(g, (xAt, filterAt, yAt) => {
    for (let c = 0; c < inChannels; c++) {
      const weights = filterAt + c * outChannels;
      let total = 0;
      for (let f = 0; f < outChannels; f++) total += DY[yAt + f]! * W[weights + f]!;
      dx[xAt + c] += total;
    }
  });
  return Float32Array.from(dx);
}

/** dfilter[i, j, c, f] += x[b, y, x, c] · dy[b, oy, ox, f] for every tap. */
export function conv2dBackpropFilter(x: NaiveTensor, dy: NaiveTensor, g: Conv2DGeometry): NaiveHandle {
  const [X, DY] = [x.handle as Float32Array, dy.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const dFilter = new Float64Array(g.filterHeight * g.filterWidth * inChannels * outChannels);
  forEachTap(g, (xAt, filterAt, yAt) => {
    for (let c = 0; c < inChannels; c++) {
      const value = X[xAt + c]!;
      const weights = filterAt + c * outChannels;
      for (let f = 0; f < outChannels; f++) dFilter[weights + f] += value * DY[yAt + f]!;
    }
  });
  return Float32Array.from(dFilter);
}
