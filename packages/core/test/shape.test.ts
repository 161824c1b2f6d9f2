import { describe, expect, it } from 'vitest';
import { broadcastedAxes, broadcastShapes, normalizeAxes, stridesOf } from '../src/util/shape.js';

describe('broadcastShapes', () => {
  it('aligns trailing dimensions and expands 1s', () => {
    expect(broadcastShapes('add', [2, 3], [3])).toEqual([2, 3]);
    expect(broadcastShapes('add', [2, 1], [1, 3])).toEqual([2, 3]);
    expect(broadcastShapes('add', [], [4, 5])).toEqual([4, 5]);
    expect(broadcastShapes('add', [0, 1], [1, 7])).toEqual([0, 7]);
  });

  it('names the op and both shapes when they cannot broadcast', () => {
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow('add: shapes [2,3] and [4] cannot be broadcast together');
  });
});

describe('broadcastedAxes', () => {
  it('lists the axes a smaller shape was stretched along', () => {
    expect(broadcastedAxes([3], [2, 3])).toEqual([0]);
    expect(broadcastedAxes([2, 1], [2, 5])).toEqual([1]);
    expect(broadcastedAxes([], [1, 1])).toEqual([0, 1]);
    expect(broadcastedAxes([2, 5], [2, 5])).toEqual([]);
  });
});

describe('axes', () => {
  it('normalises negative axes, sorts and rejects repeats or out-of-range values', () => {
    expect(normalizeAxes('sum', [-1, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes('sum', undefined, 2)).toEqual([0, 1]);
    expect(() => normalizeAxes('sum', [0, -3], 3)).toThrow('repeats');
    expect(() => normalizeAxes('sum', 3, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 3');
  });

  it('computes row-major strides', () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
});
