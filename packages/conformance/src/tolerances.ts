import type { OpName } from './cases/ops.js';
import type { Bound } from './cases/types.js';

/**
 * The one tolerance table, keyed by op. Bounds are per output element:
 * `|got − want| ≤ scale · (abs + rel · |want|)` where `scale` is the number of float32 terms
 * accumulated per element (1 for elementwise ops, the reduced length for sum/mean/matMul/
 * softmax). `'exact'` means bit-identical to the float64 value rounded to the result dtype:
 * movement and selection ops only copy values.
 *
 * Float32 rounds to within 6e-8 relative, so 1e-6 allows a kernel ~8 ulp of its own error;
 * the absolute floor only matters for results that underflow towards 0 (sigmoid(−80) = 1.8e-35
 * must still be right to 1e-6 relative). Gradients run several float32 ops in a chain (op
 * gradient, the cotangent product, the sum), so they get 10×, and an absolute floor for sums
 * that cancel; the finite differences they are compared with are good to ~1e-10 relative, so
 * no gradient bound can be `'exact'`. A gradient's scale also counts the outputs each input
 * element feeds (broadcasting, matMul), since their contributions are summed in float32.
 *
 * `webgl` is the column for WebGL's precision (16-bit floats on some devices): the same bounds
 * written as multiples of the unit roundoff u of the floats the GPU stores, so they follow the
 * precision a browser measures (see WEBGL_ULPS below and browser/ for the measurement).
 */
export interface OpTolerance {
  readonly forward: Bound;
  readonly gradient: Bound | null;
  readonly webgl: { readonly forward: Bound; readonly gradient: Bound | null } | null;
}

type WebglBounds = NonNullable<OpTolerance['webgl']>;

/** Unit roundoff of float32 (2^-24), the precision of WebGL 2 with float32 render targets. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

const U = FLOAT32_UNIT_ROUNDOFF;

/*
 * WebGL's bounds, written as multiples of u for float32 storage. Measured in headless Chromium
 * (ANGLE on SwiftShader: WebGL 2, float32 render targets, 23-bit highp mantissa) with tfjs's CPU
 * forwarding off, so every case runs a shader (browser/, test/browser-conformance.test.ts); the
 * parity report's tfjs-webgl column lists the measured errors. The margins over the measurement
 * follow GLSL ES 3.00's allowances for real GPUs (§4.5.1): division 2.5 ulp, exp (3 + 2|x|) ulp,
 * log 3 ulp or 2^-21 absolute on [0.5, 2], pow as exp2(y·log2 x); denormals may flush to zero,
 * hence the smallest normal float as the floor.
 */
const SMALLEST_NORMAL = 2 ** -126;
const WEBGL = {
  exact: { forward: 'exact', gradient: { rel: 32 * U, abs: 4 * U } },
  elementwise: { forward: { rel: 8 * U, abs: SMALLEST_NORMAL }, gradient: { rel: 256 * U, abs: 4 * U } },
  // Measured ≤ 40u (exp near 88) and log's 2^-21 absolute error near 1.
  transcendental: { forward: { rel: 64 * U, abs: 8 * U }, gradient: { rel: 512 * U, abs: 8 * U } },
  // A composite's formula error (erf's 1.5e-7, 2.5u) on top of its transcendental steps.
  approximation: { forward: { rel: 64 * U, abs: 16 * U }, gradient: { rel: 512 * U, abs: 32 * U } },
  // GLSL leaves sin's and cos's precision to the implementation: SwiftShader's were up to 1.9e-4
  // from the function over |x| ≤ 10 (cos(3.34)), measured; a bound of 8192u (4.9e-4).
  periodic: { forward: { rel: 64 * U, abs: 8192 * U }, gradient: { rel: 512 * U, abs: 8192 * U } },
  // Per accumulated term (the case's scale multiplies it), as for the CPU.
  accumulate: { forward: { rel: 32 * U, abs: 4 * U }, gradient: { rel: 256 * U, abs: 32 * U } },
  none: { forward: 'exact', gradient: null },
} as const satisfies Record<string, WebglBounds>;
type WebglKind = keyof typeof WEBGL;

const row = (forward: Bound, gradient: Bound | null, kind: WebglKind): OpTolerance => ({ forward, gradient, webgl: WEBGL[kind] });

/** erf: Abramowitz & Stegun's formula is within 1.5e-7 of erf and its slope within 7e-7 of erf's, beyond float32's rounding. */
const APPROXIMATION = row({ rel: 1e-6, abs: 3e-7 }, { rel: 1e-5, abs: 1e-6 }, 'approximation');

/**
 * sin, cos: tfjs-wasm's are not correctly rounded, off by up to 2.1e-7 near a zero of the
 * function (sin(3.113) = −0.0286 came back −0.0285580), and 0 for sin(1e-20): an absolute bound
 * of a float32 ulp of 1 beside the relative one.
 */
