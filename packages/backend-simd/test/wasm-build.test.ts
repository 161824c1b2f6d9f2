import { expect, it } from 'vitest';
import { KERNELS_SHARED_WASM_BYTES, KERNELS_WASM_BYTES } from '../src/kernels/wasm-module.js';
import { assembleKernelsWat } from '../scripts/assemble.js';

it('the committed wasm (src/kernels/kernels-wasm.ts) is a fresh assembly of kernels.wat: run `npm run build:wasm -w @perceptron/backend-simd` if not', async () => {
  const fresh = await assembleKernelsWat();
  const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  expect(base64(KERNELS_WASM_BYTES)).toBe(base64(fresh.plain));
  expect(base64(KERNELS_SHARED_WASM_BYTES)).toBe(base64(fresh.shared));
});

it('the two variants differ only in whether their memory is shared', () => {
  const plain = new WebAssembly.Module(KERNELS_WASM_BYTES);
  const shared = new WebAssembly.Module(KERNELS_SHARED_WASM_BYTES);
  expect(WebAssembly.Module.exports(shared)).toEqual(WebAssembly.Module.exports(plain));
  expect(WebAssembly.Module.imports(plain)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  expect(() => new WebAssembly.Instance(plain, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }) } })).toThrow();
  expect(() => new WebAssembly.Instance(shared, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })).toThrow();
});
