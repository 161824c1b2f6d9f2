import type { NaiveHandle, NaiveTensor } from './storage.js';

/**
 * Batched matrix product: for each batch entry, out = A · B with A of size m×k and B of size
 * k×n, where A is `a` or its transpose (`transposeA`) and likewise for B. Operands are rank 3,
 * `[batch, rows, cols]`, with the same batch, and float32.
 *
 * A transpose is never materialised: it only changes how A(i, p) is found in memory. Stored
 * as [m, k], A(i, p) is at i * k + p; stored transposed as [k, m], it is at p * m + i. So
 * each operand gets a row step and a column step, and A(i, p) is at i * aRowStep + p * aColStep.
 *
 * Sums are accumulated in float64 and rounded to float32 once, when stored.
 */
export function matMul(a: NaiveTensor, b: NaiveTensor, transposeA: boolean, transposeB: boolean): NaiveHandle {
  const [batch, aRows, aCols] = a.shape;
  const [, bRows, bCols] = b.shape;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const steps: Steps = {
    m, k, n,
    aRowStep: transposeA ? 1 : k, aColStep: transposeA ? m : 1,
    bRowStep: transposeB ? 1 : n, bColStep: transposeB ? k : 1,
  };
  // matMul is float32-only (core checks), so the arrays are Float32Arrays; saying so keeps the
  // inner loops monomorphic, which is most of the speed of plain JavaScript loops.
  const A = a.handle as Float32Array;
  const B = b.handle as Float32Array;
  const out = new Float32Array(batch * m * n);
  const multiply = transposeB ? dotProducts : rowUpdates;
  for (let t = 0; t < batch; t++) multiply(A, t * m * k, B, t * k * n, out, t * m * n, steps);
  return out;
}

interface Steps {
  m: number; k: number; n: number;
  aRowStep: number; aColStep: number;
  bRowStep: number; bColStep: number;
}

/**
 * The textbook form: out(i, j) = Σ_p A(i, p) · B(p, j), one dot product per output element.
 * Used when B is transposed, because then B(p, j) for consecutive p are adjacent in memory.
 */
function dotProducts(A: Float32Array, aStart: number, B: Float32Array, bStart: number, out: Float32Array, outStart: number, s: Steps): void {
  // Local copies: V8 keeps them in registers, which property reads in the loops would defeat.
  const { m, k, n, aRowStep, aColStep, bRowStep, bColStep } = s;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let aAt = aStart + i * aRowStep;
      let bAt = bStart + j * bColStep;
      for (let p = 0; p < k; p++, aAt += aColStep, bAt += bRowStep) sum += A[aAt]! * B[bAt]!;
      out[outStart + i * n + j] = sum;
    }
  }
}

/**
 * The same sums in another order: row i of the output is Σ_p A(i, p) · (row p of B). Used when
 * B is not transposed, so the innermost loop walks a row of B and a row of the output, both
 * adjacent in memory.
 */
function rowUpdates(A: Float32Array, aStart: number, B: Float32Array, bStart: number, out: Float32Array, outStart: number, s: Steps): void {
  const { m, k, n, aRowStep, aColStep } = s;
  const row = new Float64Array(n);
  // A zero A(i, p) may skip row p of B (relu zeros a good share of activations, images have
  // many zero pixels) only when that row is finite: 0·NaN and 0·∞ are NaN.
  const finiteRows = Array.from({ length: k }, (_, p) => B.subarray(bStart + p * n, bStart + (p + 1) * n).every(Number.isFinite));
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = A[aStart + i * aRowStep + p * aColStep]!;
      if (aip === 0 && finiteRows[p]) continue;
      const bRow = bStart + p * n;
      for (let j = 0; j < n; j++) row[j] += aip * B[bRow + j]!;
    }
    const outRow = outStart + i * n;
    for (let j = 0; j < n; j++) out[outRow + j] = row[j]!;
  }
}
