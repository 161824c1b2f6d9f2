import * as tf from '@tensorflow/tfjs-core';
import type { Pool2DGeometry } from '@perceptron/core';

// Max and average pooling and their gradients on tfjs's own kernels (MaxPool, MaxPoolGrad,
// AvgPool, AvgPoolGrad), given core's resolved padding explicitly so that tfjs never
// recomputes 'same'. The kernels are run by name: tfjs's gradient kernels have no public op.

type Pair = [number, number];
type ExplicitPadding = [Pair, Pair, Pair, Pair];

const padding = (g: Pool2DGeometry): ExplicitPadding => [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]];
const padded = (g: Pool2DGeometry): boolean => g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
const inputShape = (g: Pool2DGeometry): [number, number, number, number] => [g.batch, g.inHeight, g.inWidth, g.channels];

function attrs(g: Pool2DGeometry): tf.NamedAttrMap {
  return { filterSize: [g.windowHeight, g.windowWidth], strides: [g.strideHeight, g.strideWidth], pad: padding(g) } as unknown as tf.NamedAttrMap;
}

const run = (kernel: string, inputs: tf.NamedTensorMap, g: Pool2DGeometry): tf.Tensor => tf.engine().runKernel(kernel, inputs, attrs(g)) as tf.Tensor;

export function maxPool2d(x: tf.Tensor, g: Pool2DGeometry): tf.Tensor {
  return run(tf.MaxPool, { x }, g);
}

/**
 * tfjs's MaxPoolGrad kernels list the forward output among their inputs but read only dy and
 * the input (each finds the window's maximum again), so none is given. Used only where the
 * kernel gives a tie to the first maximum, as TensorFlow (tfjs-backend.ts says where).
 */
export function maxPool2dBackprop(dy: tf.Tensor, x: tf.Tensor, g: Pool2DGeometry): tf.Tensor {
  return run(tf.MaxPoolGrad, { dy, input: x }, g);
}

export function avgPool2d(x: tf.Tensor, g: Pool2DGeometry): tf.Tensor {
  return run(tf.AvgPool, { x }, g);
}

/**
 * tfjs's AvgPoolGrad kernels divide every window's dy by the whole window's size, though its
 * AvgPool divides by the taps inside the image (tfjs 4.22, every backend). So dy is first
 * multiplied by size / count: 1 / the 'valid' average of an image of ones padded with zeros as
 * the pooling pads. The kernel reads only the shape of its `input`, which is zeros here.
 */
export function avgPool2dBackprop(dy: tf.Tensor, g: Pool2DGeometry): tf.Tensor {
  let scaled = dy;
  if (padded(g)) {
    const ones = tf.pad(tf.ones([1, g.inHeight, g.inWidth, 1]), padding(g)) as tf.Tensor4D;
    scaled = tf.div(dy, tf.avgPool(ones, [g.windowHeight, g.windowWidth], [g.strideHeight, g.strideWidth], 'valid'));
  }
  return run(tf.AvgPoolGrad, { dy: scaled, input: tf.zeros(inputShape(g)) }, g);
}
