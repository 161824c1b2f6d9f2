// Keras 3's focal cross-entropies and segmentation losses (BinaryFocalCrossentropy,
// CategoricalFocalCrossentropy, Dice, Tversky): values against float64 transcriptions of their
// definitions and against the numbers of Keras's docstrings and tests, gradients against central
// differences of the float64 loss, axes, sample weights, logits, label smoothing, the γ = 0 and
// α = β = ½ special cases, compile/fit by object and by name, save/load, a Keras 3 training
// config, and bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { encode } from './tfjs-saved-model.js';

const EPS = 1e-7;
const sumOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
const meanOf = (v: readonly number[]): number => sumOf(v) / v.length;
const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** One loss from the entries of one group (a sample's values along the reduced axes): targets, predictions. */
type GroupLoss = (t: number[], x: number[]) => number;

/** The flat indices of a tensor of `shape` grouped by their coordinates off `axes` (null: one group), groups in row-major order. */
function groupsOver(shape: readonly number[], axes: readonly number[] | null): number[][] {
  const groups = new Map<string, number[]>();
  const size = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    const kept = shape.map((d) => d).reverse().map((d) => { const c = rest % d; rest = Math.floor(rest / d); return c; }).reverse()
      .filter((_, axis) => axes !== null && !axes.includes(axis));
    const key = kept.join(',');
    groups.set(key, [...(groups.get(key) ?? []), flat]);
  }
  return [...groups.values()];
}

/** Keras's binary focal loss of a group: the mean of (1 − p_t)^γ·bce (·α or 1 − α when balanced), bce from logits as softplus(x) − x·z. */
const binaryFocalRef = ({ alpha = 0.25, gamma = 2, fromLogits = false, labelSmoothing = 0, applyClassBalancing = false }: pc.BinaryFocalCrossentropyOptions): GroupLoss => (t, x) => meanOf(t.map((label, i) => {
  const z = label * (1 - labelSmoothing) + 0.5 * labelSmoothing;
  const p = clip(fromLogits ? sigmoid(x[i]!) : x[i]!);
  const bce = fromLogits ? Math.max(x[i]!, 0) - x[i]! * z + Math.log1p(Math.exp(-Math.abs(x[i]!))) : -(z * Math.log(p) + (1 - z) * Math.log(1 - p));
  const focal = (z * (1 - p) + (1 - z) * p) ** gamma * bce;
  return applyClassBalancing ? focal * (z * alpha + (1 - z) * (1 - alpha)) : focal;
}));

/** Keras's categorical focal loss of a group of classes: Σ α·(1 − p)^γ·(−y·log p), p normalized (or softmax) and clipped; log p from logits unclipped. */
const categoricalFocalRef = ({ alpha = 0.25, gamma = 2, fromLogits = false, labelSmoothing = 0 }: pc.CategoricalFocalCrossentropyOptions): GroupLoss => (t, x) => {
  const top = Math.max(...x);
  const logSum = Math.log(sumOf(x.map((v) => Math.exp(v - top))));
  const p = x.map((v) => clip(fromLogits ? Math.exp(v - top - logSum) : v / sumOf(x)));
  const logP = (i: number) => (fromLogits ? x[i]! - top - logSum : Math.log(p[i]!));
  return sumOf(t.map((label, i) => alpha * (1 - p[i]!) ** gamma * -(label * (1 - labelSmoothing) + labelSmoothing / t.length) * logP(i)));
};

const diceRef = (): GroupLoss => (t, p) => 1 - (2 * sumOf(t.map((v, i) => v * p[i]!))) / (sumOf(t) + sumOf(p) + EPS);

const tverskyRef = ({ alpha = 0.5, beta = 0.5 }: pc.TverskyOptions): GroupLoss => (t, p) => {
  const overlap = sumOf(t.map((v, i) => v * p[i]!));
  const missed = sumOf(t.map((v, i) => v * (1 - p[i]!)));
  const extra = sumOf(t.map((v, i) => (1 - v) * p[i]!));
  return 1 - overlap / (overlap + alpha * missed + beta * extra + EPS);
};

