import * as pc from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// The errors of tfjs's array and reduction ops made of core's: each names the op, what it
// expected and what it was given, before any op it is made of could name itself.
forEachBackend('bad input (array ops)', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('reductions name their axes, ords and dtypes', () => pc.tidy(() => {
    const x = pc.zeros([2, 3]);
    expect(() => pc.logSumExp(x, 2)).toThrow('logSumExp: axis 2 is out of range for a tensor of rank 2');
    expect(() => pc.moments(pc.tensor([true], undefined, 'bool'))).toThrow('moments');
    expect(() => pc.norm(x, 3 as never)).toThrow('norm: ord 3 is not a vector norm; expected one of euclidean, 2, 1, Infinity, -Infinity');
    expect(() => pc.norm(x, 2, [0, 1])).toThrow('norm: ord 2 is not a matrix norm; expected one of euclidean, fro, 1, Infinity, -Infinity');
    expect(() => pc.norm(pc.zeros([2, 2, 2]), 1, [0, 1, 2])).toThrow('norm: axis [0,1,2] should name one axis (a vector norm) or two (a matrix norm)');
    expect(() => pc.norm(x, 1, [1, -1])).toThrow('norm: the matrix axes [1,-1] must differ');
    expect(() => pc.cumprod(x, 5)).toThrow('cumprod: axis 5 is out of range');
  }));

  test('addN, dot and outerProduct name the shapes they were given', () => pc.tidy(() => {
    expect(() => pc.addN([])).toThrow('addN: expected a non-empty list of tensors, got none');
    expect(() => pc.addN([pc.zeros([2]), pc.zeros([3])])).toThrow('addN: every tensor should have the shape and dtype of the first, [2] float32; tensor 1 is [3] float32');
    expect(() => pc.addN([pc.zeros([2]), pc.zeros([2], 'int32')])).toThrow('tensor 1 is [2] int32');
    expect(() => pc.dot(pc.zeros([2, 2, 2]), pc.zeros([2]))).toThrow('dot: expected two tensors of rank 1 or 2, got shapes [2,2,2] and [2]');
    expect(() => pc.dot(pc.zeros([2, 3]), pc.zeros([2]))).toThrow('dot: inner sizes differ: shapes [2,3] and [2] (expected 3 = 2)');
    expect(() => pc.outerProduct(pc.zeros([2, 1]), pc.zeros([2]))).toThrow('outerProduct: expected two vectors (rank 1), got shapes [2,1] and [2]');
  }));

  test('creation ops name their counts and shapes', () => {
    expect(() => pc.linspace(0, 1, 0)).toThrow('linspace: num must be a positive integer, got 0');
    expect(() => pc.linspace(0, Infinity, 3)).toThrow('linspace: start and stop must be finite, got 0 and Infinity');
    expect(() => pc.eye(-1)).toThrow('eye: numRows must be a non-negative integer, got -1');
    expect(() => pc.eye(2, 2.5)).toThrow('eye: numColumns must be a non-negative integer, got 2.5');
    expect(() => pc.eye(2, 2, [2, -1])).toThrow('eye: batchShape must be a list of non-negative integers, got [2,-1]');
    expect(() => pc.diag(pc.scalar(1))).toThrow('diag: expected a tensor of rank >= 1, got a scalar');
    expect(() => pc.meshgrid([1], [2], { indexing: 'yx' as never })).toThrow('meshgrid: indexing must be \'xy\' or \'ij\', got "yx"');
  });

  test('stridedSlice names the spec and the shape', () => pc.tidy(() => {
    const x = pc.zeros([3, 4]);
    const spec = '(shape [3,4], begin [0], end [1,2], strides [1])';
    expect(() => pc.stridedSlice(x, [0], [1, 2], [1])).toThrow(`stridedSlice: begin, end and strides must have the same length ${spec}`);
    expect(() => pc.stridedSlice(x, [0, 0], [1, 1], [1, 0])).toThrow('stridedSlice: strides[1] is 0');
    expect(() => pc.stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3)).toThrow('stridedSlice: only one ellipsis is allowed, ellipsisMask 3 sets 2');
    expect(() => pc.stridedSlice(x, [5], [6], [1], 0, 0, 0, 0, 1)).toThrow('stridedSlice: index 5 is out of range for axis 0 of size 3');
    expect(() => pc.stridedSlice(x, [1], [0], [-1], 0, 0, 0, 0, 1)).toThrow('stridedSlice: shrinkAxisMask takes one entry of axis 0, which needs a positive stride, got -1');
    expect(() => pc.stridedSlice(x, [0, 0, 0], [1, 1, 1])).toThrow('stridedSlice: the spec indexes 3 axes but the input has 2');
  }));

  test('mirrorPad, depthToSpace, spaceToBatchND and batchToSpaceND name their limits', () => pc.tidy(() => {
    const x = pc.zeros([3, 4]);
    expect(() => pc.mirrorPad(x, [[3, 0], [0, 0]], 'reflect')).toThrow("mirrorPad: paddings of axis 0 must be integers in [0, 2] in mode 'reflect' for shape [3,4], got [3, 0]");
    expect(() => pc.mirrorPad(x, [[0, 0], [0, 5]], 'symmetric')).toThrow("mirrorPad: paddings of axis 1 must be integers in [0, 4] in mode 'symmetric'");
    expect(() => pc.mirrorPad(x, [[1, 1]], 'reflect')).toThrow('mirrorPad: expected 2 [before, after] paddings for shape [3,4], got [[1,1]]');
    expect(() => pc.mirrorPad(x, [[1, 1], [1, 1]], 'edge' as never)).toThrow('mirrorPad: mode must be \'reflect\' or \'symmetric\', got "edge"');
    expect(() => pc.depthToSpace(pc.zeros([1, 2, 2, 6]), 2)).toThrow('depthToSpace: the 6 channels of shape [1,2,2,6] must be a multiple of blockSize² = 4');
    expect(() => pc.depthToSpace(pc.zeros([2, 2, 4]), 2)).toThrow('depthToSpace: expected x of rank 4, got shape [2,2,4]');
    expect(() => pc.depthToSpace(pc.zeros([1, 2, 2, 4]), 1)).toThrow('depthToSpace: blockSize must be an integer >= 2, got 1');
    expect(() => pc.spaceToBatchND(pc.zeros([1, 3, 4, 1]), [2, 2], [[0, 0], [0, 0]])).toThrow('spaceToBatchND: padded axis 1 of size 3 (shape [1,3,4,1], paddings [[0,0],[0,0]]) is not a multiple of block 2');
    expect(() => pc.spaceToBatchND(pc.zeros([1, 4]), [2, 2], [[0, 0], [0, 0]])).toThrow('spaceToBatchND: blockShape [2,2] needs x of rank >= 3, got shape [1,4]');
    expect(() => pc.spaceToBatchND(pc.zeros([1, 4, 4]), [2, 2], [[0, 0]])).toThrow('spaceToBatchND: paddings must be 2 pairs [before, after] of non-negative integers, got [[0,0]]');
    expect(() => pc.batchToSpaceND(pc.zeros([3, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]])).toThrow('batchToSpaceND: the batch of shape [3,2,2,1] must be a multiple of the block size 4 (blockShape [2,2])');
    expect(() => pc.batchToSpaceND(pc.zeros([4, 2, 2, 1]), [2, 2], [[3, 2], [0, 0]])).toThrow('batchToSpaceND: crops [3,2] of axis 1 exceed its size 4 (shape [4,2,2,1])');
  }));

  test('host-side ops name shapes, dtypes and the offending values', async () => {
    const int = (values: number[], shape?: number[]): pc.Tensor => pc.tensor(values, shape, 'int32');
    expect(() => pc.searchSorted([1, 2], [1], 'middle' as never)).toThrow('searchSorted: side must be \'left\' or \'right\', got "middle"');
    expect(() => pc.searchSorted(pc.zeros([2, 3]), pc.zeros([3, 1]))).toThrow('searchSorted: sortedSequence [2,3] and values [3,1] must have the same rank and leading dimensions');
    expect(() => pc.searchSorted(pc.scalar(1), pc.scalar(1))).toThrow('searchSorted: sortedSequence must have rank >= 1, got shape []');
    expect(() => pc.unique(pc.scalar(1))).toThrow('unique: expected a tensor of rank >= 1, got a scalar');
    expect(() => pc.unique(pc.zeros([2]), 1)).toThrow('unique: axis 1 is out of range for a tensor of rank 1');
    expect(() => pc.bincount(pc.zeros([3]), [], 2)).toThrow('bincount: x must be int32, got float32');
    expect(() => pc.bincount(int([1, -2]), [], 2)).toThrow('bincount: x must be non-negative, got -2 at flat index 1');
    expect(() => pc.bincount(int([1, 2]), [1, 2, 3], 2)).toThrow('bincount: weights must have the shape of x [2] or be empty, got [3]');
    expect(() => pc.denseBincount(int([1], [1, 1, 1]), [], 2)).toThrow('denseBincount: x must be 1-D or 2-D, got shape [1,1,1]');
    expect(() => pc.sparseToDense(int([0, 5], [1, 2]), [1], [2, 3])).toThrow('sparseToDense: index 0 [0,5] is out of bounds of outputShape [2,3]');
    expect(() => pc.sparseToDense(int([1, 1]), [1, 2], [3])).toThrow('sparseToDense: index 1 [1] repeats an earlier one');
    expect(() => pc.sparseToDense(int([0, 1]), [1, 2, 3], [3])).toThrow('sparseToDense: sparseValues must be a scalar or have 2 entries (one per index), got [3]');
    expect(() => pc.sparseToDense(int([0, 1], [1, 2]), [1], [3])).toThrow('sparseToDense: sparseIndices [1,2] address 2 dimensions but outputShape [3] has 1');
    await expect(pc.setdiff1dAsync(pc.zeros([2, 2]), [1])).rejects.toThrow('setdiff1dAsync: x and y must be 1-D, got shapes [2,2] and [1]');
    await expect(pc.booleanMaskAsync(pc.zeros([2, 3]), pc.tensor([true, false, true], undefined, 'bool'))).rejects.toThrow('booleanMaskAsync: mask [3] must match the dimensions of x [2,3] from axis 0');
    await expect(pc.booleanMaskAsync(pc.zeros([2]), [1, 0])).rejects.toThrow('booleanMaskAsync: mask must be bool, got float32');
  });
});

reportTally('bad input (array ops)');
