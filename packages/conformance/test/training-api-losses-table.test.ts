// The Keras losses beyond the lab's (percentage and logarithmic errors, Huber, log-cosh, cosine
// similarity, Poisson, KL divergence, the hinges, label smoothing): each value against a float64
// transcription of Keras 3's formula, each gradient against central differences of that float64
// function, then names, configs and a save/load round trip.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';

const EPS = 1e-7;
type Rows = number[][];
/** One loss per sample, from rows of targets and predictions. */
type PerSample = (t: Rows, p: Rows) => number[];

const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sumOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
const clip = (x: number, low: number, high: number): number => Math.min(Math.max(x, low), high);
const rowsOf = (v: readonly number[], columns: number): Rows => Array.from({ length: v.length / columns }, (_, i) => v.slice(i * columns, (i + 1) * columns));
/** Keras's per-sample mean over the last axis of an elementwise function. */
const elementwise = (f: (t: number, p: number) => number): PerSample => (t, p) => t.map((row, i) => meanOf(row.map((v, j) => f(v, p[i]![j]!))));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const softmaxRow = (x: readonly number[]): number[] => {
  const e = x.map((v) => Math.exp(v - Math.max(...x)));
  return e.map((v) => v / sumOf(e));
};
const smoothBinary = (s: number) => (t: number): number => t * (1 - s) + 0.5 * s;

const huberRef = (delta: number) => elementwise((t, p) => {
  const e = Math.abs(p - t);
  return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
});
const norm = (row: readonly number[]): number => Math.max(Math.hypot(...row), EPS);
const signed = (t: Rows): Rows => (t.flat().every((v) => v === 0 || v === 1) ? t.map((r) => r.map((v) => 2 * v - 1)) : t);
const hingeRef = (square: boolean): PerSample => (t, p) => {
  const y = signed(t);
  return y.map((row, i) => meanOf(row.map((v, j) => Math.max(1 - v * p[i]![j]!, 0) ** (square ? 2 : 1))));
};
const bceRef = (s: number, fromLogits: boolean): PerSample => elementwise((t, x) => {
  const z = smoothBinary(s)(t);
  const p = clip(fromLogits ? sigmoid(x) : x, EPS, 1 - EPS);
  return -(z * Math.log(p) + (1 - z) * Math.log(1 - p));
});
const cceRef = (s: number, fromLogits: boolean): PerSample => (t, x) => t.map((row, i) => {
  const probabilities = fromLogits ? softmaxRow(x[i]!) : x[i]!.map((v) => clip(v / sumOf(x[i]!), EPS, 1 - EPS));
  return -sumOf(row.map((v, j) => (v * (1 - s) + s / row.length) * Math.log(probabilities[j]!)));
});

interface Case {
  name: string;
  make: () => pc.Loss;
  yTrue: number[];
  yPred: number[];
  columns: number;
  reference: PerSample;
}

