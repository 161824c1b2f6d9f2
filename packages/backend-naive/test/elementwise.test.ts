import { describe, expect, it } from 'vitest';
import { backend, expectClose, expectValues, input } from './helpers.js';

describe('unary kernels', () => {
  const x = input([-2, -0.5, 0, 1.5], [2, 2]);

  it('neg, abs, sign, square, relu', () => {
    expectValues(backend.neg(x), [2, 0.5, -0, -1.5]);
    expectValues(backend.abs(x), [2, 0.5, 0, 1.5]);
    expectValues(backend.sign(x), [-1, -1, 0, 1]);
    expectValues(backend.square(x), [4, 0.25, 0, 2.25]);
    expectValues(backend.relu(x), [0, 0, 0, 1.5]);
  });

  it('exp, log, sqrt', () => {
    expectClose(backend.exp(x), [Math.exp(-2), Math.exp(-0.5), 1, Math.exp(1.5)]);
    expectClose(backend.log(input([1, Math.E, 4], [3])), [0, 1, Math.log(4)]);
    expectValues(backend.sqrt(input([0, 4, 9, 2.25], [4])), [0, 2, 3, 1.5]);
    expect(backend.log(input([0, -1], [2]))).toEqual(new Float32Array([-Infinity, NaN]));
  });

  it('sigmoid and tanh, including extreme inputs that must not overflow', () => {
    expectClose(backend.sigmoid(x), [1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 0.5, 1 / (1 + Math.exp(-1.5))]);
    expectValues(backend.sigmoid(input([-1000, 1000], [2])), [0, 1]);
    expectClose(backend.tanh(x), [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1.5)]);
  });

  it('keep int32 dtype and shape', () => {
    const ints = input([-3, 0, 4], [3], 'int32');
    expectValues(backend.neg(ints), [3, 0, -4], 'int32');
    expectValues(backend.square(ints), [9, 0, 16], 'int32');
    expectValues(backend.sqrt(input([10], [1], 'int32')), [3], 'int32');
  });

  it('never write into their input', () => {
    backend.neg(x);
    expectValues(x.handle, [-2, -0.5, 0, 1.5]);
  });
});

