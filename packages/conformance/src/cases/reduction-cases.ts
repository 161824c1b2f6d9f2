import { opCase } from './case.js';
import { bools, distinct, ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

const activations = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
const CROSS_ENTROPY = 'softmaxCrossEntropyWithLogits';

/** Reductions, matMul, dense, softmax and softmax cross-entropy: everything that accumulates. */
export const REDUCTION_CASES: OpCase[] = [
  ...(['sum', 'mean'] as const).flatMap((op) => [
    opCase('all axes', op, [uniform([3, 4])]),
    opCase('axis 1', op, [uniform([2, 3, 4])], { axis: 1 }),
    opCase('axes [0,2] keepDims', op, [uniform([2, 3, 4])], { axis: [0, 2], keepDims: true }),
    opCase('axis -1 of size 1', op, [uniform([3, 1])], { axis: -1 }),
    opCase('scalar', op, [uniform([])]),
    opCase('long row of 1000', op, [uniform([2, 1000])], { axis: 1 }),
    // A pooling window's two axes, reduced between kept ones; and length-1 axes in between.
    opCase('axes [2,4] of [2,2,2,3,2,2]', op, [uniform([2, 2, 2, 3, 2, 2])], { axis: [2, 4] }),
    opCase('axes [0,2] of [3,1,4,1,2]', op, [uniform([3, 1, 4, 1, 2])], { axis: [0, 2] }),
  ]),
  opCase('empty axis gives 0', 'sum', [uniform([2, 0])], { axis: 1 }),
  opCase('empty leading axis gives 0', 'sum', [uniform([0, 3])], { axis: 0 }),
  opCase('int32', 'sum', [values([2, 3], [1, -2, 3, 40, 50, -60], 'int32')], { axis: 0 }),
  ...(['max', 'min'] as const).flatMap((op) => [
    opCase('all axes', op, [distinct([3, 4])]),
    opCase('axis 0 keepDims', op, [distinct([3, 4])], { axis: 0, keepDims: true }),
    opCase('axes [1,2]', op, [distinct([2, 3, 2])], { axis: [1, 2] }),
    opCase('axes [2,4] of [2,2,2,3,2,2]', op, [distinct([2, 2, 2, 3, 2, 2])], { axis: [2, 4] }),
    opCase('ties', op, [values([2, 3], [1, 3, 3, -2, -2, 0])], { axis: 1 }, { checkGradient: false }),
  ]),
  opCase('axis 0', 'argMax', [distinct([4, 3])], { axis: 0 }),
  opCase('axis -1, first of ties', 'argMax', [values([2, 3], [1, 3, 3, 5, 5, 0])], { axis: -1 }),
  opCase('axis 1', 'cumsum', [uniform([2, 5])], { axis: 1 }),
  opCase('axis 0 exclusive', 'cumsum', [uniform([4, 3])], { axis: 0, exclusive: true }),
  opCase('axis -1 reversed, rank 3', 'cumsum', [uniform([2, 3, 4])], { axis: -1, reverse: true }),
  opCase('exclusive and reversed', 'cumsum', [uniform([5])], { exclusive: true, reverse: true }),
  opCase('long axis of 1000', 'cumsum', [uniform([1000])]),
  opCase('int32', 'cumsum', [ints([2, 4], -50, 50)], { axis: 1 }),
  opCase('axis 0', 'argMin', [distinct([4, 3])], { axis: 0 }),
  opCase('axis -1, first of ties', 'argMin', [values([2, 3], [1, -3, -3, 0, 5, 0])], { axis: -1 }),
  // The smallest int32, which argMax of its negation would get wrong.
  opCase('int32 with the smallest int32', 'argMin', [values([4], [5, -2147483648, 7, -2147483648], 'int32')], { axis: 0 }),
  opCase('all axes', 'prod', [uniform([3, 4], 0.5, 1.5)]),
  opCase('axis 1 of odd length 5', 'prod', [uniform([2, 5, 3])], { axis: 1 }),
  opCase('axes [0,2] keepDims', 'prod', [uniform([2, 3, 4])], { axis: [0, 2], keepDims: true }),
  // The gradient at a zero is the product of the others; with two zeros in a row, every gradient is 0.
  opCase('with zeros', 'prod', [values([2, 4], [0.5, 0, 2, -1.5, 0, 3, 0, 0.25])], { axis: 1 }),
  opCase('over an empty axis gives 1', 'prod', [uniform([2, 0])], { axis: 1 }),
  opCase('int32', 'prod', [ints([3, 4], -5, 6)], { axis: -1 }),
  ...[0, 1].flatMap((piece) => [
    opCase(`k 3 of rows of 5, ${['values', 'indices'][piece]}`, 'topk', [distinct([2, 5])], { k: 3, piece }),
    opCase(`ties to the lower index, ${['values', 'indices'][piece]}`, 'topk', [values([2, 4], [1, 5, 5, 2, 3, 3, 3, 0])], { k: 3, piece }, { checkGradient: false }),
    opCase(`int32, k 1 of rank 3, ${['values', 'indices'][piece]}`, 'topk', [ints([2, 2, 4], -9, 9)], { piece }),
    opCase(`k 0, ${['values', 'indices'][piece]}`, 'topk', [uniform([3])], { k: 0, piece }),
    // k × length above the picking limit: the values are gathered from the flattened rows.
    opCase(`half of rows of 200, ${['values', 'indices'][piece]}`, 'topk', [distinct([2, 200])], { k: 100, piece }),
  ]),
  ...(['any', 'all'] as const).flatMap((op) => [
    opCase('all axes', op, [bools([3, 4])]),
    opCase('axis 1 keepDims', op, [bools([2, 5, 3])], { axis: 1, keepDims: true }),
    opCase('every value true', op, [values([2, 2], [1, 1, 1, 1], 'bool')], { axis: 0 }),
    opCase('every value false', op, [values([2, 2], [0, 0, 0, 0], 'bool')], { axis: -1 }),
    opCase('over an empty axis', op, [values([2, 0], [], 'bool')], { axis: 1 }),
  ]),

  ...[false, true].flatMap((transposeA) => [false, true].map((transposeB) => opCase(
    `[2,3]·[3,4] transposeA=${transposeA} transposeB=${transposeB}`, 'matMul',
    [uniform(transposeA ? [3, 2] : [2, 3]), uniform(transposeB ? [4, 3] : [3, 4])], { transposeA, transposeB },
  ))),
  opCase('batched [2,2,3]·[2,3,2]', 'matMul', [uniform([2, 2, 3]), uniform([2, 3, 2])]),
  opCase('broadcast batch [2,1,2,3]·[3,3,2]', 'matMul', [uniform([2, 1, 2, 3]), uniform([3, 3, 2])]),
  opCase('broadcast batch, transposed [2,3,2]ᵀ·[4,2]ᵀ', 'matMul', [uniform([2, 3, 2]), uniform([4, 3])], { transposeA: true, transposeB: true }),
  opCase('size-1 dims [1,1]·[1,1]', 'matMul', [uniform([1, 1]), uniform([1, 1])]),
  opCase('inner dim 0 gives zeros', 'matMul', [uniform([2, 0]), uniform([0, 3])]),
  opCase('long inner dim 300', 'matMul', [uniform([2, 300]), uniform([300, 2])]),
  // 0·NaN and 0·∞ are NaN: a kernel that skips zeros of A must not skip them.
  opCase('zeros of A meet NaN and ∞ in B', 'matMul', [values([2, 2], [0, 1, 1, 0]), values([2, 2], [NaN, 5, Infinity, 1])], {}, { checkGradient: false }),
  ...[false, true].map((transposeB) => opCase(
    `mostly-zero A (an image) meets a NaN in B, transposeB=${transposeB}`, 'matMul',
    [values([8, 8], Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 + i / 64 : 0))), values(transposeB ? [4, 8] : [8, 4], Array.from({ length: 32 }, (_, i) => (i === 14 ? NaN : i / 8 - 2)))],
    { transposeB }, { checkGradient: false },
  )),

  ...activations.flatMap((activation) => [
    opCase(`${activation} with bias`, 'dense', [uniform([3, 4]), uniform([4, 2]), uniform([2], -0.5, 0.5)], { activation }),
    opCase(`${activation} without bias`, 'dense', [uniform([3, 4]), uniform([4, 2])], { activation }),
  ]),

  opCase('inner dim 0 gives activation(bias)', 'dense', [uniform([3, 0]), uniform([0, 2]), uniform([2], -0.5, 0.5)], { activation: 'relu' }),

  opCase('3 steps, Keras defaults but lr 0.1', 'adam', [uniform([2, 3]), uniform([2, 3]), uniform([2, 3]), uniform([2, 3])],
    { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { checkGradient: false }),
  opCase('5 steps, tiny gradients near epsilon', 'adam', [uniform([4]), ...Array.from({ length: 5 }, () => uniform([4], -1e-6, 1e-6))],
    { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 }, { checkGradient: false }),

  ...(['softmax', 'logSoftmax'] as const).flatMap((op) => [
    opCase('[2,5]', op, [uniform([2, 5], -3, 3)]),
    opCase('rank 1', op, [uniform([4], -2, 2)]),
    opCase('rank 3', op, [uniform([2, 2, 3], -2, 2)]),
    opCase('single class', op, [uniform([3, 1])]),
    opCase('logits of 1e4', op, [values([2, 3], [1e4, 1e4 - 1, 0, -1e4, 1e4, 1e4 - 2])]),
    opCase('row of 1000', op, [uniform([1, 1000], -5, 5)], {}, { checkGradient: false }),
  ]),

  ...[
    opCase('one-hot labels [3,4]', CROSS_ENTROPY, [values([3, 4], [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]), uniform([3, 4], -3, 3)]),
    opCase('label distributions [2,3]', CROSS_ENTROPY, [values([2, 3], [0.2, 0.5, 0.3, 0.9, 0, 0.1]), uniform([2, 3], -3, 3)]),
    opCase('labels not summing to 1', CROSS_ENTROPY, [uniform([2, 3], 0, 2), uniform([2, 3], -2, 2)]),
    opCase('rank 1', CROSS_ENTROPY, [values([4], [0, 0, 1, 0]), uniform([4], -2, 2)]),
    opCase('rank 3', CROSS_ENTROPY, [uniform([2, 2, 3], 0, 1), uniform([2, 2, 3], -2, 2)]),
    opCase('logits of 1e4', CROSS_ENTROPY, [values([2, 3], [1, 0, 0, 0, 0, 1]), values([2, 3], [1e4, 1e4 - 1, 0, -1e4, 1e4, 1e4 - 2])]),
    opCase('no classes gives 0', CROSS_ENTROPY, [uniform([3, 0]), uniform([3, 0])]),
    opCase('row of 1000', CROSS_ENTROPY, [uniform([1, 1000], 0, 0.002), uniform([1, 1000], -5, 5)], {}, { checkGradient: false }),
  ],
];