const PERIODIC = row({ rel: 1e-6, abs: 3e-7 }, { rel: 1e-5, abs: 3e-7 }, 'periodic');

/** Movement and selection (max, relu, where...): values are copied; gradients are masks or sums of the cotangent. */
const EXACT = row('exact', { rel: 1e-6, abs: 1e-7 }, 'exact');
const ELEMENTWISE = row({ rel: 1e-6, abs: 1e-30 }, { rel: 1e-5, abs: 1e-7 }, 'elementwise');
/** exp, log, pow...: GLSL's versions are allowed a few ulp (more for large |x|), not correctly rounded. */
const TRANSCENDENTAL = row({ rel: 1e-6, abs: 1e-30 }, { rel: 1e-5, abs: 1e-7 }, 'transcendental');
const ACCUMULATE = row({ rel: 1e-6, abs: 1e-7 }, { rel: 1e-5, abs: 1e-6 }, 'accumulate');
const NO_GRADIENT = row('exact', null, 'none');
/** tan = sin / cos: cos's absolute error (tfjs-wasm's 2.1e-7, see PERIODIC) is relative to cos, up to 3e-6 for |x| ≤ 1.5. */
const TANGENT = row({ rel: 4e-6, abs: 3e-7 }, { rel: 4e-5, abs: 3e-7 }, 'periodic');

/**
 * hannWindow, hammingWindow: worked out on the host in float64 and rounded once, so WebGL only
 * stores them. The absolute floor is for the oracle's Hann sin²(π) = 1.5e-32 where cos gives 0.
 */
const HOST_WINDOW: OpTolerance = { forward: { rel: 1e-6, abs: 1e-30 }, gradient: null, webgl: { forward: { rel: 8 * U, abs: 1e-30 }, gradient: null } };

