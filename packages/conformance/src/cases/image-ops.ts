import * as core from '@perceptron/core';
import type { Tensor } from '@perceptron/core';
import * as ref from '../reference/index.js';
import type { OpSpec } from './ops.js';
import type { Attrs } from './types.js';

/** A convolution row's settings, with TensorFlow's defaults. */
export const convolution = (a: Attrs): ref.ConvolutionSettings => ({ strides: a.strides ?? [1, 1], padding: a.padding ?? 'valid', dilations: a.dilations ?? [1, 1] });

/** A pooling row's settings, with Keras's defaults (the strides those of the pool). */
export const pooling = (a: Attrs): ref.PoolingSettings => {
  const poolSize = a.poolSize ?? [2, 2];
  return { poolSize, strides: a.strides ?? poolSize, padding: a.padding ?? 'valid' };
};
/** How many windows of a pooling row hold one input position, at most: the terms its input gradient adds. */
const overlaps = (a: Attrs): number => {
  const { poolSize, strides } = pooling(a);
  return Math.ceil(poolSize[0] / strides[0]) * Math.ceil(poolSize[1] / strides[1]);
};

const sampling = (a: Attrs): ref.ResizeSampling => ({ alignCorners: a.alignCorners ?? false, halfPixelCenters: a.halfPixelCenters ?? false });

type ConvolutionOp = (a: Tensor, b: Tensor, settings: core.Conv2DSettings) => Tensor;
type ConvolutionGradientOp = (a: Tensor, b: Tensor, shape: number[], settings: core.Conv2DSettings) => Tensor;
type FusedConvolutionOp = (a: Tensor, b: Tensor, settings: core.FusedConv2DSettings) => Tensor;

/**
 * The rows of one kind of convolution and its two gradients. Float32 terms per output element:
 * the filter's taps × the input channels each output reads (all, or its own one); for the input
 * gradient at most the taps × the filter's last dimension; for the filter gradient every output
 * position of every image. The fused op adds the bias to the forward's sum.
 */
function convolutionSpecs(
  connection: ref.Connection, forward: ConvolutionOp, backpropInput: ConvolutionGradientOp, backpropFilter: ConvolutionGradientOp, fused: FusedConvolutionOp,
): Record<'forward' | 'backpropInput' | 'backpropFilter' | 'fused', OpSpec> {
  const forwardTerms = (filter: readonly number[]): number => filter[0]! * filter[1]! * (connection === 'full' ? filter[2]! : 1);
  return {
    forward: {
      run: ([x, f], a) => forward(x!, f!, convolution(a)),
      reference: ([x, f], a) => ref.conv2d(x!, f!, convolution(a), connection),
      reductionLength: ([, f]) => forwardTerms(f!), differentiable: true,
    },
    fused: {
      run: ([x, f, b], a) => fused(x!, f!, { ...convolution(a), bias: b ?? null, activation: a.activation }),
      reference: ([x, f, b], a) => ref.biasActivation(ref.conv2d(x!, f!, convolution(a), connection), b ?? null, a.activation ?? 'linear'),
      reductionLength: ([, f]) => forwardTerms(f!) + 1, differentiable: true,
    },
    backpropInput: {
      run: ([dy, f], a) => backpropInput(dy!, f!, a.inputShape!, convolution(a)),
      reference: ([dy, f], a) => ref.conv2dBackpropInput(dy!, f!, a.inputShape!, convolution(a), connection),
      reductionLength: ([, f]) => f![0]! * f![1]! * f![3]!, differentiable: true,
    },
    backpropFilter: {
      run: ([x, dy], a) => backpropFilter(x!, dy!, a.filterShape!, convolution(a)),
      reference: ([x, dy], a) => ref.conv2dBackpropFilter(x!, dy!, a.filterShape!, convolution(a), connection),
      reductionLength: ([, dy]) => dy![0]! * dy![1]! * dy![2]!, differentiable: true,
    },
  };
}
const FULL_CONVOLUTION = convolutionSpecs('full', core.conv2d, core.conv2dBackpropInput, core.conv2dBackpropFilter, core.fusedConv2d);
const DEPTHWISE_CONVOLUTION = convolutionSpecs(
  'depthwise', core.depthwiseConv2d, core.depthwiseConv2dBackpropInput, core.depthwiseConv2dBackpropFilter, core.fusedDepthwiseConv2d,
);

