// What the op table cannot say about tf.linalg's bandPart, gramSchmidt and qr, ensureShape,
// broadcastArgs and tf.signal's windows and frame, on every backend: their errors, edge cases
// worked by hand, QR's properties checked one by one (and the float64 oracle's, against a second
// algorithm), and where Perceptron agrees with real tfjs and where it follows TensorFlow instead.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as pc from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ref from '../src/reference/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

/** Seeded uniform floats in [-1, 1). */
function seeded(count: number, seed: number): number[] {
  const g = new pc.RandomGenerator(seed);
  return Array.from({ length: count }, () => 2 * g.nextFloat() - 1);
}

/** Row-major [m, n] matrix product of plain arrays. */
function product(a: readonly number[], b: readonly number[], m: number, k: number, n: number): number[] {
  return Array.from({ length: m * n }, (_, e) => {
    const [i, j] = [Math.floor(e / n), e % n];
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
    return s;
  });
}
const transposed = (a: readonly number[], m: number, n: number): number[] => Array.from({ length: m * n }, (_, e) => a[(e % m) * n + Math.floor(e / m)]!);
const identity = (n: number): number[] => Array.from({ length: n * n }, (_, e) => Number(Math.floor(e / n) === e % n));

/**
 * QR's properties for one [m, n] matrix: QᵀQ = I, R upper triangular with exact zeros, QR = A,
 * each within `tol` (relative to the matrix's scale for QR = A).
 */
function expectQrProperties(a: readonly number[], q: readonly number[], r: readonly number[], m: number, n: number, qColumns: number, tol: number): void {
  expectClose(product(transposed(q, m, qColumns), q, qColumns, m, qColumns), identity(qColumns), 0, tol);
  const rRows = r.length / n;
  r.forEach((v, e) => { if (e % n < Math.floor(e / n)) expect(v, `R[${Math.floor(e / n)},${e % n}] below the diagonal`).toBe(0); });
  const scale = Math.max(...a.map(Math.abs));
  expectClose(product(q, r, m, qColumns, n), [...a], 0, tol * scale);
  expect(rRows).toBe(qColumns);
}

/** Modified Gram–Schmidt on the columns of an [m, n] float64 matrix of full column rank: the QR with R's diagonal positive. */
function positiveQr(a: readonly number[], m: number, n: number): { q: number[]; r: number[] } {
  const q = [...a];
  const r = new Array<number>(n * n).fill(0);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < m; i++) d += q[i * n + k]! * q[i * n + j]!;
      r[k * n + j] = d;
      for (let i = 0; i < m; i++) q[i * n + j]! -= d * q[i * n + k]!;
    }
    let length = 0;
    for (let i = 0; i < m; i++) length += q[i * n + j]! ** 2;
    r[j * n + j] = Math.sqrt(length);
    for (let i = 0; i < m; i++) q[i * n + j]! /= r[j * n + j]!;
  }
  return { q, r };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the float64 QR oracle', () => {
  it('is orthonormal, upper triangular and reproduces A to float64 precision, for tall, square, wide and full shapes', () => {
    for (const [m, n, full] of [[5, 3, false], [5, 3, true], [4, 4, false], [3, 5, false], [1, 1, false]] as const) {
      const a = seeded(m * n, 100 + m * 10 + n);
      const { q, r } = ref.qr(ref.ndarray([m, n], a), full);
      const qColumns = full || m <= n ? m : n;
      expect(q.shape).toEqual([m, qColumns]);
      expect(r.shape).toEqual([qColumns, n]);
      expectQrProperties(a, Array.from(q.data), Array.from(r.data), m, n, qColumns, 1e-13);
    }
  });

  it('is, up to the signs of R\'s diagonal, the QR that modified Gram–Schmidt finds', () => {
    for (const [m, n] of [[5, 3], [4, 4], [6, 2]] as const) {
      const a = seeded(m * n, 200 + m * 10 + n);
      const { q, r } = ref.qr(ref.ndarray([m, n], a), false);
      const plus = positiveQr(a, m, n);
      const signs = Array.from({ length: n }, (_, j) => Math.sign(r.data[j * n + j]!));
      expectClose(Array.from(q.data), plus.q.map((v, e) => v * signs[e % n]!), 0, 1e-12);
      expectClose(Array.from(r.data), plus.r.map((v, e) => v * signs[Math.floor(e / n)]!), 0, 1e-12);
    }
  });

  it('has NumPy\'s signs: R\'s diagonal opposes each reflected pivot, and a column with nothing below the pivot is left alone', () => {
    // np.linalg.qr([[1, 2], [3, 4]]) and the [3,3] example of NumPy's and Wikipedia's pages.
    const small = ref.qr(ref.ndarray([2, 2], [1, 2, 3, 4]), false);
    expectClose(Array.from(small.r.data), [-Math.sqrt(10), -14 / Math.sqrt(10), 0, -2 / Math.sqrt(10)], 1e-14, 0);
    const example = ref.qr(ref.ndarray([3, 3], [12, -51, 4, 6, 167, -68, -4, 24, -41]), false);
    expectClose(Array.from(example.r.data), [-14, -21, 14, 0, -175, 70, 0, 0, -35], 1e-13, 1e-12);
    const upper = ref.qr(ref.ndarray([2, 2], [-3, 1, 0, 2]), false);
    expect(Array.from(upper.q.data)).toEqual([1, 0, 0, 1]);
    expect(Array.from(upper.r.data)).toEqual([-3, 1, 0, 2]);
  });

  it('gramSchmidt\'s Cholesky oracle matches modified Gram–Schmidt in float64', () => {
    const a = seeded(12, 300);
    const rows = ref.gramSchmidt(ref.ndarray([3, 4], a));
    const { q } = positiveQr(transposed(a, 3, 4), 4, 3);
    expectClose(Array.from(rows.data), transposed(q, 4, 3), 0, 1e-13);
  });
});

