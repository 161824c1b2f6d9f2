import type { Tensor } from '../tensor/tensor.js';
import type { Conv2DPlan } from './conv2d-geometry.js';
import { imageFromPatches, imagePatches } from './image-patches.js';
import { matMul } from './matmul.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';

// The depthwise convolution ops' values on a backend without their kernels, composed of
// primitives: im2col as for conv2d, then one matrix product per channel (a batched matMul with
// the channels as its batch), since channel c's outputs read channel c's taps alone.

/** The windows of `x` per channel: [channels, batch · outHeight · outWidth, taps]. */
function channelWindows(x: Tensor, { window, geometry: g }: Conv2DPlan): Tensor {
  const windows = reshape(imagePatches(x, window), [g.batch * g.outHeight * g.outWidth, g.filterHeight * g.filterWidth, g.inChannels]);
  return transpose(windows, [2, 0, 1]);
}

/** The filter [fh, fw, channels, multiplier] per channel: [channels, taps, multiplier]. */
function channelFilters(filter: Tensor, { geometry: g }: Conv2DPlan): Tensor {
  return transpose(reshape(filter, [g.filterHeight * g.filterWidth, g.inChannels, g.outChannels / g.inChannels]), [1, 0, 2]);
}

/** dy [batch, outHeight, outWidth, channels · multiplier] per channel: [channels, positions, multiplier]. */
function channelGradients(dy: Tensor, { geometry: g }: Conv2DPlan): Tensor {
  return transpose(reshape(dy, [g.batch * g.outHeight * g.outWidth, g.inChannels, g.outChannels / g.inChannels]), [1, 0, 2]);
}

/** y[·, c·M + m] = channel c's windows · its filter column m. */
export function depthwiseConv2dByPatches(x: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor {
  const { batch, outHeight, outWidth, outChannels } = plan.geometry;
  const perChannel = matMul(channelWindows(x, plan), channelFilters(filter, plan));
  return reshape(transpose(perChannel, [1, 0, 2]), [batch, outHeight, outWidth, outChannels]);
}

/** dx: each channel's window shares dy · filterᵀ, added back where the window read it (col2im). */
export function depthwiseConv2dBackpropInputByPatches(dy: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor {
  const { batch, outHeight, outWidth, filterHeight, filterWidth, inChannels } = plan.geometry;
  const shares = matMul(channelGradients(dy, plan), channelFilters(filter, plan), false, true);
  return imageFromPatches(reshape(transpose(shares, [1, 2, 0]), [batch, outHeight, outWidth, filterHeight * filterWidth, inChannels]), plan.window);
}

/** dfilter per channel = its windowsᵀ · its dy. */
export function depthwiseConv2dBackpropFilterByPatches(x: Tensor, dy: Tensor, plan: Conv2DPlan): Tensor {
  const { filterHeight, filterWidth, inChannels, outChannels } = plan.geometry;
  const perChannel = matMul(channelWindows(x, plan), channelGradients(dy, plan), true, false);
  return reshape(transpose(perChannel, [1, 0, 2]), [filterHeight, filterWidth, inChannels, outChannels / inChannels]);
}
