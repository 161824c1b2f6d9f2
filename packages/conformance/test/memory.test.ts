import {
  GradientTape, clipByValue, dispose, exp, mean, memory, mul, softmax, square, sub, sum, tensor, tidy, variable,
} from '@perceptron/core';
import { expect } from 'vitest';
import { CASES, checkForward, checkGradient } from '../src/index.js';
import { getBackend } from '@perceptron/core';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

const live = (): number => memory().numTensors;

forEachBackend('memory', (backend) => {
  backendIt(backend, 'a tidy training step (tape, gradient, assign) leaves numTensors unchanged', () => {
    const w = variable([[0.5, -1], [2, 0.25]]);
    const b = variable([0.1, 0.2]);
    const x = tensor([[1, 2], [3, 4]]);
    const before = live();
    for (let step = 0; step < 3; step++) {
      tidy(() => {
        const tape = new GradientTape();
        const loss = tape.record(() => sum(square(sub(exp(mul(x, w)), b))));
        const [dw, db] = tape.gradient(loss, [w, b]);
        w.assign(sub(w, mul(dw!, 0.01)));
        b.assign(sub(b, mul(db!, 0.01)));
      });
      expect(live()).toBe(before);
    }
    dispose([w, b, x]);
  });

  backendIt(backend, 'a non-persistent tape releases what it kept after its gradient call', () => {
    const x = tensor([0.5, 1.5]);
    const before = live();
    const tape = new GradientTape();
    tape.watch(x);
    // tidy frees the intermediates; the tape must keep its own hold on them for the gradient.
    const y = tidy(() => tape.record(() => sum(exp(square(x)))));
    expect(live()).toBeGreaterThan(before + 1);
    const g = tape.gradient(y, x);
    dispose([y, g!]);
    expect(live()).toBe(before);
    x.dispose();
  });

  backendIt(backend, 'a persistent tape keeps its tensors across gradient calls and releases them on dispose()', () => {
    const x = tensor([0.5, 1.5]);
    const before = live();
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const y = tidy(() => tape.record(() => sum(exp(square(x)))));
    dispose([tape.gradient(y, x)!, tape.gradient(y, x)!]);
    expect(live() - before).toBeGreaterThan(1);
    // y is one of the values the tape keeps: disposing it hands it to the tape, not the pool.
    y.dispose();
    expect(live() - before).toBeGreaterThan(1);
    tape.dispose();
    expect(live()).toBe(before);
    x.dispose();
  });

  backendIt(backend, 'ops built from other ops free their intermediates outside tidy too', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const before = live();
    for (const op of [() => mean(x), () => mean(x, 0), () => clipByValue(x, 1.5, 3), () => softmax(x)]) op().dispose();
    expect(live()).toBe(before);
    x.dispose();
  });

  backendIt(backend, 'the whole op table, forward and gradient, leaks no tensor', () => {
    const before = live();
    for (const c of CASES) {
      checkForward(c, getBackend());
      checkGradient(c, getBackend());
    }
    expect(live()).toBe(before);
  }, 30_000);
});

reportTally('memory');