forEachBackend('linalg and signal ops', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('bandPart: by hand, with int32 scalar limits, and as tfjs', () => pc.tidy(() => {
    const x = pc.tensor([[0, 1, 2, 3], [-1, 0, 1, 2], [-2, -1, 0, 1], [-3, -2, -1, 0]]);
    expect(valuesOf(pc.bandPart(x, -1, 0))).toEqual([0, 0, 0, 0, -1, 0, 0, 0, -2, -1, 0, 0, -3, -2, -1, 0]);
    expect(valuesOf(pc.bandPart(x, 0, -1))).toEqual([0, 1, 2, 3, 0, 0, 1, 2, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(valuesOf(pc.bandPart(x, 1, -1))).toEqual([0, 1, 2, 3, -1, 0, 1, 2, 0, -1, 0, 1, 0, 0, -1, 0]);
    expect(valuesOf(pc.bandPart(x, pc.scalar(2, 'int32'), pc.scalar(1, 'int32')))).toEqual([0, 1, 0, 0, -1, 0, 1, 0, -2, -1, 0, 1, 0, -2, -1, 0]);
    const batch = seeded(2 * 3 * 4, 400);
    for (const [lower, upper] of [[1, 2], [-1, 0], [0, -1], [3, 4], [0, 0]] as const) {
      expect(valuesOf(pc.bandPart(pc.tensor(batch, [2, 3, 4]), lower, upper)))
        .toEqual(Array.from(tf.linalg.bandPart(tf.tensor(batch, [2, 3, 4]), lower, upper).dataSync()));
    }
    const flags = pc.bandPart(pc.tensor([[true, true], [true, true]], undefined, 'bool'), 0, 0);
    expect(flags.dtype).toBe('bool');
    expect(valuesOf(flags)).toEqual([1, 0, 0, 1]);
  }));

  test('bandPart names its rank and limits', () => pc.tidy(() => {
    expect(() => pc.bandPart(pc.zeros([3]), 0, 0)).toThrow('bandPart: expected a tensor of rank >= 2 (matrices [..., M, N]), got shape [3]');
    expect(() => pc.bandPart(pc.zeros([2, 3]), 3, 0)).toThrow('bandPart: numLower must be negative (the whole triangle) or at most the number of rows (2), got 3');
    expect(() => pc.bandPart(pc.zeros([2, 3]), 0, 4)).toThrow('bandPart: numUpper must be negative (the whole triangle) or at most the number of columns (3), got 4');
    expect(() => pc.bandPart(pc.zeros([2, 3]), 0.5, 0)).toThrow('bandPart: numLower must be an integer, got 0.5');
    expect(() => pc.bandPart(pc.zeros([2, 3]), pc.scalar(1), 0)).toThrow('bandPart: numLower must be an integer or an int32 scalar, got a float32 tensor of shape []');
  }));

  test('gramSchmidt: orthonormal rows that keep the first direction, a list for a list, and tfjs\'s values', () => pc.tidy(() => {
    const y = pc.gramSchmidt(pc.tensor([[1, 2], [3, 4]]));
    expectClose(valuesOf(y), [1 / Math.sqrt(5), 2 / Math.sqrt(5), 2 / Math.sqrt(5), -1 / Math.sqrt(5)], 1e-6, 1e-7);
    const a = seeded(12, 500);
    const rows = valuesOf(pc.gramSchmidt(pc.tensor(a, [3, 4])));
    expectClose(product(rows, transposed(rows, 3, 4), 3, 4, 3), identity(3), 0, 1e-6);
    expectClose(rows, Array.from((tf.linalg.gramSchmidt(tf.tensor2d(a, [3, 4])) as tf.Tensor2D).dataSync()), 1e-5, 1e-6);
    const list = pc.gramSchmidt([pc.tensor(a.slice(0, 4)), pc.tensor(a.slice(4, 8)), pc.tensor(a.slice(8))]);
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((v) => v.shape)).toEqual([[4], [4], [4]]);
    expectClose(list.flatMap(valuesOf), rows, 0, 0);
  }));

  test('gramSchmidt is the modified process, as tfjs: Läuchli\'s nearly parallel vectors stay orthogonal', () => pc.tidy(() => {
    // ε² is below float32's precision: the classical process leaves rows 1 and 2 at 60° (dot 0.5).
    const e = 1e-4;
    const rows = [[1, e, 0, 0], [1, 0, e, 0], [1, 0, 0, e]];
    const y = valuesOf(pc.gramSchmidt(pc.tensor(rows)));
    const dot = (i: number, j: number): number => [0, 1, 2, 3].reduce((s, k) => s + y[i * 4 + k]! * y[j * 4 + k]!, 0);
    expect(Math.abs(dot(1, 2))).toBeLessThan(1e-6);
    expectClose(y, Array.from((tf.linalg.gramSchmidt(tf.tensor2d(rows)) as tf.Tensor2D).dataSync()), 1e-6, 1e-7);
  }));

  test('gramSchmidt names what it was given', () => pc.tidy(() => {
    expect(() => pc.gramSchmidt(pc.zeros([3, 2]))).toThrow('gramSchmidt: 3 vectors of length 2 cannot be orthonormal (expected at most as many vectors as their length), got shape [3,2]');
    expect(() => pc.gramSchmidt([pc.zeros([2]), pc.zeros([3])])).toThrow('gramSchmidt: the vectors must have one length, got shapes [2], [3]');
    expect(() => pc.gramSchmidt([pc.zeros([2]), pc.zeros([1, 2])])).toThrow('gramSchmidt: expected a list of float32 vectors (rank 1); item 1 is a float32 tensor of shape [1,2]');
    expect(() => pc.gramSchmidt(pc.zeros([2, 2, 2]))).toThrow('gramSchmidt: expected a float32 matrix whose rows are the vectors, or a list of vectors, got a float32 tensor of shape [2,2,2]');
    expect(() => pc.gramSchmidt(pc.zeros([2, 2], 'int32'))).toThrow('got a int32 tensor of shape [2,2]');
    expect(() => pc.gramSchmidt([])).toThrow('gramSchmidt: expected a 2-D tensor or a non-empty list of vectors, got an empty list');
  }));

  test('qr: QᵀQ = I, R upper triangular, QR = A for tall, square, wide, full and batched shapes', () => pc.tidy(() => {
    for (const [shape, full] of [[[5, 3], false], [[5, 3], true], [[4, 4], false], [[3, 5], false], [[2, 3, 4, 2], false], [[2, 4, 3], true]] as const) {
      const [m, n] = shape.slice(-2) as [number, number];
      const batch = shape.slice(0, -2).reduce((p, d) => p * d, 1);
      const a = seeded(batch * m * n, 600 + m * 10 + n);
      const [q, r] = pc.qr(pc.tensor(a, [...shape]), full);
      const qColumns = full || m <= n ? m : n;
      expect(q.shape).toEqual([...shape.slice(0, -2), m, qColumns]);
      expect(r.shape).toEqual([...shape.slice(0, -2), qColumns, n]);
      const [qs, rs] = [valuesOf(q), valuesOf(r)];
      for (let b = 0; b < batch; b++) {
        expectQrProperties(a.slice(b * m * n, (b + 1) * m * n), qs.slice(b * m * qColumns, (b + 1) * m * qColumns), rs.slice(b * qColumns * n, (b + 1) * qColumns * n), m, n, qColumns, 2e-6);
      }
    }
  }));

  test('qr: TensorFlow\'s (NumPy\'s) signs, where tfjs flips the last row of a square R', () => pc.tidy(() => {
    const [q, r] = pc.qr(pc.tensor([[1, 2], [3, 4]]));
    const s = Math.sqrt(10);
    expectClose(valuesOf(q), [-1 / s, -3 / s, -3 / s, 1 / s], 1e-6, 1e-7);
    expectClose(valuesOf(r), [-s, -14 / s, 0, -2 / s], 1e-6, 1e-7);
    const [tq, tr] = tf.linalg.qr(tf.tensor2d([[1, 2], [3, 4]]));
    // tfjs reflects at the last row too: the same Q and R but for the last column of Q and last row of R.
    expectClose(Array.from(tq.dataSync()), valuesOf(q).map((v, e) => (e % 2 === 1 ? -v : v)), 1e-6, 1e-7);
    expectClose(Array.from(tr.dataSync()), valuesOf(r).map((v, e) => (e >= 2 ? -v : v)), 1e-6, 1e-7);
    const [eq, er] = pc.qr(pc.eye(3));
    expect(valuesOf(eq)).toEqual(identity(3));
    expect(valuesOf(er)).toEqual(identity(3));
    // Tall matrices are reflected at every column by both: tfjs agrees.
    const a = seeded(12, 700);
    const [mq, mr] = pc.qr(pc.tensor(a, [4, 3]));
    const [nq, nr] = tf.linalg.qr(tf.tensor2d(a, [4, 3]));
    expectClose(valuesOf(mq), Array.from(nq.dataSync()), 1e-5, 1e-6);
    expectClose(valuesOf(mr), Array.from(nr.dataSync()), 1e-5, 1e-6);
    // R's diagonal opposes each reflected pivot: the float64 oracle's signs, entry by entry.
    const square = seeded(16, 701);
    const want = ref.qr(ref.ndarray([4, 4], square), false).r.data;
    const got = valuesOf(pc.qr(pc.tensor(square, [4, 4]))[1]);
    for (let j = 0; j < 4; j++) expect(Math.sign(got[j * 5]!)).toBe(Math.sign(want[j * 5]!));
  }));

  test('qr: the gradient of Σ w·Q + Σ w·R matches central differences of the op itself', () => pc.tidy(() => {
    const a = seeded(12, 800);
    const wq = seeded(12, 801);
    const wr = seeded(9, 802);
    const loss = (values: number[]): number => {
      const [q, r] = pc.qr(pc.tensor(values, [4, 3]));
      return valuesOf(q).reduce((s, v, i) => s + v * wq[i]!, 0) + valuesOf(r).reduce((s, v, i) => s + v * wr[i]!, 0);
    };
    const x = pc.tensor(a, [4, 3]);
    const tape = new pc.GradientTape();
    tape.watch(x);
    const total = tape.record(() => {
      const [q, r] = pc.qr(x);
      return pc.add(pc.sum(pc.mul(q, pc.tensor(wq, [4, 3]))), pc.sum(pc.mul(r, pc.tensor(wr, [3, 3]))));
    });
    const grad = valuesOf(tape.gradient(total, [x])[0]);
    // float32 differences: a step of 1e-2 keeps rounding (~1e-7 / 1e-2) below the curvature's error.
    const h = 1e-2;
    const central = a.map((_, i) => {
      const [plus, minus] = [[...a], [...a]];
      plus[i]! += h;
      minus[i]! -= h;
      return (loss(plus) - loss(minus)) / (2 * h);
    });
    expectClose(grad, central, 2e-3, 2e-3);
  }));

  test('qr names its rank and dtype', () => pc.tidy(() => {
    expect(() => pc.qr(pc.zeros([3]))).toThrow('qr: expected a tensor of rank >= 2 (matrices [..., M, N]), got shape [3]');
    expect(() => pc.qr(pc.zeros([2, 2], 'int32'))).toThrow('qr: expected a float32 tensor, got int32 of shape [2,2]; cast it first');
  }));

  test('ensureShape returns x itself, as tfjs; arrays become a tensor', () => pc.tidy(() => {
    const x = pc.zeros([2, 3]);
    expect(pc.ensureShape(x, [2, 3])).toBe(x);
    expect(pc.ensureShape(x, [null, -1])).toBe(x);
    const made = pc.ensureShape([[1, 2]], [1, null]);
    expect(made.shape).toEqual([1, 2]);
    expect(valuesOf(made)).toEqual([1, 2]);
  }));

  test('ensureShape names both shapes', () => pc.tidy(() => {
    const before = pc.memory().numTensors;
    expect(() => pc.ensureShape([1, 2, 3], [2])).toThrow('ensureShape: the tensor\'s shape [3] does not match the expected shape [2]');
    expect(pc.memory().numTensors).toBe(before);
    expect(() => pc.ensureShape(pc.zeros([2, 3]), [2, null, 1])).toThrow('ensureShape: the tensor\'s shape [2,3] does not match the expected shape [2,null,1]');
    expect(() => pc.ensureShape(pc.zeros([2]), [-2])).toThrow('ensureShape: shape must be a list of sizes (non-negative integers, or null or -1 for any size), got [-2]');
  }));

  test('broadcastArgs: as tfjs, and naming the axis that does not broadcast', () => pc.tidy(() => {
    for (const [s0, s1] of [[[2, 1, 3], [4, 1]], [[1], [5, 6]], [[7, 1], [1, 1, 1]], [[0], [1]]]) {
      const got = pc.broadcastArgs(pc.tensor(s0!, undefined, 'int32'), pc.tensor(s1!, undefined, 'int32'));
      expect(got.dtype).toBe('int32');
      expect(valuesOf(got)).toEqual(Array.from(tf.broadcastArgs(tf.tensor1d(s0!, 'int32'), tf.tensor1d(s1!, 'int32')).dataSync()));
    }
    expect(valuesOf(pc.broadcastArgs([3, 1], [2, 1, 5]))).toEqual([2, 3, 5]);
    expect(() => pc.broadcastArgs([2, 3], [4])).toThrow('broadcastArgs: shapes [2,3] and [4] do not broadcast: axis -1 (from the end) has sizes 3 and 4; each pair must be equal or contain a 1');
    expect(() => pc.broadcastArgs(pc.tensor([2, 3]), [4])).toThrow('broadcastArgs: s0 must be an int32 vector (rank 1), got a float32 tensor of shape [2]');
    expect(() => pc.broadcastArgs([2], pc.tensor([[2]], undefined, 'int32'))).toThrow('broadcastArgs: s1 must be an int32 vector (rank 1), got a int32 tensor of shape [1,1]');
    expect(() => pc.broadcastArgs([2, -1], [2])).toThrow('broadcastArgs: s0 must hold non-negative sizes, got [2,-1]');
  }));

  test('windows: length 1 is [1] (tfjs gives NaN), even lengths periodic, odd ones symmetric, as tfjs and TensorFlow', () => pc.tidy(() => {
    expect(valuesOf(pc.hannWindow(1))).toEqual([1]);
    expect(valuesOf(pc.hammingWindow(1))).toEqual([1]);
    expect(Number.isNaN(tf.signal.hannWindow(1).dataSync()[0])).toBe(true);
    expectClose(valuesOf(pc.hannWindow(4)), [0, 0.5, 1, 0.5], 0, 1e-7);
    expectClose(valuesOf(pc.hannWindow(5)), [0, 0.5, 1, 0.5, 0], 0, 1e-7);
    expectClose(valuesOf(pc.hannWindow(4, false)), [0, 0.75, 0.75, 0], 0, 1e-7);
    expectClose(valuesOf(pc.hammingWindow(5)), [0.08, 0.54, 1, 0.54, 0.08], 1e-6, 1e-7);
    for (const length of [2, 3, 8, 9, 16]) {
      expectClose(valuesOf(pc.hannWindow(length)), Array.from(tf.signal.hannWindow(length).dataSync()), 0, 2e-7);
      expectClose(valuesOf(pc.hammingWindow(length)), Array.from(tf.signal.hammingWindow(length).dataSync()), 0, 2e-7);
    }
    expect(pc.hannWindow(0).shape).toEqual([0]);
    expect(() => pc.hannWindow(-1)).toThrow('hannWindow: windowLength must be a non-negative integer, got -1');
    expect(() => pc.hammingWindow(2.5)).toThrow('hammingWindow: windowLength must be a non-negative integer, got 2.5');
  }));

  test('frame: padEnd by hand, no frames when the signal is short, batches, and tfjs\'s values', () => pc.tidy(() => {
    const signal = pc.tensor([1, 2, 3, 4, 5]);
    const padded = pc.frame(signal, 3, 2, true, 9);
    expect(padded.shape).toEqual([3, 3]);
    expect(valuesOf(padded)).toEqual([1, 2, 3, 3, 4, 5, 5, 9, 9]);
    expect(valuesOf(pc.frame(signal, 3, 2))).toEqual([1, 2, 3, 3, 4, 5]);
    expect(valuesOf(pc.frame(signal, 2, 3, true))).toEqual([1, 2, 4, 5]);
    expect(pc.frame([1, 2], 3, 1).shape).toEqual([0, 3]);
    const batch = pc.frame(pc.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]), 2, 2);
    expect(batch.shape).toEqual([2, 2, 2]);
    expect(valuesOf(batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ints = pc.frame(pc.tensor([1, 2, 3], undefined, 'int32'), 2, 2, true, -1);
    expect(ints.dtype).toBe('int32');
    expect(valuesOf(ints)).toEqual([1, 2, 3, -1]);
    const long = seeded(11, 900);
    for (const [length, step, padEnd] of [[4, 2, false], [3, 3, true], [5, 1, true], [2, 4, false], [12, 5, true]] as const) {
      expect(valuesOf(pc.frame(long, length, step, padEnd, 0.25))).toEqual(Array.from(tf.signal.frame(tf.tensor1d(long), length, step, padEnd, 0.25).dataSync()));
    }
  }));

  test('frame names its settings', () => pc.tidy(() => {
    expect(() => pc.frame(pc.scalar(1), 2, 1)).toThrow('frame: expected a signal of rank >= 1 (samples on the last axis), got shape []');
    expect(() => pc.frame([1, 2, 3], 0, 1)).toThrow('frame: frameLength must be a positive integer, got 0');
    expect(() => pc.frame([1, 2, 3], 2, 1.5)).toThrow('frame: frameStep must be a positive integer, got 1.5');
    expect(() => pc.frame(pc.tensor([1, 2], undefined, 'int32'), 2, 1, true, 0.5)).toThrow('frame: padValue must be a number (an integer for an int32 signal), got 0.5 for a int32 signal');
    expect(() => pc.frame(pc.tensor([true], undefined, 'bool'), 1, 1)).toThrow('frame: expected a float32 or int32 tensor, got bool');
  }));

  test('a qr, gramSchmidt and frame gradient step leaks no tensor', () => {
    const before = pc.memory().numTensors;
    const x = pc.tensor(seeded(12, 1000), [4, 3]);
    const tape = new pc.GradientTape();
    tape.watch(x);
    const loss = tape.record(() => pc.tidy(() => {
      const [q, r] = pc.qr(x);
      return pc.add(pc.add(pc.sum(q), pc.sum(r)), pc.sum(pc.add(pc.sum(pc.gramSchmidt(pc.transpose(x))), pc.sum(pc.frame(pc.reshape(x, [12]), 4, 3, true)))));
    }));
    const [g] = tape.gradient(loss, [x]);
    expect(g!.shape).toEqual([4, 3]);
    pc.dispose([x, loss, g!]);
    expect(pc.memory().numTensors).toBe(before);
  });
});

reportTally('linalg and signal ops');
