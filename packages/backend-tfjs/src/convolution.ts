import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DGeometry } from '@perceptron/core';

// The convolution and its two gradients on tfjs's own kernels (Conv2D, Conv2DBackpropInput,
// Conv2DBackpropFilter), given core's resolved padding explicitly so that tfjs never recomputes
// 'same'. Those gradient kernels ignore dilations (tfjs 4.22 fixes them at 1 on every backend),
// so with dilations above 1, which Keras allows only with strides 1, each gradient is written
// as a forward convolution instead, which does take dilations.

type Pair = [number, number];
type ExplicitPadding = [Pair, Pair, Pair, Pair];

export const strides = (g: Conv2DGeometry): Pair => [g.strideHeight, g.strideWidth];
export const dilations = (g: Conv2DGeometry): Pair => [g.dilationHeight, g.dilationWidth];
export const dilated = (g: Conv2DGeometry): boolean => g.dilationHeight > 1 || g.dilationWidth > 1;
export const padding = (g: Conv2DGeometry): ExplicitPadding => [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]];

/**
 * The padding around dy that turns the input gradient of a convolution with strides 1 into a
 * forward convolution by the filter turned half a turn: the dilated extent less one, minus the
 * forward padding, on each side.
 */
export function paddingAroundDy(g: Conv2DGeometry): ExplicitPadding {
  const [height, width] = [(g.filterHeight - 1) * g.dilationHeight, (g.filterWidth - 1) * g.dilationWidth];
  return [[0, 0], [height - g.padTop, height - g.padBottom], [width - g.padLeft, width - g.padRight], [0, 0]];
}

export function conv2d(x: tf.Tensor, filter: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  return tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, strides(g), padding(g), 'NHWC', dilations(g));
}

/** The convolution with `bias` (rank-1 storage, or none) added by tfjs's FusedConv2D kernel. */
export function fusedConv2d(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor | undefined, g: Conv2DGeometry): tf.Tensor {
  return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: strides(g), pad: padding(g), dataFormat: 'NHWC', dilations: dilations(g), bias });
}

/**
 * With strides 1, dx is dy convolved with the filter turned half a turn and its channels
 * swapped, dy padded by the extent minus the forward padding on each side, dilations kept.
 */
export function conv2dBackpropInput(dy: tf.Tensor, filter: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  const inputShape: [number, number, number, number] = [g.batch, g.inHeight, g.inWidth, g.inChannels];
  if (!dilated(g)) return tf.conv2dTranspose(dy as tf.Tensor4D, filter as tf.Tensor4D, inputShape, strides(g), padding(g));
  const turned = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(dy as tf.Tensor4D, turned, 1, paddingAroundDy(g), 'NHWC', dilations(g));
}

/**
 * With strides 1, dfilter[i, j, c, f] = Σ x[b, oy + i·d, ox + j·d, c] · dy[b, oy, ox, f] is a
 * convolution of x (channels as the batch, the batch as channels) by dy (the batch as its input
 * channels), stepping by the dilations: [inChannels, filterHeight, filterWidth, outChannels].
 */
export function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, g: Conv2DGeometry): tf.Tensor {
  const filterShape: [number, number, number, number] = [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
  // No output positions, nothing to add: zeros (tfjs-webgl cannot sample an empty texture).
  if (g.batch * g.outHeight * g.outWidth === 0) return tf.zeros(filterShape);
  if (!dilated(g)) {
    const attrs = { strides: strides(g), pad: padding(g), dataFormat: 'NHWC', filterShape };
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap);
  }
  const images = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
  const gradients = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  return tf.transpose(tf.conv2d(images, gradients, dilations(g), padding(g), 'NHWC', 1), [1, 2, 0, 3]);
}
