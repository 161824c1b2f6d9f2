/**
 * One hand-computed case per behaviour, for every kernel. kernels.test.ts checks the values on
 * each tfjs backend; no-leak.test.ts runs the same cases counting tfjs tensors.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Backend, BinaryKernelName, Conv2DGeometry, KernelTensor, Pool2DGeometry, UnaryKernelName } from '@perceptron/core';
import type { TfjsBackendName } from '../src/tfjs-backend.js';
import { bool, f32, i32, type Values } from './helpers.js';

type Storage = 'name' | 'floatPrecision' | 'upload' | 'read' | 'readAsync' | 'disposeHandle' | 'dispose';
export type KernelName = Exclude<keyof Backend, Storage>;

/** Every kernel of the interface, required and fused: a kernel added to core fails typecheck here until it has cases. */
export const ALL_KERNELS: Record<KernelName, true> = {
  neg: true, abs: true, sign: true, exp: true, log: true, sqrt: true, square: true, relu: true, sigmoid: true, tanh: true, sin: true, cos: true, floor: true, ceil: true, round: true,
  add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true, equal: true, notEqual: true, less: true, lessEqual: true, greater: true, greaterEqual: true,
  where: true, cast: true, sum: true, max: true, min: true, argMax: true, cumsum: true, topkIndices: true, matMul: true,
  reshape: true, transpose: true, slice: true, concat: true, pad: true, broadcastTo: true, gather: true, unsortedSegmentSum: true, oneHot: true,
  softmax: true, logSoftmax: true, softmaxCrossEntropy: true, fusedMatMul: true, adamUpdate: true,
  conv2d: true, conv2dBackpropInput: true, conv2dBackpropFilter: true, fusedConv2d: true,
  depthwiseConv2d: true, depthwiseConv2dBackpropInput: true, depthwiseConv2dBackpropFilter: true, fusedDepthwiseConv2d: true,
  maxPool2d: true, maxPool2dBackprop: true, avgPool2d: true, avgPool2dBackprop: true,
};

/**
 * Optional kernels an adapter leaves out, so that core composes them: where tfjs registers no
 * kernel to run them on (wasm's convolution filter gradient and both depthwise gradients), where
 * tfjs's is far slower than the composite (cpu's filter gradients), or one that breaks ties
 * otherwise than TensorFlow (wasm's and webgl's MaxPoolGrad give them to the last maximum). In
 * ALL_KERNELS' order.
 */
export const ABSENT_KERNELS: Record<TfjsBackendName, readonly KernelName[]> = {
  cpu: ['conv2dBackpropFilter', 'depthwiseConv2dBackpropFilter'],
  wasm: ['conv2dBackpropFilter', 'depthwiseConv2dBackpropInput', 'depthwiseConv2dBackpropFilter', 'maxPool2dBackprop'],
  webgl: ['maxPool2dBackprop'],
};
type Optional = 'conv2dBackpropFilter' | 'depthwiseConv2dBackpropInput' | 'depthwiseConv2dBackpropFilter' | 'maxPool2dBackprop';

type T = KernelTensor<tf.Tensor>;
/**
 * Cases call kernels through core's interface, as core does: the fused kernels too, and those
 * an adapter may leave out (ABSENT_KERNELS) only where it has them.
 */
type Kernels = Required<Omit<Backend<tf.Tensor>, Optional>> & Pick<Backend<tf.Tensor>, Optional>;

export interface KernelCase {
  kernel: KernelName;
  title: string;
  inputs: Values[];
  run(backend: Kernels, inputs: T[]): tf.Tensor;
  expected: Values;
}

const at = (inputs: T[], i: number): T => inputs[i]!;

function unary(kernel: UnaryKernelName, x: Values, values: number[]): KernelCase {
  return { kernel, title: `${kernel} ${x.dtype}`, inputs: [x], run: (b, xs) => b[kernel](at(xs, 0)), expected: { ...x, values } };
}

function binary(kernel: BinaryKernelName, title: string, a: Values, b: Values, expected: Values): KernelCase {
  return {
    kernel, title: `${kernel} ${title}`, inputs: [a, b],
    run: (backend, xs) => backend[kernel](at(xs, 0), at(xs, 1), expected.shape), expected,
  };
}

function op(kernel: KernelName, title: string, inputs: Values[], run: KernelCase['run'], expected: Values): KernelCase {
  return { kernel, title: `${kernel} ${title}`, inputs, run, expected };
}

const E = Math.E;
/** 2^24: integers beyond it do not survive a float32. */
const F = 2 ** 24;
const x23 = f32([1, 2, 3, 4, 5, 6], [2, 3]);

// matMul: two batches of A (2x3) · B (3x2), each operand also stored transposed.
const A = f32([1, 2, 3, 4, 5, 6, /**/ 1, 0, -1, 2, 1, 0], [2, 2, 3]);
const At = f32([1, 4, 2, 5, 3, 6, /**/ 1, 2, 0, 1, -1, 0], [2, 3, 2]);
const B = f32([1, 0, 0, 1, 1, 1, /**/ 2, 1, 0, 3, 1, -1], [2, 3, 2]);
const Bt = f32([1, 0, 1, 0, 1, 1, /**/ 2, 0, 1, 1, 3, -1], [2, 2, 3]);
const AB = f32([4, 5, 10, 11, /**/ 1, 2, 4, 5], [2, 2, 2]);
const matMulCases = ([[false, false], [true, false], [false, true], [true, true]] as const).map(([tA, tB]) =>
  op('matMul', `batch 2 transposeA=${tA} transposeB=${tB}`, [tA ? At : A, tB ? Bt : B],
    (b, xs) => b.matMul(at(xs, 0), at(xs, 1), tA, tB), AB));

