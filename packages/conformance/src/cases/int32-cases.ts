import { opCase } from './case.js';
import { values } from './inputs.js';
import type { OpCase } from './types.js';

/*
 * int32 at its bounds: values float32 cannot hold (beyond 2^24, where a kernel that computes
 * in float32 loses the low bits), results that wrap past ±2^31, division by zero and floor
 * division of negatives, the mean of nothing, products beyond 2^53 (where float64 rounds before
 * the wrap). The oracle computes sums and quotients in float64 (exact here: they stay below
 * 2^53) and products exactly in BigInt, and wraps to int32 with BigInt (reference/int32.ts);
 * int32 results must match exactly (compare.ts).
 */

/** 2^24: the first integer beyond it that float32 cannot hold is 2^24 + 1. */
const F = 2 ** 24;
const MAX = 2 ** 31 - 1;
const MIN = -(2 ** 31);

const int32 = (data: number[], shape: number[] = [data.length]) => values(shape, data, 'int32');
const bool = (data: number[]) => values([data.length], data, 'bool');

/**
 * Factors whose products pass 2^53, where float64 rounds away the low bits the wrap keeps:
 * (2^31 - 1)² = 2^62 - 2^32 + 1 wraps to 1, float64's 2^62 - 2^32 to 0. 2^24 + 1 keeps some
 * products below 2^53.
 */
const LARGE_FACTORS = [MAX, 123456789, -(F + 1), MIN, 99999989, -987654321];

/** Pairs whose members differ only in bits float32 drops (and at ±2^31), for comparisons and extremes. */
const near = [int32([F, F + 1, MAX - 1, MIN, F + 1, -(F + 3)]), int32([F + 1, F, MAX, MIN + 1, F + 1, -(F + 1)])];

