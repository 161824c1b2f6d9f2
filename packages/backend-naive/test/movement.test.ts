import { describe, expect, it } from 'vitest';
import { backend, expectValues, input } from './helpers.js';

// [[1, 2, 3],
//  [4, 5, 6]]
const m = input([1, 2, 3, 4, 5, 6], [2, 3]);

describe('reshape', () => {
  it('keeps the values in row-major order, sharing the immutable storage', () => {
    const reshaped = backend.reshape(m, [3, 2]);
    expect(reshaped).toBe(m.handle);
    expectValues(reshaped, [1, 2, 3, 4, 5, 6]);
  });
});

describe('transpose', () => {
  it('swaps the axes of a matrix', () => {
    expectValues(backend.transpose(m, [1, 0]), [1, 4, 2, 5, 3, 6]);
  });

  it('permutes rank 3', () => {
    // x[i][j][k] = 100i + 10j + k for shape [2, 3, 2]; out[k][i][j] = x[i][j][k].
    const values = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
    const x = input(values, [2, 3, 2]);
    expectValues(backend.transpose(x, [2, 0, 1]), [0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121]);
  });

  it('keeps dtype and handles empty tensors', () => {
    expectValues(backend.transpose(input([1, 2], [1, 2], 'int32'), [1, 0]), [1, 2], 'int32');
    expectValues(backend.transpose(input([], [0, 3]), [1, 0]), []);
  });
});

describe('slice', () => {
  it('copies a box', () => {
    expectValues(backend.slice(m, [0, 1], [2, 2]), [2, 3, 5, 6]);
    expectValues(backend.slice(m, [1, 0], [1, 3]), [4, 5, 6]);
    expectValues(backend.slice(m, [1, 2], [1, 1]), [6]);
  });

  it('can be empty', () => {
    expectValues(backend.slice(m, [1, 1], [1, 0]), []);
  });

  it('copies runs of whole rows, and boxes that only look like them, correctly', () => {
    const cube = input(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    expectValues(backend.slice(cube, [1, 0, 0], [1, 3, 4]), Array.from({ length: 12 }, (_, i) => 12 + i)); // one sample
    expectValues(backend.slice(cube, [0, 1, 0], [1, 2, 4]), [4, 5, 6, 7, 8, 9, 10, 11]); // rows of one sample
    expectValues(backend.slice(cube, [0, 1, 0], [2, 1, 4]), [4, 5, 6, 7, 16, 17, 18, 19]); // not adjacent
  });
});

describe('concat', () => {
  it('joins along the first axis', () => {
    expectValues(backend.concat([m, input([7, 8, 9], [1, 3])], 0), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('joins along the last axis, interleaving rows', () => {
    const right = input([7, 8, 9, 10], [2, 2]);
    expectValues(backend.concat([m, right], 1), [1, 2, 3, 7, 8, 4, 5, 6, 9, 10]);
  });

  it('joins three inputs, skipping empty ones, keeping dtype', () => {
    const a = input([1, 2], [2, 1], 'int32');
    const empty = input([], [2, 0], 'int32');
    const b = input([3, 4, 5, 6], [2, 2], 'int32');
    expectValues(backend.concat([a, empty, b], 1), [1, 3, 4, 2, 5, 6], 'int32');
  });
});

describe('pad', () => {
  it('surrounds the input with the value', () => {
    expectValues(backend.pad(input([1, 2, 3, 4], [2, 2]), [[1, 0], [0, 2]], -1), [
      -1, -1, -1, -1,
      1, 2, -1, -1,
      3, 4, -1, -1,
    ]);
  });

  it('pads rank 1 and an empty tensor', () => {
    expectValues(backend.pad(input([5], [1], 'int32'), [[2, 1]], 0), [0, 0, 5, 0], 'int32');
    expectValues(backend.pad(input([], [0]), [[1, 1]], 7), [7, 7]);
  });
});

describe('broadcastTo', () => {
  it('repeats size-1 dimensions', () => {
    expectValues(backend.broadcastTo(input([1, 2], [2, 1]), [2, 3]), [1, 1, 1, 2, 2, 2]);
    expectValues(backend.broadcastTo(input([1, 2, 3], [1, 3]), [2, 3]), [1, 2, 3, 1, 2, 3]);
    expectValues(backend.broadcastTo(input([7], [1, 1]), [2, 2]), [7, 7, 7, 7]);
  });

  it('copies when the shape already matches', () => {
    const out = backend.broadcastTo(m, [2, 3]);
    expect(out).not.toBe(m.handle);
    expectValues(out, [1, 2, 3, 4, 5, 6]);
  });
});
