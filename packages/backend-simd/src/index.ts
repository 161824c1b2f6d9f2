import { registerBackend } from '@perceptron/core';
import { SimdBackend } from './simd-backend.js';

export { SimdBackend };
export { THREADS_VARIABLE } from './threads.js';

/** The smallest module that uses a SIMD instruction: `(func (result v128) (v128.const i32x4 0 0 0 0))`. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0; end
]);

// Priority 5: above naive (1), so importing this package makes it the default where it can run.
registerBackend('simd', {
  create: () => SimdBackend.create(),
  priority: 5,
  unavailableReason: () => (typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)
    ? null
    : 'this JavaScript engine has no WebAssembly SIMD'),
});
