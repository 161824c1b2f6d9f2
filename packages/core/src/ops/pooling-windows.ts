import { tensor } from './convert.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { imagePatches } from './image-patches.js';
import { imagePaddings, type AxisPlan, type WindowPlan } from './window-geometry.js';

/** Every pooling window of an image batch, laid along `axes`, which a reduction then removes. */
export interface PoolingWindows {
  windows: Tensor;
  axes: number[];
}

/**
 * The windows of `x` [batch, height, width, channels], padded with `padValue`. Windows that tile
 * the image (strides equal to the window, Keras's default) are one reshape to [batch, outHeight,
 * windowHeight, outWidth, windowWidth, channels] after the padding (or the cut of the rows and
 * columns 'valid' leaves out): no copy, no index. Overlapping or spaced windows are gathered.
 */
export function poolingWindows(x: Tensor, plan: WindowPlan, padValue: number): PoolingWindows {
  const { window, strides } = plan.settings;
  if (window[0] !== strides[0] || window[1] !== strides[1]) return { windows: imagePatches(x, plan, padValue), axes: [3] };
  const paddings = imagePaddings(plan);
  const padded = paddings ? pad(x, paddings, padValue) : x;
  const [batch, height, width, channels] = padded.shape as [number, number, number, number];
  const [rows, cols] = [plan.rows.output * window[0], plan.cols.output * window[1]];
  const tiled = rows === height && cols === width ? padded : slice(padded, [0, 0, 0, 0], [batch, rows, cols, channels]);
  return { windows: reshape(tiled, [batch, plan.rows.output, window[0], plan.cols.output, window[1], channels]), axes: [2, 4] };
}

/** How many of each output position's window taps fall on the input (not the padding), along one axis. */
function realTaps(axis: AxisPlan, window: number, stride: number): number[] {
  return Array.from({ length: axis.output }, (_, out) => {
    const start = out * stride - axis.before;
    return Math.min(start + window, axis.input) - Math.max(start, 0);
  });
}

/**
 * The number of input values in each window, [outHeight, outWidth, 1] to divide the window sums
 * by (Keras's 'same' average leaves the padding out), or null when every window is whole.
 */
export function windowCounts(plan: WindowPlan): Tensor | null {
  if (!imagePaddings(plan)) return null;
  const { window, strides } = plan.settings;
  const rows = realTaps(plan.rows, window[0], strides[0]);
  const cols = realTaps(plan.cols, window[1], strides[1]);
  return tensor(rows.flatMap((r) => cols.map((c) => r * c)), [rows.length, cols.length, 1]);
}