describe('binary kernels', () => {
  const a = input([1, 2, 3, 4, 5, 6], [2, 3]);

  it('arithmetic on equal shapes', () => {
    const b = input([6, 5, 4, 3, 2, 1], [2, 3]);
    expectValues(backend.add(a, b, [2, 3]), [7, 7, 7, 7, 7, 7]);
    expectValues(backend.sub(a, b, [2, 3]), [-5, -3, -1, 1, 3, 5]);
    expectValues(backend.mul(a, b, [2, 3]), [6, 10, 12, 12, 10, 6]);
    expectClose(backend.div(a, b, [2, 3]), [1 / 6, 2 / 5, 3 / 4, 4 / 3, 5 / 2, 6]);
    expectValues(backend.pow(a, b, [2, 3]), [1, 32, 81, 64, 25, 6]);
    expectValues(backend.maximum(a, b, [2, 3]), [6, 5, 4, 4, 5, 6]);
    expectValues(backend.minimum(a, b, [2, 3]), [1, 2, 3, 3, 2, 1]);
  });

  it('comparisons give bool', () => {
    const b = input([3, 3, 3, 3, 3, 3], [2, 3]);
    expectValues(backend.equal(a, b, [2, 3]), [0, 0, 1, 0, 0, 0], 'bool');
    expectValues(backend.notEqual(a, b, [2, 3]), [1, 1, 0, 1, 1, 1], 'bool');
    expectValues(backend.less(a, b, [2, 3]), [1, 1, 0, 0, 0, 0], 'bool');
    expectValues(backend.lessEqual(a, b, [2, 3]), [1, 1, 1, 0, 0, 0], 'bool');
    expectValues(backend.greater(a, b, [2, 3]), [0, 0, 0, 1, 1, 1], 'bool');
    expectValues(backend.greaterEqual(a, b, [2, 3]), [0, 0, 1, 1, 1, 1], 'bool');
    const ints = input([1, 2], [2], 'int32');
    expectValues(backend.less(ints, input([2, 2], [2], 'int32'), [2]), [1, 0], 'bool');
  });

  it('broadcasts a row [3] over [2, 3]', () => {
    const row = input([10, 20, 30], [3]);
    expectValues(backend.add(a, row, [2, 3]), [11, 22, 33, 14, 25, 36]);
    expectValues(backend.sub(row, a, [2, 3]), [9, 18, 27, 6, 15, 24]);
  });

  it('broadcasts a column [2, 1] against a row [1, 3] to [2, 3]', () => {
    const column = input([1, 2], [2, 1]);
    const row = input([10, 20, 30], [1, 3]);
    expectValues(backend.mul(column, row, [2, 3]), [10, 20, 30, 20, 40, 60]);
    expectValues(backend.greater(row, input([15, 25], [2, 1]), [2, 3]), [0, 1, 1, 0, 0, 1], 'bool');
  });

  it('broadcasts a scalar [] over [2, 2], on either side', () => {
    const square = input([1, 2, 3, 4], [2, 2]);
    const two = input([2], []);
    expectValues(backend.pow(square, two, [2, 2]), [1, 4, 9, 16]);
    expectValues(backend.sub(two, square, [2, 2]), [1, 0, -1, -2]);
  });

  it('int32 div floors towards negative infinity', () => {
    const n = input([7, -7, 7, -7, 6], [5], 'int32');
    const d = input([2, 2, -2, -2, 3], [5], 'int32');
    expectValues(backend.div(n, d, [5]), [3, -4, -4, 3, 2], 'int32');
  });

  it('float div does not floor', () => {
    expectValues(backend.div(input([-7], [1]), input([2], [1]), [1]), [-3.5]);
  });

  it('int32 arithmetic keeps int32', () => {
    const n = input([7, -3], [2], 'int32');
    expectValues(backend.add(n, input([1], [1], 'int32'), [2]), [8, -2], 'int32');
    expectValues(backend.pow(n, input([2], [], 'int32'), [2]), [49, 9], 'int32');
  });

  it('arithmetic on bool keeps values 0/1 (add acts as or, mul as and)', () => {
    const p = input([0, 0, 1, 1], [4], 'bool');
    const q = input([0, 1, 0, 1], [4], 'bool');
    expectValues(backend.add(p, q, [4]), [0, 1, 1, 1], 'bool');
    expectValues(backend.mul(p, q, [4]), [0, 0, 0, 1], 'bool');
    expectValues(backend.sub(p, q, [4]), [0, 1, 1, 0], 'bool');
  });

  it('produce empty outputs for a dimension of 0', () => {
    const empty = input([], [0, 3]);
    expectValues(backend.add(empty, input([1, 2, 3], [3]), [0, 3]), []);
    expectValues(backend.equal(empty, empty, [0, 3]), [], 'bool');
  });
});

describe('where', () => {
  it('picks from a where the condition holds, else from b, with broadcasting', () => {
    const condition = input([1, 0, 1], [3], 'bool');
    const a = input([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = input([-1], []);
    expectValues(backend.where(condition, a, b, [2, 3]), [1, -1, 3, 4, -1, 6]);
  });

  it("keeps a's dtype", () => {
    const condition = input([0, 1], [2, 1], 'bool');
    const a = input([7, 8], [1, 2], 'int32');
    const b = input([0, 0], [1, 2], 'int32');
    expectValues(backend.where(condition, a, b, [2, 2]), [0, 0, 7, 8], 'int32');
  });
});

describe('cast', () => {
  it('float32 → int32 truncates towards zero', () => {
    expectValues(backend.cast(input([1.7, -1.7, 2.5, -0.2], [4]), 'int32'), [1, -1, 2, 0], 'int32');
  });

  it('anything → bool is x != 0', () => {
    expectValues(backend.cast(input([0, 0.1, -3, NaN], [4]), 'bool'), [0, 1, 1, 1], 'bool');
    expectValues(backend.cast(input([0, 5, -1], [3], 'int32'), 'bool'), [0, 1, 1], 'bool');
  });

  it('bool → numbers is 0/1, int32 → float32 is exact', () => {
    const flags = input([1, 0, 1], [3], 'bool');
    expectValues(backend.cast(flags, 'float32'), [1, 0, 1]);
    expectValues(backend.cast(flags, 'int32'), [1, 0, 1], 'int32');
    expectValues(backend.cast(input([-5, 16777216], [2], 'int32'), 'float32'), [-5, 16777216]);
  });

  it('to the same dtype copies', () => {
    const x = input([1.5], [1]);
    const copy = backend.cast(x, 'float32');
    expect(copy).not.toBe(x.handle);
    expectValues(copy, [1.5]);
  });
});
