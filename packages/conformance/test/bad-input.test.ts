import {
  GradientTape, add, argMax, concat, fill, gather, less, listBackends, matMul, registerBackend, runOp, setBackend, sum, tensor, tidy,
  randomNormal, randomUniform, slice, variable, zeros,
} from '@perceptron/core';
import { expect } from 'vitest';
import { withoutFusedKernels } from '../src/backends.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { onBackend } from './support/on-backend.js';

// Errors say what was expected and what was given.
forEachBackend('bad input', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('add with shapes that do not broadcast names both shapes', () => tidy(() => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/add.*\[2,3\].*\[4\]/);
  }));

  test('matMul with mismatched inner dimensions names both shapes', () => tidy(() => {
    expect(() => matMul(zeros([2, 3]), zeros([4, 5]))).toThrow(/matMul.*\[2,3\].*\[4,5\]/);
    expect(() => matMul(zeros([3, 2]), zeros([3, 4]), true, true)).toThrow(/\[3,2\] \(transposed\).*\[3,4\] \(transposed\)/);
  }));

  test('an axis on a scalar is an error naming the op, on every backend alike', () => tidy(() => {
    const s = tensor(5);
    expect(() => gather(s, tensor([0], [1], 'int32'))).toThrow('gather: a scalar has no axis 0; expected a tensor of rank >= 1');
    expect(() => concat([s, s])).toThrow('concat: a scalar has no axis 0');
    expect(() => sum(s, 0)).toThrow('sum: a scalar has no axis 0');
    expect(() => argMax(s)).toThrow('argMax: a scalar has no axis 0');
  }));

  test('a fraction beside an int32 tensor is an error, not a silent truncation', () => tidy(() => {
    const ints = tensor([1, 2], [2], 'int32');
    expect(() => add(ints, 0.5)).toThrow('add: argument 1 holds 0.5, which is not an integer, beside an int32 tensor; cast that tensor to float32 first');
    expect(() => less(ints, [[0, 1.5]])).toThrow('less: argument 1 holds 1.5');
    expect(Array.from(add(ints, 3).dataSync())).toEqual([4, 5]);
  }));

  test('slice, concat and random draws name what is wrong', () => tidy(() => {
    const x = tensor([1, 2, 3]);
    expect(() => slice(x, [0, 0], [1, 1])).toThrow('slice: begin [0,0] and size [1,1] have more entries than shape [3] has dimensions');
    expect(() => concat([x, tensor([1], [1], 'int32')])).toThrow('concat: expected tensors of one dtype, got float32, int32');
    expect(() => randomUniform([-2])).toThrow('randomUniform: expected a shape of non-negative integers, got [-2]');
    expect(() => randomNormal([1.5])).toThrow('randomNormal: expected a shape of non-negative integers, got [1.5]');
  }));

  test('an unknown dtype is an error naming the op', () => {
    expect(() => tensor([1], undefined, 'float64' as never)).toThrow('tensor: unknown dtype "float64"; expected one of float32, int32, bool');
    expect(() => fill([2], 1, 'float64' as never)).toThrow('fill: unknown dtype "float64"');
  });

  test('GradientTape: sources and targets that are not tensors are errors, not gaps', () => tidy(() => {
    const x = tensor([1, 2]);
    const tape = new GradientTape({ persistent: true });
    expect(() => tape.watch(3 as never)).toThrow('GradientTape.watch: expected a tensor (or an array of them), got number');
    tape.watch(x);
    const y = tape.record(() => sum(x));
    expect(() => tape.gradient(y, [x, null] as never)).toThrow('GradientTape.gradient: expected each source to be a tensor, got null');
    expect(() => tape.gradient(y, { a: x, b: 5 } as never)).toThrow('GradientTape.gradient: expected each source to be a tensor, got number');
    expect(() => tape.gradient(3 as never, x)).toThrow('GradientTape.gradient: expected the target to be a tensor (or an array of them), got number');
    tape.dispose();
  }));

  test('setBackend with an unknown name lists the registered backends', async () => {
    const error = await setBackend('no-such-backend').then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/unknown backend 'no-such-backend'/);
    for (const { name } of listBackends()) expect(error?.message).toContain(name);
  });

  test('using a disposed tensor fails, naming the op and the tensor', () => {
    const x = tensor([1, 2, 3]);
    x.dispose();
    expect(() => add(x, 1)).toThrow(/add: tensor \d+ \(shape \[3\], float32\) has been disposed/);
    expect(() => x.dataSync()).toThrow(/dataSync: .* has been disposed/);
  });

  test('mixing tensors of two backends fails, naming both backends', async () => {
    const other = `${backend}-other`;
    if (!listBackends().some((b) => b.name === other)) {
      const base = await setBackend(backend);
      registerBackend(other, { create: () => withoutFusedKernels(base, other) });
    }
    const a = tensor([1, 2]);
    const b = await onBackend(other, () => tensor([3, 4]));
    expect(() => add(a, b)).toThrow(new RegExp(`add: an input lives on backend '${other}' but the active backend is '${backend}'`));
    a.dispose();
    b.dispose();
  });

  test('a gradient through an op without a gradient raises instead of returning null', () => tidy(() => {
    const x = variable([1, 2]);
    const tape = new GradientTape();
    const y = tape.record(() => sum(runOp({ name: 'gradientless', inputs: [x], shape: [2], dtype: 'float32', kernel: (b) => b.exp(x) })));
    expect(() => tape.gradient(y, x)).toThrow(/no gradient is registered for op 'gradientless'/);
    x.dispose();
  }));

  test('an op run while an async backend is still initialising says to await setBackend', async () => {
    const slow = `${backend}-slow`;
    const base = await setBackend(backend);
    const a = tensor([1, 2]);
    registerBackend(slow, { create: () => new Promise((resolve) => setTimeout(() => resolve(withoutFusedKernels(base, slow)), 20)) });
    const pending = setBackend(slow);
    try {
      expect(() => add(a, a)).toThrow(new RegExp(`Backend '${slow}' is still initialising: await setBackend\\('${slow}'\\) before running ops`));
    } finally {
      await pending;
      await setBackend(backend);
      a.dispose();
    }
  });
});

reportTally('bad-input');
