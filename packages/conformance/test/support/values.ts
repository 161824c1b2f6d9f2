import type { Tensor } from '@perceptron/core';
import { expect } from 'vitest';

/** The values of a gradient that must exist. */
export function valuesOf(t: Tensor | null | undefined): number[] {
  expect(t, 'expected a tensor, got null').toBeTruthy();
  return Array.from(t!.dataSync());
}

/** Elementwise |got − want| ≤ rel·|want| + abs. */
export function expectClose(got: readonly number[], want: readonly number[], rel = 1e-6, abs = 1e-7): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    expect(Math.abs(g - w), `element ${i}: got ${g}, want ${w}`).toBeLessThanOrEqual(rel * Math.abs(w) + abs);
  });
}
