import type { FusedActivation } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { compositeKernel } from './composite.js';
import {
  conv2dAttrs, describeSettings, outputShapeOf, planConv2D, resolveConv2DSettings, type Conv2DPlan, type Conv2DSettings,
} from './conv2d-geometry.js';
import { add } from './arithmetic.js';
import { withTensors, type TensorLike } from './convert.js';
import { activate, activationGradient, checkFusedActivation } from './fused-activation.js';
import { checkOperands, checkDyShape, checkShapeArgument, IMAGE_LAYOUT } from './image-operands.js';
import { sum } from './reduce.js';
import { runOp } from './run-op.js';

// A kind of 2-D convolution (the full one, the depthwise one) as three ops: the convolution and
// its two backward convolutions. Each is linear in each of its two arguments, so each one's
// gradient is made of the other two (and itself): the gradients are ops with gradients, and
// second derivatives through a convolution work as for any other op. The kinds differ only in
// which channels a filter connects, so they share these ops and differ in their kind's entries.

type OpName = 'conv2d' | 'depthwiseConv2d';

/** What sets one kind of convolution apart. */
export interface ConvolutionKind {
  /**
   * The forward op and backend kernel; the gradients' are `${name}BackpropInput` and
   * `${name}BackpropFilter`, the convolution with its bias and activation `${fusedName}`.
   */
  readonly name: OpName;
  readonly fusedName: 'fusedConv2d' | 'fusedDepthwiseConv2d';
  /** The filter's dimensions in words, for errors. */
  readonly filterLayout: string;
  /** The output channels of a filter of `filterShape` (its input channels checked). */
  outChannels(filterShape: Shape): number;
  /** The three values composed of primitives, for a backend without the kernels. */
  readonly composites: {
    forward(x: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor;
    backpropInput(dy: Tensor, filter: Tensor, plan: Conv2DPlan): Tensor;
    backpropFilter(x: Tensor, dy: Tensor, plan: Conv2DPlan): Tensor;
  };
}

/** Throws unless the filter has taps and the image's channels are the filter's input channels; then plans the convolution. */
export function plan(kind: ConvolutionKind, op: string, imageName: string, imageShape: Shape, filterName: string, filterShape: Shape, settings: Conv2DSettings): Conv2DPlan {
  const resolved = resolveConv2DSettings(op, settings);
  if (filterShape[0] === 0 || filterShape[1] === 0) throw new Error(`${op}: ${filterName} ${formatShape(filterShape)} has no taps; its height and width must be at least 1`);
  if (imageShape[3] !== filterShape[2]) {
    throw new Error(`${op}: ${imageName} ${formatShape(imageShape)} has ${imageShape[3]} channels but ${filterName} ${formatShape(filterShape)} expects ${filterShape[2]} (its third dimension)`);
  }
  return planConv2D(op, imageShape, filterShape, kind.outChannels(filterShape), resolved);
}

/** Throws unless `dy` has the shape of the planned convolution's output. */
function checkOutputGradient(op: string, dy: Tensor, planned: Conv2DPlan, imageShape: Shape, filterShape: Shape): void {
  const origin = `the output of convolving ${formatShape(imageShape)} by a filter ${formatShape(filterShape)} with ${describeSettings(planned.settings)}`;
  checkDyShape(op, dy, outputShapeOf(planned), origin);
}

/** The convolution of images `x` [batch, height, width, inChannels] by `filter`: [batch, outHeight, outWidth, outChannels]. */
export function convolve(kind: ConvolutionKind, x: TensorLike, filter: TensorLike, settings: Conv2DSettings): Tensor {
  const op = kind.name;
  return withTensors(op, [x, filter], (input, weights) => {
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, kind.filterLayout] });
    const planned = plan(kind, op, 'x', input.shape, 'the filter', weights.shape, settings);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [input, weights], shape: outputShapeOf(planned), dtype: 'float32', attrs: conv2dAttrs(planned),
      kernel: (backend) => backend[op]?.(input, weights, planned.geometry) ?? compositeKernel(backend, () => kind.composites.forward(input, weights, planned)),
      gradient: (dy, { inputs: [xs, w] }, [needX, needFilter]) => [
        needX ? convolutionBackpropInput(kind, dy, w!, xs!.shape, resolved) : null,
        needFilter ? convolutionBackpropFilter(kind, xs!, dy, w!.shape, resolved) : null,
      ],
    });
  });
}

/** A convolution's settings with the bias added to its output channels and the activation applied after. */
export interface FusedConv2DSettings extends Conv2DSettings {
  /** One value per output channel [outChannels], or null for none. Default null. */
  bias?: TensorLike | null;
  /** Default 'linear'. */
  activation?: FusedActivation;
}

/** Throws unless `bias` (if any) is float32 [outChannels], one value per output channel of a filter of `filterShape`. */
export function checkBias(op: string, bias: Tensor | undefined, outChannels: number, filterShape: Shape): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outChannels || bias.dtype !== 'float32')) {
    throw new Error(`${op}: expected a float32 bias [${outChannels}] (one value per output channel of the filter ${formatShape(filterShape)}), got ${bias.dtype} ${formatShape(bias.shape)}`);
  }
}

