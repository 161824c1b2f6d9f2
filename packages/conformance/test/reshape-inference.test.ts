import { reshape, tensor, tidy, zeros } from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { valuesOf } from './support/values.js';

// reshape's -1: inferred from the element count, refused beside a 0 (where any size would fit),
// on every backend. Every test runs in tidy.

forEachBackend('reshape with -1', (backend) => {
  const test = (title: string, body: () => void): void => backendIt(backend, title, () => tidy(body));

  test('infers -1 as the element count over the product of the other dimensions', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const y = reshape(x, [-1, 2]);
    expect(y.shape).toEqual([12 / 2, 2]);
    expect(valuesOf(y)).toEqual(valuesOf(x));
    expect(reshape(x, [3, -1, 2]).shape).toEqual([3, 12 / (3 * 2), 2]);
  });

  test('infers 0 for an empty tensor when the other dimensions are non-zero', () => {
    expect(reshape(zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3]);
    expect(reshape(zeros([0, 3]), [3, -1]).shape).toEqual([3, 0]);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
  });

  test('refuses -1 beside a 0: for an empty tensor any size fits, naming the op and both shapes', () => {
    expect(() => reshape(zeros([0, 3]), [-1, 0])).toThrow(
      'reshape: cannot infer the -1 in [-1,0] for a tensor of shape [0,3]: the other dimensions multiply to 0',
    );
    expect(() => reshape(zeros([0, 3]), [0, -1])).toThrow('reshape: cannot infer the -1 in [0,-1] for a tensor of shape [0,3]');
    expect(() => reshape(zeros([2, 3]), [-1, 0])).toThrow('reshape: cannot infer the -1 in [-1,0] for a tensor of shape [2,3]');
  });

  test('still rejects sizes that do not match and malformed shapes', () => {
    expect(() => reshape(zeros([2, 3]), [4, -1])).toThrow('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4,-1]');
    expect(() => reshape(zeros([2, 3]), [-1, -1])).toThrow('reshape: invalid target shape [-1,-1]');
  });
});

reportTally('reshape-inference');
