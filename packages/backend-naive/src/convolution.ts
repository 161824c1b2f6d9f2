import type { Conv2DGeometry } from '@perceptron/core';
import type { NaiveHandle, NaiveTensor } from './storage.js';
import { forEachTap, type Taps } from './windows.js';

const filterTaps = (g: Conv2DGeometry): Taps => ({ height: g.filterHeight, width: g.filterWidth, dilationHeight: g.dilationHeight, dilationWidth: g.dilationWidth });

/** Which channels a filter connects: the full convolution's every pair, or the depthwise one's input channel c to its own M outputs. */
export type Connection = 'full' | 'depthwise';

/**
 * Input channel c's filter row (filter[i, j, c, ·]) has `row` weights, for the outputs from
 * channel c·`step`: the full convolution's every output channel (step 0), the depthwise one's M.
 */
function rowsOf(g: Conv2DGeometry, connection: Connection): { row: number; step: number } {
  if (connection === 'full') return { row: g.outChannels, step: 0 };
  const multiplier = g.outChannels / g.inChannels;
  return { row: multiplier, step: multiplier };
}

// Each kernel adds its products into a float64 array and rounds to float32 once at the end, as
// the naive matMul does. The three are the same walk over the taps (windows.ts); only what is
// added where differs: from image position `pixel` (channels at xAt = pixel·inChannels) and
// filter tap `tap` (rows at filterAt = tap·inChannels·row) to output position `position`
// (channels at yAt = position·outChannels). Convolutions are float32 only (core checks), hence
// the casts.

/** y[b, oy, ox, c·step + f] += x[b, y, x, c] · filter[i, j, c, f] for every tap. */
export function conv2d(x: NaiveTensor, filter: NaiveTensor, g: Conv2DGeometry, connection: Connection): NaiveHandle {
  const [X, W] = [x.handle as Float32Array, filter.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const { row, step } = rowsOf(g, connection);
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * outChannels);
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * row;
    const yAt = position * outChannels;
    for (let c = 0; c < inChannels; c++) {
      const value = X[xAt + c]!;
      const [weights, outputs] = [filterAt + c * row, yAt + c * step];
      for (let f = 0; f < row; f++) y[outputs + f] += value * W[weights + f]!;
    }
  });
  return Float32Array.from(y);
}

/** dx[b, y, x, c] += dy[b, oy, ox, c·step + f] · filter[i, j, c, f] for every tap. */
export function conv2dBackpropInput(dy: NaiveTensor, filter: NaiveTensor, g: Conv2DGeometry, connection: Connection): NaiveHandle {
  const [DY, W] = [dy.handle as Float32Array, filter.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const { row, step } = rowsOf(g, connection);
  const dx = new Float64Array(g.batch * g.inHeight * g.inWidth * inChannels);
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * row;
    const yAt = position * outChannels;
    for (let c = 0; c < inChannels; c++) {
      const [weights, outputs] = [filterAt + c * row, yAt + c * step];
      let total = 0;
      for (let f = 0; f < row; f++) total += DY[outputs + f]! * W[weights + f]!;
      dx[xAt + c] += total;
    }
  });
  return Float32Array.from(dx);
}

/** dfilter[i, j, c, f] += x[b, y, x, c] · dy[b, oy, ox, c·step + f] for every tap. */
export function conv2dBackpropFilter(x: NaiveTensor, dy: NaiveTensor, g: Conv2DGeometry, connection: Connection): NaiveHandle {
  const [X, DY] = [x.handle as Float32Array, dy.handle as Float32Array];
  const { inChannels, outChannels } = g;
  const { row, step } = rowsOf(g, connection);
  const dFilter = new Float64Array(g.filterHeight * g.filterWidth * inChannels * row);
  forEachTap(g, filterTaps(g), (pixel, tap, position) => {
    const xAt = pixel * inChannels;
    const filterAt = tap * inChannels * row;
    const yAt = position * outChannels;
    for (let c = 0; c < inChannels; c++) {
      const value = X[xAt + c]!;
      const [weights, outputs] = [filterAt + c * row, yAt + c * step];
      for (let f = 0; f < row; f++) dFilter[weights + f] += value * DY[outputs + f]!;
    }
  });
  return Float32Array.from(dFilter);
}
