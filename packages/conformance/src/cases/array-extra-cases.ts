import { opCase } from './case.js';
import { ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

/** logSumExp, moments, norm, euclideanNorm, cumprod, addN, dot, outerProduct. */
export const ARRAY_EXTRA_CASES: OpCase[] = [
  opCase('all axes', 'logSumExp', [uniform([3, 4], -3, 3)]),
  opCase('axis 1 keepDims', 'logSumExp', [uniform([2, 3, 4], -3, 3)], { axis: 1, keepDims: true }),
  opCase('axes [0,2]', 'logSumExp', [uniform([2, 3, 4], -3, 3)], { axis: [0, 2] }),
  // exp(100) overflows float32: only the max shift keeps these finite.
  opCase('values near 100 stay finite', 'logSumExp', [values([2, 3], [100, 99.5, 98, -100, -101, -99])], { axis: -1 }),
  opCase('int32 gives float32', 'logSumExp', [ints([2, 3], -5, 5)], { axis: 1 }),
  // An infinite max is not shifted by (inf − inf would be NaN): rows of −inf give −inf, a +inf gives +inf.
  opCase('infinite rows stay infinite', 'logSumExp', [values([3, 2], [-Infinity, -Infinity, Infinity, 1, -Infinity, 2])], { axis: 1 }, { checkGradient: false }),

  ...[0, 1].flatMap((piece) => [
    opCase(`${piece ? 'variance' : 'mean'}, all axes`, 'moments', [uniform([3, 4])], { piece }),
    opCase(`${piece ? 'variance' : 'mean'}, axes [0,1] keepDims (batch norm)`, 'moments', [uniform([2, 3, 4])], { axis: [0, 1], keepDims: true, piece }),
    opCase(`${piece ? 'variance' : 'mean'}, axis -1`, 'moments', [uniform([3, 5], 4, 6)], { axis: -1, piece }),
  ]),
  opCase('variance, int32 gives float32', 'moments', [ints([2, 4], -9, 9)], { axis: 1, piece: 1 }),

  opCase('euclidean over every entry', 'norm', [uniform([3, 4])]),
  opCase('2 along axis 1 keepDims', 'norm', [uniform([3, 4])], { ord: 2, axis: 1, keepDims: true }),
  opCase('1 of a vector', 'norm', [uniform([6], -1, 1, 0.05)], { ord: 1 }),
  opCase('Infinity along axis 0', 'norm', [uniform([4, 3], -1, 1, 0.05)], { ord: Infinity, axis: 0 }),
  opCase('-Infinity along axis -1', 'norm', [uniform([3, 5], -1, 1, 0.05)], { ord: -Infinity, axis: -1 }),
  opCase('fro over axes [1,2]', 'norm', [uniform([2, 3, 4])], { ord: 'fro', axis: [1, 2] }),
  opCase('matrix 1: largest column sum', 'norm', [uniform([2, 3, 4], -1, 1, 0.05)], { ord: 1, axis: [1, 2] }),
  opCase('matrix 1 with axes [2,1]: rows are axis 2', 'norm', [uniform([2, 3, 4], -1, 1, 0.05)], { ord: 1, axis: [2, 1], keepDims: true }),
  opCase('matrix Infinity: largest row sum', 'norm', [uniform([4, 3], -1, 1, 0.05)], { ord: Infinity, axis: [0, 1] }),
  opCase('matrix -Infinity: smallest row sum', 'norm', [uniform([4, 3], -1, 1, 0.05)], { ord: -Infinity, axis: [0, 1] }),
  opCase('all axes', 'euclideanNorm', [uniform([2, 3])]),
  opCase('axis 0 keepDims', 'euclideanNorm', [uniform([4, 3])], { axis: 0, keepDims: true }),

  opCase('axis 1', 'cumprod', [uniform([2, 5], 0.5, 1.5)], { axis: 1 }),
  opCase('axis 0 exclusive', 'cumprod', [uniform([4, 3], 0.5, 1.5)], { axis: 0, exclusive: true }),
  opCase('axis -1 reversed, rank 3', 'cumprod', [uniform([2, 3, 4])], { axis: -1, reverse: true }),
  opCase('exclusive and reversed', 'cumprod', [uniform([5])], { exclusive: true, reverse: true }),
  // The gradient at a zero is the product of the other entries, not NaN.
  opCase('zeros: gradient of the others', 'cumprod', [values([2, 4], [0.5, 0, 2, -1.5, 1.25, 0.75, 0, 0])], { axis: 1 }),
  opCase('zeros, exclusive reversed', 'cumprod', [values([5], [1.5, 0, -2, 0.5, 0])], { exclusive: true, reverse: true }),
  opCase('length 7 (odd scan)', 'cumprod', [uniform([7], 0.6, 1.4)]),
  opCase('int32', 'cumprod', [ints([2, 4], -5, 5)], { axis: 1 }),

  opCase('three [2,3]', 'addN', [uniform([2, 3]), uniform([2, 3]), uniform([2, 3])]),
  opCase('one tensor', 'addN', [uniform([4])]),
  opCase('int32', 'addN', [ints([3], -50, 50), ints([3], -50, 50)]),

  opCase('vector · vector', 'dot', [uniform([5]), uniform([5])]),
  opCase('vector · matrix', 'dot', [uniform([3]), uniform([3, 4])]),
  opCase('matrix · vector', 'dot', [uniform([4, 3]), uniform([3])]),
  opCase('matrix · matrix', 'dot', [uniform([2, 3]), uniform([3, 4])]),

  opCase('[3] ⊗ [4]', 'outerProduct', [uniform([3]), uniform([4])]),
  opCase('int32', 'outerProduct', [ints([2], -9, 9), ints([3], -9, 9)]),
];
