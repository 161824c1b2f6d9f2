import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import type { Conv2DSettings } from './conv2d-geometry.js';
import {
  convolutionBackpropFilter, convolutionBackpropInput, convolve, convolveFused, type ConvolutionKind, type FusedConv2DSettings,
} from './convolution-kind.js';
import type { TensorLike } from './convert.js';
import {
  depthwiseConv2dBackpropFilterByPatches, depthwiseConv2dBackpropInputByPatches, depthwiseConv2dByPatches,
} from './depthwise-conv2d-composite.js';

/** The depthwise convolution: each input channel feeds its own `multiplier` output channels. */
const DEPTHWISE: ConvolutionKind = {
  name: 'depthwiseConv2d',
  fusedName: 'fusedDepthwiseConv2d',
  filterLayout: '[filterHeight, filterWidth, inChannels, channelMultiplier]',
  outChannels: (filterShape) => filterShape[2]! * filterShape[3]!,
  composites: {
    forward: depthwiseConv2dByPatches, backpropInput: depthwiseConv2dBackpropInputByPatches, backpropFilter: depthwiseConv2dBackpropFilterByPatches,
  },
};

/**
 * The depthwise 2-D convolution of images `x` [batch, height, width, channels] with `filter`
 * [filterHeight, filterWidth, channels, multiplier], as tf.depthwiseConv2d and Keras's
 * DepthwiseConv2D compute it: each channel c is convolved with its own kernels
 * filter[:, :, c, m] alone, into output channel c · multiplier + m, giving [batch, outHeight,
 * outWidth, channels · multiplier]. Runs the backend's kernel, or else im2col and a matrix product
 * per channel (depthwise-conv2d-composite.ts).
 */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, settings: Conv2DSettings = {}): Tensor {
  return convolve(DEPTHWISE, x, filter, settings);
}

/**
 * activation(depthwiseConv2d(x, filter) + bias), as tf.fused.depthwiseConv2d and Keras's
 * DepthwiseConv2D compute it: the settings are depthwiseConv2d's, plus `bias` [channels ·
 * multiplier] and `activation` ('linear', 'relu', 'sigmoid' or 'tanh'). Runs the backend's fused
 * kernel when it has one.
 */
export function fusedDepthwiseConv2d(x: TensorLike, filter: TensorLike, settings: FusedConv2DSettings = {}): Tensor {
  return convolveFused(DEPTHWISE, x, filter, settings);
}

/**
 * The gradient of depthwiseConv2d with respect to its input: given `dy`, the gradient of its
 * output, and its `filter`, the gradient of an input of `inputShape` [batch, height, width,
 * channels]. `settings` are the convolution's.
 */
export function depthwiseConv2dBackpropInput(dy: TensorLike, filter: TensorLike, inputShape: Shape, settings: Conv2DSettings = {}): Tensor {
  return convolutionBackpropInput(DEPTHWISE, dy, filter, inputShape, settings);
}

/**
 * The gradient of depthwiseConv2d with respect to its filter: given its input `x` and `dy`, the
 * gradient of its output, the gradient of a filter of `filterShape` [filterHeight, filterWidth,
 * channels, multiplier]. `settings` are the convolution's.
 */
export function depthwiseConv2dBackpropFilter(x: TensorLike, dy: TensorLike, filterShape: Shape, settings: Conv2DSettings = {}): Tensor {
  return convolutionBackpropFilter(DEPTHWISE, x, dy, filterShape, settings);
}