// fusedMatMul: [[1,-2],[3,4]]·[[1,0],[1,1]] = [[-1,-2],[7,4]]; + bias [0.5,-1] = [[-0.5,-3],[7.5,3]].
const fa = f32([1, -2, 3, 4], [2, 2]);
const fb = f32([1, 0, 1, 1], [2, 2]);
const bias = f32([0.5, -1]);
const fusedWithBias = (activation: 'linear' | 'relu' | 'sigmoid' | 'tanh', values: number[]): KernelCase =>
  op('fusedMatMul', `${activation} with bias`, [fa, fb, bias],
    (b, xs) => b.fusedMatMul(at(xs, 0), at(xs, 1), at(xs, 2), activation, false, false), f32(values, [2, 2]));

// adamUpdate at step 2, lr 0.1, β 0.9/0.999, ε 1e-7, from x [1,-2], g [0.5,1], m [0.2,-0.1],
// v [0.01,0.04]: m' = [0.23, 0.01], v' = [0.01024, 0.04096], x' = [0.946515219, -2.001162713]
// (float64, by hand from the formula in backend.ts). Each case checks one of the three results.
const adamInputs = [f32([1, -2]), f32([0.5, 1]), f32([0.2, -0.1]), f32([0.01, 0.04])];
const adamCase = (which: 0 | 1 | 2, name: string, values: number[]): KernelCase =>
  op('adamUpdate', name, adamInputs, (b, xs) => {
    const results = b.adamUpdate(at(xs, 0), at(xs, 1), at(xs, 2), at(xs, 3), { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 2 });
    results.forEach((r, i) => { if (i !== which) r.dispose(); });
    return results[which];
  }, f32(values));

// Convolutions of x = 1..9 as [1,3,3,1] by the 2×2 filter [[1,2],[3,4]] (one channel in and
// out), each output by hand. Valid: each output is its window · filter, e.g. 1·1 + 2·2 + 4·3 +
// 5·4 = 37. 'Same' with strides 2 pads a row below and a column after: the right column's
// windows are [3,0,6,0] → 3 + 18 = 21, the bottom row's [7,8,0,0] → 23 and [9,0,0,0] → 9.
// Dilations 2 spread the taps over the corners: 1 + 2·3 + 3·7 + 4·9 = 64.
const image = f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const filter2x2 = f32([1, 2, 3, 4], [2, 2, 1, 1]);
function geometry(out: number, strides: number, dilations: number, after: number, batch = 1): Conv2DGeometry {
  return {
    batch, inHeight: 3, inWidth: 3, inChannels: 1, outHeight: out, outWidth: out, outChannels: 1, filterHeight: 2, filterWidth: 2,
    strideHeight: strides, strideWidth: strides, dilationHeight: dilations, dilationWidth: dilations,
    padTop: 0, padBottom: after, padLeft: 0, padRight: after,
  };
}
const VALID = geometry(2, 1, 1, 0);
const SAME_STRIDES_2 = geometry(2, 2, 1, 1);
const DILATED = geometry(1, 1, 2, 0);
const convolution = (title: string, g: Conv2DGeometry, values: number[]): KernelCase =>
  op('conv2d', title, [image, filter2x2], (b, xs) => b.conv2d(at(xs, 0), at(xs, 1), g), f32(values, [1, g.outHeight, g.outWidth, 1]));
// dx: each dy value times the filter, added where its window lies. With dy [[1,2],[3,4]] (valid):
// the centre gets 1·4 + 2·3 + 3·2 + 4·1 = 20, the corners one product each.
const inputGradient = (title: string, g: Conv2DGeometry, dy: number[], values: number[]): KernelCase =>
  op('conv2dBackpropInput', title, [f32(dy, [1, g.outHeight, g.outWidth, 1]), filter2x2],
    (b, xs) => b.conv2dBackpropInput(at(xs, 0), at(xs, 1), g), f32(values, [1, 3, 3, 1]));
// dfilter[i, j] = Σ x[window at (i, j)] · dy: with dy [[2,-1],[0,1]], dfilter[0,0] = 2·1 − 2 + 5 = 5.
const filterGradient = (title: string, g: Conv2DGeometry, x: typeof image, dy: number[], values: number[]): KernelCase =>
  op('conv2dBackpropFilter', title, [x, f32(dy, [g.batch, g.outHeight, g.outWidth, 1])],
    (b, xs) => b.conv2dBackpropFilter!(at(xs, 0), at(xs, 1), g), f32(values, [2, 2, 1, 1]));

// Depthwise convolutions with two kernels: [[1,2],[3,4]] (as above) and [[1,0],[0,−1]], which
// takes the window's bottom-right value from its top-left one. Two kernels are either one per
// channel of a two-channel image (channel 1 ten times 1..9) or a multiplier of 2 on the
// one-channel image; the filter's values [i, j, c or m] are the same, and so is each output's
// order (input channel, then kernel). The second kernel gives 1 − 5 = −4 everywhere (−40 on the
// channel of tens), and 1 − 9 = −8 (−80) with dilations 2.
const twoImages = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90], [2, 3, 3, 1]);
const twoChannels = f32([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90], [1, 3, 3, 2]);
const twoImagesTwoChannels = f32([...twoChannels.values, ...twoChannels.values.map((v) => 100 * v)], [2, 3, 3, 2]);
const twoKernels = (shape: number[]): Values => f32([1, 1, 2, 0, 3, 0, 4, -1], shape);
const perChannel = (g: Conv2DGeometry): Conv2DGeometry => ({ ...g, inChannels: 2, outChannels: 2 });
const multiplier2 = (g: Conv2DGeometry): Conv2DGeometry => ({ ...g, outChannels: 2 });
const depthwise = (title: string, x: Values, filterShape: number[], g: Conv2DGeometry, values: number[]): KernelCase =>
  op('depthwiseConv2d', title, [x, twoKernels(filterShape)], (b, xs) => b.depthwiseConv2d(at(xs, 0), at(xs, 1), g), f32(values, [1, g.outHeight, g.outWidth, 2]));