// No prediction sits on a kink (|e| = δ for Huber, a margin of exactly 0 for the hinges), where
// central differences would average two slopes.
const CASES: Case[] = [
  {
    name: 'MeanAbsolutePercentageError', make: () => new pc.MeanAbsolutePercentageError(),
    yTrue: [1, -2, 0.5, 3, 4, -1], yPred: [1.5, -1, 0.2, 2, 4.5, -1.4], columns: 3,
    reference: elementwise((t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPS)),
  },
  {
    name: 'MeanSquaredLogarithmicError', make: () => new pc.MeanSquaredLogarithmicError(),
    yTrue: [1, -2, 0.5, 3, 4, 10], yPred: [1.5, 1, 0.2, 2, 4.5, 8], columns: 3,
    reference: elementwise((t, p) => (Math.log1p(Math.max(p, EPS)) - Math.log1p(Math.max(t, EPS))) ** 2),
  },
  {
    name: 'Huber (δ 1)', make: () => new pc.Huber(),
    yTrue: [0, 1, -2, 3, 0.5, 0], yPred: [0.3, 3, -2.4, 0.2, 0.4, -5], columns: 3, reference: huberRef(1),
  },
  {
    name: 'Huber (δ 0.25)', make: () => new pc.Huber({ delta: 0.25 }),
    yTrue: [0, 1, -2, 3, 0.5, 0], yPred: [0.1, 3, -2.4, 0.2, 0.4, -5], columns: 3, reference: huberRef(0.25),
  },
  {
    name: 'LogCosh', make: () => new pc.LogCosh(),
    yTrue: [0, 1, -2, 3, 0.5, 0], yPred: [0.3, 3, -2.4, 0.2, 0.4, -30], columns: 3,
    reference: elementwise((t, p) => Math.log(Math.cosh(p - t))),
  },
  {
    name: 'CosineSimilarity', make: () => new pc.CosineSimilarity(),
    yTrue: [1, 2, 2, 0, 0, 1], yPred: [2, 1, -2, 0.5, 0.5, 3], columns: 3,
    reference: (t, p) => t.map((row, i) => -sumOf(row.map((v, j) => (v / norm(row)) * (p[i]![j]! / norm(p[i]!))))),
  },
  {
    name: 'Poisson', make: () => new pc.Poisson(),
    yTrue: [0, 1, 3, 2, 5, 1], yPred: [0.5, 1.2, 2.5, 2, 4, 0.3], columns: 3,
    reference: elementwise((t, p) => p - t * Math.log(p + EPS)),
  },
  {
    name: 'KLDivergence', make: () => new pc.KLDivergence(),
    yTrue: [0.2, 0.5, 0.3, 0, 1, 0], yPred: [0.3, 0.4, 0.3, 0.1, 0.7, 0.2], columns: 3,
    reference: (t, p) => t.map((row, i) => sumOf(row.map((v, j) => {
      const [y, q] = [clip(v, EPS, 1), clip(p[i]![j]!, EPS, 1)];
      return y * Math.log(y / q);
    }))),
  },
  {
    name: 'Hinge (0/1 labels, made ±1)', make: () => new pc.Hinge(),
    yTrue: [1, 0, 1, 0, 0, 1], yPred: [0.3, 0.4, 2, -0.2, -1.5, -0.6], columns: 3, reference: hingeRef(false),
  },
  {
    name: 'Hinge (±1 labels)', make: () => new pc.Hinge(),
    yTrue: [1, -1, 1, -1, -1, 1], yPred: [0.3, 0.4, 2, -0.2, -1.5, -0.6], columns: 3, reference: hingeRef(false),
  },
  {
    name: 'SquaredHinge', make: () => new pc.SquaredHinge(),
    yTrue: [1, 0, 1, 0, 0, 1], yPred: [0.3, 0.4, 2, -0.2, -1.5, -0.6], columns: 3, reference: hingeRef(true),
  },
  {
    name: 'CategoricalHinge', make: () => new pc.CategoricalHinge(),
    yTrue: [0, 1, 0, 1, 0, 0], yPred: [0.3, 0.6, 0.2, 0.1, 0.8, -0.5], columns: 3,
    reference: (t, p) => t.map((row, i) => {
      const right = sumOf(row.map((v, j) => v * p[i]![j]!));
      const bestWrong = Math.max(...row.map((v, j) => (1 - v) * p[i]![j]!));
      return Math.max(bestWrong - right + 1, 0);
    }),
  },
  {
    name: 'BinaryCrossentropy, labelSmoothing 0.2', make: () => new pc.BinaryCrossentropy({ labelSmoothing: 0.2 }),
    yTrue: [1, 0, 1, 0, 0, 1], yPred: [0.9, 0.2, 0.6, 0.05, 0.4, 0.7], columns: 3, reference: bceRef(0.2, false),
  },
  {
    name: 'BinaryCrossentropy from logits, labelSmoothing 0.2', make: () => new pc.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    yTrue: [1, 0, 1, 0, 0, 1], yPred: [2, -1, 0.5, -3, 0.4, 1], columns: 3, reference: bceRef(0.2, true),
  },
  {
    name: 'CategoricalCrossentropy, labelSmoothing 0.1', make: () => new pc.CategoricalCrossentropy({ labelSmoothing: 0.1 }),
    yTrue: [0, 1, 0, 1, 0, 0], yPred: [0.2, 0.7, 0.1, 0.5, 0.3, 0.2], columns: 3, reference: cceRef(0.1, false),
  },
  {
    name: 'CategoricalCrossentropy from logits, labelSmoothing 0.1', make: () => new pc.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    yTrue: [0, 1, 0, 1, 0, 0], yPred: [0.2, 2, -1, 1.5, 0.3, -0.2], columns: 3, reference: cceRef(0.1, true),
  },
];

/** The batch loss of the float64 reference: the mean of its per-sample losses. */
const referenceLoss = (c: Case, yPred: readonly number[]): number => meanOf(c.reference(rowsOf(c.yTrue, c.columns), rowsOf([...yPred], c.columns)));

/** d(referenceLoss)/d(yPred) by central differences in float64. */
function referenceGradient(c: Case): number[] {
  const h = 1e-6;
  return c.yPred.map((_, i) => {
    const shifted = (by: number) => c.yPred.map((v, j) => (j === i ? v + by : v));
    return (referenceLoss(c, shifted(h)) - referenceLoss(c, shifted(-h))) / (2 * h);
  });
}

