// Shared by the training-api-*.test.ts files: which backends to run on, and float comparison.
import '@perceptron/backend-naive';
import { listBackends } from '@perceptron/core';
import { expect } from 'vitest';

/**
 * Backends the training API is checked on: naive always, tfjs-cpu when its package loads and
 * registers it. An absent backend is reported by name on the console, never silently passed.
 */
async function loadBackends(): Promise<string[]> {
  const names = ['naive'];
  const specifier = '@perceptron/backend-tfjs';
  try {
    await import(/* @vite-ignore */ specifier);
    const info = listBackends().find((b) => b.name === 'tfjs-cpu');
    if (info?.available) names.push('tfjs-cpu');
    else console.warn(`training-api: backend tfjs-cpu skipped: ${info ? info.reason : 'not registered by @perceptron/backend-tfjs'}`);
  } catch (error) {
    console.warn(`training-api: backend tfjs-cpu skipped: @perceptron/backend-tfjs failed to load (${(error as Error).message.split('\n')[0]})`);
  }
  return names;
}

export const BACKENDS = await loadBackends();

/** |actual − expected| <= abs + rel·|expected| for every element, naming the first mismatch. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 2e-6, abs = 1e-7): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (tolerance ${abs} + ${rel}·|expected|)`);
    }
  }
}
