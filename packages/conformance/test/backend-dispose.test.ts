// disposeBackend on every backend: it refuses while a tensor lives there, and once none does it
// frees the backend (simd's helper threads, tfjs's backend with its memory), after which
// setBackend makes a fresh instance that computes the same values.
import {
  dispose, disposeBackend, getBackend, getBackendName, matMul, setBackend, variable,
} from '@perceptron/core';
import { expect } from 'vitest';
import { exactProductExpected, exactProductOnBackend } from '../src/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

forEachBackend('disposeBackend', (backend) => {
  backendIt(backend, 'frees the backend once no tensor lives on it; setBackend then makes a fresh one that computes the same product', async () => {
    const expected = exactProductExpected();
    const first = getBackend();
    expect(exactProductOnBackend()).toEqual(expected);
    disposeBackend(backend);
    expect(getBackendName()).toBeNull();
    const second = await setBackend(backend);
    expect(second).not.toBe(first);
    expect(exactProductOnBackend()).toEqual(expected);
  });

  backendIt(backend, 'refuses while a variable lives on it, naming how many tensors, and the backend keeps computing', () => {
    const weights = variable([[1, 2], [3, 4]]);
    const first = getBackend();
    expect(() => disposeBackend(backend)).toThrow(`disposeBackend: 1 tensor (variables included) still live on backend '${backend}'`);
    expect(getBackend()).toBe(first);
    const squared = matMul(weights, weights);
    expect(Array.from(squared.dataSync())).toEqual([7, 10, 15, 22]);
    dispose([weights, squared]);
  });
});

reportTally('backend-dispose');
