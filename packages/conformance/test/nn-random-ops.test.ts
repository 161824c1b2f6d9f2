// What the op table cannot express for tfjs's nn and random ops, on every backend: the random
// ops' distributions (fixed seeds, so each check is deterministic; bounds of six standard errors,
// or the chi-square's mean plus six of its standard deviations, so a correct sampler passes by
// a wide margin and a wrong mean, spread or table fails), seed reproducibility, shapes and dtypes;
// dropout's mask and gradient; and the nn composites against real tfjs, gradients and ties included.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's gradients register with its full bundle only; the tfjs-checked gradients need them.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import * as pc from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose, valuesOf } from './support/values.js';

/** Seeded values in [lo, hi), row-major for `shape`. */
function seeded(shape: number[], seed: number, lo = -1, hi = 1): number[] {
  const g = new pc.RandomGenerator(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(lo + (hi - lo) * g.nextFloat()));
}

const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const varianceOf = (v: readonly number[]): number => {
  const m = meanOf(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};

/** Pearson's chi-square of `counts` against `probabilities`, and its bound: dof + 6·sqrt(2·dof). */
function chiSquare(counts: readonly number[], probabilities: readonly number[]): { statistic: number; bound: number } {
  const n = counts.reduce((a, b) => a + b, 0);
  const used = probabilities.map((p, k) => [p, counts[k]!] as const).filter(([p]) => p > 0);
  const statistic = used.reduce((s, [p, c]) => s + (c - n * p) ** 2 / (n * p), 0);
  const dof = used.length - 1;
  return { statistic, bound: dof + 6 * Math.sqrt(2 * dof) };
}

const countsOf = (values: readonly number[], outcomes: number): number[] => {
  const counts = new Array<number>(outcomes).fill(0);
  values.forEach((v) => counts[v]!++);
  return counts;
};

/** Mean and variance within six standard errors; the variance's error from the kurtosis excess. */
function expectMoments(values: readonly number[], mean: number, variance: number, excessKurtosis: number): void {
  const n = values.length;
  expect(Math.abs(meanOf(values) - mean)).toBeLessThan(6 * Math.sqrt(variance / n));
  expect(Math.abs(varianceOf(values) - variance)).toBeLessThan(6 * variance * Math.sqrt((2 + excessKurtosis) / n));
}

/** The values and the gradients of sum(f(xs) · weights) for each of xs, in tfjs (CPU). */
function tfjsValueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: { shape: number[]; values: number[] }[], valuesOnly = false): { value: number[]; grads: number[][] } {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const value = f(...xs);
    if (valuesOnly) return { value: Array.from(value.dataSync()), grads: [] };
    const weights = tf.tensor(seeded(value.shape, 99), value.shape);
    const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(...ys), weights)))(xs);
    return { value: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

/** The same for a core op, through a tape. */
function coreValueAndGrads(f: (...xs: pc.Tensor[]) => pc.Tensor, inputs: { shape: number[]; values: number[] }[]): { value: number[]; grads: number[][] } {
  return pc.tidy(() => {
    const xs = inputs.map((i) => pc.variable(pc.tensor(i.values, i.shape)));
    const tape = new pc.GradientTape();
    let value!: pc.Tensor;
    const loss = tape.record(() => {
      value = f(...xs);
      return pc.sum(pc.mul(value, pc.tensor(seeded(value.shape as number[], 99), value.shape)));
    });
    const grads = tape.gradient(loss, xs);
    return { value: valuesOf(value), grads: grads.map((g) => valuesOf(g)) };
  });
}

const input = (shape: number[], seed: number, lo = -1, hi = 1) => ({ shape, values: seeded(shape, seed, lo, hi) });

interface Comparison {
  name: string;
  inputs: { shape: number[]; values: number[] }[];
  core: (...xs: pc.Tensor[]) => pc.Tensor;
  tfjs: (...xs: tf.Tensor[]) => tf.Tensor;
  /** tfjs has no gradient for Conv3DBackpropInputV2, nor for dilated depthwise convolutions: the table's finite differences check those. */
  valuesOnly?: true;
}

// A window tie (equal sums at two taps) is where TensorFlow's rule shows: the gradient goes to
// the first tap in row-major order. The tied image below is constant; its filter is 0 at two taps.
const TIED = { shape: [1, 3, 3, 1], values: [1, 1, 1, 1, 1, 1, 1, 1, 1] };
const COMPARISONS: Comparison[] = [
  {
    name: 'localResponseNormalization radius 2, bias 1.5, alpha 0.4, beta 0.75', inputs: [input([2, 3, 3, 6], 1)],
    core: (x) => pc.localResponseNormalization(x, 2, 1.5, 0.4, 0.75), tfjs: (x) => tf.localResponseNormalization(x as tf.Tensor4D, 2, 1.5, 0.4, 0.75),
  },
  {
    name: 'dilation2d same, strides 2, dilations 1', inputs: [input([2, 5, 5, 2], 2), input([3, 2, 2], 3)],
    core: (x, f) => pc.dilation2d(x, f, 2, 'same'), tfjs: (x, f) => tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, 2, 'same'),
  },
  {
    name: 'dilation2d valid, dilations 2', inputs: [input([1, 6, 5, 2], 4), input([2, 2, 2], 5)],
    core: (x, f) => pc.dilation2d(x, f, 1, 'valid', 2), tfjs: (x, f) => tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, 1, 'valid', 2),
  },
  {
    name: 'dilation2d with tied windows: the first tap takes the gradient', inputs: [TIED, { shape: [2, 2, 1], values: [0, -1, 0, -1] }],
    core: (x, f) => pc.dilation2d(x, f, 1, 'valid'), tfjs: (x, f) => tf.dilation2d(x as tf.Tensor4D, f as tf.Tensor3D, 1, 'valid'),
  },
  {
    name: 'conv3dTranspose same, strides [2,1,2]', inputs: [input([1, 2, 3, 2, 3], 6), input([3, 2, 2, 2, 3], 7)],
    core: (x, f) => pc.conv3dTranspose(x, f, [1, 4, 3, 4, 2], [2, 1, 2], 'same'),
    tfjs: (x, f) => tf.conv3dTranspose(x as tf.Tensor5D, f as tf.Tensor5D, [1, 4, 3, 4, 2], [2, 1, 2], 'same'), valuesOnly: true,
  },
  {
    name: 'conv2dTranspose valid, strides 2', inputs: [input([2, 2, 3, 3], 8), input([3, 3, 2, 3], 9)],
    core: (x, f) => pc.conv2dTranspose(x, f, [2, 5, 7, 2], 2, 'valid'), tfjs: (x, f) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, 5, 7, 2], 2, 'valid'),
  },
  {
    name: 'separableConv2d same, dilation 2', inputs: [input([1, 6, 6, 2], 10), input([3, 3, 2, 2], 11), input([1, 1, 4, 3], 12)],
    core: (x, d, p) => pc.separableConv2d(x, d, p, 1, 'same', 2),
    tfjs: (x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same', 2), valuesOnly: true,
  },
  {
    name: 'separableConv2d valid, strides 2', inputs: [input([1, 7, 6, 2], 27), input([3, 2, 2, 1], 28), input([1, 1, 2, 3], 29)],
    core: (x, d, p) => pc.separableConv2d(x, d, p, 2, 'valid'),
    tfjs: (x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 2, 'valid'),
  },
  {
    name: 'conv1d same, stride 2', inputs: [input([2, 9, 3], 13), input([4, 3, 2], 14)],
    core: (x, f) => pc.conv1d(x, f, 2, 'same'), tfjs: (x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 2, 'same'),
  },
  {
    name: 'batchNorm, rank-1 statistics', inputs: [input([2, 3, 4], 15), input([4], 16), input([4], 17, 0.5, 1.5), input([4], 18), input([4], 19)],
    core: (x, m, v, o, s) => pc.batchNorm(x, m, v, o, s, 0.01), tfjs: (x, m, v, o, s) => tf.batchNorm(x!, m!, v!, o, s, 0.01),
  },
  {
    // avgPool 'valid': with 'same', tfjs's AvgPoolGrad divides by the whole window, padding
    // included, unlike its forward pass and TensorFlow's; the table checks ours against both.
    name: 'avgPool (valid) and maxPool (same) of one image', inputs: [input([5, 5, 2], 20)],
    core: (x) => pc.add(pc.avgPool(x, 3, 1, 'valid'), pc.maxPool(x, [3, 2], 2, 'same')),
    tfjs: (x) => tf.add(tf.avgPool(x as tf.Tensor3D, 3, 1, 'valid'), tf.maxPool(x as tf.Tensor3D, [3, 2], 2, 'same')),
  },
  {
    name: 'basicLSTMCell c\' + 2h\'', inputs: [input([], 21), input([5, 12], 22), input([12], 23), input([2, 2], 24), input([2, 3], 25), input([2, 3], 26)],
    core: (fb, k, b, d, c, h) => {
      const [newC, newH] = pc.basicLSTMCell(fb!, k!, b!, d!, c!, h!);
      return pc.add(newC, pc.mul(newH, 2));
    },
    tfjs: (fb, k, b, d, c, h) => {
      const [newC, newH] = tf.basicLSTMCell(fb as tf.Scalar, k as tf.Tensor2D, b as tf.Tensor1D, d as tf.Tensor2D, c as tf.Tensor2D, h as tf.Tensor2D);
      return tf.add(newC, tf.mul(newH, 2));
    },
  },
];

