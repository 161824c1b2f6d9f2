import {
  GradientTape, add, listBackends, matMul, registerBackend, runOp, setBackend, sum, tensor, tidy, variable, zeros,
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
