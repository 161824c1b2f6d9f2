import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { compositeKernel } from './composite.js';
import { withTensors, type TensorLike } from './convert.js';
import { zerosLike } from './creation.js';
import { checkDyShape, checkOperands, checkShapeArgument, IMAGE_LAYOUT } from './image-operands.js';
import { avgPoolBackpropByWindows, avgPoolByWindows, maxPoolBackpropByWindows, maxPoolByWindows, maxPoolPickedValues } from './pool2d-composite.js';
import {
  describePool2DSettings, planPool2D, pool2dAttrs, pooledShapeOf, resolvePool2DSettings, type Pool2DPlan, type Pool2DSettings,
} from './pool2d-geometry.js';
import { runOp } from './run-op.js';

// Max and average pooling and their gradients. Average pooling is linear, so its gradient
// (avgPool2dBackprop) and that gradient's gradient (avgPool2d again) are each other's adjoints.
// maxPool2dBackprop is linear in dy once x has fixed which tap each window picks; its gradient
// with respect to dy reads the picked taps (maxPoolPickedValues), and with respect to x it is
// zero, as TensorFlow's: moving x changes nothing until a pick changes, where it jumps.

function plan(op: string, inputShape: Shape, settings: Pool2DSettings): Pool2DPlan {
  return planPool2D(op, inputShape, resolvePool2DSettings(op, settings));
}

/** Throws unless `dy` has the shape of the planned pooling's output. */
function checkOutputGradient(op: string, dy: Tensor, planned: Pool2DPlan, inputShape: Shape): void {
  checkDyShape(op, dy, pooledShapeOf(planned), `the output of pooling ${formatShape(inputShape)} with ${describePool2DSettings(planned.settings)}`);
}

/**
 * Max pooling of images `x` [batch, height, width, channels] as tf.nn.max_pool2d and Keras's
 * MaxPooling2D compute it: the largest value of each window, [batch, outHeight, outWidth,
 * channels]; with 'same' padding, of the window's values inside the image. Runs the backend's
 * maxPool2d kernel, or else a reduction over the windows (pool2d-composite.ts).
 */
export function maxPool2d(x: TensorLike, settings: Pool2DSettings = {}): Tensor {
  const op = 'maxPool2d';
  return withTensors(op, [x], (input) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT] });
    const planned = plan(op, input.shape, settings);
    return runOp({
      name: op, inputs: [input], shape: pooledShapeOf(planned), dtype: 'float32', attrs: pool2dAttrs(planned),
      kernel: (backend) => backend.maxPool2d?.(input, planned.geometry) ?? compositeKernel(backend, () => maxPoolByWindows(input, planned)),
      gradient: (dy, { inputs: [xs] }) => [maxPool2dBackprop(dy, xs!, planned.settings)],
    });
  });
}

/**
 * The gradient of maxPool2d with respect to its input: given `dy`, the gradient of the output
 * of max pooling `x` with `settings`, each window's dy goes to the tap holding its largest value
 * (the first in row-major order among equal ones, as TensorFlow's MaxPoolGrad picks), added up
 * where windows overlap: [batch, height, width, channels], like x.
 */
export function maxPool2dBackprop(dy: TensorLike, x: TensorLike, settings: Pool2DSettings = {}): Tensor {
  const op = 'maxPool2dBackprop';
  return withTensors(op, [dy, x], (gradient, input) => {
    checkOperands(op, { dy: [gradient, IMAGE_LAYOUT], x: [input, IMAGE_LAYOUT] });
    const planned = plan(op, input.shape, settings);
    checkOutputGradient(op, gradient, planned, input.shape);
    return runOp({
      name: op, inputs: [gradient, input], shape: [...input.shape], dtype: 'float32', attrs: pool2dAttrs(planned),
      kernel: (backend) => backend.maxPool2dBackprop?.(gradient, input, planned.geometry)
        ?? compositeKernel(backend, () => maxPoolBackpropByWindows(gradient, input, planned)),
      gradient: (g, { inputs: [, xs] }, [needDy, needX]) => [
        needDy ? maxPoolPickedValues(g, xs!, planned) : null,
        needX ? zerosLike(xs!) : null,
      ],
    });
  });
}

/**
 * Average pooling of images `x` [batch, height, width, channels] as tf.nn.avg_pool2d and Keras's
 * AveragePooling2D compute it: the mean of each window, [batch, outHeight, outWidth, channels];
 * with 'same' padding, the mean of the window's values inside the image (the padding is not
 * counted). Runs the backend's avgPool2d kernel, or else a reduction over the windows.
 */
export function avgPool2d(x: TensorLike, settings: Pool2DSettings = {}): Tensor {
  const op = 'avgPool2d';
  return withTensors(op, [x], (input) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT] });
    const planned = plan(op, input.shape, settings);
    return runOp({
      name: op, inputs: [input], shape: pooledShapeOf(planned), dtype: 'float32', attrs: pool2dAttrs(planned),
      kernel: (backend) => backend.avgPool2d?.(input, planned.geometry) ?? compositeKernel(backend, () => avgPoolByWindows(input, planned)),
      gradient: (dy, { inputs: [xs] }) => [avgPool2dBackprop(dy, xs!.shape, planned.settings)],
    });
  });
}

/**
 * The gradient of avgPool2d with respect to its input: given `dy`, the gradient of the output of
 * average pooling images of `inputShape` [batch, height, width, channels] with `settings`, each
 * window's dy shared equally among its taps inside the image, added up where windows overlap.
 */
export function avgPool2dBackprop(dy: TensorLike, inputShape: Shape, settings: Pool2DSettings = {}): Tensor {
  const op = 'avgPool2dBackprop';
  return withTensors(op, [dy], (gradient) => {
    checkShapeArgument(op, 'inputShape', IMAGE_LAYOUT, inputShape, 0);
    checkOperands(op, { dy: [gradient, IMAGE_LAYOUT] });
    const planned = plan(op, inputShape, settings);
    checkOutputGradient(op, gradient, planned, inputShape);
    return runOp({
      name: op, inputs: [gradient], shape: [...inputShape], dtype: 'float32', attrs: { ...pool2dAttrs(planned), inputShape: [...inputShape] },
      kernel: (backend) => backend.avgPool2dBackprop?.(gradient, planned.geometry) ?? compositeKernel(backend, () => avgPoolBackpropByWindows(gradient, planned)),
      gradient: (g) => [avgPool2d(g, planned.settings)],
    });
  });
}
