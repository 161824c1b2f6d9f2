import { describe, it } from 'vitest';
import { backend, expectValues, input } from './helpers.js';

// [[1, 2, 3],
//  [4, 5, 6],
//  [7, 8, 9]]
const x = input([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);

describe('gather', () => {
  it('picks rows along axis 0, repeating and reordering', () => {
    expectValues(backend.gather(x, input([2, 0, 2], [3], 'int32'), 0), [7, 8, 9, 1, 2, 3, 7, 8, 9]);
  });

  it('picks columns along axis 1', () => {
    expectValues(backend.gather(x, input([1], [1], 'int32'), 1), [2, 5, 8]);
  });

  it('puts the indices shape in place of the axis', () => {
    // Output shape [3] + [2, 2] = [3, 2, 2]: each row of x indexed by [[0, 2], [1, 1]].
    const indices = input([0, 2, 1, 1], [2, 2], 'int32');
    expectValues(backend.gather(x, indices, 1), [1, 3, 2, 2, 4, 6, 5, 5, 7, 9, 8, 8]);
  });

  it('keeps dtype and allows no indices', () => {
    expectValues(backend.gather(input([5, 6], [2], 'int32'), input([1, 1], [2], 'int32'), 0), [6, 6], 'int32');
    expectValues(backend.gather(x, input([], [0], 'int32'), 0), []);
  });
});

describe('unsortedSegmentSum', () => {
  it('sums rows into their segments, leaving empty segments at 0', () => {
    const ids = input([1, 0, 1], [3], 'int32');
    expectValues(backend.unsortedSegmentSum(x, ids, 3), [4, 5, 6, 8, 10, 12, 0, 0, 0]);
  });

  it('ignores ids outside [0, numSegments)', () => {
    const ids = input([0, -1, 2], [3], 'int32');
    expectValues(backend.unsortedSegmentSum(x, ids, 2), [1, 2, 3, 0, 0, 0]);
  });

  it('takes ids covering several leading dimensions', () => {
    // x as [2, 2, 2] with ids [[0, 1], [1, 1]]: rows [1,2] → 0; [3,4] + [5,6] + [7,8] → 1.
    const cube = input([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const ids = input([0, 1, 1, 1], [2, 2], 'int32');
    expectValues(backend.unsortedSegmentSum(cube, ids, 2), [1, 2, 15, 18]);
  });

  it('is the gradient of gather: the round trip counts how often each row was picked', () => {
    const indices = input([2, 0, 2], [3], 'int32');
    const picked = backend.gather(x, indices, 0);
    const back = backend.unsortedSegmentSum(input(Array.from(picked), [3, 3]), indices, 3);
    expectValues(back, [1, 2, 3, 0, 0, 0, 14, 16, 18]);
  });

  it('keeps int32 dtype', () => {
    const ids = input([0, 0], [2], 'int32');
    expectValues(backend.unsortedSegmentSum(input([3, -5], [2], 'int32'), ids, 1), [-2], 'int32');
  });
});

describe('oneHot', () => {
  it('sets onValue at each index, offValue elsewhere, as float32', () => {
    expectValues(backend.oneHot(input([0, 2], [2], 'int32'), 3, 1, 0), [1, 0, 0, 0, 0, 1]);
  });

  it('gives a row of offValue for an out-of-range index', () => {
    expectValues(backend.oneHot(input([3, -1, 1], [3], 'int32'), 3, 5, -1), [-1, -1, -1, -1, -1, -1, -1, 5, -1]);
  });

  it('appends depth to a multi-dimensional indices shape', () => {
    expectValues(backend.oneHot(input([1, 0, 0, 1], [2, 2], 'int32'), 2, 1, 0), [0, 1, 1, 0, 1, 0, 0, 1]);
  });
});
