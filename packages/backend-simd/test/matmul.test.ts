import { describe, expect, it } from 'vitest';
import { DOT_CHUNK, K_BLOCK } from '../src/kernels/matmul.js';
import { SimdBackend } from '../src/index.js';
import { float32, outsideSumBound, randomFloats, referenceProduct } from './support.js';

const backend = await SimdBackend.create();

// Edge sizes around the kernel's 4-row × 8-column blocks, a 0 inner dimension, and the
// products of the lab MLP (784-16-32-10, batch 32).
const SIZES: [m: number, k: number, n: number][] = [
  [1, 1, 1], [1, 3, 5], [3, 5, 1], [5, 17, 3], [4, 8, 8], [17, 33, 9], [33, 17, 33], [7, 0, 5],
  [32, 784, 16], [784, 32, 16], [32, 16, 784], [32, 32, 10], [6, 13, 24],
];
const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe('simd matMul matches a float64 product within float32 summation error', () => {
  for (const [m, k, n] of SIZES) {
    for (const [transposeA, transposeB] of FLAGS) {
      it(`${m}×${k}×${n}${transposeA ? ' Aᵀ' : ''}${transposeB ? ' Bᵀ' : ''}`, () => {
        const a = randomFloats(m * k, m * 1000 + k);
        const b = randomFloats(k * n, n * 1000 + k + 7);
        const got = backend.matMul(
          float32(a, transposeA ? [1, k, m] : [1, m, k]), float32(b, transposeB ? [1, n, k] : [1, k, n]),
          transposeA, transposeB,
        ) as Float32Array;
        expect(got.length).toBe(m * n);
        expect(outsideSumBound(got, referenceProduct(a, b, m, k, n, transposeA, transposeB), k)).toEqual([]);
      });
    }
  }

  it('A mostly zeros, as images are (the kernel skips all-zero blocks of A)', () => {
    const [m, k, n] = [33, 60, 11];
    for (const [transposeA, transposeB] of FLAGS) {
      // Zero "pixels" p (a column of A) in every row, and elsewhere half the values (v < 0),
      // so that blocks of 4 rows are all zero, or zero but for one row, or mixed: 90% zeros.
      const a = randomFloats(m * k, 11).map((v, at) => {
        const p = transposeA ? Math.floor(at / m) : at % k;
        return p % 5 !== 0 || v < 0 ? 0 : v;
      });
      expect(a.filter((v) => v === 0).length / a.length).toBeGreaterThan(0.75);
      const b = randomFloats(k * n, 12);
      const got = backend.matMul(
        float32(a, transposeA ? [1, k, m] : [1, m, k]), float32(b, transposeB ? [1, n, k] : [1, k, n]), transposeA, transposeB,
      ) as Float32Array;
      expect(outsideSumBound(got, referenceProduct(a, b, m, k, n, transposeA, transposeB), k)).toEqual([]);
    }
  });

  it('a 0 inner dimension gives zeros', () => {
    const got = backend.matMul(float32(new Float32Array(0), [1, 3, 0]), float32(new Float32Array(0), [1, 0, 5]), false, false);
    expect([...got]).toEqual(new Array(15).fill(0));
  });

  it('each batch entry is its own product', () => {
    const [batch, m, k, n] = [3, 5, 9, 11];
    for (const [transposeA, transposeB] of FLAGS) {
      const a = randomFloats(batch * m * k, 1);
      const b = randomFloats(batch * k * n, 2);
      const got = backend.matMul(
        float32(a, transposeA ? [batch, k, m] : [batch, m, k]), float32(b, transposeB ? [batch, n, k] : [batch, k, n]),
        transposeA, transposeB,
      ) as Float32Array;
      for (let t = 0; t < batch; t++) {
        const want = referenceProduct(a.subarray(t * m * k), b.subarray(t * k * n), m, k, n, transposeA, transposeB);
        expect(outsideSumBound(got.subarray(t * m * n, (t + 1) * m * n), want, k)).toEqual([]);
      }
    }
  });

  it('keeps large products right after the memory has grown (a 300×500×200 product, then a small one)', () => {
    const cases: [number, number, number][] = [[300, 500, 200], [3, 4, 5]];
    for (const [m, k, n] of cases) {
      const a = randomFloats(m * k, 5);
      const b = randomFloats(k * n, 6);
      const got = backend.matMul(float32(a, [1, m, k]), float32(b, [1, k, n]), false, false) as Float32Array;
      expect(outsideSumBound(got, referenceProduct(a, b, m, k, n, false, false), k)).toEqual([]);
    }
  });

  it(`sums an inner dimension longer than K_BLOCK (${K_BLOCK}) block by block: the error bound is a block's, not k's`, () => {
    const [m, k, n] = [5, 3 * K_BLOCK + 5, 9];
    const blocks = Math.ceil(k / K_BLOCK);
    for (const [transposeA, transposeB] of FLAGS) {
      const a = randomFloats(m * k, 21);
      const b = randomFloats(k * n, 22);
      const got = backend.matMul(
        float32(a, transposeA ? [1, k, m] : [1, m, k]), float32(b, transposeB ? [1, n, k] : [1, k, n]), transposeA, transposeB,
      ) as Float32Array;
      expect(outsideSumBound(got, referenceProduct(a, b, m, k, n, transposeA, transposeB), K_BLOCK + blocks)).toEqual([]);
    }
  });

  it('keeps the dot product of two long positive vectors right, where one float32 chain drifts', () => {
    const k = 1_000_000;
    const a = randomFloats(k, 31).map(Math.abs);
    const b = randomFloats(k, 32).map(Math.abs);
    const exact = referenceProduct(a, b, 1, k, 1, false, false).values[0]!;
    let chain = 0;
    for (let p = 0; p < k; p++) chain = Math.fround(chain + Math.fround(a[p]! * b[p]!));
    // the case matters: a single float32 chain is off in the fourth digit
    expect(Math.abs(chain - exact) / exact).toBeGreaterThan(1e-4);
    const got = backend.matMul(float32(a, [1, 1, k]), float32(b, [1, k, 1]), false, false) as Float32Array;
    expect(Math.abs(got[0]! - exact) / exact).toBeLessThan(1e-5);
  });

  it('leaves its inputs unchanged', () => {
    const a = randomFloats(6, 3);
    const b = randomFloats(6, 4);
    const [aCopy, bCopy] = [a.slice(), b.slice()];
    backend.matMul(float32(a, [1, 2, 3]), float32(b, [1, 3, 2]), false, false);
    expect(a).toEqual(aCopy);
    expect(b).toEqual(bCopy);
  });
});

