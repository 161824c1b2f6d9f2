import { getBackend, listBackends, matMul, setBackend, tensor, tidy } from '@perceptron/core';
import { expect, it, vi } from 'vitest';
import { SimdBackend } from '../src/index.js';

it('importing the package registers simd, available here, above naive', () => {
  const simd = listBackends().find((b) => b.name === 'simd');
  expect(simd).toMatchObject({ name: 'simd', priority: 5, available: true, reason: null });
});

it("setBackend('simd') runs core ops on a SimdBackend named simd", async () => {
  await setBackend('simd');
  expect(getBackend()).toBeInstanceOf(SimdBackend);
  expect(getBackend().name).toBe('simd');
  const product = tidy(() => [...matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).dataSync()]);
  expect(product).toEqual([19, 22, 43, 50]);
});

it('simd is listed as unavailable, with the reason, where WebAssembly has no SIMD', () => {
  const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
  try {
    expect(listBackends().find((b) => b.name === 'simd')).toMatchObject({
      available: false, reason: 'this JavaScript engine has no WebAssembly SIMD',
    });
  } finally {
    validate.mockRestore();
  }
});