// dx adds each dy times its own kernel: with dy [1,2,3,4] for the first kernel as above and 1 for
// the second, the second adds +1 where a window starts and −1 where it ends.
const depthwiseInputGradient = (title: string, filterShape: number[], g: Conv2DGeometry, dy: number[], values: number[]): KernelCase =>
  op('depthwiseConv2dBackpropInput', title, [f32(dy, [1, g.outHeight, g.outWidth, 2]), twoKernels(filterShape)],
    (b, xs) => b.depthwiseConv2dBackpropInput!(at(xs, 0), at(xs, 1), g), f32(values, [1, 3, 3, g.inChannels]));
// dfilter per kernel: its channel's windows · its own dy.
const depthwiseFilterGradient = (title: string, x: Values, filterShape: number[], g: Conv2DGeometry, dy: number[], values: number[]): KernelCase =>
  op('depthwiseConv2dBackpropFilter', title, [x, f32(dy, [g.batch, g.outHeight, g.outWidth, 2])],
    (b, xs) => b.depthwiseConv2dBackpropFilter!(at(xs, 0), at(xs, 1), g), f32(values, filterShape));
const PER_CHANNEL = [2, 2, 2, 1];
const MULTIPLIER_2 = [2, 2, 1, 2];

// The fused convolutions: the values above, plus a bias per output channel, then the activation.
// Two images (the second ten or a hundred times the first) and two output channels, so that a
// bias added along the wrong axis shows.
type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh';
const fusedConvolution = (title: string, x: Values, filter: Values, g: Conv2DGeometry, bias: number[] | null, activation: Activation, values: number[]): KernelCase =>
  op('fusedConv2d', title, bias ? [x, filter, f32(bias)] : [x, filter],
    (b, xs) => b.fusedConv2d!(at(xs, 0), at(xs, 1), bias ? at(xs, 2) : null, activation, g), f32(values, [g.batch, g.outHeight, g.outWidth, g.outChannels]));
const fusedDepthwise = (title: string, x: Values, filterShape: number[], g: Conv2DGeometry, bias: number[], activation: Activation, values: number[]): KernelCase =>
  op('fusedDepthwiseConv2d', title, [x, twoKernels(filterShape), f32(bias)],
    (b, xs) => b.fusedDepthwiseConv2d!(at(xs, 0), at(xs, 1), at(xs, 2), activation, g), f32(values, [g.batch, g.outHeight, g.outWidth, g.outChannels]));

