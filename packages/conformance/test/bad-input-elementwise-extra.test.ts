import * as core from '@perceptron/core';
import { tensor, tidy, zeros } from '@perceptron/core';
import { expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// The composite elementwise ops check their operands before any op inside them runs, so an
// error names the op called (not the div or sqrt it is made of), what it expected and what it got.

const FLOAT_ONLY = ['reciprocal', 'rsqrt', 'expm1', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'elu', 'selu', 'leakyRelu', 'logSigmoid'] as const;
const FLOAT_OR_INT32 = ['step', 'isNaN', 'isInf', 'isFinite', 'relu6'] as const;
const BINARY = ['squaredDifference', 'divNoNan', 'atan2', 'prelu'] as const;

forEachBackend('bad input (elementwise extras)', (backend) => {
  const test = (title: string, body: () => void): void => backendIt(backend, title, () => tidy(body));
  const bools = (): core.Tensor => tensor([1, 0], [2], 'bool');
  const ints = (): core.Tensor => tensor([1, 2], [2], 'int32');

  test('float-only ops name themselves and the dtype given', () => {
    for (const op of FLOAT_ONLY) {
      const run = core[op] as (x: core.Tensor) => core.Tensor;
      expect(() => run(ints())).toThrow(`${op}: expected a float32 tensor, got int32 [2]; cast it first`);
      expect(() => run(bools())).toThrow(`${op}: expected a float32 tensor, got bool [2]; cast it first`);
    }
  });

  test('ops that take int32 still refuse bool', () => {
    for (const op of FLOAT_OR_INT32) {
      const run = core[op] as (x: core.Tensor) => core.Tensor;
      expect(() => run(bools())).toThrow(`${op}: expected a float32 or int32 tensor, got bool [2]; cast it first`);
    }
  });

  test('binary ops name both shapes that cannot broadcast, and mixed dtypes', () => {
    for (const op of BINARY) {
      const run = core[op] as (a: core.Tensor, b: core.Tensor) => core.Tensor;
      expect(() => run(zeros([2, 3]), zeros([4]))).toThrow(`${op}: shapes [2,3] and [4] cannot be broadcast together (dimension 1 of the broadcast result: 3 vs 4)`);
      expect(() => run(zeros([2]), ints())).toThrow(`${op}: operands must share a dtype, got float32 [2] and int32 [2]; cast one first`);
    }
    expect(() => core.atan2(ints(), ints())).toThrow('atan2: expected a float32 tensor, got int32 [2]; cast it first');
    expect(() => core.divNoNan(bools(), bools())).toThrow('divNoNan: expected a float32 or int32 tensor, got bool [2]; cast it first');
  });

  test('a disposed tensor is named by the op', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(() => core.atanh(x)).toThrow(/atanh/);
    expect(() => core.divNoNan(x, x)).toThrow(/divNoNan/);
  });
});

reportTally('bad input (elementwise extras)');