/**
 * activation(convolution(x, filter) + bias): a convolution layer's forward pass as one op, as
 * tf.fused.conv2d computes it. Runs the backend's fused kernel when it has one, otherwise the
 * convolution's kernel, the add and the activation.
 */
export function convolveFused(kind: ConvolutionKind, x: TensorLike, filter: TensorLike, settings: FusedConv2DSettings): Tensor {
  const op = kind.fusedName;
  const { bias = null, activation = 'linear', ...convolution } = settings ?? {};
  return withTensors(op, bias === null ? [x, filter] : [x, filter, bias], (input, weights, b) => {
    checkFusedActivation(op, activation);
    checkOperands(op, { x: [input, IMAGE_LAYOUT], filter: [weights, kind.filterLayout] });
    const planned = plan(kind, op, 'x', input.shape, 'the filter', weights.shape, convolution);
    checkBias(op, b, kind.outChannels(weights.shape), weights.shape);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: b ? [input, weights, b] : [input, weights], shape: outputShapeOf(planned), dtype: 'float32',
      attrs: { ...conv2dAttrs(planned), activation },
      kernel: (backend) => backend[op]?.(input, weights, b ?? null, activation, planned.geometry) ?? compositeKernel(backend, () => {
        const z = convolve(kind, input, weights, resolved);
        return activate(b ? add(z, b) : z, activation);
      }),
      gradient: (dy, { inputs: [xs, w], output }, [needX, needFilter, needBias]) => {
        const dz = activationGradient(dy, output, activation);
        const grads = [
          needX ? convolutionBackpropInput(kind, dz, w!, xs!.shape, resolved) : null,
          needFilter ? convolutionBackpropFilter(kind, xs!, dz, w!.shape, resolved) : null,
        ];
        return b ? [...grads, needBias ? sum(dz, [0, 1, 2]) : null] : grads;
      },
    });
  });
}

/**
 * The gradient of the convolution with respect to its input (a transposed convolution): given
 * `dy`, the gradient of a convolution's output, and its `filter`, the gradient of its input, of
 * `inputShape` [batch, height, width, inChannels]. `settings` are the convolution's.
 */
export function convolutionBackpropInput(kind: ConvolutionKind, dy: TensorLike, filter: TensorLike, inputShape: Shape, settings: Conv2DSettings): Tensor {
  const op = `${kind.name}BackpropInput` as const;
  return withTensors(op, [dy, filter], (gradient, weights) => {
    checkShapeArgument(op, 'inputShape', IMAGE_LAYOUT, inputShape, 0);
    checkOperands(op, { dy: [gradient, IMAGE_LAYOUT], filter: [weights, kind.filterLayout] });
    const planned = plan(kind, op, 'inputShape', inputShape, 'the filter', weights.shape, settings);
    checkOutputGradient(op, gradient, planned, inputShape, weights.shape);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [gradient, weights], shape: [...inputShape], dtype: 'float32', attrs: { ...conv2dAttrs(planned), inputShape: [...inputShape] },
      kernel: (backend) => backend[op]?.(gradient, weights, planned.geometry)
        ?? compositeKernel(backend, () => kind.composites.backpropInput(gradient, weights, planned)),
      gradient: (g, { inputs: [d, w] }, [needDy, needFilter]) => [
        needDy ? convolve(kind, g, w!, resolved) : null,
        needFilter ? convolutionBackpropFilter(kind, g, d!, w!.shape, resolved) : null,
      ],
    });
  });
}

/**
 * The gradient of the convolution with respect to its filter: given the convolution's input `x`
 * and `dy`, the gradient of its output, the gradient of a filter of `filterShape`. `settings`
 * are the convolution's.
 */
export function convolutionBackpropFilter(kind: ConvolutionKind, x: TensorLike, dy: TensorLike, filterShape: Shape, settings: Conv2DSettings): Tensor {
  const op = `${kind.name}BackpropFilter` as const;
  return withTensors(op, [x, dy], (input, gradient) => {
    checkShapeArgument(op, 'filterShape', kind.filterLayout, filterShape, 1);
    checkOperands(op, { x: [input, IMAGE_LAYOUT], dy: [gradient, IMAGE_LAYOUT] });
    const planned = plan(kind, op, 'x', input.shape, 'filterShape', filterShape, settings);
    checkOutputGradient(op, gradient, planned, input.shape, filterShape);
    const resolved = planned.settings;
    return runOp({
      name: op, inputs: [input, gradient], shape: [...filterShape], dtype: 'float32', attrs: { ...conv2dAttrs(planned), filterShape: [...filterShape] },
      kernel: (backend) => backend[op]?.(input, gradient, planned.geometry)
        ?? compositeKernel(backend, () => kind.composites.backpropFilter(input, gradient, planned)),
      gradient: (g, { inputs: [xs, d] }, [needX, needDy]) => [
        needX ? convolutionBackpropInput(kind, d!, g, xs!.shape, resolved) : null,
        needDy ? convolve(kind, xs!, g, resolved) : null,
      ],
    });
  });
}
