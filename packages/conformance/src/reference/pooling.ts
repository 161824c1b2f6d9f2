import { sizeOfShape, zeros, type NDArray } from './ndarray.js';
import { forEachTap, outputSize, type Window } from './windows.js';

/** A pooling's settings as the table writes them: one number per spatial axis. */
export interface PoolingSettings {
  readonly poolSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
}

const windowOf = (s: PoolingSettings): Window => ({ size: s.poolSize, strides: s.strides, padding: s.padding, dilations: [1, 1] });

export function pool2dOutputShape(inputShape: readonly number[], s: PoolingSettings): number[] {
  return [inputShape[0]!, ...outputSize(inputShape, windowOf(s)), inputShape[3]!];
}

/**
 * Calls `visit(xAt, yAt)` for every tap inside the image of every window, per channel: the flat
 * positions of the image value and of the output its window gives.
 */
function forEachWindowValue(inputShape: readonly number[], s: PoolingSettings, visit: (xAt: number, yAt: number) => void): void {
  const channels = inputShape[3]!;
  forEachTap(inputShape, windowOf(s), (pixel, _tap, position) => {
    for (let c = 0; c < channels; c++) visit(pixel * channels + c, position * channels + c);
  });
}

/** How many values each output's window holds inside the image (Keras and TensorFlow average over those only). */
function windowSizes(inputShape: readonly number[], s: PoolingSettings): Float64Array {
  const counts = new Float64Array(sizeOfShape(pool2dOutputShape(inputShape, s)));
  forEachWindowValue(inputShape, s, (_xAt, yAt) => counts[yAt]++);
  return counts;
}

/**
 * Where each window's maximum is, per output: the flat position in x of the first value
 * (row-major in the window) that no other value of the window exceeds, TensorFlow's choice
 * among ties.
 */
function firstMaxima(x: NDArray, s: PoolingSettings): Int32Array {
  const picked = new Int32Array(sizeOfShape(pool2dOutputShape(x.shape, s))).fill(-1);
  forEachWindowValue(x.shape, s, (xAt, yAt) => {
    if (picked[yAt]! < 0 || x.data[xAt]! > x.data[picked[yAt]!]!) picked[yAt] = xAt;
  });
  return picked;
}

/** y = the largest value of each window inside the image. */
export function maxPool2d(x: NDArray, s: PoolingSettings): NDArray {
  const y = zeros(pool2dOutputShape(x.shape, s));
  firstMaxima(x, s).forEach((at, k) => {
    y.data[k] = x.data[at]!;
  });
  return y;
}

/** dx: each window's dy goes to its first maximum. */
export function maxPool2dBackprop(dy: NDArray, x: NDArray, s: PoolingSettings): NDArray {
  const dx = zeros(x.shape);
  firstMaxima(x, s).forEach((at, k) => {
    dx.data[at] += dy.data[k]!;
  });
  return dx;
}

/** y = the mean of each window's values inside the image. */
export function avgPool2d(x: NDArray, s: PoolingSettings): NDArray {
  const y = zeros(pool2dOutputShape(x.shape, s));
  const sizes = windowSizes(x.shape, s);
  forEachWindowValue(x.shape, s, (xAt, yAt) => {
    y.data[yAt] += x.data[xAt]! / sizes[yAt]!;
  });
  return y;
}

/** dx: each window's dy shared equally among its values inside the image. */
export function avgPool2dBackprop(dy: NDArray, inputShape: readonly number[], s: PoolingSettings): NDArray {
  const dx = zeros(inputShape);
  const sizes = windowSizes(inputShape, s);
  forEachWindowValue(inputShape, s, (xAt, yAt) => {
    dx.data[xAt] += dy.data[yAt]! / sizes[yAt]!;
  });
  return dx;
}
