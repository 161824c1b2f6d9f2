// Public API of @perceptron/core. Everything users and backend packages need is exported here.

export type { DType, Shape, DataArray, NestedArray } from './types.js';
export type {
  Backend, BackendStorage, RequiredKernels, FusedKernels, KernelTensor,
  UnaryKernelName, BinaryKernelName, ReduceKernelName, FusedActivation, SlidingWindow, Conv2DGeometry, Pool2DGeometry,
} from './backend/backend.js';
export {
  registerBackend, setBackend, getBackend, getBackendName, listBackends, defaultBackendName, disposeBackend,
  type BackendRegistration, type BackendInfo,
} from './backend/registry.js';
export { int32Power } from './backend/int32-power.js';
export { roundHalfToEven } from './backend/round-half-to-even.js';

export { Tensor } from './tensor/tensor.js';
export { Variable, type VariableOptions } from './tensor/variable.js';
export { tidy, keep, dispose, memory, type MemoryInfo, type TensorContainer } from './engine/memory.js';
export {
  GradientTape, type GradientTapeOptions, type GradientOptions, type Sources, type Gradients,
} from './tape/gradient-tape.js';
export { runOp, type OpDefinition, type GradientFn, type SavedValues } from './ops/run-op.js';
export { traceOps } from './engine/trace.js';
export type { OpRecord, OpObserver } from './engine/engine.js';

export { tensor, scalar, type TensorLike } from './ops/convert.js';
export { fill, zeros, ones, zerosLike, onesLike, range, variable } from './ops/creation.js';
export { add, sub, mul, div, pow, maximum, minimum } from './ops/arithmetic.js';
export { floorDiv, mod } from './ops/floor-div.js';
export { neg, abs, sign, exp, log, sqrt, square, relu, sigmoid, tanh, sin, cos, floor, ceil, round } from './ops/unary.js';
export { log1p } from './ops/log1p.js';
export { erf } from './ops/erf.js';
export { softplus } from './ops/softplus.js';
export { reciprocal, rsqrt, squaredDifference, divNoNan } from './ops/safe-arithmetic.js';
export { expm1 } from './ops/expm1.js';
export { step } from './ops/step.js';
export { isNaN, isInf, isFinite } from './ops/float-checks.js';
export { tan, asin, acos, atan, atan2 } from './ops/trigonometry.js';
export { sinh, cosh, asinh, acosh, atanh } from './ops/hyperbolic.js';
export { elu, selu, relu6, leakyRelu, prelu, logSigmoid } from './ops/activation-ops.js';
export { equal, notEqual, less, lessEqual, greater, greaterEqual } from './ops/compare.js';
export { where } from './ops/where.js';
export { cast } from './ops/cast.js';
export { clipByValue } from './ops/clip.js';
export { sum, mean, max, min, argMax } from './ops/reduce.js';
export { argMin } from './ops/arg-min.js';
export { prod } from './ops/prod.js';
export { cumsum } from './ops/cumsum.js';
export { cumprod } from './ops/cumprod.js';
export { logSumExp } from './ops/log-sum-exp.js';
export { moments } from './ops/moments.js';
export { norm, euclideanNorm, type NormOrd } from './ops/norm.js';
export { addN } from './ops/add-n.js';
export { dot, outerProduct } from './ops/vector-products.js';
export { linspace, eye } from './ops/linspace-eye.js';
export { diag, meshgrid } from './ops/diag-meshgrid.js';
export { stridedSlice } from './ops/strided-slice.js';
export { mirrorPad } from './ops/mirror-pad.js';
export { depthToSpace } from './ops/depth-to-space.js';
export { spaceToBatchND, batchToSpaceND } from './ops/space-to-batch.js';
export { searchSorted, lowerBound, upperBound } from './ops/search-sorted.js';
export { unique } from './ops/unique.js';
export { bincount, denseBincount } from './ops/bincount.js';
export { setdiff1dAsync } from './ops/set-diff.js';
export { whereAsync, booleanMaskAsync } from './ops/boolean-mask.js';
export { sparseToDense } from './ops/sparse-to-dense.js';
export { topk } from './ops/topk.js';
export { logicalAnd, logicalOr, logicalXor, logicalNot, any, all } from './ops/logical.js';
export { matMul } from './ops/matmul.js';
export { einsum } from './ops/einsum.js';
export { dense } from './ops/dense.js';
export { conv2d, conv2dBackpropInput, conv2dBackpropFilter, fusedConv2d } from './ops/conv2d.js';
export { depthwiseConv2d, depthwiseConv2dBackpropInput, depthwiseConv2dBackpropFilter, fusedDepthwiseConv2d } from './ops/depthwise-conv2d.js';
export type { FusedConv2DSettings } from './ops/convolution-kind.js';
export { groupedConv2d } from './ops/grouped-conv2d.js';
export type { Conv2DSettings } from './ops/conv2d-geometry.js';
export { maxPool2d, maxPool2dBackprop, avgPool2d, avgPool2dBackprop } from './ops/pool2d.js';
export type { Pool2DSettings } from './ops/pool2d-geometry.js';
export { conv3d, groupedConv3d, type Conv3DSettings } from './ops/conv3d.js';
export { maxPool3d, avgPool3d, type Pool3DSettings } from './ops/pool3d.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { softmaxCrossEntropyWithLogits } from './ops/softmax-cross-entropy.js';
export { reshape, clone, expandDims, squeeze } from './ops/reshape.js';
export { transpose } from './ops/transpose.js';
export { tile } from './ops/tile.js';
export { reverse } from './ops/reverse.js';
export { slice } from './ops/slice.js';
export { pad } from './ops/pad.js';
export { concat } from './ops/concat.js';
export { split, unstack } from './ops/split.js';
export { stack } from './ops/stack.js';
export { gather, unsortedSegmentSum } from './ops/gather.js';
export { gatherND, scatterND } from './ops/gather-nd.js';
export { resizeBilinear, resizeNearestNeighbor } from './ops/resize.js';
export { transform, type TransformInterpolation, type TransformFillMode } from './ops/image-transform.js';
export { flipLeftRight } from './ops/image-flip.js';
export { rgbToGrayscale, grayscaleToRGB } from './ops/image-colors.js';
export { threshold, type ThresholdMethod } from './ops/image-threshold.js';
export { rotateWithOffset, type RotateFill } from './ops/image-rotate.js';
export { cropAndResize, type CropMethod } from './ops/crop-and-resize.js';
export {
  nonMaxSuppression, nonMaxSuppressionAsync, nonMaxSuppressionWithScore, nonMaxSuppressionWithScoreAsync, nonMaxSuppressionPadded, nonMaxSuppressionPaddedAsync,
  type NonMaxSuppressionWithScoreResult, type NonMaxSuppressionPaddedResult,
} from './ops/non-max-suppression.js';
export { oneHot } from './ops/one-hot.js';
export { broadcastTo } from './ops/broadcast-to.js';
export { stopGradient } from './ops/stop-gradient.js';

