import type { Tensor } from '../tensor/tensor.js';
import { div, mul } from './arithmetic.js';
import { broadcastTo } from './broadcast-to.js';
import { imageFromPatches, imagePatches } from './image-patches.js';
import { oneHot } from './one-hot.js';
import type { Pool2DPlan } from './pool2d-geometry.js';
import { poolingWindows, windowCounts } from './pooling-windows.js';
import { argMax, max, mean, sum } from './reduce.js';
import { expandDims } from './reshape.js';
import { transpose } from './transpose.js';

// The pooling ops' values on a backend without their kernels, composed of primitives: the
// windows laid along axes of their own (a reshape when they tile the image, else a gather),
// reduced; the gradients scatter back through imageFromPatches (col2im).

/** With 'same', −∞ pads the image: it never wins a window. */
export function maxPoolByWindows(x: Tensor, { window }: Pool2DPlan): Tensor {
  const { windows, axes } = poolingWindows(x, window, -Infinity);
  return max(windows, axes);
}

/** With 'same', each window's sum is divided by its taps inside the image (Keras leaves the padding out). */
export function avgPoolByWindows(x: Tensor, { window }: Pool2DPlan): Tensor {
  const { windows, axes } = poolingWindows(x, window, 0);
  const counts = windowCounts(window);
  return counts ? div(sum(windows, axes), counts) : mean(windows, axes);
}

/**
 * 1 at the tap of each window that max pooling picks, 0 elsewhere: [batch, outHeight, outWidth,
 * taps, channels], as imagePatches lays the windows out. argMax gives the first of tied
 * maxima, in the taps' row-major order, which is TensorFlow's rule and the kernels'.
 */
function firstMaxima(x: Tensor, { window, geometry: g }: Pool2DPlan): Tensor {
  const picked = argMax(imagePatches(x, window, -Infinity), 3);
  return transpose(oneHot(picked, g.windowHeight * g.windowWidth), [0, 1, 2, 4, 3]);
}

/** dx: each dy goes to the tap its window picked, added up where windows overlap. */
export function maxPoolBackpropByWindows(dy: Tensor, x: Tensor, plan: Pool2DPlan): Tensor {
  return imageFromPatches(mul(firstMaxima(x, plan), expandDims(dy, 3)), plan.window);
}

/**
 * The adjoint of maxPool2dBackprop in its dy (it is linear in dy for a fixed x): `g`, an image
 * like x, read at the tap each window picked. [batch, outHeight, outWidth, channels].
 */
export function maxPoolPickedValues(g: Tensor, x: Tensor, plan: Pool2DPlan): Tensor {
  return sum(mul(firstMaxima(x, plan), imagePatches(g, plan.window)), 3);
}

/** dx: each dy divided among its window's taps inside the image, added up where windows overlap. */
export function avgPoolBackpropByWindows(dy: Tensor, plan: Pool2DPlan): Tensor {
  const { batch, outHeight, outWidth, channels, windowHeight, windowWidth } = plan.geometry;
  const taps = windowHeight * windowWidth;
  const shares = div(dy, windowCounts(plan.window) ?? taps);
  return imageFromPatches(broadcastTo(expandDims(shares, 3), [batch, outHeight, outWidth, taps, channels]), plan.window);
}
