import type { Conv2DGeometry } from '@perceptron/core';
import type { NaiveHandle, NaiveTensor } from './storage.js';
import { forEachTap, type Taps } from './windows.js';

const filterTaps = (g: Conv2DGeometry): Taps => ({ height: g.filterHeight, width: g.filterWidth, dilationHeight: g.dilationHeight, dilationWidth: g.dilationWidth });

// Each kernel adds its products into a float64 array and rounds to float32 once at the end, as
// the naive matMul does. The three are the same walk over the taps (windows.ts); only what is
// added where differs: from image position `pixel` (channels at xAt = pixel·inChannels) and
// filter tap `tap` (filterAt = tap·inChannels·outChannels) to output position `position` (yAt =
// position·outChannels). Convolutions are float32 only (core checks), hence the casts.

/** y[b, oy, ox, f] += x[b, y, x, c] · filter[i, j, c, f] for every tap. */
export function conv2d(x: NaiveTensor, filter: NaiveTensor, g: Conv2DGeometry): NaiveHandle {
  const [X, W] = [x.handle as Float32Array, filter.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * outChannels);
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * outChannels;
    const yAt = position * outChannels;
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
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * outChannels;
    const yAt = position * outChannels;
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
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * outChannels;
    const yAt = position * outChannels;
    for (let c = 0; c < inChannels; c++) {
      const value = X[xAt + c]!;
      const weights = filterAt + c * outChannels;
      for (let f = 0; f < outChannels; f++) dFilter[weights + f] += value * DY[yAt + f]!;
    }
  });
  return Float32Array.from(dFilter);
}
