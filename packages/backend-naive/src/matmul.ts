import { allocate, type NaiveHandle, type NaiveTensor } from './storage.js';

/**
 * Batched matrix product: for each batch entry, out = A · B with A of size m×k and B of size
 * k×n, where A is `a` or its transpose (`transposeA`) and likewise for B. Operands are rank 3,
 * `[batch, rows, cols]`, with the same batch.
 *
 * A transpose is never materialised: it only changes how A(i, p) is found in memory. Stored
 * as [m, k], A(i, p) is at i * k + p; stored transposed as [k, m], it is at p * m + i. So
 * each operand gets a row step and a column step, and the textbook triple loop reads
 * A(i, p) at i * aRowStep + p * aColStep.
 */
export function matMul(a: NaiveTensor, b: NaiveTensor, transposeA: boolean, transposeB: boolean): NaiveHandle {
  const [batch, aRows, aCols] = a.shape;
  const [, bRows, bCols] = b.shape;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;

  const [aRowStep, aColStep] = transposeA ? [1, m] : [k, 1];
  const [bRowStep, bColStep] = transposeB ? [1, k] : [n, 1];

  const out = allocate('float32', batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aStart = t * m * k;
    const bStart = t * k * n;
    const outStart = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0; // float64, rounded to float32 once when stored
        for (let p = 0; p < k; p++) {
          sum += a.handle[aStart + i * aRowStep + p * aColStep] * b.handle[bStart + p * bRowStep + j * bColStep];
        }
        out[outStart + i * n + j] = sum;
      }
    }
  }
  return out;
}