const TFJS = new Map<string, { value: number[]; grads: number[][] }>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of COMPARISONS) TFJS.set(c.name, tfjsValueAndGrads(c.tfjs, c.inputs, c.valuesOnly));
});

forEachBackend('nn and random ops', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  for (const c of COMPARISONS) {
    test(`${c.name}: values and gradients are tfjs's`, () => {
      const want = TFJS.get(c.name)!;
      const got = coreValueAndGrads(c.core, c.inputs);
      expectClose(got.value, want.value, 1e-5, 1e-6);
      want.grads.forEach((g, i) => expectClose(got.grads[i]!, g, 1e-4, 1e-5));
    });
  }

  test('maxPoolWithArgmax: values and indexes are tfjs\'s, with and without the batch term', () => pc.tidy(() => {
    const x = input([2, 5, 6, 3], 30);
    for (const includeBatch of [false, true]) {
      const want = tf.tidy(() => {
        const r = tf.maxPoolWithArgmax(tf.tensor4d(x.values, x.shape as [number, number, number, number]), 3, 2, 'same', includeBatch);
        return [Array.from(r.result.dataSync()), Array.from(r.indexes.dataSync())];
      });
      const { result, indexes } = pc.maxPoolWithArgmax(pc.tensor(x.values, x.shape), 3, 2, 'same', includeBatch);
      expect(indexes.dtype).toBe('int32');
      expect(valuesOf(result)).toEqual(want[0]);
      expect(valuesOf(indexes)).toEqual(want[1]);
    }
  }));

  test('dropout keeps 1 − rate of the values, scaled by 1 / (1 − rate); its gradient is the mask', () => pc.tidy(() => {
    const x = pc.variable(pc.ones([100, 100]));
    const tape = new pc.GradientTape();
    let y!: pc.Tensor;
    const loss = tape.record(() => pc.sum((y = pc.dropout(x, 0.3, undefined, 7))));
    const values = valuesOf(y);
    const kept = values.filter((v) => v !== 0);
    kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 6));
    // Binomial(10000, 0.7): standard deviation ≈ 46.
    expect(Math.abs(kept.length - 7000)).toBeLessThan(6 * Math.sqrt(10000 * 0.7 * 0.3));
    expect(valuesOf(tape.gradient(loss, [x])[0])).toEqual(values);
    expect(valuesOf(pc.dropout(x, 0.3, undefined, 7))).toEqual(values);
    expect(valuesOf(pc.dropout(x, 0))).toEqual(valuesOf(x));
  }));

  test('dropout with noiseShape [1, 6] drops whole columns; null takes x\'s size', () => pc.tidy(() => {
    const columns = pc.dropout(pc.ones([5, 6]), 0.5, [1, 6], 3).arraySync() as number[][];
    columns.forEach((row) => expect(row).toEqual(columns[0]));
    expect(pc.dropout(pc.ones([5, 6]), 0.5, [null, 1], 3).shape).toEqual([5, 6]);
  }));

  test('randomStandardNormal: mean 0, variance 1; seeds repeat', () => pc.tidy(() => {
    const values = valuesOf(pc.randomStandardNormal([20000], 'float32', 11));
    expectMoments(values, 0, 1, 0);
    expect(valuesOf(pc.randomStandardNormal([50], 'float32', 11))).toEqual(values.slice(0, 50));
    expect(pc.randomStandardNormal([2, 3], 'int32', 1).dtype).toBe('int32');
  }));

  test('randomUniformInt: int32, every integer of [−3, 5) equally likely (chi-square)', () => pc.tidy(() => {
    const t = pc.randomUniformInt([16000], -3, 5, 12);
    expect(t.dtype).toBe('int32');
    const values = valuesOf(t);
    expect(Math.min(...values)).toBe(-3);
    expect(Math.max(...values)).toBe(4);
    const { statistic, bound } = chiSquare(countsOf(values.map((v) => v + 3), 8), new Array(8).fill(1 / 8));
    expect(statistic).toBeLessThan(bound);
    expect(valuesOf(pc.randomUniformInt([16000], -3, 5, 12))).toEqual(values);
  }));

  for (const [alpha, beta] of [[0.5, 1], [2.5, 2], [9, 0.5]] as const) {
    test(`randomGamma(alpha ${alpha}, beta ${beta}): mean alpha/beta, variance alpha/beta², positive`, () => pc.tidy(() => {
      const values = valuesOf(pc.randomGamma([20000], alpha, beta, 'float32', 13));
      expect(values.every((v) => v > 0)).toBe(true);
      expectMoments(values, alpha / beta, alpha / beta ** 2, 6 / alpha);
    }));
  }

  test('randomGamma: seeds repeat; int32 values are whole', () => pc.tidy(() => {
    expect(valuesOf(pc.randomGamma([20], 2, 1, 'float32', 5))).toEqual(valuesOf(pc.randomGamma([20], 2, 1, 'float32', 5)));
    const ints = pc.randomGamma([20], 20, 1, 'int32', 5);
    expect(ints.dtype).toBe('int32');
    expect(valuesOf(ints).every(Number.isInteger)).toBe(true);
  }));

  test('multinomial: softmax(logits) and normalized rows, each row its own table (chi-square)', () => pc.tidy(() => {
    const logits = [Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)];
    const probabilities = [[0.1, 0.2, 0.3, 0.4], [0.5, 0, 0.25, 0.25]];
    const fromLogits = pc.multinomial(pc.tensor([logits, [Math.log(0.5), -1e30, Math.log(0.25), Math.log(0.25)]]), 8000, 21);
    const normalized = pc.multinomial(pc.tensor(probabilities), 8000, 22, true);
    for (const samples of [fromLogits, normalized]) {
      expect(samples.dtype).toBe('int32');
      expect(samples.shape).toEqual([2, 8000]);
      const rows = samples.arraySync() as number[][];
      rows.forEach((row, r) => {
        const { statistic, bound } = chiSquare(countsOf(row, 4), probabilities[r]!);
        expect(statistic).toBeLessThan(bound);
      });
      expect(countsOf(rows[1]!, 4)[1]).toBe(0);
    }
    expect(pc.multinomial(pc.tensor(logits), 5, 1).shape).toEqual([5]);
    expect(valuesOf(pc.multinomial(pc.tensor(logits), 50, 4))).toEqual(valuesOf(pc.multinomial(pc.tensor(logits), 50, 4)));
  }));

  test('rand fills from randFunction in order, as tfjs\'s; int32 truncates', () => pc.tidy(() => {
    const counter = () => {
      let k = 0;
      return () => (k += 0.75);
    };
    expect(valuesOf(pc.rand([2, 3], counter()))).toEqual(Array.from(tf.tidy(() => tf.rand([2, 3], counter()).dataSync())));
    expect(valuesOf(pc.rand([4], counter(), 'int32'))).toEqual(Array.from(tf.tidy(() => tf.rand([4], counter(), 'int32').dataSync())));
  }));

  test('the composites leave no tensor behind but their results', () => pc.tidy(() => {
    const x = pc.tensor(seeded([1, 4, 4, 2], 40), [1, 4, 4, 2]);
    const [volume, sequence, zeros2, ones2] = [pc.ones([1, 1, 2, 2, 2]), pc.reshape(x, [4, 4, 2]), pc.zeros([2]), pc.ones([2])];
    const filters = [pc.zeros([2, 2, 2]), pc.ones([2, 2, 3, 2]), pc.ones([2, 2, 2, 1]), pc.ones([1, 1, 2, 2]), pc.ones([2, 2, 2, 1, 2]), pc.ones([2, 2, 1])];
    const lstm = [pc.scalar(1), pc.ones([3, 4]), pc.zeros([4]), pc.ones([1, 2]), pc.ones([1, 1]), pc.ones([1, 1])] as const;
    const logits = pc.zeros([2, 3]);
    const before = pc.memory().numTensors;
    const results = [
      pc.maxPool(x, 2, 1, 'same'), pc.avgPool(x, 2, 1, 'same'), pc.localResponseNormalization(x, 1), pc.dropout(x, 0.5, [1, 1, 1, 2], 1),
      pc.dilation2d(x, filters[0]!, 1, 'same'), ...Object.values(pc.maxPoolWithArgmax(x, 2, 2, 'same')),
      pc.conv2dTranspose(x, filters[1]!, [1, 4, 4, 3], 1, 'same'), pc.separableConv2d(x, filters[2]!, filters[3]!, 1, 'same'),
      pc.conv3dTranspose(volume, filters[4]!, [1, 2, 4, 4, 1], 2, 'same'), pc.conv1d(sequence, filters[5]!, 1, 'same'),
      pc.batchNorm(x, zeros2, ones2, zeros2, ones2), ...pc.basicLSTMCell(...lstm),
      pc.multinomial(logits, 4, 1), pc.randomGamma([3], 1, 1, 'float32', 1), pc.randomStandardNormal([3]), pc.randomUniformInt([3], 0, 4), pc.rand([3], () => 1),
    ];
    expect(pc.memory().numTensors - before).toBe(results.length);
  }));

  test('without a seed, the random ops draw from the global generator: setSeed repeats them', () => pc.tidy(() => {
    const draw = () => [pc.randomGamma([5], 1), pc.randomStandardNormal([5]), pc.randomUniformInt([5], 0, 100), pc.multinomial(pc.tensor([0, 1, 2]), 5), pc.dropout(pc.ones([5]), 0.5)].map(valuesOf);
    pc.setSeed(123);
    const first = draw();
    pc.setSeed(123);
    expect(draw()).toEqual(first);
  }));
});

reportTally('nn-random-ops');
