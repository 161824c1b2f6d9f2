import { describe, expect, it } from 'vitest';
import { SimdBackend } from '../src/index.js';
import { randomFloats } from './support.js';

const backend = await SimdBackend.create();

describe('simd adamUpdate follows Keras 3 Adam within float32 rounding', () => {
  for (const size of [1, 3, 4, 5, 17, 1000]) {
    it(`${size} values, step 3`, () => {
      const [x, g, m] = [1, 2, 3].map((seed) => randomFloats(size, seed * 100 + size));
      const v = randomFloats(size, 4).map((e) => e * e);
      const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3 };
      const t = (handle: Float32Array) => ({ handle, shape: [size], dtype: 'float32' as const });
      const [x1, m1, v1] = backend.adamUpdate(t(x), t(g), t(m), t(v), attrs) as Float32Array[];
      const alpha = (attrs.lr * Math.sqrt(1 - attrs.beta2 ** 3)) / (1 - attrs.beta1 ** 3);
      const u = 2 ** -24;
      for (let i = 0; i < size; i++) {
        const m64 = m[i]! + (g[i]! - m[i]!) * (1 - attrs.beta1);
        const v64 = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - attrs.beta2);
        const step = (alpha * m64) / (Math.sqrt(v64) + attrs.epsilon);
        // A few float32 roundings of each term (the subtraction may cancel, so the bound
        // scales with the terms, not the result).
        expect(Math.abs(m1![i]! - m64)).toBeLessThanOrEqual(4 * u * (Math.abs(m[i]!) + Math.abs(g[i]!)));
        expect(Math.abs(v1![i]! - v64)).toBeLessThanOrEqual(4 * u * (v[i]! + g[i]! ** 2));
        expect(Math.abs(x1![i]! - (x[i]! - step))).toBeLessThanOrEqual(8 * u * (Math.abs(x[i]!) + Math.abs(step)));
      }
      // The inputs are left as they were.
      expect(x1).not.toBe(x);
    });
  }
});

describe('simd adamUpdate makes no subnormals', () => {
  const attrs = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 50 };
  const t = (values: number[]) => ({ handle: Float32Array.from(values), shape: [values.length], dtype: 'float32' as const });
  const isSubnormal = (value: number): boolean => value !== 0 && Math.abs(value) < 2 ** -126;

  it('moments that would fall below 2^-100 become 0; a gradient below 2^-63 squares to 0; NaN stays NaN', () => {
    // g = 1e-20 squares to 1e-40 (subnormal); m and v decaying from 1e-33 and 1e-36 would
    // pass through subnormals on later steps; the last lane carries a NaN gradient.
    const g = [1e-20, 0, 0, 0.5, Number.NaN];
    const m = [0, 1e-33, 0, 0.1, 0.1];
    const v = [0, 0, 1e-36, 0.2, 0.2];
    const x = [0.05, -0.02, 0.03, 0.01, 0.01];
    const [x1, m1, v1] = backend.adamUpdate(t(x), t(g), t(m), t(v), attrs) as Float32Array[];
    expect(Array.from(v1!.subarray(0, 3))).toEqual([0, 0, 0]);
    // A gradient too small to square still moves the first moment.
    expect(m1![0]).toBe(Math.fround(Math.fround(1e-20) * Math.fround(1 - attrs.beta1)));
    expect(m1![1]).toBe(0);
    expect([...x1!, ...m1!, ...v1!].filter(isSubnormal)).toEqual([]);
    expect([m1![4], v1![4], x1![4]].every(Number.isNaN)).toBe(true);
  });

  it('and the weights move exactly as they would with the moments kept', () => {
    // One lane per case where a moment is zeroed: the step a kept moment would give is below
    // half an ulp of the weight, so the float32 weight is the same.
    const g = [1e-20, 0, 0];
    const m = [0, 1e-33, 3e-31];
    const v = [0, 0, 1e-36];
    const x = [0.05, -0.02, 0.03];
    const [x1] = backend.adamUpdate(t(x), t(g), t(m), t(v), attrs) as Float32Array[];
    const alpha = (attrs.lr * Math.sqrt(1 - attrs.beta2 ** attrs.step)) / (1 - attrs.beta1 ** attrs.step);
    const kept = x.map((xi, i) => {
      const mi = m[i]! + (g[i]! - m[i]!) * 0.1;
      const vi = v[i]! + (g[i]! ** 2 - v[i]!) * 0.001;
      return Math.fround(Math.fround(xi) - (alpha * mi) / (Math.sqrt(vi) + attrs.epsilon));
    });
    expect(Array.from(x1!)).toEqual(kept);
  });
});
