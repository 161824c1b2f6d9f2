import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { compositeKernel } from './composite.js';
import { conv2dBackpropFilterByPatches, conv2dBackpropInputByPatches, conv2dByPatches } from './conv2d-composite.js';
import {
  conv2dAttrs, describeSettings, FILTER_LAYOUT, outputShapeOf, planConv2D, resolveConv2DSettings, type Conv2DPlan, type Conv2DSettings,
} from './conv2d-geometry.js';
import { withTensors, type TensorLike } from './convert.js';
import { checkOperands, checkDyShape, checkShapeArgument, IMAGE_LAYOUT } from './image-operands.js';
import { runOp } from './run-op.js';

// The convolution and its two backward convolutions. Each is linear in each of its two
// arguments, so each one's gradient is made of the other two (and itself): the gradients are
// ops with gradients, and second derivatives through a convolution work as for any other op.

/** Throws unless the filter has taps and the image's channels are the filter's input channels; then plans the convolution. */
function plan(op: string, imageName: string, imageShape: Shape, filterName: string, filterShape: Shape, settings: Conv2DSettings): Conv2DPlan {
  const resolved = resolveConv2DSettings(op, settings);
  if (filterShape[0] === 0 || filterShape[1] === 0) throw new Error(`${op}: ${filterName} ${formatShape(filterShape)} has no taps; its height and width must be at least 1`);
  if (imageShape[3] !== filterShape[2]) {
    throw new Error(`${op}: ${imageName} ${formatShape(imageShape)} has ${imageShape[3]} channels but ${filterName} ${formatShape(filterShape)} expects ${filterShape[2]} (its third dimension)`);
  }
  return planConv2D(op, imageShape, filterShape, resolved);
}

/** Throws unless `dy` has the shape of the planned convolution's output. */
function checkOutputGradient(op: string, dy: Tensor, planned: Conv2DPlan, imageShape: Shape, filterShape: Shape): void {
  const origin = `the output of convolving ${formatShape(imageShape)} by a filter ${formatShape(filterShape)} with ${describeSettings(planned.settings)}`;
  checkDyShape(op, dy, outputShapeOf(planned), origin);
}

/**
 * The 2-D convolution of images `x` [batch, height, width, inChannels] with `filter`
 * [filterHeight, filterWidth, inChannels, outChannels], as tf.conv2d and Keras's Conv2D compute it
 * (channels last, no flip of the filter): [batch, outHeight, outWidth, outChannels]. Runs the
 * backend's conv2d kernel, or else im2col and a matrix product (conv2d-composite.ts).
 */
export function conv2d(x: TensorLike, filter: TensorLike, settings: Conv2DSettings = {}): Tensor {
  const op = 'conv2d';
  return withTensors(op, [x, filter], (input, weights) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, FILTER_LAYOUT] });
    const planned = plan(op, 'x', input.shape, 'the filter', weights.shape, settings);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [input, weights], shape: outputShapeOf(planned), dtype: 'float32', attrs: conv2dAttrs(planned),
      kernel: (backend) => backend.conv2d?.(input, weights, planned.geometry) ?? compositeKernel(backend, () => conv2dByPatches(input, weights, planned)),
      gradient: (dy, { inputs: [xs, w] }, [needX, needFilter]) => [
        needX ? conv2dBackpropInput(dy, w!, xs!.shape, resolved) : null,
        needFilter ? conv2dBackpropFilter(xs!, dy, w!.shape, resolved) : null,
      ],
    });
  });
}

/**
 * The gradient of conv2d with respect to its input (a transposed convolution): given `dy`, the
 * gradient of a convolution's output, and its `filter`, the gradient of its input, of
 * `inputShape` [batch, height, width, inChannels]. `settings` are the convolution's.
 */
export function conv2dBackpropInput(dy: TensorLike, filter: TensorLike, inputShape: Shape, settings: Conv2DSettings = {}): Tensor {
  const op = 'conv2dBackpropInput';
  return withTensors(op, [dy, filter], (gradient, weights) => {
    checkShapeArgument(op, 'inputShape', IMAGE_LAYOUT, inputShape, 0);
    checkOperands(op, { dy: [gradient, IMAGE_LAYOUT], filter: [weights, FILTER_LAYOUT] });
    const planned = plan(op, 'inputShape', inputShape, 'the filter', weights.shape, settings);
    checkOutputGradient(op, gradient, planned, inputShape, weights.shape);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [gradient, weights], shape: [...inputShape], dtype: 'float32', attrs: { ...conv2dAttrs(planned), inputShape: [...inputShape] },
      kernel: (backend) => backend.conv2dBackpropInput?.(gradient, weights, planned.geometry)
        ?? compositeKernel(backend, () => conv2dBackpropInputByPatches(gradient, weights, planned)),
      gradient: (g, { inputs: [d, w] }, [needDy, needFilter]) => [
        needDy ? conv2d(g, w!, resolved) : null,
        needFilter ? conv2dBackpropFilter(g, d!, w!.shape, resolved) : null,
      ],
    });
  });
}

/**
 * The gradient of conv2d with respect to its filter: given the convolution's input `x` and `dy`,
 * the gradient of its output, the gradient of a filter of `filterShape` [filterHeight,
 * filterWidth, inChannels, outChannels]. `settings` are the convolution's.
 */
export function conv2dBackpropFilter(x: TensorLike, dy: TensorLike, filterShape: Shape, settings: Conv2DSettings = {}): Tensor {
  const op = 'conv2dBackpropFilter';
  return withTensors(op, [x, dy], (input, gradient) => {
    checkShapeArgument(op, 'filterShape', FILTER_LAYOUT, filterShape, 1);
    checkOperands(op, { x: [input, IMAGE_LAYOUT], dy: [gradient, IMAGE_LAYOUT] });
    const planned = plan(op, 'x', input.shape, 'filterShape', filterShape, settings);
    checkOutputGradient(op, gradient, planned, input.shape, filterShape);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [input, gradient], shape: [...filterShape], dtype: 'float32', attrs: { ...conv2dAttrs(planned), filterShape: [...filterShape] },
      kernel: (backend) => backend.conv2dBackpropFilter?.(input, gradient, planned.geometry)
        ?? compositeKernel(backend, () => conv2dBackpropFilterByPatches(input, gradient, planned)),
      gradient: (g, { inputs: [xs, d] }, [needX, needDy]) => [
        needX ? conv2dBackpropInput(d!, g, xs!.shape, resolved) : null,
        needDy ? conv2d(xs!, g, resolved) : null,
      ],
    });
  });
}
