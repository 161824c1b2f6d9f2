import { opCase } from './case.js';
import { ints, uniform, values } from './inputs.js';
import type { OpCase } from './types.js';

const shapeOf = (dims: number[]) => values([dims.length], dims, 'int32');

/** bandPart, gramSchmidt, qr, ensureShape, broadcastArgs, hannWindow, hammingWindow, frame. */
export const LINALG_SIGNAL_CASES: OpCase[] = [
  opCase('[4,5] below 1, above 2', 'bandPart', [uniform([4, 5])], { numLower: 1, numUpper: 2 }),
  opCase('(-1, 0): the lower triangle', 'bandPart', [uniform([4, 4])], { numLower: -1, numUpper: 0 }),
  opCase('(0, -1): the upper triangle of a wide matrix', 'bandPart', [uniform([3, 5])], { numLower: 0, numUpper: -1 }),
  opCase('(0, 0): the diagonal of a tall matrix', 'bandPart', [uniform([4, 3])], { numLower: 0, numUpper: 0 }),
  opCase('batched [2,3,4], (2, -1)', 'bandPart', [uniform([2, 3, 4])], { numLower: 2, numUpper: -1 }),
  opCase('limits equal to M and N keep everything', 'bandPart', [uniform([3, 4])], { numLower: 3, numUpper: 4 }),
  opCase('int32', 'bandPart', [ints([3, 3], -9, 9)], { numLower: 1, numUpper: 0 }),
  // A where, not a product with a mask: NaN and ∞ outside the band become 0.
  opCase('NaN and Infinity outside the band become 0', 'bandPart', [values([2, 3], [1, NaN, Infinity, 4, 5, -Infinity])], { numLower: -1, numUpper: 0 }, { checkGradient: false }),

  opCase('rows of a [3,3]', 'gramSchmidt', [uniform([3, 3])]),
  opCase('rows of a [2,5]', 'gramSchmidt', [uniform([2, 5])]),
  opCase('a list of three [4] vectors', 'gramSchmidt', [uniform([4]), uniform([4]), uniform([4])]),

  ...[0, 1].flatMap((piece) => {
    const part = piece ? 'R' : 'Q';
    return [
      opCase(`${part} of a square [3,3]`, 'qr', [uniform([3, 3])], { piece }),
      opCase(`${part} of a tall [4,3]`, 'qr', [uniform([4, 3])], { piece }),
      opCase(`${part} of a tall [4,3], fullMatrices`, 'qr', [uniform([4, 3])], { piece, fullMatrices: true }),
      opCase(`${part} of a wide [3,5]`, 'qr', [uniform([3, 5])], { piece }),
      opCase(`${part} of a batch [2,3,3]`, 'qr', [uniform([2, 3, 3])], { piece }),
      // tfjs's batched path fails on thin Q (it reshapes Q to the input's shape).
      opCase(`${part} of a batch of tall [2,4,2]`, 'qr', [uniform([2, 4, 2])], { piece }),
      // Q of a [1,1] is [[1]] whatever the input: no gradient reaches it (the tape gives null).
      opCase(`${part} of a [1,1]`, 'qr', [uniform([1, 1], -1, 1, 0.1)], { piece }, { checkGradient: piece === 1 }),
      // NumPy's own example: R's diagonal −14, −175, −35 (tfjs gives +35, reflecting at the last row).
      opCase(`${part} of NumPy's [3,3] example`, 'qr', [values([3, 3], [12, -51, 4, 6, 167, -68, -4, 24, -41])], { piece }),
      // Nothing below any pivot: no reflection, Q = I and R = A whatever the diagonal's signs. QR's
      // signs jump when an entry below a pivot leaves 0, so no finite differences here.
      opCase(`${part} of an upper triangle: no reflections`, 'qr', [values([3, 3], [-2, 1, 0.5, 0, 3, -1, 0, 0, -1.5])], { piece }, { checkGradient: false }),
      opCase(`${part} of a matrix with a zero first column`, 'qr', [values([3, 2], [0, 1, 0, -2, 0, 3])], { piece }, { checkGradient: false }),
    ];
  }),

  opCase('the exact shape', 'ensureShape', [uniform([2, 3])], { expectedShape: [2, 3] }),
  opCase('-1 and null match any size', 'ensureShape', [uniform([2, 3, 4])], { expectedShape: [-1, 3, null] }),
  opCase('a scalar', 'ensureShape', [uniform([])], { expectedShape: [] }),
  opCase('int32', 'ensureShape', [ints([4], -9, 9)], { expectedShape: [null] }),

  opCase('[2,1,3] and [4,1]', 'broadcastArgs', [shapeOf([2, 1, 3]), shapeOf([4, 1])]),
  opCase('a size 0 against a 1', 'broadcastArgs', [shapeOf([0, 3]), shapeOf([1, 1, 3])]),
  opCase('a scalar\'s shape [] and [5,2]', 'broadcastArgs', [shapeOf([]), shapeOf([5, 2])]),

  ...['hannWindow', 'hammingWindow'].flatMap((op) => [
    opCase('length 1 is [1]', op as 'hannWindow', [], { windowLength: 1 }),
    opCase('length 2', op as 'hannWindow', [], { windowLength: 2 }),
    opCase('even length 8 is periodic', op as 'hannWindow', [], { windowLength: 8 }),
    // TensorFlow's period is length − 1 for odd lengths, periodic or not.
    opCase('odd length 7 is symmetric', op as 'hannWindow', [], { windowLength: 7 }),
    opCase('length 16', op as 'hannWindow', [], { windowLength: 16 }),
    opCase('symmetric length 6', op as 'hannWindow', [], { windowLength: 6, periodic: false }),
    opCase('length 0 is empty', op as 'hannWindow', [], { windowLength: 0 }),
  ]),

  opCase('[10] in frames of 4 every 2', 'frame', [uniform([10])], { frameLength: 4, frameStep: 2 }),
  opCase('padEnd: [10] in frames of 3 every 3, padded with 0.5', 'frame', [uniform([10])], { frameLength: 3, frameStep: 3, padEnd: true, value: 0.5 }),
  opCase('batched [2,7], frames of 3 every 2, padEnd', 'frame', [uniform([2, 7])], { frameLength: 3, frameStep: 2, padEnd: true }),
  opCase('a step longer than the frame skips samples', 'frame', [uniform([9])], { frameLength: 2, frameStep: 4 }),
  opCase('a signal shorter than a frame has no frames', 'frame', [uniform([2])], { frameLength: 3, frameStep: 1 }),
  opCase('padEnd with frames longer than the signal', 'frame', [uniform([3])], { frameLength: 5, frameStep: 2, padEnd: true }),
  opCase('int32 padded with -1', 'frame', [ints([7], -9, 9)], { frameLength: 4, frameStep: 3, padEnd: true, value: -1 }),
];