// Poolings of x = 1..9 as [1,3,3,1] (negated for max pooling, so that a padding of 0 would
// win), each output by hand. 2×2 windows, strides 1 'valid': max(−1, −2, −4, −5) = −1, ...;
// means (1 + 2 + 4 + 5) / 4 = 3, ... Strides 2 'same' pads a row below and a column after,
// which no window counts: the right column's window holds [−3, −6] → −3 and mean (3 + 6) / 2 =
// 4.5, the corner's [9] alone.
function pooling(out: number, strides: number, after: number): Pool2DGeometry {
  return {
    batch: 1, inHeight: 3, inWidth: 3, channels: 1, outHeight: out, outWidth: out, windowHeight: 2, windowWidth: 2,
    strideHeight: strides, strideWidth: strides, padTop: 0, padBottom: after, padLeft: 0, padRight: after,
  };
}
const POOL_VALID = pooling(2, 1, 0);
const POOL_SAME_STRIDES_2 = pooling(2, 2, 1);
const negated = f32([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);
const pooled = (values: number[]): Values => f32(values, [1, 2, 2, 1]);
const imageOf = (values: number[]): Values => f32(values, [1, 3, 3, 1]);
const dy2x2 = pooled([1, 2, 3, 4]);

export const CASES: KernelCase[] = [
  op('maxPool2d', 'valid', [negated], (b, xs) => b.maxPool2d(at(xs, 0), POOL_VALID), pooled([-1, -2, -4, -5])),
  op('maxPool2d', "'same', strides 2: the padding never wins", [negated], (b, xs) => b.maxPool2d(at(xs, 0), POOL_SAME_STRIDES_2), pooled([-1, -3, -7, -9])),
  op('avgPool2d', 'valid', [image], (b, xs) => b.avgPool2d(at(xs, 0), POOL_VALID), pooled([3, 4, 6, 7])),
  op('avgPool2d', "'same', strides 2: the padding is not counted", [image], (b, xs) => b.avgPool2d(at(xs, 0), POOL_SAME_STRIDES_2), pooled([3, 4.5, 7.5, 9])),
  // dy [1, 2, 3, 4] goes to each window's maximum: 5, 6, 8 and 9 with 'same', strides 2. In
  // [[1,3,3],[2,5,5],[5,5,0]] every 2×2 window's first maximum is the centre's 5.
  op('maxPool2dBackprop', "'same', strides 2", [dy2x2, image], (b, xs) => b.maxPool2dBackprop!(at(xs, 0), at(xs, 1), POOL_SAME_STRIDES_2), imageOf([0, 0, 0, 0, 1, 2, 0, 3, 4])),
  op('maxPool2dBackprop', 'ties go to the first maximum', [f32([1, 10, 100, 1000], [1, 2, 2, 1]), imageOf([1, 3, 3, 2, 5, 5, 5, 5, 0])],
    (b, xs) => b.maxPool2dBackprop!(at(xs, 0), at(xs, 1), POOL_VALID), imageOf([0, 0, 0, 0, 1111, 0, 0, 0, 0])),
  // Each dy shared among its window: the centre gets (1 + 2 + 3 + 4) / 4. With 'same' the right
  // column's windows hold two values each (2 / 2 to each), the corner's one.
  op('avgPool2dBackprop', 'valid', [dy2x2], (b, xs) => b.avgPool2dBackprop(at(xs, 0), POOL_VALID), imageOf([0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1])),
  op('avgPool2dBackprop', "'same', strides 2: shared among the taps inside only", [dy2x2], (b, xs) => b.avgPool2dBackprop(at(xs, 0), POOL_SAME_STRIDES_2),
    imageOf([0.25, 0.25, 1, 0.25, 0.25, 1, 1.5, 1.5, 4])),

  convolution('valid', VALID, [37, 47, 67, 77]),
  convolution("'same', strides 2", SAME_STRIDES_2, [37, 21, 23, 9]),
  convolution('dilations 2', DILATED, [64]),
  // Two kernels as two output channels give the multiplier-2 values [37, −4, 47, −4, ...] (370, −40, ... on the second image); bias [−40, 5].
  fusedConvolution('valid, two images, two channels, relu', twoImages, twoKernels(MULTIPLIER_2), multiplier2(geometry(2, 1, 1, 0, 2)), [-40, 5], 'relu',
    [0, 1, 7, 1, 27, 1, 37, 1, 330, 0, 430, 0, 630, 0, 730, 0]),
  fusedConvolution("'same', strides 2, tanh", image, filter2x2, SAME_STRIDES_2, [-22], 'tanh', [15, -1, 1, -13].map(Math.tanh)),
  fusedConvolution('dilations 2, no bias, linear', image, filter2x2, DILATED, null, 'linear', [64]),
  inputGradient('valid', VALID, [1, 2, 3, 4], [1, 4, 4, 6, 20, 16, 9, 24, 16]),
  inputGradient("'same', strides 2", SAME_STRIDES_2, [1, 2, 3, 4], [1, 2, 2, 3, 4, 6, 3, 6, 4]),
  inputGradient('dilations 2', DILATED, [5], [5, 0, 10, 0, 0, 0, 15, 0, 20]),
  filterGradient('valid', VALID, image, [2, -1, 0, 1], [5, 7, 11, 13]),
  filterGradient('dilations 2', DILATED, image, [2], [2, 6, 14, 18]),
  // Two images, the second ten times the first, with dy 2 and 1: 2·[1,3,7,9] + [10,30,70,90].
  filterGradient('dilations 2, two images', geometry(1, 1, 2, 0, 2), twoImages, [2, 1], [12, 36, 84, 108]),
  filterGradient('empty batch: zeros', geometry(2, 1, 1, 0, 0), f32([], [0, 3, 3, 1]), [], [0, 0, 0, 0]),

  depthwise('valid, a kernel per channel', twoChannels, PER_CHANNEL, perChannel(VALID), [37, -40, 47, -40, 67, -40, 77, -40]),
  depthwise('valid, multiplier 2', image, MULTIPLIER_2, multiplier2(VALID), [37, -4, 47, -4, 67, -4, 77, -4]),
  depthwise("'same', strides 2, multiplier 2", image, MULTIPLIER_2, multiplier2(SAME_STRIDES_2), [37, -4, 21, 3, 23, 7, 9, 9]),
  depthwise('dilations 2, a kernel per channel', twoChannels, PER_CHANNEL, perChannel(DILATED), [64, -80]),
  // A kernel per channel of two images: [37, −40, 47, −40, ...] and a hundred times it; bias [−40, 50].
  fusedDepthwise('valid, two images of two channels, relu', twoImagesTwoChannels, PER_CHANNEL, perChannel(geometry(2, 1, 1, 0, 2)), [-40, 50], 'relu',
    [0, 10, 7, 10, 27, 10, 37, 10, 3660, 0, 4660, 0, 6660, 0, 7660, 0]),
  fusedDepthwise("'same', strides 2, multiplier 2, sigmoid", image, MULTIPLIER_2, multiplier2(SAME_STRIDES_2), [-30, 0], 'sigmoid',
    [7, -4, -9, 3, -7, 7, -21, 9].map((z) => 1 / (1 + Math.exp(-z)))),
  depthwiseInputGradient('valid, multiplier 2', MULTIPLIER_2, multiplier2(VALID), [1, 1, 2, 1, 3, 1, 4, 1], [2, 5, 4, 7, 20, 15, 9, 23, 15]),
  depthwiseInputGradient("'same', strides 2, multiplier 2", MULTIPLIER_2, multiplier2(SAME_STRIDES_2), [1, 1, 2, 1, 3, 1, 4, 1], [2, 2, 3, 3, 3, 6, 4, 6, 5]),
  depthwiseInputGradient('dilations 2, a kernel per channel', PER_CHANNEL, perChannel(DILATED), [5, 1], [5, 1, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0, 0, 20, -1]),
  depthwiseFilterGradient('valid, multiplier 2', image, MULTIPLIER_2, multiplier2(VALID), [2, 1, -1, 0, 0, 0, 1, 0], [5, 1, 7, 2, 11, 4, 13, 5]),
  depthwiseFilterGradient('dilations 2, a kernel per channel', twoChannels, PER_CHANNEL, perChannel(DILATED), [2, 1], [2, 10, 6, 30, 14, 70, 18, 90]),
  // Two images of two channels (the second image a hundred times the first), dy (2, 1) and (1, 1):
  // channel 0 gets 2·[1,3,7,9] + [100,300,700,900], channel 1 [10,30,70,90] + [1000,...,9000].
  depthwiseFilterGradient('dilations 2, two images of two channels', twoImagesTwoChannels, PER_CHANNEL, perChannel(geometry(1, 1, 2, 0, 2)), [2, 1, 1, 1],
    [102, 1010, 306, 3030, 714, 7070, 918, 9090]),
  depthwiseFilterGradient('empty batch: zeros', f32([], [0, 3, 3, 2]), PER_CHANNEL, perChannel(geometry(2, 1, 1, 0, 0)), [], [0, 0, 0, 0, 0, 0, 0, 0]),

  adamCase(0, 'variable', [0.9465152186604135, -2.0011627132123198]),
  adamCase(1, 'first moment', [0.23, 0.01]),
  adamCase(2, 'second moment', [0.01024, 0.04096]),
  unary('neg', f32([-2, -0.5, 0, 1.5], [2, 2]), [2, 0.5, 0, -1.5]),
  unary('neg', i32([3, -4]), [-3, 4]),
  unary('abs', f32([-2, -0.5, 0, 1.5]), [2, 0.5, 0, 1.5]),
  unary('abs', i32([-3, 0, 4]), [3, 0, 4]),
  unary('sign', f32([-2, -0.5, 0, 1.5]), [-1, -1, 0, 1]),
  unary('sign', i32([-3, 0, 4]), [-1, 0, 1]),
  unary('exp', f32([0, 1, -1]), [1, E, 1 / E]),
  unary('exp', i32([0, 1, 3]), [1, 2, 20]), // e, e³ = 20.09 truncated
  unary('log', f32([1, E, 0.5]), [0, 1, -0.6931471806]),
  unary('log', i32([1, 3, 10]), [0, 1, 2]), // ln 3 = 1.10, ln 10 = 2.30
  unary('sqrt', f32([0, 4, 2]), [0, 2, 1.4142135624]),
  unary('sqrt', i32([0, 4, 8]), [0, 2, 2]),
  unary('square', f32([-3, 0.5]), [9, 0.25]),
  unary('square', i32([-3, 4]), [9, 16]),
  unary('relu', f32([-1, 0, 2.5]), [0, 0, 2.5]),
  unary('relu', i32([-2, 0, 3]), [0, 0, 3]),
  unary('sigmoid', f32([0, 2, -2]), [0.5, 0.8807970780, 0.1192029220]),
  unary('sigmoid', i32([0, 5, -5]), [0, 0, 0]),
  unary('tanh', f32([0, 1, -0.5]), [0, 0.7615941560, -0.4621171573]),
  unary('tanh', i32([0, 3, -3]), [0, 0, 0]),
  unary('sin', f32([0, 1.5707963268, -1]), [0, 1, -0.8414709848]),
  unary('sin', i32([0, 2, -2]), [0, 0, 0]), // sin 2 = 0.91 truncated
  unary('cos', f32([0, 1, -2]), [1, 0.5403023059, -0.4161468365]),
  unary('cos', i32([0, 3]), [1, 0]),
  unary('floor', f32([-1.5, 0.5, 2]), [-2, 0, 2]),
  unary('floor', i32([-3, 4]), [-3, 4]),
  unary('ceil', f32([-1.5, 0.5, 2]), [-1, 1, 2]),
  unary('ceil', i32([-3, 4]), [-3, 4]),
  // Halves to the even neighbour.
  unary('round', f32([-2.5, -1.5, 0.5, 1.5, 2.4, 2.6]), [-2, -2, 0, 2, 2, 3]),
  unary('round', i32([-3, 4]), [-3, 4]),

  binary('add', '[2,3] + [3]', x23, f32([10, 20, 30]), f32([11, 22, 33, 14, 25, 36], [2, 3])),
  binary('add', '[2,1] + [1,3]', f32([1, 2], [2, 1]), f32([10, 20, 30], [1, 3]), f32([11, 21, 31, 12, 22, 32], [2, 3])),
  binary('add', 'int32', i32([1, 2]), i32([3, -5]), i32([4, -3])),
  binary('sub', '[2,2] - scalar', f32([5, 6, 7, 8], [2, 2]), f32([1.5], []), f32([3.5, 4.5, 5.5, 6.5], [2, 2])),
  binary('mul', '[2,3] * [2,1]', x23, f32([2, -1], [2, 1]), f32([2, 4, 6, -4, -5, -6], [2, 3])),
  binary('div', 'float32', f32([1, 2, 3]), f32([2], [1]), f32([0.5, 1, 1.5])),
  binary('div', 'int32 floors', i32([7, -7, 7, -7, 6]), i32([2, 2, -2, -2, 3]), i32([3, -4, -4, 3, 2])),
  binary('pow', 'float32', f32([2, 4, 9]), f32([3, 0.5, 0.5]), f32([8, 2, 3])),
  binary('pow', 'int32', i32([2, 3, 5]), i32([3, 2, 0]), i32([8, 9, 1])),
  binary('maximum', 'float32 broadcast', f32([1, 5, -2]), f32([0], [1]), f32([1, 5, 0])),
  binary('maximum', 'int32', i32([1, 5, -2]), i32([3, 3, 3]), i32([3, 5, 3])),
  binary('maximum', 'bool keeps bool', bool([1, 0, 0]), bool([0, 0, 1]), bool([1, 0, 1])),
  binary('minimum', 'float32 broadcast', f32([1, 5, -2]), f32([0], [1]), f32([0, 0, -2])),
  binary('equal', '[3] vs [2,1]', f32([1, 2, 3]), f32([1, 3], [2, 1]), bool([1, 0, 0, 0, 0, 1], [2, 3])),
  binary('equal', 'int32', i32([1, 2]), i32([2, 2]), bool([0, 1])),
  binary('notEqual', '[3] vs [2,1]', f32([1, 2, 3]), f32([1, 3], [2, 1]), bool([0, 1, 1, 1, 1, 0], [2, 3])),
  binary('less', 'broadcast', f32([1, 2, 3]), f32([2], [1]), bool([1, 0, 0])),
  binary('lessEqual', 'broadcast', f32([1, 2, 3]), f32([2], [1]), bool([1, 1, 0])),
  binary('greater', 'broadcast', f32([1, 2, 3]), f32([2], [1]), bool([0, 0, 1])),
  binary('greaterEqual', 'broadcast', f32([1, 2, 3]), f32([2], [1]), bool([0, 1, 1])),

  // int32 beyond 2^24 (float32 would drop the low bits), wrapping past ±2^31 and x / 0 = 0:
  // exact, as the naive reference stores them (see int32-on-host.ts).
  op('neg', 'int32 beyond 2^24, -2^31 wraps', [i32([F + 1, -(2 ** 31)])], (b, xs) => b.neg(at(xs, 0)), i32([-(F + 1), -(2 ** 31)])),
  op('abs', 'int32 beyond 2^24, -2^31 wraps', [i32([-(F + 1), -(2 ** 31)])], (b, xs) => b.abs(at(xs, 0)), i32([F + 1, -(2 ** 31)])),
  op('square', 'int32 beyond 2^24, wrapping', [i32([4097, 46341])], (b, xs) => b.square(at(xs, 0)), i32([16785409, -2147479015])),
  binary('add', 'int32 wraps past 2^31', i32([2 ** 31 - 1, -(2 ** 31)]), i32([1, -1]), i32([-(2 ** 31), 2 ** 31 - 1])),
  binary('mul', 'int32 [2,1] * [3] beyond 2^24', i32([F + 1, -1], [2, 1]), i32([1, 3, -2]),
    i32([F + 1, 3 * F + 3, -2 * F - 2, -1, -3, 2], [2, 3])),
  binary('div', 'int32 (2^31 - 1) / 3 and x / 0', i32([2 ** 31 - 1, 7, -7, 0]), i32([3, 0, 0, 0]), i32([715827882, 0, 0, 0])),
  binary('div', 'int32 by a scalar, beyond 2^24', i32([F + 1, -(F + 1)]), i32([2], []), i32([F / 2, -F / 2 - 1])),
  binary('pow', 'int32 wrapping, negative exponent', i32([3, 2, 46341]), i32([20, -1, 2]), i32([-808182895, 0, -2147479015])),
  binary('sub', 'int32 empty [0,3] - [3]', i32([], [0, 3]), i32([1, 2, 3]), i32([], [0, 3])),
  op('pad', 'int32 with a value beyond 2^24', [i32([1, 2])], (b, xs) => b.pad(at(xs, 0), [[1, 1]], F + 3), i32([F + 3, 1, 2, F + 3])),

  op('where', 'broadcasts all three', [bool([1, 0], [2, 1]), f32([1, 2, 3]), f32([-1], [])],
    (b, xs) => b.where(at(xs, 0), at(xs, 1), at(xs, 2), [2, 3]), f32([1, 2, 3, -1, -1, -1], [2, 3])),
  op('where', 'int32', [bool([1, 0, 1]), i32([1, 2, 3]), i32([7, 8, 9])],
    (b, xs) => b.where(at(xs, 0), at(xs, 1), at(xs, 2), [3]), i32([1, 8, 3])),

  op('cast', 'float32→int32 truncates', [f32([-1.7, 1.7, 0.2, -0.2])], (b, xs) => b.cast(at(xs, 0), 'int32'), i32([-1, 1, 0, 0])),
  op('cast', 'float32→bool is x != 0', [f32([-1.7, 0, 0.2, NaN])], (b, xs) => b.cast(at(xs, 0), 'bool'), bool([1, 0, 1, 1])),
  op('cast', 'int32→bool is x != 0', [i32([0, 256, -1])], (b, xs) => b.cast(at(xs, 0), 'bool'), bool([0, 1, 1])),
  op('cast', 'int32→float32', [i32([3, -2])], (b, xs) => b.cast(at(xs, 0), 'float32'), f32([3, -2])),
  op('cast', 'bool→int32', [bool([1, 0])], (b, xs) => b.cast(at(xs, 0), 'int32'), i32([1, 0])),

  op('sum', 'axis 0', [x23], (b, xs) => b.sum(at(xs, 0), [0]), f32([5, 7, 9])),
  op('sum', 'axis 1', [x23], (b, xs) => b.sum(at(xs, 0), [1]), f32([6, 15])),
  op('sum', 'all axes', [x23], (b, xs) => b.sum(at(xs, 0), [0, 1]), f32([21], [])),
  op('sum', 'no axes copies', [x23], (b, xs) => b.sum(at(xs, 0), []), x23),
  op('sum', 'int32', [i32([1, 5, 7, -2], [2, 2])], (b, xs) => b.sum(at(xs, 0), [1]), i32([6, 5])),
  op('max', 'axes 0 and 2', [f32([1, 8, 3, 4, 5, 6, 7, 2], [2, 2, 2])], (b, xs) => b.max(at(xs, 0), [0, 2]), f32([8, 7])),
  op('max', 'no axes copies', [i32([1, 5, 7, -2], [2, 2])], (b, xs) => b.max(at(xs, 0), []), i32([1, 5, 7, -2], [2, 2])),
  op('min', 'axis 0', [f32([1, -2, 3, 4, 5, -6], [2, 3])], (b, xs) => b.min(at(xs, 0), [0]), f32([1, -2, -6])),
  op('min', 'int32 all axes', [i32([1, 5, 7, -2], [2, 2])], (b, xs) => b.min(at(xs, 0), [0, 1]), i32([-2], [])),
  op('argMax', 'axis 1, first of ties', [f32([1, 9, 3, 7, 2, 7], [2, 3])], (b, xs) => b.argMax(at(xs, 0), 1), i32([1, 0])),
  op('argMax', 'axis 0 int32', [i32([1, 9, 3, 7, 2, 7], [2, 3])], (b, xs) => b.argMax(at(xs, 0), 0), i32([1, 0, 1])),
  op('cumsum', 'axis 1', [f32([1, 2, 3, 4, 5, 6], [2, 3])], (b, xs) => b.cumsum(at(xs, 0), 1, false, false), f32([1, 3, 6, 4, 9, 15], [2, 3])),
  op('topkIndices', 'k 2, ties to the lower index', [f32([1, 9, 3, 7, 9, 7], [2, 3])], (b, xs) => b.topkIndices(at(xs, 0), 2), i32([1, 2, 1, 0], [2, 2])),
  op('topkIndices', 'int32, k 3', [i32([4, -1, 8, 4], [4])], (b, xs) => b.topkIndices(at(xs, 0), 3), i32([2, 0, 3], [3])),
  op('cumsum', 'axis 0, exclusive, reversed, int32', [i32([1, 2, 3, 4, 5, 6], [3, 2])], (b, xs) => b.cumsum(at(xs, 0), 0, true, true), i32([8, 10, 5, 6, 0, 0], [3, 2])),

  ...matMulCases,

  op('reshape', '[2,3]→[3,2]', [x23], (b, xs) => b.reshape(at(xs, 0), [3, 2]), f32([1, 2, 3, 4, 5, 6], [3, 2])),
  op('transpose', '2-D', [x23], (b, xs) => b.transpose(at(xs, 0), [1, 0]), f32([1, 4, 2, 5, 3, 6], [3, 2])),
  op('transpose', '3-D perm [2,0,1]', [f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])], (b, xs) => b.transpose(at(xs, 0), [2, 0, 1]),
    f32([1, 3, 5, 7, 2, 4, 6, 8], [2, 2, 2])),
  op('slice', '[3,3] from [1,0] size [2,2]', [f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])],
    (b, xs) => b.slice(at(xs, 0), [1, 0], [2, 2]), f32([4, 5, 7, 8], [2, 2])),
  // tfjs-wasm copies a slice's values out run by run (slice-from-heap.ts): whole rows, cuts along later axes, each dtype, none.
  op('slice', 'rows 1..3 of [4,2], whole', [f32([1, 2, 3, 4, 5, 6, 7, 8], [4, 2])], (b, xs) => b.slice(at(xs, 0), [1, 0], [2, 2]), f32([3, 4, 5, 6], [2, 2])),
  op('slice', 'first row of [2,3]', [x23], (b, xs) => b.slice(at(xs, 0), [0, 0], [1, 3]), f32([1, 2, 3], [1, 3])),
  op('slice', 'int32 [3,2,2] from [1,0,1] size [2,2,1]', [i32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2])],
    (b, xs) => b.slice(at(xs, 0), [1, 0, 1], [2, 2, 1]), i32([6, 8, 10, 12], [2, 2, 1])),
  op('slice', 'rank 4 cut along axes 1 and 3', [f32(Array.from({ length: 24 }, (_, i) => i + 1), [2, 3, 2, 2])],
    (b, xs) => b.slice(at(xs, 0), [0, 1, 0, 1], [2, 2, 2, 1]), f32([6, 8, 10, 12, 18, 20, 22, 24], [2, 2, 2, 1])),
  op('slice', 'a middle axis cut, the last whole', [i32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2])],
    (b, xs) => b.slice(at(xs, 0), [1, 1, 0], [1, 2, 2]), i32([9, 10, 11, 12], [1, 2, 2])),
  op('slice', 'bool, last of [3]', [bool([1, 0, 1], [3])], (b, xs) => b.slice(at(xs, 0), [2], [1]), bool([1], [1])),
  op('slice', 'every row, columns 1..3', [x23], (b, xs) => b.slice(at(xs, 0), [0, 1], [2, 2]), f32([2, 3, 5, 6], [2, 2])),
  op('slice', 'no rows', [x23], (b, xs) => b.slice(at(xs, 0), [1, 0], [0, 3]), f32([], [0, 3])),
  op('slice', 'a scalar', [f32([7], [])], (b, xs) => b.slice(at(xs, 0), [], []), f32([7], [])),
  op('concat', 'axis 0', [f32([1, 2], [1, 2]), f32([3, 4, 5, 6], [2, 2])], (b, xs) => b.concat(xs, 0), f32([1, 2, 3, 4, 5, 6], [3, 2])),
  op('concat', 'axis 1 int32', [i32([1, 2], [2, 1]), i32([3, 4, 5, 6], [2, 2])], (b, xs) => b.concat(xs, 1), i32([1, 3, 4, 2, 5, 6], [2, 3])),
  op('pad', '[[1,0],[0,2]] with 9', [f32([1, 2, 3, 4], [2, 2])], (b, xs) => b.pad(at(xs, 0), [[1, 0], [0, 2]], 9),
    f32([9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9], [3, 4])),
  op('pad', 'a scalar', [f32([7], [])], (b, xs) => b.pad(at(xs, 0), [], 9), f32([7], [])),
  op('broadcastTo', '[1,3]→[2,3]', [f32([1, 2, 3], [1, 3])], (b, xs) => b.broadcastTo(at(xs, 0), [2, 3]), f32([1, 2, 3, 1, 2, 3], [2, 3])),
  op('broadcastTo', 'int32 [2,1]→[2,2]', [i32([1, 2], [2, 1])], (b, xs) => b.broadcastTo(at(xs, 0), [2, 2]), i32([1, 1, 2, 2], [2, 2])),

  op('gather', 'axis 1, 2-D indices', [x23, i32([2, 0, 1, 1], [2, 2])], (b, xs) => b.gather(at(xs, 0), at(xs, 1), 1),
    f32([3, 1, 2, 2, 6, 4, 5, 5], [2, 2, 2])),
  op('gather', 'axis 0, scalar index', [x23, i32([1], [])], (b, xs) => b.gather(at(xs, 0), at(xs, 1), 0), f32([4, 5, 6])),
  // Runs of the inner dimensions copied whole: [2, 3, 2] picked along its middle axis.
  op('gather', 'middle axis of int32, rows of 2', [i32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]), i32([2, 2, 0])], (b, xs) => b.gather(at(xs, 0), at(xs, 1), 1),
    i32([5, 6, 5, 6, 1, 2, 11, 12, 11, 12, 7, 8], [2, 3, 2])),
  op('gather', 'bool, no indices', [bool([1, 0, 1], [3]), i32([], [0])], (b, xs) => b.gather(at(xs, 0), at(xs, 1), 0), bool([], [0])),
  // Rows [1,2],[3,4],[5,6],[7,8] with ids 0,2,0,1 → segment 0 = [6,8], 1 = [7,8], 2 = [3,4], 3 empty.
  op('unsortedSegmentSum', '2-D segment ids', [f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), i32([0, 2, 0, 1], [2, 2])],
    (b, xs) => b.unsortedSegmentSum(at(xs, 0), at(xs, 1), 4), f32([6, 8, 7, 8, 3, 4, 0, 0], [4, 2])),
  op('unsortedSegmentSum', 'int32, 1-D ids', [i32([1, 2, 3]), i32([1, 1, 0])],
    (b, xs) => b.unsortedSegmentSum(at(xs, 0), at(xs, 1), 2), i32([3, 3])),
  op('oneHot', 'float32, out-of-range rows are off', [i32([0, 2, 3, -1], [2, 2])], (b, xs) => b.oneHot(at(xs, 0), 3, 0.9, 0.05),
    f32([0.9, 0.05, 0.05, 0.05, 0.05, 0.9, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05], [2, 2, 3])),
  op('oneHot', 'float32 1 and 0 (a mask), out-of-range rows are 0', [i32([1, 7, -2, 0])], (b, xs) => b.oneHot(at(xs, 0), 2, 1, 0),
    f32([0, 1, 0, 0, 0, 0, 1, 0], [4, 2])),

  op('softmax', 'last axis', [f32([1, 2, 3, 0, 0, 0], [2, 3])], (b, xs) => b.softmax(at(xs, 0)),
    f32([0.0900305732, 0.2447284711, 0.6652409558, 1 / 3, 1 / 3, 1 / 3], [2, 3])),
  op('logSoftmax', 'last axis', [f32([1, 2, 3, 0, 0, 0], [2, 3])], (b, xs) => b.logSoftmax(at(xs, 0)),
    f32([-2.4076059644, -1.4076059644, -0.4076059644, -1.0986122887, -1.0986122887, -1.0986122887], [2, 3])),
  // Row 1: −log softmax([1,2,3])[2]; row 2: half of −log(1/3) twice.
  op('softmaxCrossEntropy', 'one-hot and soft labels', [f32([0, 0, 1, 0.5, 0.5, 0], [2, 3]), f32([1, 2, 3, 0, 0, 0], [2, 3])],
    (b, xs) => b.softmaxCrossEntropy(at(xs, 0), at(xs, 1)), f32([0.4076059644, 1.0986122887], [2])),
  fusedWithBias('linear', [-0.5, -3, 7.5, 3]),
  fusedWithBias('relu', [0, 0, 7.5, 3]),
  fusedWithBias('sigmoid', [0.3775406688, 0.0474258732, 0.9994472214, 0.9525741268]),
  fusedWithBias('tanh', [-0.4621171573, -0.9950547537, 0.9999993882, 0.9950547537]),
  op('fusedMatMul', 'tanh, no bias, both transposed', [f32([1, 3, -2, 4], [2, 2]), f32([1, 1, 0, 1], [2, 2])],
    (b, xs) => b.fusedMatMul(at(xs, 0), at(xs, 1), null, 'tanh', true, true),
    f32([-0.7615941560, -0.9640275801, 0.9999983369, 0.9993292997], [2, 2])),
];
