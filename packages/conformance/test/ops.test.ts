import { expect } from 'vitest';
import { getBackend } from '@perceptron/core';
import { CASES, checkForward, checkGradient } from '../src/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// The table: every case's forward value, and its gradient, on every backend.
forEachBackend('ops', (backend) => {
  for (const c of CASES) {
    backendIt(backend, `${c.id} — forward`, () => {
      const result = checkForward(c, getBackend());
      expect(result.pass, result.message).toBe(true);
    });
    if (c.gradientCheck !== 'none') {
      backendIt(backend, `${c.id} — gradient`, () => {
        for (const result of checkGradient(c, getBackend())) expect(result.pass, result.message).toBe(true);
      });
    }
  }
});

reportTally('ops');
