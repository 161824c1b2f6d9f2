import { dispose, matMul, tensor } from '@perceptron/core';

// A product every backend must give exactly: each entry is a multiple of 1/8 below 1 and every
// sum stays below 2^13, so float32 (and WebGL's highp) holds each partial sum exactly. 128×784
// by 784×256 is large enough for simd to share it with its helper threads.
const M = 128, K = 784, N = 256;
const entryOfA = (i: number, k: number) => (((i * 7 + k * 3) % 11) - 5) / 8;
const entryOfB = (k: number, j: number) => (((k * 5 + j) % 13) - 6) / 8;

/** The product's values, summed in float64 from the closed forms. */
export function exactProductExpected(): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += entryOfA(i, k) * entryOfB(k, j);
      out.push(sum);
    }
  }
  return out;
}

/** The product computed on the active backend, its operands and result freed. */
export function exactProductOnBackend(): number[] {
  const a = tensor(Array.from({ length: M }, (_, i) => Array.from({ length: K }, (_, k) => entryOfA(i, k))));
  const b = tensor(Array.from({ length: K }, (_, k) => Array.from({ length: N }, (_, j) => entryOfB(k, j))));
  const out = matMul(a, b);
  const values = Array.from(out.dataSync());
  dispose([a, b, out]);
  return values;
}
