import { describe, it } from 'vitest';
import type { KernelTensor } from '@perceptron/core';
import type { NaiveHandle } from '../src/storage.js';
import { backend, expectValues, input } from './helpers.js';

/** Stores the transpose of each [rows, cols] matrix in a [batch, rows, cols] tensor. */
function transposed(x: KernelTensor<NaiveHandle>): KernelTensor<NaiveHandle> {
  return input(Array.from(backend.transpose(x, [0, 2, 1])), [x.shape[0], x.shape[2], x.shape[1]]);
}

describe('matMul', () => {
  // A = [[1, 2, 3],        B = [[ 7,  8],       A·B = [[ 58,  64],
  //      [4, 5, 6]]             [ 9, 10],              [139, 154]]
  //                             [11, 12]]
  const a = input([1, 2, 3, 4, 5, 6], [1, 2, 3]);
  const b = input([7, 8, 9, 10, 11, 12], [1, 3, 2]);
  const product = [58, 64, 139, 154];

  it('multiplies plain operands', () => {
    expectValues(backend.matMul(a, b, false, false), product);
  });

  it('reads a transposed A', () => {
    expectValues(backend.matMul(transposed(a), b, true, false), product);
  });

  it('reads a transposed B', () => {
    expectValues(backend.matMul(a, transposed(b), false, true), product);
  });

  it('reads both transposed', () => {
    expectValues(backend.matMul(transposed(a), transposed(b), true, true), product);
  });

  it('multiplies each batch entry separately', () => {
    // Batch 0: [[1, 2]] · [[1, 0], [0, 1]] = [[1, 2]];  batch 1: [[3, 4]] · [[0, 1], [1, 0]] = [[4, 3]].
    const left = input([1, 2, 3, 4], [2, 1, 2]);
    const right = input([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]);
    expectValues(backend.matMul(left, right, false, false), [1, 2, 4, 3]);
  });

  it('handles transposes with batch > 1 and non-square matrices', () => {
    // Batch 1 of `a2` is 2·A, so its product is 2·(A·B).
    const a2 = input([1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12], [2, 2, 3]);
    const b2 = input([7, 8, 9, 10, 11, 12, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const expected = [...product, ...product.map((v) => 2 * v)];
    expectValues(backend.matMul(transposed(a2), transposed(b2), true, true), expected);
    expectValues(backend.matMul(a2, transposed(b2), false, true), expected);
  });

  it('gives zeros for an empty inner dimension and nothing for an empty batch', () => {
    expectValues(backend.matMul(input([], [1, 2, 0]), input([], [1, 0, 2]), false, false), [0, 0, 0, 0]);
    expectValues(backend.matMul(input([], [0, 2, 3]), input([], [0, 3, 2]), false, false), []);
  });
});
