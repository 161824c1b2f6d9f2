import { opCase } from './case.js';
import { ints, uniform } from './inputs.js';
import type { Attrs, OpCase } from './types.js';

const sliced = (id: string, shape: number[], stridedSlice: NonNullable<Attrs['stridedSlice']>): OpCase =>
  opCase(id, 'stridedSlice', [uniform(shape)], { stridedSlice });

/** linspace, eye, diag, meshgrid, stridedSlice, mirrorPad, depthToSpace, spaceToBatchND, batchToSpaceND. */
export const ARRAY_MOVEMENT_EXTRA_CASES: OpCase[] = [
  opCase('0 to 1 in 5', 'linspace', [], { start: 0, stop: 1, num: 5 }),
  opCase('-3.7 to 2.2 in 7', 'linspace', [], { start: -3.7, stop: 2.2, num: 7 }),
  opCase('descending 10 to -10 in 11', 'linspace', [], { start: 10, stop: -10, num: 11 }),
  opCase('one value is start', 'linspace', [], { start: 4, stop: 9, num: 1 }),
  opCase('3×3', 'eye', [], { num: 3 }),
  opCase('2×4 in a batch [2,1]', 'eye', [], { num: 2, numColumns: 4, batchShape: [2, 1] }),
  opCase('4×2 int32', 'eye', [], { num: 4, numColumns: 2, dtype: 'int32' }),

  opCase('a vector', 'diag', [uniform([4])]),
  opCase('a [2,3] matrix', 'diag', [uniform([2, 3])]),
  opCase('int32', 'diag', [ints([3], -9, 9)]),
  opCase('xy', 'meshgrid', [uniform([3]), uniform([4])]),
  opCase('ij', 'meshgrid', [uniform([3]), uniform([4])], { indexing: 'ij' }),
  opCase('a [2,2] x is flattened', 'meshgrid', [uniform([2, 2]), uniform([3])]),

  sliced('plain range', [5, 4], { begin: [1, 0], end: [4, 3] }),
  sliced('strides 2 and 3', [7, 8], { begin: [0, 1], end: [7, 8], strides: [2, 3] }),
  sliced('negative stride reverses', [6, 3], { begin: [-1, 0], end: [-7, 3], strides: [-2, 1] }),
  sliced('negative begin and end', [6, 5], { begin: [-4, -3], end: [-1, -1] }),
  sliced('begin and end masks', [5, 6], { begin: [3, 4], end: [1, 1], strides: [1, -1], beginMask: 1, endMask: 2 }),
  sliced('end beyond the axis is clamped', [4, 3], { begin: [1, -10], end: [100, 10] }),
  sliced('empty: begin past end', [4, 3], { begin: [3, 0], end: [1, 3] }),
  sliced('shrink axis 0', [4, 3], { begin: [2, 0], end: [3, 3], shrinkAxisMask: 1 }),
  sliced('shrink a negative index', [4, 5], { begin: [0, -2], end: [4, 0], shrinkAxisMask: 2, endMask: 0 }),
  sliced('new axis in front', [3, 4], { begin: [0, 1, 0], end: [0, 3, 4], newAxisMask: 1 }),
  sliced('ellipsis then a strided last axis', [2, 3, 6], { begin: [0, 1], end: [0, 6], strides: [1, 2], ellipsisMask: 1 }),
  sliced('axis, ellipsis, new axis, shrink', [4, 2, 3, 5], { begin: [1, 0, 0, 3], end: [4, 0, 0, 4], strides: [2, 1, 1, 1], ellipsisMask: 2, newAxisMask: 4, shrinkAxisMask: 8 }),
  sliced('spec shorter than rank: the rest whole', [3, 4, 2], { begin: [1], end: [3] }),
  sliced('new axis bit on the ellipsis is the ellipsis', [2, 3], { begin: [0, 1], end: [0, 3], ellipsisMask: 1, newAxisMask: 1 }),

  ...(['reflect', 'symmetric'] as const).flatMap((mode) => [
    opCase(`${mode} [1,2] and [2,0]`, 'mirrorPad', [uniform([3, 4])], { paddings: [[1, 2], [2, 0]], mode }),
    opCase(`${mode}, rank 3 at the limit`, 'mirrorPad', [uniform([2, 3, 2])], { paddings: mode === 'reflect' ? [[1, 1], [2, 2], [0, 1]] : [[2, 2], [3, 1], [1, 2]], mode }),
  ]),
  opCase('reflect int32', 'mirrorPad', [ints([4], -9, 9)], { paddings: [[3, 2]], mode: 'reflect' }),

  opCase('block 2 NHWC', 'depthToSpace', [uniform([2, 2, 3, 8])], { blockSize: 2 }),
  opCase('block 3 NHWC, one channel', 'depthToSpace', [uniform([1, 2, 2, 9])], { blockSize: 3 }),
  opCase('block 2 NCHW', 'depthToSpace', [uniform([1, 8, 2, 3])], { blockSize: 2, dataFormat: 'NCHW' }),
  opCase('2-D blocks [2,3], padded', 'spaceToBatchND', [uniform([2, 3, 4, 2])], { blockShape: [2, 3], paddings: [[1, 0], [1, 1]] }),
  opCase('1-D block 2, no padding', 'spaceToBatchND', [uniform([1, 4, 3])], { blockShape: [2], paddings: [[0, 0]] }),
  opCase('2-D blocks [2,2], cropped', 'batchToSpaceND', [uniform([8, 2, 3, 1])], { blockShape: [2, 2], crops: [[1, 0], [0, 2]] }),
  opCase('1-D block 3, rank 4', 'batchToSpaceND', [uniform([6, 2, 2, 2])], { blockShape: [3], crops: [[1, 2]] }),
];