export const INT32_CASES: OpCase[] = [
  opCase('int32 beyond 2^24', 'neg', [int32([F + 1, -(F + 3), 123456789, MAX, MIN])]),
  opCase('int32 beyond 2^24, -2^31 wraps to itself', 'abs', [int32([-(F + 1), F + 1, -(F + 3), 123456789, -MAX, MIN])]),
  opCase('int32 beyond 2^24', 'square', [int32([4097, -4097, 46340, -5793])]),
  // 46341² = 2^31 + 4633, 65536² = 2^32, 65537² = 2^32 + 2^17 + 1, 100000² = 10^10.
  opCase('int32 wraps past 2^31', 'square', [int32([46341, -65536, 65537, 100000])]),
  opCase('int32 beyond 2^53 wraps exactly', 'square', [int32(LARGE_FACTORS)]),
  opCase('int32 beyond 2^24', 'sign', [int32([F + 1, -(F + 1), 0, MAX, MIN])]),
  opCase('int32 beyond 2^24', 'relu', [int32([F + 1, -(F + 1), 0, MAX, MIN])]),

  opCase('int32 beyond 2^24, wrapping past ±2^31', 'add', [int32([F, -F, MAX, MIN, MAX]), int32([1, -3, 1, -1, MAX])]),
  opCase('int32 beyond 2^24, wrapping past ±2^31', 'sub', [int32([F + 1, MIN, MAX, 0]), int32([-2, 1, -1, MIN])]),
  opCase('int32 beyond 2^24, wrapping past ±2^31', 'mul', [int32([4097, F + 1, 65536, MAX, -46341, 123456789]), int32([4097, 3, 65536, 2, 46341, 1000])]),
  opCase('int32 beyond 2^53 wraps exactly, a row broadcast', 'mul', [int32(LARGE_FACTORS, [2, 3]), int32([MAX, 987654321, -(F + 3)])]),
  opCase('int32 beyond 2^53 wraps exactly, a column times a row', 'mul', [int32([MAX, -123456789], [2, 1]), int32([MAX, 987654321, MIN], [1, 3])]),
  // -2^31 / -1 = 2^31 wraps to -2^31.
  opCase('int32 (2^31 - 1) / 3, beyond 2^24, floors', 'div', [int32([MAX, MIN, F + 1, -(F + 1), MAX, 1, MIN]), int32([3, 3, 2, 2, -7, MAX, -1])]),
  opCase('int32 by zero gives 0', 'div', [int32([7, -7, 0, MAX, MIN]), int32([0, 0, 0, 0, 0])]),
  // 3^20 and 46341² wrap; 2^-1 truncates to 0.
  opCase('int32 beyond 2^24, wrapping, negative exponents', 'pow', [int32([2, 3, -3, 2, 46341, 2, 1, -1, 5]), int32([30, 20, 19, 31, 2, -1, -5, -3, 0])]),
  // 3^40, 5^23 and 46341^4 pass 2^53; 3^1000003 and 7^(2^31 - 1) overflow float64 altogether.
  opCase('int32 beyond 2^53 wraps exactly', 'pow', [int32([3, 5, -46341, 3, 7, -3, 2]), int32([40, 23, 4, 1000003, MAX, 33, 64])]),
  opCase('int32 beyond 2^24', 'maximum', near),
  opCase('int32 beyond 2^24', 'minimum', near),
  opCase('int32 beyond 2^24', 'clipByValue', [int32([F + 1, F + 9, MIN, MAX, F + 4])], { min: F + 3, max: F + 5 }),
  ...(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const).map((op) => opCase('int32 beyond 2^24', op, near)),
  opCase('int32 beyond 2^24', 'where', [bool([1, 0, 1, 0]), int32([F + 1, MAX, MIN, 3]), int32([1, -(F + 1), 2, MAX - 1])]),

  // Rows: 2^24 + 1, and two that wrap past 2^31 and back.
  opCase('int32 beyond 2^24, wrapping past ±2^31', 'sum', [int32([F, 1, MAX, 1, MIN, -1], [3, 2])], { axis: 1 }),
  opCase('int32 (2^31 - 1) / 3', 'mean', [int32([MAX, MIN + 2, MAX - 1])]),
  // (2^24 + 1 + 2^24 + 4) / 2, and -5 / 2 and -1 / 2 rounded towards zero (-2 and 0), as TensorFlow.
  opCase('int32 beyond 2^24, rounds towards zero', 'mean', [int32([F + 1, F + 4, -7, 2, -1, 0], [3, 2])], { axis: 1 }),
  opCase('int32 of nothing is 0', 'mean', [int32([], [0])]),
  opCase('int32 of an empty axis is 0', 'mean', [int32([], [2, 0])], { axis: 1 }),
  opCase('int32 beyond 2^24', 'max', [int32([F + 1, F + 3, F + 2, -(F + 1), MIN, MAX], [2, 3])], { axis: 1 }),
  opCase('int32 beyond 2^24', 'min', [int32([-(F + 1), -(F + 3), -(F + 2), F + 1, MAX, MIN], [2, 3])], { axis: 1 }),
  opCase('int32 beyond 2^24', 'argMax', [int32([F, F + 1, F + 3, F + 2, MAX - 1, MAX, MIN, MAX - 2], [2, 4])], { axis: 1 }),

  // float32 rounds 2^24 + 1 and 2^24 + 3 to even, 2^31 - 1 up to 2^31.
  opCase('int32 → float32 rounds to nearest even', 'cast', [int32([F + 1, F + 3, -(F + 1), MAX, MIN])], { dtype: 'float32' }),
  opCase('float32 → int32 beyond 2^24', 'cast', [values([4], [F + 2, -(F + 4), 2 ** 31 - 128, MIN])], { dtype: 'int32' }),
  // Only the low byte of 256 and 2^28 is 0.
  opCase('int32 → bool of 256 and 2^28', 'cast', [int32([0, 256, 2 ** 28, MIN, 1])], { dtype: 'bool' }),

  opCase('int32 beyond 2^24', 'gather', [int32([F + 1, MAX, MIN, -(F + 1)]), int32([3, 0, 2, 1, 0])], { axis: 0 }),
  opCase('int32 into 3 segments, wrapping past 2^31', 'unsortedSegmentSum', [int32([F, 1, MAX, 1, 5]), int32([0, 0, 1, 1, 2])], { numSegments: 3 }),
  opCase('int32 with a value beyond 2^24', 'pad', [int32([F + 1, MAX, MIN, 4], [2, 2])], { paddings: [[1, 0], [0, 1]], value: -(F + 3) }),
  opCase('int32 beyond 2^24', 'concat', [int32([F + 1, MAX]), int32([MIN, -(F + 1)])], { axis: 0 }),
  opCase('int32 beyond 2^24', 'transpose', [int32([F + 1, MAX, MIN, -(F + 1), F + 3, 5], [2, 3])]),
];