it('a product too large for WebAssembly memory fails, saying how much memory it needed', () => {
  // An inner dimension of 2^30 needs 8 GiB per operand: more than a 32-bit WebAssembly memory
  // holds. (The handles are stand-ins: the size check comes before any copy.)
  const rows = { handle: new Float32Array(1), shape: [1, 2, 2 ** 30], dtype: 'float32' as const };
  const columns = { handle: new Float32Array(1), shape: [1, 2 ** 30, 2], dtype: 'float32' as const };
  expect(() => backend.matMul(rows, columns, false, false)).toThrow(/simd backend: a kernel needs \d+ bytes of WebAssembly memory, which could not grow beyond \d+/);
});

describe('simd products with a single column (the dot kernel)', () => {
  const product = (a: Float32Array, b: Float32Array, m: number, k: number, transposeA: boolean, transposeB: boolean): Float32Array =>
    backend.matMul(
      float32(a, transposeA ? [1, k, m] : [1, m, k]), float32(b, transposeB ? [1, 1, k] : [1, k, 1]), transposeA, transposeB,
    ) as Float32Array;

  // Lengths off the 16-float groups, across a K_BLOCK, and across DOT_CHUNK passes.
  for (const k of [0, 5, 16, 17, K_BLOCK + 3, 2 * DOT_CHUNK + 7]) {
    for (const [m, flags] of [[1, FLAGS], [6, FLAGS.filter(([transposeA]) => !transposeA)]] as const) {
      it(`${m}×${k}×1, every transpose that keeps A's rows along k: within a block's float32 error`, () => {
        for (const [transposeA, transposeB] of flags) {
          const a = randomFloats(m * k, k + 31);
          const b = randomFloats(k, k + 32);
          const got = product(a, b, m, k, transposeA, transposeB);
          expect(got.length).toBe(m);
          expect(outsideSumBound(got, referenceProduct(a, b, m, k, 1, transposeA, transposeB), K_BLOCK + Math.ceil(k / K_BLOCK))).toEqual([]);
        }
      });
    }
  }

  it('each row comes out as that row alone would (a row does not depend on the batch around it)', () => {
    const [m, k] = [7, 2 * DOT_CHUNK + 7];
    const a = randomFloats(m * k, 41);
    const b = randomFloats(k, 42);
    const all = product(a, b, m, k, false, false);
    for (let i = 0; i < m; i++) expect(product(a.subarray(i * k, (i + 1) * k), b, 1, k, false, false)[0]).toBe(all[i]);
  });

  it('a 1 M-term dot product of values near 0.25 stays within 1e-6, where one float32 chain drifts', () => {
    const k = 1 << 20;
    const a = randomFloats(k, 51).map((x) => 0.5 + 0.1 * x);
    const b = randomFloats(k, 52).map((x) => 0.5 + 0.1 * x);
    const exact = referenceProduct(a, b, 1, k, 1, false, false).values[0]!;
    let chain = 0;
    for (let p = 0; p < k; p++) chain = Math.fround(chain + Math.fround(a[p]! * b[p]!));
    expect(Math.abs(chain - exact) / exact).toBeGreaterThan(1e-5);
    expect(Math.abs(product(a, b, 1, k, false, false)[0]! - exact) / exact).toBeLessThan(1e-6);
  });
});
