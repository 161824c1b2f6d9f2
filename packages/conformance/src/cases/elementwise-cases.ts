import { opCase } from './case.js';
import { bools, distinct, ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

const binaryOps = ['add', 'sub', 'mul', 'maximum', 'minimum'] as const;

/** Unary and binary elementwise ops: shapes, broadcasting, edge magnitudes. */
export const ELEMENTWISE_CASES: OpCase[] = [
  ...binaryOps.flatMap((op) => [
    opCase('same shape [2,3]', op, [uniform([2, 3]), uniform([2, 3])]),
    opCase('broadcast [2,1,3] with [4,1]', op, [uniform([2, 1, 3]), uniform([4, 1])]),
    opCase('scalar with [3]', op, [uniform([]), uniform([3])]),
    opCase('empty [0,3] with [3]', op, [uniform([0, 3]), uniform([3])]),
  ]),
  opCase('large magnitudes', 'add', [values([3], [1e30, -1e30, 3e38]), values([3], [1e30, 1e-30, -1e38])], {}, { checkGradient: false }),
  opCase('int32', 'add', [ints([2, 3], -50, 50), ints([3], -50, 50)]),
  opCase('int32', 'mul', [ints([4], -1000, 1000), ints([4], -1000, 1000)]),
  opCase('same shape', 'div', [uniform([2, 3]), uniform([2, 3], 0.5, 2)]),
  opCase('broadcast [3,1] by [4]', 'div', [uniform([3, 1]), uniform([4], -2, -0.5)]),
  opCase('int32 floors towards -inf', 'div', [values([6], [7, -7, 7, -7, 0, 9], 'int32'), values([6], [2, 2, -2, -2, 3, 3], 'int32')]),
  ...(['floorDiv', 'mod'] as const).flatMap((op) => [
    // Every sign of each side; quotients away from integers, where the gradient is smooth.
    opCase('signs', op, [values([6], [7.5, -7.5, 7.5, -7.5, 0.25, 5.75]), values([6], [2, 2, -2, -2, 3, 1.5])]),
    opCase('int32 signs', op, [values([6], [7, -7, 7, -7, 0, 9], 'int32'), values([6], [2, 2, -2, -2, 3, 3], 'int32')]),
    opCase('broadcast [2,3] by [3]', op, [uniform([2, 3], -4, 4), values([3], [1.5, -2.5, 0.7])], {}, { checkGradient: false }),
  ]),
  opCase('positive base', 'pow', [uniform([2, 3], 0.2, 2), uniform([2, 3], -2, 2)]),
  opCase('broadcast exponent', 'pow', [uniform([4, 2], 0.5, 1.5), values([2], [2, 3])]),
  opCase('negative base, integer exponents', 'pow', [values([3], [-2, -1.5, -3]), values([3], [2, 3, 1])], {}, { checkGradient: false }),
  opCase('ties pick a', 'maximum', [values([3], [1, 2, 3]), values([3], [1, 5, 0])], {}, { checkGradient: false }),

  opCase('[2,3]', 'neg', [uniform([2, 3])]),
  opCase('[2,3] away from 0', 'abs', [uniform([2, 3], -1, 1, 0.1)]),
  opCase('with 0', 'sign', [values([4], [-2, 0, 3, -0.5])], {}, { checkGradient: false }),
  // NaN in, NaN out, in either operand (tfjs gave 0 for sign, tfjs-wasm dropped b's NaN).
  opCase('NaN', 'sign', [values([2], [NaN, -1])], {}, { checkGradient: false }),
  ...(['maximum', 'minimum'] as const).map((op) => opCase('NaN in either operand', op, [values([3], [1, NaN, NaN]), values([3], [NaN, 2, NaN])], {}, { checkGradient: false })),
  opCase('[5] away from 0', 'sign', [uniform([5], -1, 1, 0.1)]),
  opCase('[2,3]', 'exp', [uniform([2, 3], -3, 3)]),
  opCase('extremes', 'exp', [values([4], [-80, 80, 88, -87])], {}, { checkGradient: false }),
  opCase('[2,3]', 'log', [uniform([2, 3], 0.1, 5)]),
  opCase('tiny and huge values', 'log', [values([4], [1e-30, 1.2e-38, 3e38, 1])]),
  opCase('zero gives -Infinity', 'log', [values([1], [0])], {}, { checkGradient: false }),
  opCase('[2,3]', 'log1p', [uniform([2, 3], -0.5, 3)]),
  // Where log(1 + x) rounds 1 + x to 1: softplus and sigmoid cross-entropy tails live here.
  opCase('tiny values keep their digits', 'log1p', [values([4], [1e-10, -1e-9, 1e-7, 3e-5])]),
  // Forward only: the gradient goes through div's, which forms dy·x (as tfjs does) and overflows near 3e38.
  opCase('huge values', 'log1p', [values([2], [1e30, 3e38])], {}, { checkGradient: false }),
  opCase('-1 gives -Infinity, Infinity stays', 'log1p', [values([2], [-1, Infinity])], {}, { checkGradient: false }),
  opCase('[2,3]', 'softplus', [uniform([2, 3], -3, 3)]),
  // At 0 the gradient is sigmoid(0) = 0.5; far below 0 the value is exp(x), not 0.
  opCase('0, tails and huge', 'softplus', [values([5], [0, -20, -87, 30, 1e30])]),
  opCase('[2,3]', 'sqrt', [uniform([2, 3], 0.1, 4)]),
  opCase('[2,3]', 'square', [uniform([2, 3], -3, 3)]),
  opCase('[2,3] away from 0', 'relu', [uniform([2, 3], -1, 1, 0.1)]),
  opCase('[2,3]', 'sigmoid', [uniform([2, 3], -4, 4)]),
  opCase('±80 and ±20', 'sigmoid', [values([4], [-80, 80, -20, 20])]),
  opCase('[2,3]', 'tanh', [uniform([2, 3], -3, 3)]),
  opCase('±20 and tiny', 'tanh', [values([4], [-20, 20, 1e-20, -3e-8])]),
  ...(['sin', 'cos'] as const).flatMap((op) => [
    opCase('[2,3] over ±4', op, [uniform([2, 3], -4, 4)]),
    opCase('±10 and tiny', op, [values([4], [-10, 10, 1e-20, -3e-8])]),
  ]),
  // Away from the steps, where the gradient is 0; the steps themselves have no gradient to check.
  ...(['floor', 'ceil', 'round'] as const).flatMap((op) => [
    opCase('between integers', op, [values([2, 3], [-2.3, -0.7, 0.2, 0.9, 1.6, 3.4])]),
    opCase('integers and halves', op, [values([8], [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 3])], {}, { checkGradient: false }),
  ]),
  opCase('[2,3]', 'erf', [uniform([2, 3], -3, 3)]),
  opCase('0, both formulas and their seam, tails', 'erf', [values([8], [0, 1e-20, 0.3, -0.5, 0.75, -2, 6, -30])]),
  opCase('int32', 'neg', [ints([4], -9, 9)]),
  opCase('int32', 'abs', [ints([4], -9, 9)]),
  opCase('empty [0]', 'exp', [uniform([0])]),

  ...(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const).flatMap((op) => [
    opCase('with ties, broadcast', op, [values([2, 3], [1, 2, 3, 4, 5, 6]), values([3], [2, 2, 7])]),
    opCase('int32', op, [ints([5], -2, 2), ints([5], -2, 2)]),
  ]),
  ...(['logicalAnd', 'logicalOr', 'logicalXor'] as const).flatMap((op) => [
    // Every pair of truth values, then a broadcast.
    opCase('truth table', op, [values([4], [0, 0, 1, 1], 'bool'), values([4], [0, 1, 0, 1], 'bool')]),
    opCase('broadcast', op, [bools([2, 3]), bools([3])]),
  ]),
  opCase('truth table', 'logicalNot', [values([2], [0, 1], 'bool')]),
  opCase('[2,3]', 'logicalNot', [bools([2, 3])]),

  opCase('broadcast condition', 'where', [bools([2, 1]), uniform([2, 3]), uniform([3])]),
  opCase('same shape', 'where', [bools([4]), uniform([4]), uniform([4])]),
  // tfjs-wasm's Select once picked wrong bools here, and read out of bounds at 8 elements.
  opCase('bool picks', 'where', [bools([8]), bools([8]), bools([8])]),
  opCase('bool picks, broadcast', 'where', [bools([2, 1]), bools([2]), bools([])]),
  opCase('float32 → int32 truncates', 'cast', [values([5], [1.7, -1.7, 0.2, -0.9, 3])], { dtype: 'int32' }),
  opCase('float32 → bool', 'cast', [values([4], [0, -0.5, 2, 0])], { dtype: 'bool' }),
  opCase('int32 → float32', 'cast', [ints([4], -100, 100)], { dtype: 'float32' }),
  opCase('bool → float32', 'cast', [bools([4])], { dtype: 'float32' }),
  opCase('float32 → float32', 'cast', [uniform([3])], { dtype: 'float32' }),
  opCase('inside, below, above', 'clipByValue', [distinct([2, 4])], { min: -0.5, max: 0.6 }),
  opCase('[2,3]', 'stopGradient', [uniform([2, 3])]),
];
