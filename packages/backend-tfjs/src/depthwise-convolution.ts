import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DGeometry } from '@perceptron/core';
import { dilated, dilations, padding, paddingAroundDy, strides } from './convolution.js';

// The depthwise convolution and its two gradients on tfjs's kernels (DepthwiseConv2dNative and
// its two backprops), given core's resolved padding explicitly. As with the full convolution,
// the gradient kernels ignore dilations (tfjs 4.22), so with dilations above 1 (strides 1, as
// Keras requires) each gradient is written as a forward depthwise convolution, which takes them.

const multiplierOf = (g: Conv2DGeometry): number => g.outChannels / g.inChannels;

export function depthwiseConv2d(x: tf.Tensor, filter: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  return tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, strides(g), padding(g), 'NHWC', dilations(g));
}

/**
 * The depthwise convolution with `bias` (rank-1 storage, or none) added by tfjs's
 * FusedDepthwiseConv2D kernel. Its typings leave out explicit padding, which every backend's
 * kernel takes as DepthwiseConv2dNative's does (both resolve it with computeConv2DInfo).
 */
export function fusedDepthwiseConv2d(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor | undefined, g: Conv2DGeometry): tf.Tensor {
  const pad = padding(g) as unknown as 'valid';
  return tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: strides(g), pad, dataFormat: 'NHWC', dilations: dilations(g), bias });
}

/**
 * With strides 1, dx[·, c] = Σ_m dy[·, c·M + m] convolved with kernel (c, m) turned half a turn:
 * one depthwise convolution of dy by the turned kernels, one each, then the sum over m.
 */
export function depthwiseConv2dBackpropInput(dy: tf.Tensor, filter: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  const inputShape: [number, number, number, number] = [g.batch, g.inHeight, g.inWidth, g.inChannels];
  if (!dilated(g)) {
    const attrs = { strides: strides(g), pad: padding(g), dilations: [1, 1], inputShape };
    return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, attrs as unknown as tf.NamedAttrMap);
  }
  const turned = tf.reshape(tf.reverse(filter, [0, 1]), [g.filterHeight, g.filterWidth, g.outChannels, 1]) as tf.Tensor4D;
  const perKernel = tf.depthwiseConv2d(dy as tf.Tensor4D, turned, 1, paddingAroundDy(g), 'NHWC', dilations(g));
  return tf.sum(tf.reshape(perKernel, [...inputShape, multiplierOf(g)]), 4);
}

/**
 * With strides 1, dfilter[i, j, c, m] = Σ_b Σ x[b, oy + i·d, ox + j·d, c] · dy[b, oy, ox, c·M + m]:
 * a depthwise convolution of x with the batch folded into its channels by dy (each image's
 * gradient the kernels of its channels), stepping by the dilations, then the sum over the batch.
 */
export function depthwiseConv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  const multiplier = multiplierOf(g);
  const filterShape: [number, number, number, number] = [g.filterHeight, g.filterWidth, g.inChannels, multiplier];
  // No output positions, nothing to add: zeros (tfjs-webgl cannot sample an empty texture).
  if (g.batch * g.outHeight * g.outWidth === 0) return tf.zeros(filterShape);
  if (!dilated(g)) {
    const attrs = { strides: strides(g), pad: padding(g), dilations: [1, 1], filterShape };
    return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap);
  }
  const images = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, g.inHeight, g.inWidth, g.batch * g.inChannels]) as tf.Tensor4D;
  const kernels = tf.reshape(
    tf.transpose(tf.reshape(dy, [g.batch, g.outHeight, g.outWidth, g.inChannels, multiplier]), [1, 2, 0, 3, 4]),
    [g.outHeight, g.outWidth, g.batch * g.inChannels, multiplier],
  ) as tf.Tensor4D;
  const perImage = tf.depthwiseConv2d(images, kernels, dilations(g), padding(g), 'NHWC', 1);
  return tf.sum(tf.reshape(perImage, [g.filterHeight, g.filterWidth, g.batch, g.inChannels, multiplier]), 2);
}
