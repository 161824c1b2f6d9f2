import { describe, expect, it } from 'vitest';
import { backend, expectValues, input } from './helpers.js';

describe('sum, max, min', () => {
  // [[[ 1,  2,  3],
  //   [ 4,  5,  6]],
  //  [[ 7,  8,  9],
  //   [10, 11, 12]]]
  const x = input([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);

  it('reduce one axis', () => {
    expectValues(backend.sum(x, [0]), [8, 10, 12, 14, 16, 18]);
    expectValues(backend.sum(x, [1]), [5, 7, 9, 17, 19, 21]);
    expectValues(backend.sum(x, [2]), [6, 15, 24, 33]);
    expectValues(backend.max(x, [1]), [4, 5, 6, 10, 11, 12]);
    expectValues(backend.min(x, [2]), [1, 4, 7, 10]);
  });

  it('reduce several axes, adjacent or not', () => {
    expectValues(backend.sum(x, [0, 2]), [30, 48]);
    expectValues(backend.sum(x, [1, 2]), [21, 57]);
    expectValues(backend.max(x, [0, 1]), [10, 11, 12]);
    expectValues(backend.min(x, [0, 2]), [1, 4]);
  });

  it('reduce all axes to a scalar', () => {
    expectValues(backend.sum(x, [0, 1, 2]), [78]);
    expectValues(backend.max(x, [0, 1, 2]), [12]);
    expectValues(backend.min(input([3, -2, 5], [3]), [0]), [-2]);
  });

  it('copy when no axis is given', () => {
    const copy = backend.sum(x, []);
    expect(copy).not.toBe(x.handle);
    expectValues(copy, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('keep int32 dtype', () => {
    const ints = input([1, -2, 3, 4], [2, 2], 'int32');
    expectValues(backend.sum(ints, [1]), [-1, 7], 'int32');
    expectValues(backend.max(ints, [0]), [3, 4], 'int32');
    expectValues(backend.min(ints, [0, 1]), [-2], 'int32');
  });

  it('propagate NaN through max and min', () => {
    const withNaN = input([1, NaN, 3], [3]);
    expect(backend.max(withNaN, [0])[0]).toBeNaN();
    expect(backend.min(withNaN, [0])[0]).toBeNaN();
  });

  it('handle empty tensors: empty output, or the identity for an empty reduction', () => {
    const empty = input([], [0, 3]);
    expectValues(backend.sum(empty, [1]), []);
    expectValues(backend.sum(empty, [0]), [0, 0, 0]);
    expectValues(backend.max(empty, [0]), [-Infinity, -Infinity, -Infinity]);
  });
});

describe('argMax', () => {
  it('gives the int32 index of the largest value along an axis', () => {
    const x = input([1, 9, 3, 8, 2, 7], [2, 3]);
    expectValues(backend.argMax(x, 1), [1, 0], 'int32');
    expectValues(backend.argMax(x, 0), [1, 0, 1], 'int32');
  });

  it('picks the first index on ties', () => {
    expectValues(backend.argMax(input([2, 5, 5, 1], [4]), 0), [1], 'int32');
  });

  it('works on a middle axis', () => {
    // Shape [2, 3, 2]; along axis 1 the columns are [1,5,3] [6,2,4] [0,0,-1] [7,7,9].
    const x = input([1, 6, 5, 2, 3, 4, 0, 7, 0, 7, -1, 9], [2, 3, 2]);
    expectValues(backend.argMax(x, 1), [1, 0, 0, 2], 'int32');
  });
});