/** The ops on channels-last images: convolutions and their gradients, pooling, resizing, transform. */
export const IMAGE_OPS = {
  conv2d: FULL_CONVOLUTION.forward, conv2dBackpropInput: FULL_CONVOLUTION.backpropInput, conv2dBackpropFilter: FULL_CONVOLUTION.backpropFilter,
  depthwiseConv2d: DEPTHWISE_CONVOLUTION.forward,
  depthwiseConv2dBackpropInput: DEPTHWISE_CONVOLUTION.backpropInput,
  depthwiseConv2dBackpropFilter: DEPTHWISE_CONVOLUTION.backpropFilter,
  fusedConv2d: FULL_CONVOLUTION.fused, fusedDepthwiseConv2d: DEPTHWISE_CONVOLUTION.fused,
  groupedConv2d: {
    run: ([x, f, b], a) => core.groupedConv2d(x!, f!, a.groups!, { ...convolution(a), bias: b ?? null, activation: a.activation }),
    reference: ([x, f, b], a) => ref.biasActivation(ref.groupedConv2d(x!, f!, a.groups!, convolution(a)), b ?? null, a.activation ?? 'linear'),
    reductionLength: ([, f]) => f![0]! * f![1]! * f![2]! + 1, differentiable: true,
  },
  // Max pooling selects, so its value is exact; its input gradient adds what overlapping windows
  // send to one position. Average pooling sums each window's values, its gradient the shares of
  // the overlapping windows.
  maxPool2d: {
    run: ([x], a) => core.maxPool2d(x!, pooling(a)), reference: ([x], a) => ref.maxPool2d(x!, pooling(a)), differentiable: true,
  },
  maxPool2dBackprop: {
    run: ([dy, x], a) => core.maxPool2dBackprop(dy!, x!, pooling(a)),
    reference: ([dy, x], a) => ref.maxPool2dBackprop(dy!, x!, pooling(a)),
    reductionLength: (_shapes, a) => overlaps(a), differentiable: true,
  },
  avgPool2d: {
    run: ([x], a) => core.avgPool2d(x!, pooling(a)), reference: ([x], a) => ref.avgPool2d(x!, pooling(a)),
    reductionLength: (_shapes, a) => pooling(a).poolSize[0] * pooling(a).poolSize[1], differentiable: true,
  },
  avgPool2dBackprop: {
    run: ([dy], a) => core.avgPool2dBackprop(dy!, a.inputShape!, pooling(a)),
    reference: ([dy], a) => ref.avgPool2dBackprop(dy!, a.inputShape!, pooling(a)),
    reductionLength: (_shapes, a) => overlaps(a), differentiable: true,
  },
  resizeBilinear: {
    run: ([x], a) => core.resizeBilinear(x!, a.size as [number, number], a.alignCorners, a.halfPixelCenters),
    reference: ([x], a) => ref.resizeBilinear(x!, a.size!, sampling(a)),
    // Each output mixes four input pixels.
    dtype: () => 'float32', reductionLength: () => 4, differentiable: true,
  },
  transform: {
    run: ([x], a) => core.transform(x!, a.transforms!, a.interpolation, a.fillMode, a.fillValue, a.outputShape),
    reference: ([x], a) => ref.transform(x!, a.transforms!, {
      interpolation: a.interpolation ?? 'nearest', fillMode: a.fillMode ?? 'constant', fillValue: a.fillValue ?? 0, outputShape: a.outputShape ?? null,
    }),
    // Bilinear mixes four input pixels, nearest copies one. The transforms are an attribute, not
    // an input: like TensorFlow's, the op does not differentiate them.
    dtype: () => 'float32', reductionLength: (_shapes, a) => (a.interpolation === 'bilinear' ? 4 : 1), differentiable: true,
  },
  resizeNearestNeighbor: {
    run: ([x], a) => core.resizeNearestNeighbor(x!, a.size as [number, number], a.alignCorners, a.halfPixelCenters),
    reference: ([x], a) => ref.resizeNearestNeighbor(x!, a.size!, sampling(a)), differentiable: true,
  },
} satisfies Record<string, OpSpec>;
