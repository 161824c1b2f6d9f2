import { tensor } from './convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { imagePatches, tiledWindows, windowsTile } from './image-patches.js';
import { imagePaddings, type AxisPlan, type WindowPlan } from './window-geometry.js';

/** Every pooling window of an image batch, laid along `axes`, which a reduction then removes. */
export interface PoolingWindows {
  windows: Tensor;
  axes: number[];
}

/**
 * The windows of `x` [batch, height, width, channels], padded with `padValue`. Windows that tile
 * the image (strides equal to the window, Keras's default) are reduced where they lie, along the
 * window axes of tiledWindows' reshape; overlapping or spaced windows are gathered.
 */
export function poolingWindows(x: Tensor, plan: WindowPlan, padValue: number): PoolingWindows {
  return windowsTile(plan) ? { windows: tiledWindows(x, plan, padValue), axes: [2, 4] } : { windows: imagePatches(x, plan, padValue), axes: [3] };
}

/** How many of each output position's window taps fall on the input (not the padding), along one axis. */
export function realTaps(axis: AxisPlan, window: number, stride: number): number[] {
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