/** Every op's bounds against the float64 oracle: forward and gradient, and WebGL's where they differ. */
export const TOLERANCES: Record<OpName, OpTolerance> = {
  add: ELEMENTWISE, sub: ELEMENTWISE, mul: ELEMENTWISE, div: ELEMENTWISE, pow: TRANSCENDENTAL,
  maximum: EXACT, minimum: EXACT, clipByValue: EXACT, floorDiv: EXACT, mod: ELEMENTWISE,
  equal: NO_GRADIENT, notEqual: NO_GRADIENT, less: NO_GRADIENT, lessEqual: NO_GRADIENT, greater: NO_GRADIENT, greaterEqual: NO_GRADIENT,
  logicalAnd: NO_GRADIENT, logicalOr: NO_GRADIENT, logicalXor: NO_GRADIENT, logicalNot: NO_GRADIENT, any: NO_GRADIENT, all: NO_GRADIENT,
  neg: EXACT, abs: EXACT, sign: EXACT, relu: EXACT, floor: EXACT, ceil: EXACT, round: EXACT, sin: PERIODIC, cos: PERIODIC,
  exp: TRANSCENDENTAL, log: TRANSCENDENTAL, log1p: TRANSCENDENTAL, softplus: TRANSCENDENTAL, sqrt: ELEMENTWISE, square: ELEMENTWISE, sigmoid: TRANSCENDENTAL, tanh: TRANSCENDENTAL, erf: APPROXIMATION,
  softmax: ACCUMULATE, logSoftmax: ACCUMULATE, softmaxCrossEntropyWithLogits: ACCUMULATE,
  sum: ACCUMULATE, mean: ACCUMULATE, cumsum: ACCUMULATE, matMul: ACCUMULATE, einsum: ACCUMULATE, dense: ACCUMULATE, unsortedSegmentSum: ACCUMULATE,
  conv2d: ACCUMULATE, conv2dBackpropInput: ACCUMULATE, conv2dBackpropFilter: ACCUMULATE,
  depthwiseConv2d: ACCUMULATE, depthwiseConv2dBackpropInput: ACCUMULATE, depthwiseConv2dBackpropFilter: ACCUMULATE,
  fusedConv2d: ACCUMULATE, fusedDepthwiseConv2d: ACCUMULATE, groupedConv2d: ACCUMULATE,
  maxPool2d: EXACT, maxPool2dBackprop: ACCUMULATE, avgPool2d: ACCUMULATE, avgPool2dBackprop: ACCUMULATE,
  conv3d: ACCUMULATE, groupedConv3d: ACCUMULATE, maxPool3d: EXACT, avgPool3d: ACCUMULATE,
  prod: ACCUMULATE, topk: EXACT, max: EXACT, min: EXACT, argMax: NO_GRADIENT, argMin: NO_GRADIENT,
  reshape: EXACT, expandDims: EXACT, squeeze: EXACT, transpose: EXACT, slice: EXACT, pad: EXACT, concat: EXACT, tile: EXACT, reverse: EXACT, stack: EXACT, split: EXACT, unstack: EXACT,
  gather: EXACT, gatherND: EXACT, scatterND: ACCUMULATE, broadcastTo: EXACT, where: EXACT, cast: EXACT, stopGradient: NO_GRADIENT, oneHot: NO_GRADIENT,
  fill: NO_GRADIENT, zeros: NO_GRADIENT, ones: NO_GRADIENT, range: NO_GRADIENT, zerosLike: NO_GRADIENT, onesLike: NO_GRADIENT,
  tensor: NO_GRADIENT, variable: NO_GRADIENT,
  resizeBilinear: ACCUMULATE, resizeNearestNeighbor: EXACT, transform: ACCUMULATE,
  flipLeftRight: EXACT, grayscaleToRGB: EXACT, rgbToGrayscale: ACCUMULATE, threshold: NO_GRADIENT, rotateWithOffset: EXACT, cropAndResize: ACCUMULATE,
  logSumExp: ACCUMULATE, moments: ACCUMULATE, norm: ACCUMULATE, euclideanNorm: ACCUMULATE, cumprod: ACCUMULATE, addN: ACCUMULATE, dot: ACCUMULATE, outerProduct: ELEMENTWISE,
  maxPool: EXACT, avgPool: ACCUMULATE, conv1d: ACCUMULATE, conv2dTranspose: ACCUMULATE, separableConv2d: ACCUMULATE, conv3dTranspose: ACCUMULATE, batchNorm: ACCUMULATE,
  localResponseNormalization: ACCUMULATE, dilation2d: ELEMENTWISE, maxPoolWithArgmax: EXACT, basicLSTMCell: ACCUMULATE,
  linspace: NO_GRADIENT, eye: NO_GRADIENT, diag: EXACT, meshgrid: EXACT, stridedSlice: EXACT, mirrorPad: EXACT, depthToSpace: EXACT, spaceToBatchND: EXACT, batchToSpaceND: EXACT,
  reciprocal: ELEMENTWISE, rsqrt: ELEMENTWISE, squaredDifference: ELEMENTWISE, divNoNan: ELEMENTWISE, step: EXACT, isNaN: NO_GRADIENT, isInf: NO_GRADIENT, isFinite: NO_GRADIENT,
  expm1: TRANSCENDENTAL, sinh: TRANSCENDENTAL, cosh: TRANSCENDENTAL, asinh: TRANSCENDENTAL, acosh: TRANSCENDENTAL, atanh: TRANSCENDENTAL, tan: TANGENT,
  // The arctangent is Cephes' polynomial (about a float32 ulp) under a few float32 steps.
  asin: APPROXIMATION, acos: APPROXIMATION, atan: APPROXIMATION, atan2: APPROXIMATION,
  elu: TRANSCENDENTAL, selu: TRANSCENDENTAL, logSigmoid: TRANSCENDENTAL, relu6: EXACT, leakyRelu: ELEMENTWISE, prelu: ELEMENTWISE,
  bandPart: EXACT, ensureShape: EXACT, frame: EXACT, broadcastArgs: NO_GRADIENT, gramSchmidt: ACCUMULATE, qr: ACCUMULATE,
  hannWindow: HOST_WINDOW, hammingWindow: HOST_WINDOW,
  fft: ACCUMULATE, ifft: ACCUMULATE, rfft: ACCUMULATE, irfft: ACCUMULATE, stft: ACCUMULATE, istft: ACCUMULATE, irfftOfRfft: ACCUMULATE, istftOfStft: ACCUMULATE, linearToMelWeightMatrix: HOST_WINDOW,
  // Float32 update steps of size ~lr, accumulated over the steps (the row's scale).
  adam: row({ rel: 1e-6, abs: 1e-7 }, null, 'accumulate'),
};

/**
 * A WebGL column entry (written for float32 storage, u = 2^-24) for floats of unit roundoff
 * `u` measured in a browser (2^-11 when tfjs falls back to float16 textures): every bound
 * scales with u, and copies are no longer exact once storage rounds below float32.
 */
export function webglBoundsFor(bounds: WebglBounds, u: number): WebglBounds {
  const ratio = u / U;
  // Copies stay exact at float32 storage; below it the stored value itself rounds, by ≤ u.
  const rescale = (b: Bound): Bound => (b === 'exact' ? (ratio <= 1 ? 'exact' : { rel: u, abs: 0 }) : { rel: b.rel * ratio, abs: b.abs * ratio });
  return { forward: rescale(bounds.forward), gradient: bounds.gradient === null ? null : rescale(bounds.gradient) };
}

/** True for backends whose precision the `webgl` column describes. */
export function usesWebglColumn(backend: { name: string; floatPrecision: number }): boolean {
  return backend.floatPrecision === 16 || backend.name.includes('webgl');
}