/* eslint-disable @typescript-eslint/no-explicit-any -- one table entry per loss, each with its own options type */
/** Each loss: its class, its function form and its float64 reference, from the same options. */
const LOSSES = {
  binaryFocal: { make: (o: any) => new pc.BinaryFocalCrossentropy(o), fn: (t: pc.Tensor, p: pc.Tensor, o: any) => pc.binaryFocalCrossentropy(t, p, o), reference: binaryFocalRef },
  categoricalFocal: { make: (o: any) => new pc.CategoricalFocalCrossentropy(o), fn: (t: pc.Tensor, p: pc.Tensor, o: any) => pc.categoricalFocalCrossentropy(t, p, o), reference: categoricalFocalRef },
  dice: { make: (o: any) => new pc.Dice(o), fn: (t: pc.Tensor, p: pc.Tensor, o: any) => pc.dice(t, p, o), reference: diceRef },
  tversky: { make: (o: any) => new pc.Tversky(o), fn: (t: pc.Tensor, p: pc.Tensor, o: any) => pc.tversky(t, p, o), reference: tverskyRef },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

interface Case {
  name: string;
  loss: keyof typeof LOSSES;
  options: Record<string, unknown>;
  shape: number[];
  /** The axes each per-sample loss reduces (null: all), as the test reads them. */
  axes: number[] | null;
  yTrue: number[];
  yPred: number[];
}

/** Per-sample float64 losses of a case for predictions `yPred`. */
function perSampleRef(c: Case, yPred: readonly number[]): number[] {
  const reference = LOSSES[c.loss].reference(c.options);
  return groupsOver(c.shape, c.axes).map((g) => reference(g.map((i) => c.yTrue[i]!), g.map((i) => yPred[i]!)));
}

/** Labels one-hot along `axis` of `shape`, the hot class of each group drawn with `seed`. */
function oneHot(shape: number[], axis: number, seed: number): number[] {
  const labels = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  const picks = draws(labels.length, seed, 0, shape[axis]!);
  groupsOver(shape, [axis]).forEach((g, i) => (labels[g[Math.floor(picks[i]!)]!] = 1));
  return labels;
}

const binaryLabels = (n: number, seed: number): number[] => draws(n, seed, 0, 1).map((v) => (v < 0.5 ? 1 : 0));

// Predictions stay inside [ε, 1 − ε], where the clipping Keras applies has no kink to straddle.
const CASES: Case[] = [
  { name: 'BinaryFocalCrossentropy on probabilities', loss: 'binaryFocal', options: {}, shape: [3, 4], axes: [1], yTrue: binaryLabels(12, 1), yPred: draws(12, 2, 0.02, 0.98) },
  { name: 'BinaryFocalCrossentropy from logits, balanced, γ 3, α 0.4', loss: 'binaryFocal', options: { fromLogits: true, applyClassBalancing: true, gamma: 3, alpha: 0.4 }, shape: [3, 4], axes: [1], yTrue: binaryLabels(12, 3), yPred: draws(12, 4, -4, 4) },
  { name: 'BinaryFocalCrossentropy, labelSmoothing 0.2, γ 0.5, balanced', loss: 'binaryFocal', options: { labelSmoothing: 0.2, gamma: 0.5, applyClassBalancing: true }, shape: [4, 3], axes: [1], yTrue: binaryLabels(12, 5), yPred: draws(12, 6, 0.02, 0.98) },
  { name: 'BinaryFocalCrossentropy over axis 1 of [2, 3, 2], from logits, labelSmoothing 0.1', loss: 'binaryFocal', options: { axis: 1, fromLogits: true, labelSmoothing: 0.1 }, shape: [2, 3, 2], axes: [1], yTrue: binaryLabels(12, 7), yPred: draws(12, 8, -3, 3) },
  { name: 'CategoricalFocalCrossentropy on probabilities (rows not summing to 1)', loss: 'categoricalFocal', options: {}, shape: [3, 4], axes: [1], yTrue: oneHot([3, 4], 1, 9), yPred: draws(12, 10, 0.05, 1) },
  { name: 'CategoricalFocalCrossentropy from logits, γ 1.5, α 0.5, labelSmoothing 0.1', loss: 'categoricalFocal', options: { fromLogits: true, gamma: 1.5, alpha: 0.5, labelSmoothing: 0.1 }, shape: [3, 4], axes: [1], yTrue: oneHot([3, 4], 1, 11), yPred: draws(12, 12, -3, 3) },
  { name: 'CategoricalFocalCrossentropy, classes on axis 1 of [2, 3, 2], from logits, labelSmoothing 0.2', loss: 'categoricalFocal', options: { axis: 1, fromLogits: true, labelSmoothing: 0.2 }, shape: [2, 3, 2], axes: [1], yTrue: oneHot([2, 3, 2], 1, 13), yPred: draws(12, 14, -3, 3) },
  { name: 'Dice over every axis', loss: 'dice', options: {}, shape: [2, 2, 3], axes: null, yTrue: binaryLabels(12, 15), yPred: draws(12, 16, 0, 1) },
  { name: 'Dice over axes [1, 2]', loss: 'dice', options: { axis: [1, 2] }, shape: [2, 2, 3], axes: [1, 2], yTrue: binaryLabels(12, 17), yPred: draws(12, 18, 0, 1) },
  { name: 'Tversky (α 0.3, β 0.7) over axis -1', loss: 'tversky', options: { alpha: 0.3, beta: 0.7, axis: -1 }, shape: [3, 4], axes: [1], yTrue: binaryLabels(12, 19), yPred: draws(12, 20, 0, 1) },
  { name: 'Tversky over every axis', loss: 'tversky', options: {}, shape: [3, 4], axes: null, yTrue: binaryLabels(12, 21), yPred: draws(12, 22, 0, 1) },
];

const make = (c: Case): pc.Loss => LOSSES[c.loss].make(c.options);

/** The loss and its gradient w.r.t. yPred, from the tape, with optional sample weights. */
function lossAndGradient(loss: pc.Loss, yTrue: readonly number[], yPred: readonly number[], shape: number[], weights?: number[] | number[][]): { value: number; gradient: number[] } {
  return pc.tidy(() => {
    const p = pc.variable(pc.tensor([...yPred], shape));
    const tape = new pc.GradientTape();
    const value = tape.record(() => loss.call(pc.tensor([...yTrue], shape), p, weights));
    const result = { value: value.dataSync()[0]!, gradient: Array.from(tape.gradient(value, [p])[0]!.dataSync()) };
    p.dispose();
    return result;
  });
}

const recordError = errorRecorder('focal and overlap losses');

for (const backend of MODEL_BACKENDS) {
  describe(`focal and overlap losses on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it.each(CASES)('$name: value and gradient match float64; the function form gives the per-sample losses; nothing leaks', (c) => {
      const before = pc.memory().numTensors;
      const { value, gradient } = lossAndGradient(make(c), c.yTrue, c.yPred, c.shape);
      const want = meanOf(perSampleRef(c, c.yPred));
      const wantGradient = finiteDifferences(c.yPred, [1], (moved) => [meanOf(perSampleRef(c, moved))]);
      recordError('values', [value], [want]);
      recordError('gradients', gradient, wantGradient);
      expectClose([value], [want], 2e-6, 1e-6);
      expectClose(gradient, wantGradient, 2e-4, 2e-5);
      const perSample = pc.tidy(() => Array.from(LOSSES[c.loss].fn(pc.tensor(c.yTrue, c.shape), pc.tensor(c.yPred, c.shape), c.options).dataSync()));
      expectClose(perSample, perSampleRef(c, c.yPred), 2e-6, 1e-6);
      expect(pc.memory().numTensors).toBe(before);
    });

    it("reproduces the numbers of Keras's docstrings and tests", () => {
      const y = [[0, 1], [0, 0]];
      const logits = [[-18.6, 0.51], [2.94, -12.8]];
      const binary = (o: pc.BinaryFocalCrossentropyConfig, weights?: number[]) => new pc.BinaryFocalCrossentropy({ fromLogits: true, ...o }).call(y, logits, weights).dataSync()[0]!;
      pc.tidy(() => {
        expectClose([new pc.BinaryFocalCrossentropy({ gamma: 2, fromLogits: true }).call([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]).dataSync()[0]!], [0.691], 0, 5e-4);
        expectClose([binary({ gamma: 3 }), binary({ gamma: 3, applyClassBalancing: true }), binary({ gamma: 3 }, [0.8, 0.2]), binary({ gamma: 3, applyClassBalancing: true }, [0.8, 0.2])], [0.647, 0.482, 0.133, 0.097], 0, 5e-4);
        // Keras's reduction 'sum' and None, from the per-sample losses of the function form.
        expectClose([sumOf(Array.from(pc.binaryFocalCrossentropy(y, logits, { gamma: 4, fromLogits: true }).dataSync()))], [1.222], 0, 5e-4);
        // Keras prints these to 4 decimals (its 0.8670 is 0.86708).
        expectClose(pc.binaryFocalCrossentropy(y, logits, { gamma: 5, fromLogits: true }).dataSync(), [0.0017, 1.1561], 0, 1e-4);
        expectClose(pc.binaryFocalCrossentropy(y, logits, { gamma: 5, fromLogits: true, applyClassBalancing: true }).dataSync(), [0.0004, 0.8670], 0, 1e-4);
        expectClose(pc.binaryFocalCrossentropy(y, [[0.6, 0.4], [0.4, 0.6]]).dataSync(), [0.330, 0.206], 0, 5e-4);
        const categorical = [[0, 1, 0], [0, 0, 1]];
        expectClose(pc.categoricalFocalCrossentropy(categorical, [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).dataSync(), [3.2058331e-05, 4.6627346e-01], 1e-5, 1e-9);
        expectClose([new pc.CategoricalFocalCrossentropy().call(categorical, [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], [0.3, 0.7]).dataSync()[0]!], [0.1632], 0, 5e-5);
        expectClose(pc.categoricalFocalCrossentropy(categorical, [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]).dataSync(), [2.63401289e-04, 6.75912094e-01], 1e-5, 1e-9);
        const [segments, predicted] = [[[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]], [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]]];
        expectClose(pc.dice(segments, predicted, { axis: [1, 2, 3] }).dataSync(), [0.5, 0.75757575], 1e-6);
        expectClose(pc.dice(segments, predicted).dataSync(), [0.6164384], 1e-6);
        // Keras's Tversky test: labels beyond 0 and 1 show which term alpha weighs.
        expectClose([new pc.Tversky().call([[1, 2], [1, 2]], [[4, 1], [6, 1]]).dataSync()[0]!, new pc.Tversky({ alpha: 0.2, beta: 0.8 }).call([[1, 2], [1, 2]], [[4, 1], [6, 1]]).dataSync()[0]!], [-0.55555546, -0.29629636], 1e-6);
        const stripes = [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
        const shifted = [[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]];
        expectClose([new pc.Dice().call(stripes, shifted).dataSync()[0]!, new pc.Tversky().call(stripes, shifted).dataSync()[0]!], [0.77777773, 0.77777773], 1e-6);
      });
    });

    it('sample weights: Σ loss·w / batch per sample; a loss over every axis times the weights\' mean, as Keras broadcasts it', () => {
      const weights = [0.5, 2, 1.25];
      for (const c of [CASES[1]!, CASES[4]!, CASES[9]!]) {
        const { value, gradient } = lossAndGradient(make(c), c.yTrue, c.yPred, c.shape, weights);
        const weighted = (p: readonly number[]) => sumOf(perSampleRef(c, p).map((l, i) => l * weights[i]!)) / weights.length;
        expectClose([value], [weighted(c.yPred)], 2e-6, 1e-6);
        expectClose(gradient, finiteDifferences(c.yPred, [1], (moved) => [weighted(moved)]), 2e-4, 2e-5);
      }
      const dice = CASES[7]!;
      const { value } = lossAndGradient(make(dice), dice.yTrue, dice.yPred, dice.shape, [[1], [3]]);
      expectClose([value], [perSampleRef(dice, dice.yPred)[0]! * 2], 2e-6, 1e-6);
    });

    it('γ = 0 gives BinaryCrossentropy and (α = 1) CategoricalCrossentropy, from probabilities of exactly 0 and 1 and from logits of ±60, gradients included', () => {
      const y = [1, 0, 1, 0, 1, 0];
      for (const [fromLogits, predictions] of [[false, [0, 0, 1, 1, 0.3, 0.5]], [true, [-60, 60, 60, -60, 2, 0]]] as const) {
        const pairs: [pc.Loss, pc.Loss][] = [
          [new pc.BinaryFocalCrossentropy({ gamma: 0, fromLogits, labelSmoothing: 0.1 }), new pc.BinaryCrossentropy({ fromLogits, labelSmoothing: 0.1 })],
          [new pc.CategoricalFocalCrossentropy({ gamma: 0, alpha: 1, fromLogits }), new pc.CategoricalCrossentropy({ fromLogits })],
        ];
        for (const [focal, plain] of pairs) {
          const [got, want] = [focal, plain].map((loss) => lossAndGradient(loss, y, predictions, [2, 3]));
          expect([got!.value, ...got!.gradient].every(Number.isFinite), `${focal.className} fromLogits ${fromLogits}`).toBe(true);
          expectClose([got!.value, ...got!.gradient], [want!.value, ...want!.gradient], 1e-5, 1e-6);
        }
      }
    });

    it('γ < 1 keeps finite gradients at exact predictions; from logits a confident wrong answer keeps growing (no clipped log)', () => {
      for (const loss of [new pc.BinaryFocalCrossentropy({ gamma: 0.5 }), new pc.CategoricalFocalCrossentropy({ gamma: 0.25 })]) {
        const { value, gradient } = lossAndGradient(loss, [1, 0, 0], [1, 0, 0], [1, 3]);
        expect([value, ...gradient].every(Number.isFinite), loss.className).toBe(true);
      }
      const wrong = lossAndGradient(new pc.BinaryFocalCrossentropy({ fromLogits: true }), [1], [-40], [1, 1]);
      expectClose([wrong.value, wrong.gradient[0]!], [40, -1], 1e-6);
    });

    it('Tversky with α = β = ½ is Dice, but for ε', () => {
      const c = CASES[8]!;
      const [tversky, dice] = [new pc.Tversky({ alpha: 0.5, beta: 0.5, axis: [1, 2] }), make(c)].map((loss) => lossAndGradient(loss, c.yTrue, c.yPred, c.shape));
      expectClose([tversky!.value, ...tversky!.gradient], [dice!.value, ...dice!.gradient], 1e-5, 1e-6);
    });

    it('models compiled with each loss, by object and by name, train with fit, save and load with their configs', async () => {
      pc.setSeed(5);
      const x = pc.tensor(draws(48 * 4, 23, -1, 1), [48, 4]);
      const xs = Array.from(x.dataSync());
      const targets = (columns: number, hot: (row: number[], j: number) => boolean) =>
        pc.tensor(Array.from({ length: 48 }, (_, r) => Array.from({ length: columns }, (_, j) => (hot(xs.slice(r * 4, r * 4 + 4), j) ? 1 : 0))));
      const binary = targets(2, (row, j) => row[j]! + row[j + 2]! > 0);
      const classes = targets(3, (row, j) => j === (row[0]! > 0.3 ? 0 : row[1]! > 0 ? 1 : 2));
      const settings: [pc.Loss | string, pc.Tensor, string, new () => pc.Loss][] = [
        [new pc.BinaryFocalCrossentropy({ gamma: 1.5, applyClassBalancing: true, alpha: 0.6 }), binary, 'sigmoid', pc.BinaryFocalCrossentropy],
        ['categorical_focal_crossentropy', classes, 'softmax', pc.CategoricalFocalCrossentropy],
        ['dice', binary, 'sigmoid', pc.Dice],
        [new pc.Tversky({ alpha: 0.7, beta: 0.3, axis: -1 }), binary, 'sigmoid', pc.Tversky],
      ];
      for (const [loss, y, activation, cls] of settings) {
        const model = new pc.Sequential([pc.Input({ shape: [4] }), new pc.Dense(y.shape[1]!, { activation })]);
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss });
        const losses = (await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 })).history['loss']!;
        expect(losses.at(-1)!, String(loss)).toBeLessThan(0.85 * losses[0]!);
        const store = pc.memoryStore();
        await model.save(store);
        const loaded = await pc.loadModel(store);
        expect(loaded.loss).toBeInstanceOf(cls);
        expect((loaded.loss as pc.Loss).getConfig()).toEqual((model.loss as pc.Loss).getConfig());
        expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
        model.dispose();
        loaded.dispose();
      }
      pc.dispose([x, binary, classes]);
    }, TRAINING_TIMEOUT);
  });
}

describe('focal and overlap losses: names, configs, Keras files, bad settings', () => {
  it('resolve by Keras name, camelCase and class name; carry their Keras names; configs round trip', () => {
    const cases: [string, new () => pc.Loss, string][] = [
      ['binary_focal_crossentropy', pc.BinaryFocalCrossentropy, 'binary_focal_crossentropy'], ['BinaryFocalCrossentropy', pc.BinaryFocalCrossentropy, 'binary_focal_crossentropy'],
      ['categoricalFocalCrossentropy', pc.CategoricalFocalCrossentropy, 'categorical_focal_crossentropy'],
      ['dice', pc.Dice, 'dice'], ['Dice', pc.Dice, 'dice'], ['tversky', pc.Tversky, 'tversky'], ['Tversky', pc.Tversky, 'tversky'],
    ];
    for (const [identifier, cls, kerasName] of cases) {
      const loss = pc.getLoss(identifier);
      expect(loss, identifier).toBeInstanceOf(cls);
      expect([loss.name, loss.className]).toEqual([kerasName, cls.name]);
    }
    const reduction = 'sum_over_batch_size';
    expect(new pc.BinaryFocalCrossentropy().getConfig()).toEqual({ name: 'binary_focal_crossentropy', reduction, applyClassBalancing: false, alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 });
    expect(new pc.CategoricalFocalCrossentropy({ name: 'cfc' }).getConfig()).toEqual({ name: 'cfc', reduction, alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1 });
    expect(new pc.Dice().getConfig()).toEqual({ name: 'dice', reduction });
    expect(new pc.Tversky({ axis: 1, alpha: 0.3 }).getConfig()).toEqual({ name: 'tversky', reduction, axis: 1, alpha: 0.3, beta: 0.5 });
    for (const loss of [new pc.BinaryFocalCrossentropy({ applyClassBalancing: true, alpha: 0.4, gamma: 3, fromLogits: true, labelSmoothing: 0.1, axis: 1 }), new pc.CategoricalFocalCrossentropy({ alpha: 0.5, gamma: 1, axis: 2 }), new pc.Dice({ axis: -1 }), new pc.Dice({ axis: [1, 2] }), new pc.Tversky({ alpha: 0.2, beta: 0.8, axis: [1] })]) {
      const again = pc.getLoss({ className: loss.className, config: loss.getConfig() });
      expect(again.constructor).toBe(loss.constructor);
      expect(again.getConfig()).toEqual(loss.getConfig());
    }
    // A Keras config writes axis: None for every axis.
    expect((pc.getLoss({ className: 'Dice', config: { name: 'dice', reduction, axis: null } as never }) as pc.Dice).axis).toBeNull();
  });

  it('compiles a converted Keras 3 model with a focal loss (snake_case settings) and a Dice over a list of axes from its training_config', async () => {
    const files = (loss: unknown) => {
      const store = pc.memoryStore();
      const dense = { module: 'keras.layers', class_name: 'Dense', config: { name: 'scores', trainable: true, dtype: 'float32', units: 2, activation: 'sigmoid', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } };
      const optimizer = { module: 'keras.optimizers', class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.01, momentum: 0, nesterov: false } };
      store.files.set('model.json', encode({
        format: 'layers-model', generatedBy: 'keras v3.3.3', convertedBy: 'TensorFlow.js Converter',
        modelTopology: { keras_version: '3.3.3', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [dense], build_input_shape: [null, 3] } }, training_config: { loss, metrics: null, optimizer_config: optimizer } },
        weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'scores/kernel:0', shape: [3, 2], dtype: 'float32' }, { name: 'scores/bias:0', shape: [2], dtype: 'float32' }] }],
      }));
      store.files.set('w.bin', new Uint8Array(new Float32Array(8).buffer));
      return store;
    };
    const focal = await pc.loadLayersModel(files({ module: 'keras.losses', class_name: 'BinaryFocalCrossentropy', config: { name: 'focal', reduction: 'sum_over_batch_size', apply_class_balancing: true, alpha: 0.4, gamma: 3, from_logits: true, label_smoothing: 0.1, axis: -1 }, registered_name: null }));
    expect(focal.loss).toBeInstanceOf(pc.BinaryFocalCrossentropy);
    expect((focal.loss as pc.Loss).getConfig()).toEqual({ name: 'focal', reduction: 'sum_over_batch_size', applyClassBalancing: true, alpha: 0.4, gamma: 3, fromLogits: true, labelSmoothing: 0.1, axis: -1 });
    const dice = await pc.loadLayersModel(files({ module: 'keras.losses', class_name: 'Dice', config: { name: 'dice', reduction: 'sum_over_batch_size', axis: [1] }, registered_name: null }));
    expect((dice.loss as pc.Dice).axis).toEqual([1]);
    [focal, dice].forEach((m) => m.dispose());
  });

  it('bad settings are errors naming the loss, the option, what it expects and what it got', () => {
    const cases: [() => unknown, string][] = [
      [() => new pc.BinaryFocalCrossentropy({ gamma: -1 }), 'BinaryFocalCrossentropy: gamma must be a non-negative number, got -1'],
      [() => new pc.BinaryFocalCrossentropy({ alpha: 1.5 }), 'BinaryFocalCrossentropy: alpha must be in [0, 1], got 1.5'],
      [() => new pc.BinaryFocalCrossentropy({ applyClassBalancing: 1 as never }), 'BinaryFocalCrossentropy: applyClassBalancing must be true or false, got 1'],
      [() => new pc.CategoricalFocalCrossentropy({ labelSmoothing: 2 }), 'CategoricalFocalCrossentropy: labelSmoothing must be in [0, 1], got 2'],
      [() => new pc.CategoricalFocalCrossentropy({ axis: 0.5 }), 'CategoricalFocalCrossentropy: axis must be an integer, got 0.5'],
      [() => new pc.CategoricalFocalCrossentropy({ fromLogits: 'yes' as never }), 'CategoricalFocalCrossentropy: fromLogits must be true or false, got "yes"'],
      [() => new pc.CategoricalFocalCrossentropy({ alpha: [0.2, 0.8] as never }), 'CategoricalFocalCrossentropy: alpha must be a non-negative number, got [0.2,0.8]'],
      [() => new pc.BinaryFocalCrossentropy({ reduction: 'sum' } as never), "binary_focal_crossentropy: reduction must be 'sum_over_batch_size'"],
      [() => new pc.Dice({ smooth: 1 } as never), "dice: unknown option 'smooth'; expected one of axis, name, reduction"],
      [() => new pc.Dice({ axis: 'all' as never }), 'Dice: axis must be an integer, a non-empty list of integers or null (every axis), got "all"'],
      [() => new pc.Tversky({ beta: -1 }), 'Tversky: beta must be a non-negative number, got -1'],
      [() => pc.binaryFocalCrossentropy([[1]], [[0.5]], { gamma: -2 }), 'binaryFocalCrossentropy: gamma must be a non-negative number, got -2'],
      [() => pc.tversky([[1]], [[0.5]], { alpha: -1 }), 'tversky: alpha must be a non-negative number, got -1'],
      [() => pc.dice([[1, 0]], [[0.5, 0.5]], { axis: 2 }), 'dice: axis 2 is out of range for a tensor of rank 2'],
      [() => pc.categoricalFocalCrossentropy([[1, 0]], [[0.5, 0.5, 0]]), 'categoricalFocalCrossentropy: yTrue [1,2] and yPred [1,3] must have the same shape'],
    ];
    for (const [make, message] of cases) expect(make).toThrow(message);
  });
});
