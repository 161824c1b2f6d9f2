import { expect, it } from 'vitest';
import { KERNELS_WASM_BYTES } from '../src/kernels/wasm-module.js';
import { assembleKernelsWat } from '../scripts/assemble.js';

it('the committed wasm (src/kernels/kernels-wasm.ts) is a fresh assembly of kernels.wat: run `npm run build:wasm -w @perceptron/backend-simd` if not', async () => {
  const fresh = await assembleKernelsWat();
  expect(Buffer.from(KERNELS_WASM_BYTES).toString('base64')).toBe(Buffer.from(fresh).toString('base64'));
});
