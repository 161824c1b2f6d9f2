import { opCase } from './case.js';
import { ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

const forwardOnly = { checkGradient: false };
/** Values no float op may fail on: NaN, both infinities, both zeros, tiny, huge. */
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1.5, 3e38];

/**
 * The composite elementwise ops: random rows for values and gradients, then each op's hard
 * places (tiny |x| where cancellation lurks, the seams between formulas, huge |x|, the domain's
 * ends) with gradients wherever central differences can see TensorFlow's; the boundaries'
 * gradient conventions are checked in test/elementwise-boundary-gradients.test.ts.
 */
export const ELEMENTWISE_EXTRA_CASES: OpCase[] = [
  opCase('[2,3] away from 0', 'reciprocal', [uniform([2, 3], -3, 3, 0.1)]),
  opCase('tiny and huge', 'reciprocal', [values([4], [1e-15, -3e30, 0.5, -7])]),
  opCase('±0 gives ±Infinity', 'reciprocal', [values([2], [0, -0])], {}, forwardOnly),
  opCase('[2,3]', 'rsqrt', [uniform([2, 3], 0.05, 9)]),
  opCase('tiny and huge', 'rsqrt', [values([3], [1e-20, 3e38, 1])]),
  opCase('0 gives Infinity, below 0 NaN', 'rsqrt', [values([2], [0, -1])], {}, forwardOnly),
  opCase('same shape [2,3]', 'squaredDifference', [uniform([2, 3], -3, 3), uniform([2, 3], -3, 3)]),
  opCase('broadcast [2,1,3] with [4,1]', 'squaredDifference', [uniform([2, 1, 3]), uniform([4, 1])]),
  opCase('int32', 'squaredDifference', [ints([5], -100, 100), ints([5], -100, 100)]),
  opCase('divisor away from 0', 'divNoNan', [uniform([2, 3], -3, 3), uniform([2, 3], -2, 2, 0.2)]),
  opCase('broadcast [3,1] by [4]', 'divNoNan', [uniform([3, 1]), uniform([4], 0.5, 2)]),
  opCase('0 wherever the divisor is 0', 'divNoNan', [values([6], [1, -2, 0, Infinity, NaN, 3]), values([6], [0, 0, 0, 0, 0, 2])], {}, forwardOnly),
  opCase('int32 with zero divisors', 'divNoNan', [values([5], [7, -7, 0, 5, 9], 'int32'), values([5], [2, 2, 0, 0, -4], 'int32')]),
  opCase('[2,3]', 'expm1', [uniform([2, 3], -3, 3)]),
  // The series below 0.35 and e^x − 1 above: tiny values, both sides of the seam.
  opCase('tiny values and the seam', 'expm1', [values([8], [1e-10, -1e-9, 1e-7, -3e-5, 0.34, -0.34, 0.36, -0.36])]),
  opCase('extremes', 'expm1', [values([4], [-100, 88, -Infinity, Infinity])], {}, forwardOnly),
  opCase('[2,3] away from 0, alpha 0.5', 'step', [uniform([2, 3], -2, 2, 0.1)], { alpha: 0.5 }),
  opCase('0, NaN and infinities', 'step', [values([5], [0, NaN, Infinity, -Infinity, -0])], { alpha: -0.25 }, forwardOnly),
  opCase('int32', 'step', [ints([6], -3, 3)], { alpha: 2 }),
  ...(['isNaN', 'isInf', 'isFinite'] as const).flatMap((op) => [
    opCase('special values', op, [values([SPECIALS.length], SPECIALS)]),
    opCase('int32', op, [ints([4], -9, 9)]),
  ]),

  opCase('[2,3] over ±1.2', 'tan', [uniform([2, 3], -1.2, 1.2)]),
  opCase('tiny, π/4 and π', 'tan', [values([4], [1e-20, -3e-8, 3, 0.7854])]),
  // Forward only: the slope 1/cos² ≈ 200 there magnifies SwiftShader's cos error (1.9e-4) past any fair bound.
  opCase('near ±π/2', 'tan', [values([2], [1.5, -1.5])], {}, forwardOnly),
  ...(['asin', 'acos'] as const).flatMap((op) => [
    opCase('[2,3] inside ±0.95', op, [uniform([2, 3], -0.95, 0.95)]),
    // Tiny values for asin's digits (acos is π/2 there, which swamps a central difference).
    opCase('small and near ±1', op, [values([4], op === 'asin' ? [1e-20, -3e-8, 0.999, -0.999] : [1e-3, -3e-3, 0.999, -0.999])]),
    // At ±1 the slope is infinite; beyond, no value.
    opCase('±1 and beyond', op, [values([6], [1, -1, 0.9999999, -0.9999999, 1.5, -2])], {}, forwardOnly),
  ]),
  opCase('[2,3] over ±5', 'atan', [uniform([2, 3], -5, 5)]),
  // Both sides of the reduction at tan(π/8), 1, large.
  opCase('tiny, seams and large', 'atan', [values([7], [1e-20, -3e-8, 0.4142, 0.4143, 1, -1, 1e4])]),
  opCase('huge and infinite', 'atan', [values([4], [3e38, -3e38, Infinity, -Infinity])], {}, forwardOnly),
  opCase('every quadrant and octant', 'atan2', [values([8], [1, 1, -1, -1, 0.5, -0.5, 2, -2]), values([8], [1, -1, 1, -1, -2, -2, 0.1, -0.1])]),
  opCase('broadcast [3,1] with [4]', 'atan2', [uniform([3, 1], -2, 2, 0.1), uniform([4], -2, 2, 0.1)]),
  // C's and TensorFlow's conventions: the sign of each zero picks the half-plane.
  opCase('signed zeros', 'atan2', [values([4], [0, -0, 0, -0]), values([4], [0, 0, -0, -0])], {}, forwardOnly),
  opCase('axes, infinities, NaN', 'atan2', [
    values([8], [0, 3, -3, 0, Infinity, Infinity, -Infinity, NaN]), values([8], [2, 0, 0, -2, Infinity, -Infinity, 5, 1]),
  ], {}, forwardOnly),

  ...(['sinh', 'cosh'] as const).flatMap((op) => [
    opCase('[2,3] over ±3', op, [uniform([2, 3], -3, 3)]),
    // Tiny, the series' seam at 0.35 (sinh's expm1), the switch to e^|x| / 2 at 10, large.
    opCase('tiny, seams and large', op, [values([8], [1e-20, -3e-8, 1e-3, -0.34, 0.36, 9.9, 10.1, -20])]),
    // Near float32's largest value, where e^|x| itself overflows.
    opCase('beyond e^x overflow', op, [values([3], [89, -89, 88.5])], {}, forwardOnly),
  ]),
  opCase('[2,3] over ±5', 'asinh', [uniform([2, 3], -5, 5)]),
  opCase('tiny, seam at 4096 and large', 'asinh', [values([7], [1e-20, -3e-8, 1e-3, 0.5, 4095, 4097, -1e6])]),
  opCase('huge and infinite', 'asinh', [values([4], [3e38, -3e38, Infinity, -Infinity])], {}, forwardOnly),
  opCase('[2,3] in [1.1, 6]', 'acosh', [uniform([2, 3], 1.1, 6)]),
  opCase('near 1, seam at 4096 and large', 'acosh', [values([4], [1.001, 4095, 4097, 1e6])]),
  opCase('1 and a float32 ulp above, huge, below 1', 'acosh', [values([6], [1, 1.0000001, 3e38, Infinity, 0.5, -2])], {}, forwardOnly),
  opCase('[2,3] inside ±0.9', 'atanh', [uniform([2, 3], -0.9, 0.9)]),
  opCase('tiny and near ±1', 'atanh', [values([5], [1e-20, -3e-8, 1e-3, 0.999, -0.999])]),
  opCase('±1 and beyond', 'atanh', [values([4], [1, -1, 1.5, -2])], {}, forwardOnly),

  ...(['elu', 'selu'] as const).flatMap((op) => [
    opCase('[2,3] away from 0', op, [uniform([2, 3], -3, 3, 0.1)]),
    opCase('tiny and far below 0', op, [values([5], [-1e-3, 1e-6, -1e-8, -20, -90])]),
  ]),
  opCase('away from the kinks', 'relu6', [values([6], [-1, 0.5, 3, 5.9, 6.1, 10])]),
  opCase('kinks and NaN', 'relu6', [values([4], [0, 6, -0, NaN])], {}, forwardOnly),
  opCase('int32', 'relu6', [ints([6], -3, 10)]),
  opCase('[2,3] away from 0', 'leakyRelu', [uniform([2, 3], -2, 2, 0.1)]),
  opCase('alpha 0.01', 'leakyRelu', [uniform([2, 3], -2, 2, 0.1)], { alpha: 0.01 }),
  opCase('alpha per channel [3]', 'prelu', [uniform([2, 3], -2, 2, 0.1), uniform([3], 0, 0.5)]),
  opCase('scalar alpha', 'prelu', [uniform([4], -2, 2, 0.1), values([], [0.25])]),
  opCase('[2,3] over ±5', 'logSigmoid', [uniform([2, 3], -5, 5)]),
  opCase('0, tails and huge', 'logSigmoid', [values([5], [0, -20, 20, -100, 100])]),
];
