// What the op table cannot express for tfjs's host-side array ops (searchSorted, unique,
// bincount, setdiff1dAsync, whereAsync, booleanMaskAsync, sparseToDense), on every backend:
// hand-worked examples, brute-force references written here, and real tfjs; and stridedSlice's
// masks over many random specs against real tfjs and the NumPy-indexing oracle.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as pc from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import * as ref from '../src/reference/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { valuesOf } from './support/values.js';

/** Seeded integers in [lo, hi). */
function seededInts(count: number, seed: number, lo: number, hi: number): number[] {
  const g = new pc.RandomGenerator(seed);
  return Array.from({ length: count }, () => lo + Math.floor((hi - lo) * g.nextFloat()));
}

/** The gradient of sum(weights · f(x)) with respect to x, through the tape. */
function gradientOf(x: pc.Tensor, f: (x: pc.Tensor) => pc.Tensor, weights?: pc.Tensor): number[] {
  const tape = new pc.GradientTape();
  tape.watch(x);
  const loss = tape.record(() => { const y = f(x); return pc.sum(weights ? pc.mul(y, weights) : y); });
  return valuesOf(tape.gradient(loss, [x])[0]);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

forEachBackend('array ops extra', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('searchSorted, lowerBound, upperBound: the tfjs examples by hand', () => pc.tidy(() => {
    const seq = pc.tensor([1, 3, 5, 7, 9]);
    expect(valuesOf(pc.searchSorted(seq, pc.tensor([3, 6, 9])))).toEqual([1, 3, 4]);
    expect(valuesOf(pc.searchSorted(seq, pc.tensor([3, 6, 9]), 'right'))).toEqual([2, 3, 5]);
    expect(valuesOf(pc.lowerBound([0, 3, 9, 10, 10], [0, 10, 11]))).toEqual([0, 3, 5]);
    expect(valuesOf(pc.upperBound([0, 3, 9, 10, 10], [0, 10, 11]))).toEqual([1, 5, 5]);
    // Rows: each row of values searches its own row of the sequence.
    const rows = pc.searchSorted(pc.tensor([[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]]), pc.tensor([[2, 4, 9], [0, 2, 6]]), 'right');
    expect(rows.shape).toEqual([2, 3]);
    expect(rows.dtype).toBe('int32');
    expect(valuesOf(rows)).toEqual([1, 2, 4, 0, 2, 5]);
  }));

  test('searchSorted matches a linear count and tfjs on rows with repeats', () => pc.tidy(() => {
    const [rows, length, queries] = [3, 9, 7];
    const sorted = Array.from({ length: rows }, (_, r) => seededInts(length, 10 + r, -4, 5).sort((a, b) => a - b));
    const values = seededInts(rows * queries, 20, -6, 7);
    for (const side of ['left', 'right'] as const) {
      const got = valuesOf(pc.searchSorted(pc.tensor(sorted), pc.tensor(values, [rows, queries]), side));
      const brute = values.map((v, i) => sorted[Math.floor(i / queries)]!.filter((s) => (side === 'left' ? s < v : s <= v)).length);
      expect(got).toEqual(brute);
      expect(got).toEqual(Array.from(tf.searchSorted(tf.tensor(sorted), tf.tensor(values, [rows, queries]), side).dataSync()));
    }
  }));

  test('unique: first appearances in order, and where each entry went', () => pc.tidy(() => {
    const { values, indices } = pc.unique(pc.tensor([1, 1, 2, 4, 4, 4, 7, 8, 8]));
    expect(valuesOf(values)).toEqual([1, 2, 4, 7, 8]);
    expect(valuesOf(indices)).toEqual([0, 0, 1, 2, 2, 2, 3, 4, 4]);
    // 0 and −0 are one value; each NaN is its own.
    const signed = pc.unique(pc.tensor([0, -0, NaN, 3, NaN]));
    expect(valuesOf(signed.values).map(String)).toEqual(['0', 'NaN', '3', 'NaN']);
    expect(valuesOf(signed.indices)).toEqual([0, 0, 1, 2, 3]);
    // Along axis 1: columns [1,4], [0,3], [1,4] → two distinct columns.
    const columns = pc.unique(pc.tensor([[1, 0, 1], [4, 3, 4]]), 1);
    expect(columns.values.shape).toEqual([2, 2]);
    expect(valuesOf(columns.values)).toEqual([1, 0, 4, 3]);
    expect(valuesOf(columns.indices)).toEqual([0, 1, 0]);
    const flags = pc.unique(pc.tensor([true, true, false], undefined, 'bool'));
    expect(flags.values.dtype).toBe('bool');
    expect(valuesOf(flags.values)).toEqual([1, 0]);
  }));

  test('unique matches tfjs on int32 rows along each axis', () => pc.tidy(() => {
    const data = seededInts(4 * 3 * 2, 30, 0, 2);
    for (const axis of [0, 1, 2, -1]) {
      const got = pc.unique(pc.tensor(data, [4, 3, 2], 'int32'), axis);
      const want = tf.unique(tf.tensor(data, [4, 3, 2], 'int32'), axis);
      expect(got.values.shape).toEqual(want.values.shape);
      expect(valuesOf(got.values)).toEqual(Array.from(want.values.dataSync()));
      expect(valuesOf(got.indices)).toEqual(Array.from(want.indices.dataSync()));
    }
  }));

  test('bincount and denseBincount: counts, weights, binary output, values past size', () => pc.tidy(() => {
    const x = pc.tensor([1, 1, 2, 5, 0, 1], undefined, 'int32');
    expect(valuesOf(pc.bincount(x, pc.tensor([], [0], 'int32'), 4))).toEqual([1, 3, 1, 0]);
    const weighted = pc.bincount(x, pc.tensor([0.5, 1, 2, 9, 0.25, 4]), 3);
    expect(weighted.dtype).toBe('float32');
    expect(valuesOf(weighted)).toEqual([0.25, 5.5, 2]);
    const rows = pc.tensor([[1, 1, 3], [0, 2, 2]], undefined, 'int32');
    expect(valuesOf(pc.denseBincount(rows, pc.tensor([], [0], 'int32'), 4))).toEqual([0, 2, 0, 1, 1, 0, 2, 0]);
    expect(valuesOf(pc.denseBincount(rows, pc.tensor([], [0], 'int32'), 4, true))).toEqual([0, 1, 0, 1, 1, 0, 1, 0]);
    const data = seededInts(40, 40, 0, 12);
    const weights = seededInts(40, 41, -5, 5);
    expect(valuesOf(pc.bincount(pc.tensor(data, undefined, 'int32'), pc.tensor(weights), 10)))
      .toEqual(Array.from(tf.bincount(tf.tensor1d(data, 'int32'), tf.tensor1d(weights), 10).dataSync()));
    expect(valuesOf(pc.denseBincount(pc.tensor(data, [4, 10], 'int32'), pc.tensor(weights, [4, 10]), 10, false)))
      .toEqual(Array.from(tf.denseBincount(tf.tensor2d(data, [4, 10], 'int32'), tf.tensor2d(weights, [4, 10]), 10, false).dataSync()));
  }));

  test('setdiff1dAsync: what x has that y lacks, in order, with positions', async () => {
    const [out, indices] = await pc.setdiff1dAsync([1, 2, 3, 4, 5, 6], [1, 3, 5]);
    expect(valuesOf(out)).toEqual([2, 4, 6]);
    expect(valuesOf(indices)).toEqual([1, 3, 5]);
    const [ints, at] = await pc.setdiff1dAsync(pc.tensor([7, 7, 1, 9], undefined, 'int32'), pc.tensor([9], undefined, 'int32'));
    expect(ints.dtype).toBe('int32');
    expect([valuesOf(ints), valuesOf(at)]).toEqual([[7, 7, 1], [0, 1, 2]]);
    pc.dispose([out, indices, ints, at]);
  });

  test('whereAsync: the coordinates of true entries, row-major, as tfjs gives them', async () => {
    const condition = pc.tensor([[true, false, false], [false, true, true]], undefined, 'bool');
    const coordinates = await pc.whereAsync(condition);
    expect(coordinates.shape).toEqual([3, 2]);
    expect(valuesOf(coordinates)).toEqual([0, 0, 1, 1, 1, 2]);
    const flags = seededInts(24, 50, 0, 2);
    const got = await pc.whereAsync(pc.tensor(flags.map(Boolean), [2, 3, 4], 'bool'));
    const want = await tf.whereAsync(tf.tensor(flags.map(Boolean), [2, 3, 4], 'bool'));
    expect(got.shape).toEqual(want.shape);
    expect(valuesOf(got)).toEqual(Array.from(want.dataSync()));
    expect((await pc.whereAsync(pc.tensor([false, false], undefined, 'bool'))).shape).toEqual([0, 1]);
    pc.dispose([condition, coordinates, got]);
  });

  test('booleanMaskAsync: the tfjs example, a mask from axis 1, and the gradient back to x', async () => {
    const x = pc.tensor([[1, 2], [3, 4], [5, 6]]);
    const picked = await pc.booleanMaskAsync(x, pc.tensor([true, false, true], undefined, 'bool'));
    expect(valuesOf(picked)).toEqual([1, 2, 5, 6]);
    const cube = pc.tensor(Array.from({ length: 12 }, (_, i) => i), [2, 3, 2]);
    const mask = pc.tensor([[true, false], [false, true], [true, true]], undefined, 'bool');
    const fromAxis1 = await pc.booleanMaskAsync(cube, mask, 1);
    expect(fromAxis1.shape).toEqual([2, 4]);
    expect(valuesOf(fromAxis1)).toEqual([0, 3, 4, 5, 6, 9, 10, 11]);
    const want = await tf.booleanMaskAsync(tf.tensor(valuesOf(cube), [2, 3, 2]), tf.tensor([[true, false], [false, true], [true, true]], undefined, 'bool'), 1);
    expect(valuesOf(fromAxis1)).toEqual(Array.from(want.dataSync()));
    const tape = new pc.GradientTape();
    tape.watch(x);
    const loss = await tape.record(async () => pc.sum(await pc.booleanMaskAsync(x, pc.tensor([false, true, true], undefined, 'bool'))));
    expect(valuesOf(tape.gradient(loss, [x])[0])).toEqual([0, 0, 1, 1, 1, 1]);
    pc.dispose([x, picked, cube, mask, fromAxis1, loss]);
  });

  test('sparseToDense: coordinates, a vector, a scalar value, and the gradients of values and default', () => pc.tidy(() => {
    const dense = pc.sparseToDense(pc.tensor([[0, 1], [2, 0]], undefined, 'int32'), pc.tensor([5, 7]), [3, 2], 9);
    expect(valuesOf(dense)).toEqual([9, 5, 9, 9, 7, 9]);
    expect(valuesOf(pc.sparseToDense(pc.tensor([4, 0, 2], undefined, 'int32'), pc.tensor([1, 2, 3], undefined, 'int32'), [6]))).toEqual([2, 0, 3, 0, 1, 0]);
    expect(valuesOf(pc.sparseToDense(pc.tensor([1, 3], undefined, 'int32'), pc.scalar(4), [4], pc.scalar(-1)))).toEqual([-1, 4, -1, 4]);
    // An infinite default stays out of the placed values.
    expect(valuesOf(pc.sparseToDense(pc.tensor([1], undefined, 'int32'), pc.tensor([2]), [3], Infinity))).toEqual([Infinity, 2, Infinity]);
    const weights = pc.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const indices = pc.tensor([[2, 1], [0, 0]], undefined, 'int32');
    expect(gradientOf(pc.tensor([10, 20]), (v) => pc.sparseToDense(indices, v, [3, 2], 0), weights)).toEqual([6, 1]);
    expect(gradientOf(pc.scalar(0), (d) => pc.sparseToDense(indices, pc.tensor([10, 20]), [3, 2], d), weights)).toEqual([2 + 3 + 4 + 5]);
    const want = tf.sparseToDense(tf.tensor([[0, 1], [2, 0]], undefined, 'int32'), tf.tensor([5, 7]), [3, 2], tf.scalar(9));
    expect(valuesOf(dense)).toEqual(Array.from(want.dataSync()));
  }));

  test('host-side results carry no gradient and show up as ops to tracers', () => pc.tidy(() => {
    const x = pc.tensor([3, 1, 3]);
    const tape = new pc.GradientTape();
    tape.watch(x);
    const y = tape.record(() => pc.sum(pc.cast(pc.searchSorted(pc.tensor([0, 2, 4]), x), 'float32')));
    expect(tape.gradient(y, [x])[0]).toBeNull();
    const names: string[] = [];
    pc.traceOps(() => pc.unique(x), (op) => names.push(op.name));
    expect(names).toEqual(['unique', 'uniqueIndices']);
  }));

  // tfjs gets new and shrunk axes wrong: x[..., None, None, 1] of a [4,3,5] tensor reads the
  // wrong entries, x[-4] with beginMask 1 and stride 3 reads rows 0, 3, 0 (TensorFlow ignores a
  // shrunk axis' masks), and x[3, ::-1] reads out of range. Specs with either mask are checked
  // against the NumPy-indexing oracle only, as are specs tfjs refuses (an empty range can give its
  // slice a negative size).
  test('stridedSlice matches tfjs and the NumPy-indexing oracle over random specs with every mask', () => pc.tidy(() => {
    const shape = [4, 3, 5];
    const data = Array.from({ length: 60 }, (_, i) => i);
    const g = new pc.RandomGenerator(60);
    const pick = (lo: number, hi: number): number => lo + Math.floor((hi - lo) * g.nextFloat());
    const checked = { tfjs: 0, oracle: 0 };
    for (let trial = 0; trial < 600; trial++) {
      const length = pick(1, 5);
      const begin = Array.from({ length }, () => pick(-6, 7));
      const end = Array.from({ length }, () => pick(-6, 7));
      const strides = Array.from({ length }, () => [1, 2, 3, -1, -2][pick(0, 5)]!);
      const [beginMask, endMask, , newAxisMask, shrinkAxisMask] = Array.from({ length: 5 }, () => pick(0, 1 << length)) as [number, number, number, number, number];
      const ellipsisMask = [0, 0, 1, 2, 4][pick(0, 5)]! & ((1 << length) - 1);
      const masks = [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] as const;
      let got: pc.Tensor;
      try {
        got = pc.stridedSlice(pc.tensor(data, shape), begin, end, strides, ...masks);
      } catch (error) {
        // Only TensorFlow's own refusals: a shrunk index out of range or with a negative stride, too many indexed axes.
        expect(String(error)).toMatch(/stridedSlice: (index .* is out of range|shrinkAxisMask takes one entry|the spec indexes)/);
        continue;
      }
      const context = JSON.stringify({ begin, end, strides, masks });
      const want = ref.stridedSlice(ref.ndarray(shape, data), begin, end, strides, { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask });
      expect([got.shape, valuesOf(got)], context).toEqual([want.shape, Array.from(want.data)]);
      checked.oracle++;
      if (newAxisMask !== 0 || shrinkAxisMask !== 0) continue;
      let fromTfjs: tf.Tensor;
      try {
        fromTfjs = tf.stridedSlice(tf.tensor(data, shape), begin, end, strides, ...masks);
      } catch {
        continue;
      }
      expect([got.shape, valuesOf(got)], context).toEqual([fromTfjs.shape, Array.from(fromTfjs.dataSync())]);
      checked.tfjs++;
    }
    expect(checked.oracle).toBeGreaterThan(200);
    expect(checked.tfjs).toBeGreaterThan(20);
  }));
});

reportTally('array ops extra');
