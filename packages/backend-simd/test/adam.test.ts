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
