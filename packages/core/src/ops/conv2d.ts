import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { conv2dBackpropFilterByPatches, conv2dBackpropInputByPatches, conv2dByPatches } from './conv2d-composite.js';
import type { Conv2DSettings } from './conv2d-geometry.js';
import {
  convolutionBackpropFilter, convolutionBackpropInput, convolve, convolveFused, type ConvolutionKind, type FusedConv2DSettings,
} from './convolution-kind.js';
import type { TensorLike } from './convert.js';

/** The full convolution: every output channel reads every input channel. */
export const FULL: ConvolutionKind = {
  name: 'conv2d',
  fusedName: 'fusedConv2d',
  filterLayout: '[filterHeight, filterWidth, inChannels, outChannels]',
  outChannels: (filterShape) => filterShape[3]!,
  composites: { forward: conv2dByPatches, backpropInput: conv2dBackpropInputByPatches, backpropFilter: conv2dBackpropFilterByPatches },
};

/**
 * The 2-D convolution of images `x` [batch, height, width, inChannels] with `filter`
 * [filterHeight, filterWidth, inChannels, outChannels], as tf.conv2d and Keras's Conv2D compute it
 * (channels last, no flip of the filter): [batch, outHeight, outWidth, outChannels]. Runs the
 * backend's conv2d kernel, or else im2col and a matrix product (conv2d-composite.ts).
 */
export function conv2d(x: TensorLike, filter: TensorLike, settings: Conv2DSettings = {}): Tensor {
  return convolve(FULL, x, filter, settings);
}

/**
 * activation(conv2d(x, filter) + bias), as tf.fused.conv2d and Keras's Conv2D compute it: the
 * settings are conv2d's, plus `bias` [outChannels] and `activation` ('linear', 'relu',
 * 'sigmoid' or 'tanh'). Runs the backend's fused kernel when it has one.
 */
export function fusedConv2d(x: TensorLike, filter: TensorLike, settings: FusedConv2DSettings = {}): Tensor {
  return convolveFused(FULL, x, filter, settings);
}

/**
 * The gradient of conv2d with respect to its input (a transposed convolution): given `dy`, the
 * gradient of a convolution's output, and its `filter`, the gradient of its input, of
 * `inputShape` [batch, height, width, inChannels]. `settings` are the convolution's.
 */
export function conv2dBackpropInput(dy: TensorLike, filter: TensorLike, inputShape: Shape, settings: Conv2DSettings = {}): Tensor {
  return convolutionBackpropInput(FULL, dy, filter, inputShape, settings);
}

/**
 * The gradient of conv2d with respect to its filter: given the convolution's input `x` and `dy`,
 * the gradient of its output, the gradient of a filter of `filterShape` [filterHeight,
 * filterWidth, inChannels, outChannels]. `settings` are the convolution's.
 */
export function conv2dBackpropFilter(x: TensorLike, dy: TensorLike, filterShape: Shape, settings: Conv2DSettings = {}): Tensor {
  return convolutionBackpropFilter(FULL, x, dy, filterShape, settings);
}