for (const backend of BACKENDS) {
  describe(`more Keras losses on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    for (const c of CASES) {
      it(`${c.name}: value and gradient match float64`, () => {
        const shape = [c.yPred.length / c.columns, c.columns];
        const before = pc.memory().numTensors;
        pc.tidy(() => {
          const yPred = pc.variable(pc.tensor(c.yPred, shape));
          const tape = new pc.GradientTape();
          const loss = tape.record(() => c.make().call(pc.tensor(c.yTrue, shape), yPred));
          const [gradient] = tape.gradient(loss, [yPred]);
          expectClose(loss.dataSync(), [referenceLoss(c, c.yPred)], 2e-6, 1e-6);
          expectClose(gradient!.dataSync(), referenceGradient(c), 2e-4, 2e-5);
          yPred.dispose();
        });
        expect(pc.memory().numTensors).toBe(before);
      });
    }

    it('MAPE keeps a zero target finite (divided by ε), as Keras', () => {
      pc.tidy(() => expectClose(new pc.MeanAbsolutePercentageError().call([[0]], [[0.5]]).dataSync(), [(100 * 0.5) / EPS]));
    });

    it('LogCosh does not overflow where cosh would: |e| = 200 gives |e| − log 2', () => {
      pc.tidy(() => expectClose(new pc.LogCosh().call([[0, 0]], [[200, -200]]).dataSync(), [200 - Math.LN2]));
    });

    it('CosineSimilarity of a zero vector is 0 with a zero (not NaN) gradient', () => {
      pc.tidy(() => {
        const yPred = pc.variable(pc.tensor([[0, 0, 0]]));
        const tape = new pc.GradientTape();
        const loss = tape.record(() => new pc.CosineSimilarity().call([[1, 2, 3]], yPred));
        expect(Array.from(loss.dataSync())).toEqual([0]);
        expect(Array.from(tape.gradient(loss, [yPred])[0]!.dataSync()).every(Number.isFinite)).toBe(true);
        yPred.dispose();
      });
    });

    it('sample weights weigh the per-sample losses: sum(loss · w) / batch', () => {
      const c = CASES.find((x) => x.name === 'Huber (δ 1)')!;
      const perSample = c.reference(rowsOf(c.yTrue, c.columns), rowsOf(c.yPred, c.columns));
      const shape = [2, 3];
      pc.tidy(() => expectClose(
        c.make().call(pc.tensor(c.yTrue, shape), pc.tensor(c.yPred, shape), [0.25, 2]).dataSync(),
        [(perSample[0]! * 0.25 + perSample[1]! * 2) / 2],
      ));
    });

    it('a model compiled with one trains, saves and loads with its config', async () => {
      const model = new pc.Sequential([new pc.Dense(2, { inputShape: [3] })]);
      model.compile({ optimizer: 'sgd', loss: new pc.Huber({ delta: 0.5 }) });
      const x = pc.tensor([[1, 2, 3], [0, -1, 2], [2, 0, 1]]);
      const y = pc.tensor([[1, 0], [0, 1], [2, -1]]);
      const history = await model.fit(x, y, { epochs: 5, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[4]!).toBeLessThan(losses[0]!);
      const store = pc.memoryStore();
      await model.save(store);
      const loaded = await pc.loadModel(store);
      expect(loaded.loss).toBeInstanceOf(pc.Huber);
      expect((loaded.loss as pc.Huber).delta).toBe(0.5);
      expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
      pc.dispose([x, y]);
      model.dispose();
      loaded.dispose();
    });
  });
}

describe('more Keras losses: names, configs, bad settings', () => {
  it('resolve by Keras name, camelCase and short name; carry their Keras names and configs', () => {
    const cases: [string, new () => pc.Loss, string][] = [
      ['mape', pc.MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
      ['msle', pc.MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
      ['huber', pc.Huber, 'huber_loss'], ['log_cosh', pc.LogCosh, 'log_cosh'],
      ['cosine_similarity', pc.CosineSimilarity, 'cosine_similarity'], ['poisson', pc.Poisson, 'poisson'],
      ['kld', pc.KLDivergence, 'kl_divergence'], ['kl_divergence', pc.KLDivergence, 'kl_divergence'],
      ['hinge', pc.Hinge, 'hinge'], ['squared_hinge', pc.SquaredHinge, 'squared_hinge'],
      ['categoricalHinge', pc.CategoricalHinge, 'categorical_hinge'],
    ];
    for (const [identifier, cls, kerasName] of cases) {
      const loss = pc.getLoss(identifier);
      expect(loss, identifier).toBeInstanceOf(cls);
      expect(loss.name).toBe(kerasName);
      expect(loss.className).toBe(cls.name);
    }
    expect(new pc.Huber({ delta: 2 }).getConfig()).toEqual({ name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 });
    expect(new pc.CosineSimilarity({ axis: 1 }).getConfig()).toMatchObject({ axis: 1 });
    expect(new pc.CategoricalCrossentropy({ labelSmoothing: 0.1 }).getConfig()).toEqual({
      name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', fromLogits: false, labelSmoothing: 0.1,
    });
    const restored = pc.getLoss({ className: 'BinaryCrossentropy', config: new pc.BinaryCrossentropy({ labelSmoothing: 0.3 }).getConfig() });
    expect((restored as pc.BinaryCrossentropy).labelSmoothing).toBe(0.3);
  });

  it('bad settings are errors naming the loss, what it expects and what it got', () => {
    expect(() => new pc.Huber({ delta: 0 })).toThrow('Huber: delta must be a positive number, got 0');
    expect(() => new pc.CosineSimilarity({ axis: 0.5 })).toThrow('CosineSimilarity: axis must be an integer, got 0.5');
    expect(() => new pc.BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow('BinaryCrossentropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => new pc.CategoricalCrossentropy({ labelSmoothing: -0.1 })).toThrow('CategoricalCrossentropy: labelSmoothing must be in [0, 1], got -0.1');
  });
});
