import { elementwise, sigmoid } from './elementwise.js';
import { at, broadcastShape, generate, type NDArray } from './ndarray.js';

/** Batched matrix product over the last two dimensions, batch dimensions broadcast. */
export function matMul(a: NDArray, b: NDArray, transposeA = false, transposeB = false): NDArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[transposeA ? ra - 1 : ra - 2]!;
  const inner = a.shape[transposeA ? ra - 2 : ra - 1]!;
  const n = b.shape[transposeB ? rb - 2 : rb - 1]!;
  if (inner !== b.shape[transposeB ? rb - 1 : rb - 2]) throw new Error('reference matMul: inner dimensions differ');
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return generate([...batch, m, n], (index) => {
    const prefix = index.slice(0, -2);
    const [i, j] = index.slice(-2) as [number, number];
    let total = 0;
    for (let k = 0; k < inner; k++) {
      const left = at(a, [...prefix, ...(transposeA ? [k, i] : [i, k])]);
      const right = at(b, [...prefix, ...(transposeB ? [j, k] : [k, j])]);
      total += left * right;
    }
    return total;
  });
}

export const ACTIVATIONS: Record<string, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => Math.max(z, 0),
  sigmoid,
  tanh: Math.tanh,
};

/** activation(z + bias), the bias (if any) along z's last axis: what the fused ops apply to their sums. */
export function biasActivation(z: NDArray, bias: NDArray | null, activation: string): NDArray {
  const act = ACTIVATIONS[activation]!;
  return bias ? elementwise([z, bias], (v, c) => act(v + c)) : elementwise([z], act);
}

/** activation(x·kernel + bias). */
export function dense(x: NDArray, kernel: NDArray, bias: NDArray | null, activation: string): NDArray {
  return biasActivation(matMul(x, kernel), bias, activation);
}

/** Applies `f` to each row along the last axis. */
function lastAxis(x: NDArray, f: (row: number[]) => number[]): NDArray {
  const n = x.shape[x.shape.length - 1]!;
  const data = new Float64Array(x.data.length);
  for (let start = 0; start < data.length; start += n) {
    data.set(f(Array.from(x.data.subarray(start, start + n))), start);
  }
  return { shape: [...x.shape], data };
}

/** log Σ exp(row), shifted by the row's maximum so large logits do not overflow. */
function logSumExp(row: number[]): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
}

export const logSoftmax = (x: NDArray): NDArray => lastAxis(x, (row) => {
  const lse = logSumExp(row);
  return row.map((v) => v - lse);
});

export const softmax = (x: NDArray): NDArray => lastAxis(x, (row) => {
  const lse = logSumExp(row);
  return row.map((v) => Math.exp(v - lse));
});

/** Σ labels·(log Σ exp(row) − logits) per row of the last axis: one value per row. */
export function softmaxCrossEntropy(labels: NDArray, logits: NDArray): NDArray {
  const n = logits.shape[logits.shape.length - 1]!;
  const shape = logits.shape.slice(0, -1);
  const data = new Float64Array(shape.reduce((size, d) => size * d, 1));
  for (let row = 0; row < data.length; row++) {
    const start = row * n;
    const lse = logSumExp(Array.from(logits.data.subarray(start, start + n)));
    for (let i = start; i < start + n; i++) data[row] += labels.data[i]! * (lse - logits.data[i]!);
  }
  return { shape, data };
}