export { setSeed, randomUniform, randomNormal, truncatedNormal, generatorFor } from './random/random.js';
export { RandomGenerator } from './random/generator.js';
export { broadcastShapes, sizeOf, stridesOf, formatShape } from './util/shape.js';
export { registerSerializable, type SerializableKind } from './util/named-registry.js';

// The Keras-style training API, each area re-exported from its own index.
export * from './initializers/index.js';
export * from './regularizers/index.js';
export * from './optimizers/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './layers/index.js';
export * from './models/index.js';
export * from './callbacks/index.js';
export * from './data/index.js';
export * from './io/index.js';
export { maxPool, avgPool } from './ops/pool2d-positional.js';
export { conv1d } from './ops/conv1d.js';
export { conv2dTranspose } from './ops/conv2d-transpose.js';
export { separableConv2d } from './ops/separable-conv2d.js';
export { batchNorm } from './ops/batch-norm.js';
export { conv3dTranspose } from './ops/conv3d-transpose.js';
export { localResponseNormalization } from './ops/local-response-normalization.js';
export { dropout } from './ops/dropout.js';
export { dilation2d } from './ops/dilation2d.js';
export { maxPoolWithArgmax } from './ops/max-pool-with-argmax.js';
export { basicLSTMCell } from './ops/basic-lstm-cell.js';
export { rand, randomStandardNormal, randomUniformInt, randomGamma } from './random/distributions.js';
export { multinomial } from './ops/multinomial.js';
export { bandPart } from './ops/band-part.js';
export { gramSchmidt } from './ops/gram-schmidt.js';
export { qr } from './ops/qr.js';
export { ensureShape } from './ops/ensure-shape.js';
export { broadcastArgs } from './ops/broadcast-args.js';
export { hannWindow, hammingWindow } from './ops/signal-windows.js';
export { frame } from './ops/signal-frame.js';
export { fft, ifft, rfft, irfft } from './ops/fourier.js';
export type { ComplexPair } from './ops/complex-pair.js';
export { stft, istft, type StftWindow } from './ops/stft.js';
export { linearToMelWeightMatrix } from './ops/mel-weights.js';
