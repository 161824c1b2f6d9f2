import { generate, ndarray, sizeOfShape, type NDArray } from './ndarray.js';

// The float64 oracle for tf.linalg's bandPart, gramSchmidt and qr, ensureShape, broadcastArgs,
// and tf.signal's hannWindow, hammingWindow and frame. Each is written from its definition:
// Gram–Schmidt through a Cholesky factor of the Gram matrix (not by projecting vectors one by one),
// the Hann window as sin², QR by Householder reflections in plain loops.

/** Entries with i − j ≤ lower and j − i ≤ upper kept in each innermost matrix; a negative limit keeps that whole triangle. */
export function bandPart(x: NDArray, lower: number, upper: number): NDArray {
  const [m, n] = x.shape.slice(-2) as [number, number];
  const [below, above] = [lower < 0 ? m : lower, upper < 0 ? n : upper];
  return generate(x.shape, (index) => {
    const [i, j] = index.slice(-2) as [number, number];
    return i - j <= below && j - i <= above ? x.data[index.reduce((f, v, d) => f * x.shape[d]! + v, 0)]! : 0;
  });
}

/**
 * The rows of X made orthonormal, each spanning what the rows up to it span and leaning the same
 * way: with the Gram matrix X·Xᵀ = L·Lᵀ (Cholesky), the rows of L⁻¹·X.
 */
export function gramSchmidt(x: NDArray): NDArray {
  const [count, length] = x.shape as [number, number];
  const row = (i: number): Float64Array => x.data.subarray(i * length, (i + 1) * length);
  const dotRows = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from({ length }, (_, k) => a[k]! * b[k]!).reduce((s, v) => s + v, 0);
  const l = new Float64Array(count * count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j <= i; j++) {
      let s = dotRows(row(i), row(j));
      for (let k = 0; k < j; k++) s -= l[i * count + k]! * l[j * count + k]!;
      l[i * count + j] = i === j ? Math.sqrt(s) : s / l[j * count + j]!;
    }
  }
  const y = new Float64Array(count * length);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < length; c++) {
      let s = x.data[i * length + c]!;
      for (let k = 0; k < i; k++) s -= l[i * count + k]! * y[k * length + c]!;
      y[i * length + c] = s / l[i * count + i]!;
    }
  }
  return ndarray([count, length], y);
}

/**
 * QR of each innermost [M, N] matrix by Householder reflections with LAPACK's (and TensorFlow's)
 * signs: column j's part x from the diagonal down goes to β·e₁ with β = −sign(x₁)·‖x‖ (sign 0 as
 * +), and is left alone when nothing below x₁ is non-zero. Q is the product of the reflections.
 */
export function qr(a: NDArray, fullMatrices: boolean): { q: NDArray; r: NDArray } {
  const batch = a.shape.slice(0, -2);
  const [m, n] = a.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const qColumns = fullMatrices || m <= n ? m : n;
  const rRows = fullMatrices || m <= n ? m : n;
  const qs: number[] = [];
  const rs: number[] = [];
  for (let b = 0; b < sizeOfShape(batch); b++) {
    const r = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (__, j) => a.data[(b * m + i) * n + j]!));
    const q = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (__, j) => Number(i === j)));
    for (let j = 0; j < k; j++) {
      let tail = 0;
      for (let i = j + 1; i < m; i++) tail += r[i]![j]! ** 2;
      if (tail === 0) continue;
      const x1 = r[j]![j]!;
      const beta = (x1 >= 0 ? -1 : 1) * Math.sqrt(x1 * x1 + tail);
      const v = Array.from({ length: m }, (_, i) => (i < j ? 0 : i === j ? x1 - beta : r[i]![j]!));
      const vv = v.reduce((s, e) => s + e * e, 0);
      // R ← H·R and Q ← Q·H with H = I − 2·v·vᵀ / vᵀv.
      for (let c = 0; c < n; c++) {
        const f = (2 * v.reduce((s, e, i) => s + e * r[i]![c]!, 0)) / vv;
        for (let i = j; i < m; i++) r[i]![c]! -= f * v[i]!;
      }
      for (let row = 0; row < m; row++) {
        const f = (2 * v.reduce((s, e, i) => s + e * q[row]![i]!, 0)) / vv;
        for (let i = j; i < m; i++) q[row]![i]! -= f * v[i]!;
      }
    }
    for (let i = 0; i < m; i++) for (let c = 0; c < qColumns; c++) qs.push(q[i]![c]!);
    for (let i = 0; i < rRows; i++) for (let c = 0; c < n; c++) rs.push(c < i ? 0 : r[i]![c]!);
  }
  return { q: ndarray([...batch, m, qColumns], qs), r: ndarray([...batch, rRows, n], rs) };
}

/** The shape two shapes broadcast to, NumPy's rules. */
export function broadcastArgs(s0: NDArray, s1: NDArray): NDArray {
  const [x, y] = [Array.from(s0.data), Array.from(s1.data)];
  const rank = Math.max(x.length, y.length);
  const out = Array.from({ length: rank }, (_, i) => {
    const [p, q] = [x[i - rank + x.length] ?? 1, y[i - rank + y.length] ?? 1];
    if (p !== q && p !== 1 && q !== 1) throw new Error(`reference broadcastArgs: ${p} and ${q} do not broadcast`);
    return p === 1 ? q : p;
  });
  return ndarray([rank], out);
}

/** TensorFlow's window period: the length for a periodic window of even length, else length − 1. */
const period = (length: number, periodic: boolean): number => (periodic && length % 2 === 0 ? length : length - 1);

/** The Hann window as sin²(π·i / d), the same curve as 0.5 − 0.5·cos(2π·i / d). */
export function hannWindow(length: number, periodic: boolean): NDArray {
  return generate([length], ([i]) => (length === 1 ? 1 : Math.sin((Math.PI * i!) / period(length, periodic)) ** 2));
}

export function hammingWindow(length: number, periodic: boolean): NDArray {
  return generate([length], ([i]) => (length === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i!) / period(length, periodic))));
}

/** Frames of the last axis: frame f holds samples f·step ..., past the end `padValue` (with padEnd). */
export function frame(x: NDArray, frameLength: number, frameStep: number, padEnd: boolean, padValue: number): NDArray {
  const samples = x.shape[x.shape.length - 1]!;
  let count = 0;
  while (padEnd ? count * frameStep < samples : count * frameStep + frameLength <= samples) count++;
  return generate([...x.shape.slice(0, -1), count, frameLength], (index) => {
    const [f, k] = index.slice(-2) as [number, number];
    const at = f * frameStep + k;
    const lead = index.slice(0, -2).reduce((p, v, d) => p * x.shape[d]! + v, 0);
    return at < samples ? x.data[lead * samples + at]! : padValue;
  });
}
