import { concat, slice } from './movement.js';
import { zeros, type NDArray } from './ndarray.js';
import { forEachTap, outputSize, type Window } from './windows.js';

/** A convolution's settings as the table writes them: one number per spatial axis. */
export interface ConvolutionSettings {
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilations: readonly [number, number];
}

/**
 * Which channels the filter connects: 'full', filter [fh, fw, inChannels, outChannels], every
 * input channel to every output channel; 'depthwise', filter [fh, fw, inChannels, M], input
 * channel c to its own outputs c·M + m alone.
 */
export type Connection = 'full' | 'depthwise';

const windowOf = (filterShape: readonly number[], s: ConvolutionSettings): Window => ({ size: [filterShape[0]!, filterShape[1]!], ...s });
const outChannelsOf = (filterShape: readonly number[], connection: Connection): number => filterShape[3]! * (connection === 'full' ? 1 : filterShape[2]!);

export function conv2dOutputShape(inputShape: readonly number[], filterShape: readonly number[], s: ConvolutionSettings, connection: Connection): number[] {
  return [inputShape[0]!, ...outputSize(inputShape, windowOf(filterShape, s)), outChannelsOf(filterShape, connection)];
}

/**
 * Calls `visit(xAt, filterAt, yAt)` for every product x·filter of the convolution of images of
 * `inputShape` [batch, height, width, inChannels] by a filter of `filterShape` [fh, fw, inChannels,
 * row]: the flat positions of the image value, the filter value and the output it adds to.
 * Input channel c's row of weights feeds the outputs from c·row on (depthwise) or all of them
 * (full). Taps that fall in the padding are skipped (they read 0).
 */
function forEachProduct(
  inputShape: readonly number[], filterShape: readonly number[], s: ConvolutionSettings, connection: Connection,
  visit: (xAt: number, filterAt: number, yAt: number) => void,
): void {
  const [inChannels, row, outChannels] = [inputShape[3]!, filterShape[3]!, outChannelsOf(filterShape, connection)];
  const step = connection === 'full' ? 0 : row;
  forEachTap(inputShape, windowOf(filterShape, s), (pixel, tap, position) => {
    for (let c = 0; c < inChannels; c++) {
      for (let f = 0; f < row; f++) visit(pixel * inChannels + c, (tap * inChannels + c) * row + f, position * outChannels + c * step + f);
    }
  });
}

/** y[b, oy, ox, f] = Σ x[b, oy·s + i·d − top, ox·s + j·d − left, c] · filter[i, j, c, f] (depthwise: y[·, c·M + m] = Σ x[·, c] · filter[i, j, c, m]). */
export function conv2d(x: NDArray, filter: NDArray, s: ConvolutionSettings, connection: Connection): NDArray {
  const y = zeros(conv2dOutputShape(x.shape, filter.shape, s, connection));
  forEachProduct(x.shape, filter.shape, s, connection, (xAt, filterAt, yAt) => {
    y.data[yAt] += x.data[xAt]! * filter.data[filterAt]!;
  });
  return y;
}

/** dx: each product x·filter passes dy·filter back to the x it read. */
export function conv2dBackpropInput(dy: NDArray, filter: NDArray, inputShape: readonly number[], s: ConvolutionSettings, connection: Connection): NDArray {
  const dx = zeros(inputShape);
  forEachProduct(inputShape, filter.shape, s, connection, (xAt, filterAt, yAt) => {
    dx.data[xAt] += dy.data[yAt]! * filter.data[filterAt]!;
  });
  return dx;
}

/** dfilter: each product x·filter passes x·dy back to the filter value it used. */
export function conv2dBackpropFilter(x: NDArray, dy: NDArray, filterShape: readonly number[], s: ConvolutionSettings, connection: Connection): NDArray {
  const dFilter = zeros(filterShape);
  forEachProduct(x.shape, filterShape, s, connection, (xAt, filterAt, yAt) => {
    dFilter.data[filterAt] += x.data[xAt]! * dy.data[yAt]!;
  });
  return dFilter;
}

/** The convolution of each group's channels by its own share of the filter's outputs, joined along the channels. */
export function groupedConv2d(x: NDArray, filter: NDArray, groups: number, s: ConvolutionSettings): NDArray {
  const [channels, outChannels] = [x.shape[3]! / groups, filter.shape[3]! / groups];
  const group = (g: number): NDArray => conv2d(slice(x, [0, 0, 0, g * channels], [-1, -1, -1, channels]), slice(filter, [0, 0, 0, g * outChannels], [-1, -1, -1, outChannels]), s, 'full');
  return concat(Array.from({ length: groups }, (_, g) => group(g)), 3);
}
