import type { Tensor } from '../tensor/tensor.js';
import type { Conv2DPlan } from './conv2d-geometry.js';
import { imageFromPatches, imagePatches } from './image-patches.js';
import { matMul } from './matmul.js';
import { reshape } from './reshape.js';

// The convolution ops' values on a backend without their kernels, composed of primitives
// (im2col): every window of the image becomes a row [filterHeight · filterWidth · inChannels],
// and the filter, seen as a matrix with as many rows, multiplies them.

/** The windows of `x` as rows [batch · outHeight · outWidth, filterHeight · filterWidth · inChannels]. */
function windowRows(x: Tensor, { window, geometry: g }: Conv2DPlan): Tensor {
  return reshape(imagePatches(x, window), [g.batch * g.outHeight * g.outWidth, g.filterHeight * g.filterWidth * g.inChannels]);
}

function filterMatrix(filter: Tensor, { geometry: g }: Conv2DPlan): Tensor {
  return reshape(filter, [g.filterHeight * g.filterWidth * g.inChannels, g.outChannels]);
}

function outputRows(dy: Tensor, { geometry: g }: Conv2DPlan): Tensor {
  return reshape(dy, [g.batch * g.outHeight * g.outWidth, g.outChannels]);
}

/** y = windows · filter. */
export function conv2dByPatches(x: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor {
  const { batch, outHeight, outWidth, outChannels } = plan.geometry;
  return reshape(matMul(windowRows(x, plan), filterMatrix(filter, plan)), [batch, outHeight, outWidth, outChannels]);
}

/** dx: each window's share dy · filterᵀ, added back where the window read it (col2im). */
export function conv2dBackpropInputByPatches(dy: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor {
  const { batch, outHeight, outWidth, filterHeight, filterWidth, inChannels } = plan.geometry;
  const shares = matMul(outputRows(dy, plan), filterMatrix(filter, plan), false, true);
  return imageFromPatches(reshape(shares, [batch, outHeight, outWidth, filterHeight * filterWidth, inChannels]), plan.window);
}

/** dfilter = windowsᵀ · dy. */
export function conv2dBackpropFilterByPatches(x: Tensor, dy: Tensor, plan: Conv2DPlan): Tensor {
  const { filterHeight, filterWidth, inChannels, outChannels } = plan.geometry;
  return reshape(matMul(windowRows(x, plan), outputRows(dy, plan), true, false), [filterHeight, filterWidth, inChannels, outChannels]);
}
