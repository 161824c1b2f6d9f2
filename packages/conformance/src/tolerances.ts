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
 * `webgl` is the column for WebGL's measured precision (16-bit floats on some devices). It is
 * filled by the browser issue; until then a WebGL backend has no bounds and its cases fail
 * with that reason rather than pass on CPU numbers.
 */
export interface OpTolerance {
  readonly forward: Bound;
  readonly gradient: Bound | null;
  readonly webgl: { readonly forward: Bound; readonly gradient: Bound | null } | null;
}

/** Movement and selection (max, relu, where...): values are copied; gradients are masks or sums of the cotangent. */
const EXACT: OpTolerance = { forward: 'exact', gradient: { rel: 1e-6, abs: 1e-7 }, webgl: null };
const ELEMENTWISE: OpTolerance = { forward: { rel: 1e-6, abs: 1e-30 }, gradient: { rel: 1e-5, abs: 1e-7 }, webgl: null };
const ACCUMULATE: OpTolerance = { forward: { rel: 1e-6, abs: 1e-7 }, gradient: { rel: 1e-5, abs: 1e-6 }, webgl: null };
const NO_GRADIENT: OpTolerance = { forward: 'exact', gradient: null, webgl: null };

export const TOLERANCES: Record<OpName, OpTolerance> = {
  add: ELEMENTWISE, sub: ELEMENTWISE, mul: ELEMENTWISE, div: ELEMENTWISE, pow: ELEMENTWISE,
  maximum: EXACT, minimum: EXACT, clipByValue: EXACT,
  equal: NO_GRADIENT, notEqual: NO_GRADIENT, less: NO_GRADIENT, lessEqual: NO_GRADIENT, greater: NO_GRADIENT, greaterEqual: NO_GRADIENT,
  neg: EXACT, abs: EXACT, sign: EXACT, relu: EXACT,
  exp: ELEMENTWISE, log: ELEMENTWISE, sqrt: ELEMENTWISE, square: ELEMENTWISE, sigmoid: ELEMENTWISE, tanh: ELEMENTWISE,
  softmax: ACCUMULATE, logSoftmax: ACCUMULATE,
  sum: ACCUMULATE, mean: ACCUMULATE, matMul: ACCUMULATE, dense: ACCUMULATE, unsortedSegmentSum: ACCUMULATE,
  max: EXACT, min: EXACT, argMax: NO_GRADIENT,
  reshape: EXACT, expandDims: EXACT, squeeze: EXACT, transpose: EXACT, slice: EXACT, pad: EXACT, concat: EXACT,
  gather: EXACT, broadcastTo: EXACT, where: EXACT, cast: EXACT, stopGradient: NO_GRADIENT, oneHot: NO_GRADIENT,
  fill: NO_GRADIENT, zeros: NO_GRADIENT, ones: NO_GRADIENT, range: NO_GRADIENT, zerosLike: NO_GRADIENT, onesLike: NO_GRADIENT,
  tensor: NO_GRADIENT, variable: NO_GRADIENT,
  // Float32 update steps of size ~lr, accumulated over the steps (the row's scale).
  adam: { forward: { rel: 1e-6, abs: 1e-7 }, gradient: null, webgl: null },
};

/** True for backends whose precision the `webgl` column describes. */
export function usesWebglColumn(backend: { name: string; floatPrecision: number }): boolean {
  return backend.floatPrecision === 16 || backend.name.includes('webgl');
}
