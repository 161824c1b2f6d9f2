// R2Score, F1Score / FBetaScore and the rate-at-rate metrics (PrecisionAtRecall, RecallAtPrecision,
// SensitivityAtSpecificity, SpecificityAtSensitivity) against float64 computations written here
// from the definitions (two-pass R², counts made one case at a time), with Keras 3's documented
// examples as a second witness.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS, sumOf } from './training-api-model-support.js';

/** Rows of float32 values drawn from `draw`. */
function rows(n: number, width: number, seed: number, draw: (g: pc.RandomGenerator) => number): number[][] {
  const generator = new pc.RandomGenerator(seed);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => Math.fround(draw(generator))));
}

/** Per output, 1 − Σw(y − p)² / Σw(y − ȳ)² with ȳ the weighted mean (two passes); an infinite score is 0, as Keras. */
function r2ByHand(y: number[][], p: number[][], w: number[] | null): { scores: number[]; variances: number[] } {
  const weight = (r: number) => (w ? w[r]! : 1);
  const scores: number[] = [];
  const variances: number[] = [];
  for (let c = 0; c < y[0]!.length; c++) {
    const mean = sumOf(y.map((row, r) => weight(r) * row[c]!)) / sumOf(y.map((_, r) => weight(r)));
    const variance = sumOf(y.map((row, r) => weight(r) * (row[c]! - mean) ** 2));
    const score = 1 - sumOf(y.map((row, r) => weight(r) * (row[c]! - p[r]![c]!) ** 2)) / variance;
    scores.push(Math.abs(score) === Infinity ? 0 : score);
    variances.push(variance);
  }
  return { scores, variances };
}

const adjust = (score: number, n: number, p: number) => 1 - ((1 - score) * (n - 1)) / (n - p - 1);
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per class F-beta from counts made one entry at a time; positive: above `threshold`, or the row's largest (not 0) when null. */
function fScoresByHand(y: number[][], p: number[][], w: number[] | null, beta: number, threshold: number | null) {
  const classes = y[0]!.length;
  const [tp, fp, fn, support] = [0, 0, 0, 0].map(() => new Array<number>(classes).fill(0));
  y.forEach((row, r) => row.forEach((label, c) => {
    const weight = w ? w[r]! : 1;
    const score = p[r]![c]!;
    const positive = threshold === null ? score === Math.max(...p[r]!) && score !== 0 : score > threshold;
    if (positive) tp![c] += weight * label;
    if (positive) fp![c] += weight * (1 - label);
    else fn![c] += weight * label;
    support![c] += weight * label;
  }));
  const f = (t: number, a: number, b: number) => {
    const [precision, recall] = [ratio(t, t + a), ratio(t, t + b)];
    return (1 + beta ** 2) * ratio(precision * recall, beta ** 2 * precision + recall);
  };
  const scores = tp!.map((t, c) => f(t, fp![c]!, fn![c]!));
  return {
    scores,
    macro: sumOf(scores) / classes,
    micro: f(sumOf(tp!), sumOf(fp!), sumOf(fn!)),
    weighted: ratio(sumOf(scores.map((s, c) => s * support![c]!)), sumOf(support!)),
  };
}

/** Keras's thresholds for the rate-at-rate metrics: 0.5 alone, or i/(n − 1) for i = 0..n−1. */
const rateThresholds = (n: number) => (n === 1 ? [0.5] : Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : i / (n - 1))));

type Rate = 'sensitivity' | 'specificity' | 'precision';

/** max over thresholds with rate(constraint) >= value of rate(target), 0 when none; scores clipped to [0, 1], positive above the threshold. */
function rateAtRateByHand(labels: number[], scores: number[], w: number[] | null, n: number, constraint: Rate, value: number, target: Rate): number {
  let best = 0;
  for (const t of rateThresholds(n)) {
    const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
    labels.forEach((label, i) => {
      const positive = Math.min(1, Math.max(0, scores[i]!)) > t;
      c[label ? (positive ? 'tp' : 'fn') : positive ? 'fp' : 'tn'] += w ? w[i]! : 1;
    });
    const rates = { sensitivity: ratio(c.tp, c.tp + c.fn), specificity: ratio(c.tn, c.tn + c.fp), precision: ratio(c.tp, c.tp + c.fp) };
    if (rates[constraint] >= value) best = Math.max(best, rates[target]);
  }
  return best;
}

const RATE_METRICS = [
  { make: (v: number, n: number, classId?: number) => new pc.PrecisionAtRecall({ recall: v, numThresholds: n, classId }), constraint: 'sensitivity', target: 'precision' },
  { make: (v: number, n: number, classId?: number) => new pc.RecallAtPrecision({ precision: v, numThresholds: n, classId }), constraint: 'precision', target: 'sensitivity' },
  { make: (v: number, n: number, classId?: number) => new pc.SensitivityAtSpecificity({ specificity: v, numThresholds: n, classId }), constraint: 'specificity', target: 'sensitivity' },
  { make: (v: number, n: number, classId?: number) => new pc.SpecificityAtSensitivity({ sensitivity: v, numThresholds: n, classId }), constraint: 'sensitivity', target: 'specificity' },
] as const;

for (const backend of MODEL_BACKENDS) {
  describe(`R2, F-score and rate-at-rate metrics on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it("R2Score: Keras's example; weighted over three updates per output, each aggregation, adjusted; reset", () => {
      expect(new pc.R2Score().call([[1], [4], [3]], [[2], [4], [4]])).toBeCloseTo(1 - 2 / (42 / 9), 12);
      const y = rows(30, 3, 1, (g) => g.nextNormal()).map((row) => row.map((v, c) => Math.fround(v * [1, 3, 0.5][c]!)));
      const p = y.map((row, r) => row.map((v, c) => Math.fround(v + 0.4 * (c + 1) * Math.sin(r + c))));
      const w = y.map((_, r) => Math.fround(0.2 + (r % 5) / 4));
      const { scores, variances } = r2ByHand(y, p, w);
      const uniform = sumOf(scores) / 3;
      const weighted = sumOf(scores.map((s, c) => s * variances[c]!)) / sumOf(variances);
      for (const [aggregation, expected] of [[undefined, uniform], ['uniform_average', uniform], ['variance_weighted_average', weighted], [null, uniform]] as const) {
        for (const numRegressors of [0, 4]) {
          const m = new pc.R2Score({ classAggregation: aggregation, numRegressors });
          for (const [from, to] of [[0, 7], [7, 20], [20, 30]] as const) m.update(y.slice(from, to), p.slice(from, to), w.slice(from, to));
          // n counts every target value (30 × 3), as Keras's num_samples does.
          const adjusted = (s: number) => (numRegressors ? adjust(s, 90, numRegressors) : s);
          expect(m.result(), `${aggregation} ${numRegressors}`).toBeCloseTo(adjusted(expected), 12);
          expectClose(m.resultPerClass(), scores.map(adjusted), 1e-12, 1e-12);
          m.resetStates();
          expect(m.result()).toBe(0);
          expect(m.resultPerClass()).toEqual([]);
        }
      }
      // Weights per value ([batch, outputs]) and labels [batch] against [batch, 1].
      const perValue = new pc.R2Score().call(y.map((row) => [row[0]!]), p.map((row) => [row[0]!]), w.map((v) => [v]));
      expect(new pc.R2Score().call(y.map((row) => row[0]!), p.map((row) => [row[0]!]), w)).toBeCloseTo(perValue, 12);
      expect(perValue).toBeCloseTo(scores[0]!, 12);
      // Constant targets, imperfect predictions: an infinite score, reported as 0 (Keras's isinf rule).
      expect(new pc.R2Score().call([[2, 1], [2, 3]], [[1, 1], [3, 3]])).toBe(0.5);
    });

    it('R2Score: numRegressors >= n − 1 reports the plain R² and warns once', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const m = new pc.R2Score({ numRegressors: 2 });
      m.update([[1], [4], [3]], [[2], [4], [4]]);
      expect(m.result()).toBeCloseTo(1 - 2 / (42 / 9), 12);
      expect(m.result()).toBeCloseTo(1 - 2 / (42 / 9), 12);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^r2_score: numRegressors 2 needs more than 3 target values for the adjusted R², got 3/);
      m.update([[0]], [[0.5]]);
      expect(m.result()).toBeCloseTo(adjust(r2ByHand([[1], [4], [3], [0]], [[2], [4], [4], [0.5]], null).scores[0]!, 4, 2), 12);
      warn.mockRestore();
    });

    it("F1Score / FBetaScore: Keras's examples; by hand for each average, threshold and beta, weighted, over two updates", () => {
      const yK = [[1, 1, 1], [1, 0, 0], [1, 1, 0]];
      const pK = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]];
      const f1 = new pc.F1Score({ threshold: 0.5 });
      f1.update(yK, pK);
      expectClose(f1.resultPerClass(), [0.5, 0.8, 2 / 3], 1e-12, 0);
      expect(f1.result()).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
      const f2 = new pc.FBetaScore({ beta: 2, threshold: 0.5 });
      f2.update(yK, pK);
      expectClose(f2.resultPerClass(), [5 / 13, 10 / 11, 5 / 6], 1e-12, 0);
      // Multi-label data on a grid of tenths, so ties for a row's largest are common; some zero rows.
      const p = rows(40, 4, 2, (g) => g.nextInt(6) / 10);
      const y = rows(40, 4, 3, (g) => (g.nextFloat() < 0.4 ? 1 : 0));
      const w = y.map((_, r) => Math.fround(0.1 + (r % 7) / 3));
      for (const threshold of [null, 0.3, 0.45]) {
        for (const beta of [1, 0.5, 2]) {
          for (const weights of [null, w]) {
            const expected = fScoresByHand(y, p, weights, beta, threshold);
            for (const average of [null, 'micro', 'macro', 'weighted'] as const) {
              const m = beta === 1 ? new pc.F1Score({ average, threshold }) : new pc.FBetaScore({ average, threshold, beta });
              m.update(y.slice(0, 15), p.slice(0, 15), weights?.slice(0, 15));
              m.update(y.slice(15), p.slice(15), weights?.slice(15));
              const title = `threshold ${threshold}, beta ${beta}, average ${average}, weighted ${!!weights}`;
              expect(m.result(), title).toBeCloseTo(expected[average ?? 'macro'], 12);
              expectClose(m.resultPerClass(), expected.scores, 1e-12, 1e-15);
            }
          }
        }
      }
      // Without a threshold, every class tied for a row's largest is positive, and a row of zeros has none.
      const ties = new pc.F1Score();
      ties.update([[1, 0, 1], [0, 0, 1]], [[0.4, 0.4, 0.2], [0, 0, 0]]);
      expect(ties.resultPerClass()).toEqual([1, 0, 0]);
    });

    it("the rate-at-rate metrics: Keras's examples; by hand at each numThresholds, classId, weighted, accumulated; scores above 1 clipped", () => {
      const kerasLabels = [0, 0, 0, 1, 1];
      const kerasScores = [0, 0.3, 0.8, 0.3, 0.8];
      expect(new pc.SensitivityAtSpecificity({ specificity: 0.5 }).call(kerasLabels, kerasScores)).toBe(0.5);
      expect(new pc.SensitivityAtSpecificity({ specificity: 0.5 }).call(kerasLabels, kerasScores, [1, 1, 2, 2, 1])).toBeCloseTo(1 / 3, 12);
      expect(new pc.SpecificityAtSensitivity({ sensitivity: 0.5 }).call(kerasLabels, kerasScores)).toBeCloseTo(2 / 3, 12);
      expect(new pc.SpecificityAtSensitivity({ sensitivity: 0.5 }).call(kerasLabels, kerasScores, [1, 1, 2, 2, 2])).toBe(0.5);
      expect(new pc.PrecisionAtRecall({ recall: 0.5 }).call(kerasLabels, kerasScores)).toBe(0.5);
      expect(new pc.PrecisionAtRecall({ recall: 0.5 }).call(kerasLabels, kerasScores, [2, 2, 2, 1, 1])).toBeCloseTo(1 / 3, 12);
      expect(new pc.RecallAtPrecision({ precision: 0.8 }).call([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])).toBe(0.5);
      expect(new pc.RecallAtPrecision({ precision: 0.8 }).call([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1])).toBe(1);
      const generator = new pc.RandomGenerator(4);
      const labels = Array.from({ length: 60 }, () => generator.nextInt(2));
      // Scores leaning towards the label; a few at 0, 1 and above 1 test the ends.
      const scores = labels.map((l, i) => Math.fround(i % 17 === 0 ? [0, 1, 1.4][i % 3]! : 0.3 * l + 0.7 * generator.nextFloat()));
      const w = labels.map(() => Math.fround(0.25 + generator.nextFloat()));
      for (const { make, constraint, target } of RATE_METRICS) {
        for (const n of [200, 7, 2, 1]) {
          for (const value of [0, 0.4, 0.8, 1]) {
            const m = make(value, n);
            m.update(labels.slice(0, 25), scores.slice(0, 25).map((s) => [s]), w.slice(0, 25));
            m.update(labels.slice(25), scores.slice(25).map((s) => [s]), w.slice(25));
            expect(m.result(), `${m.name} ${n} thresholds, ${value}`).toBeCloseTo(rateAtRateByHand(labels, scores, w, n, constraint, value, target), 12);
            m.resetStates();
            expect(m.result()).toBe(0);
          }
        }
        // classId: column 1 of [batch, 3] rows only.
        const wide = scores.map((s) => [0.5, s, 0.2]);
        const oneHot = labels.map((l) => [1 - l, l, 0]);
        expect(make(0.6, 50, 1).call(oneHot, wide, w)).toBeCloseTo(rateAtRateByHand(labels, scores, w, 50, constraint, 0.6, target), 12);
      }
    });

    it('bad settings and bad batches are errors naming the metric, what it expected and what it got; the state stays as it was', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => new pc.R2Score({ classAggregation: 'variance_weighted' as pc.ClassAggregation }), /^R2Score: classAggregation must be one of 'uniform_average', 'variance_weighted_average', got "variance_weighted"$/],
        [() => new pc.R2Score({ numRegressors: -1 }), /^R2Score: numRegressors must be a non-negative integer, got -1$/],
        [() => new pc.F1Score({ average: 'samples' as pc.FScoreAverage }), /^F1Score: average must be one of 'micro', 'macro', 'weighted', got "samples"$/],
        [() => new pc.F1Score({ threshold: 0 }), /^F1Score: threshold must be in \(0, 1\], got 0$/],
        [() => new pc.F1Score({ beta: 2 } as pc.F1ScoreConfig), /^F1Score: unknown option 'beta'; expected one of name, average, threshold$/],
        [() => new pc.FBetaScore({ beta: 0 }), /^FBetaScore: beta must be a positive number, got 0$/],
        [() => new pc.PrecisionAtRecall({ recall: 1.2 }), /^PrecisionAtRecall: recall must be in \[0, 1\], got 1\.2$/],
        [() => new pc.RecallAtPrecision({} as pc.RecallAtPrecisionConfig), /^RecallAtPrecision: precision must be in \[0, 1\], got undefined$/],
        [() => new pc.SensitivityAtSpecificity({ specificity: 0.5, numThresholds: 0 }), /^SensitivityAtSpecificity: numThresholds must be a positive integer, got 0$/],
        [() => new pc.SpecificityAtSensitivity({ sensitivity: 0.5, classId: -1 }), /^SpecificityAtSensitivity: classId must be a non-negative integer, got -1$/],
        [() => new pc.SpecificityAtSensitivity({ specificity: 0.5 } as unknown as pc.SpecificityAtSensitivityConfig), /^SpecificityAtSensitivity: unknown option 'specificity'; expected one of name, numThresholds, classId, sensitivity$/],
      ];
      for (const [run, message] of cases) expect(run).toThrow(message);
      const before = pc.memory().numTensors;
      const batches: [pc.Metric, unknown[], RegExp][] = [
        [new pc.R2Score(), [[1, 2, 3], [1, 2, 3]], /^r2_score: expected yTrue and yPred of shape \[batch, outputs\], got \[3\]$/],
        [new pc.R2Score(), [[[1, 2]], [[1, 2, 3]]], /^r2_score: yTrue \[1,2\] and yPred \[1,3\] must have the same shape$/],
        [new pc.R2Score(), [[[1, 2]], [[1, 2]], [1, 2]], /^r2_score: sampleWeight \[2\] does not fit the values \[1,2\]/],
        [new pc.F1Score({ name: 'f1' }), [[[1, 0]], [[0.2, 0.3, 0.5]]], /^f1: yTrue \[1,2\] and yPred \[1,3\] must have the same shape$/],
        [new pc.FBetaScore(), [[[[1, 0]]], [[[0.2, 0.3]]]], /^fbeta_score: expected yTrue and yPred of shape \[batch, classes\], got \[1,1,2\]$/],
        [new pc.PrecisionAtRecall({ recall: 0.5, classId: 3 }), [[[1, 0, 0]], [[0.2, 0.3, 0.4]]], /^precision_at_recall: classId 3 needs yPred of shape \[batch, classes\] with more than 3 classes, got \[1,3\]$/],
      ];
      for (const [metric, args, message] of batches) {
        expect(() => metric.update(...(args as [pc.TensorLike, pc.TensorLike]))).toThrow(message);
        expect(metric.result()).toBe(0);
      }
      // After a good batch, one with another number of classes or outputs is refused and changes nothing.
      const f1 = new pc.F1Score({ threshold: 0.5 });
      const r2 = new pc.R2Score();
      f1.update([[1, 0], [0, 1]], [[0.7, 0.2], [0.9, 0.1]]);
      r2.update([[1, 0], [0, 2]], [[0.7, 0.2], [0.9, 0.1]]);
      const [f1Before, r2Before] = [f1.result(), r2.result()];
      expect(() => f1.update([[1, 0, 0]], [[0.7, 0.2, 0.1]])).toThrow(/^f1_score: expected yPred with 2 classes, as in the batches before, got \[1,3\]$/);
      expect(() => r2.update([[1]], [[0.7]])).toThrow(/^r2_score: expected yPred with 2 outputs, as in the batches before, got \[1,1\]$/);
      expect([f1.result(), r2.result()]).toEqual([f1Before, r2Before]);
      expect(pc.memory().numTensors).toBe(before);
    });

    it('with reads deferred, each metric keeps its batches on the device and then reports what reading at once reports; no tensor is left', () => {
      const before = pc.memory().numTensors;
      const y = pc.tensor([[1, 0, 1], [0, 1, 0], [1, 1, 0]]);
      const p = pc.tensor([[0.9, 0.2, 0.6], [0.3, 0.8, 0.1], [0.5, 0.4, 0.7]]);
      const w = pc.tensor([1, 2, 0.5]);
      const makers: (() => pc.Metric)[] = [
        () => new pc.R2Score(), () => new pc.F1Score({ average: 'weighted' }), () => new pc.FBetaScore({ beta: 2, threshold: 0.5 }),
        () => new pc.PrecisionAtRecall({ recall: 0.5 }), () => new pc.SensitivityAtSpecificity({ specificity: 0.4, classId: 2 }),
      ];
      for (const make of makers) {
        const [atOnce, deferred] = [make(), make()];
        deferred.deferReads = true;
        for (const m of [atOnce, deferred]) {
          m.update(y, p, w);
          pc.tidy(() => m.update(y, p));
        }
        expect(pc.memory().numTensors).toBeGreaterThan(before + 3);
        expect(deferred.result(), atOnce.name).toBe(atOnce.result());
        expect(pc.memory().numTensors).toBe(before + 3);
      }
      pc.dispose([y, p, w]);
      expect(pc.memory().numTensors).toBe(before);
    });
  });

  describe(`R2, F-score and rate-at-rate metrics in compile / fit / evaluate on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('by object and by name, logged under their Keras names with the values of the whole epoch', async () => {
      const generator = new pc.RandomGenerator(9);
      const n = 36;
      const features = rows(n, 3, 10, (g) => g.nextNormal());
      const targets = features.map(([a, b, c]) => [a! - b! + 0.3 * generator.nextNormal(), 2 * c! + generator.nextNormal()].map(Math.fround));
      const x = pc.tensor(features);
      const y = pc.tensor(targets);
      const regression = new pc.Sequential([pc.Input({ shape: [3] }), new pc.Dense(2)]);
      regression.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'mse', metrics: ['r2_score', new pc.R2Score({ classAggregation: 'variance_weighted_average', name: 'r2_weighted' })] });
      const predictions = pc.tidy(() => regression.predict(x).arraySync() as number[][]);
      const history = await regression.fit(x, y, { batchSize: 10, epochs: 1, shuffle: false, verbose: 0 });
      const { scores, variances } = r2ByHand(targets, predictions, null);
      const expected = [sumOf(scores) / 2, sumOf(scores.map((s, c) => s * variances[c]!)) / sumOf(variances)];
      expect(Object.keys(history.history).sort()).toEqual(['loss', 'r2_score', 'r2_weighted']);
      expectClose([history.history.r2_score![0]!, history.history.r2_weighted![0]!], expected, 1e-6, 1e-7);
      expectClose((await regression.evaluate(x, y, { verbose: 0 })).slice(1), expected, 1e-6, 1e-7);

      const labels = features.map(([a, b]) => [a! > 0 ? 1 : 0, b! > 0.3 ? 1 : 0]);
      const classifier = new pc.Sequential([pc.Input({ shape: [3] }), new pc.Dense(2, { activation: 'sigmoid' })]);
      classifier.compile({
        optimizer: new pc.SGD({ learningRate: 0 }), loss: 'binary_crossentropy',
        metrics: ['f1_score', new pc.FBetaScore({ beta: 2, average: 'micro', threshold: 0.5 }), new pc.PrecisionAtRecall({ recall: 0.5, numThresholds: 50, classId: 0 })],
      });
      const scoresOut = pc.tidy(() => classifier.predict(x).arraySync() as number[][]);
      const yLabels = pc.tensor(labels);
      const fitted = await classifier.fit(x, yLabels, { batchSize: 8, epochs: 1, shuffle: false, verbose: 0, validationData: [x, yLabels] });
      expect(classifier.metricsNames).toEqual(['loss', 'f1_score', 'fbeta_score', 'precision_at_recall']);
      const expectedLogs = {
        f1_score: fScoresByHand(labels, scoresOut, null, 1, null).macro,
        fbeta_score: fScoresByHand(labels, scoresOut, null, 2, 0.5).micro,
        precision_at_recall: rateAtRateByHand(labels.map((l) => l[0]!), scoresOut.map((s) => s[0]!), null, 50, 'sensitivity', 0.5, 'precision'),
      };
      for (const [name, value] of Object.entries(expectedLogs)) {
        expectClose([fitted.history[name]![0]!, fitted.history[`val_${name}`]![0]!], [value, value], 1e-6, 1e-7);
      }
      pc.dispose([x, y, yLabels]);
      regression.dispose();
      classifier.dispose();
    });
  });
}

describe('R2, F-score and rate-at-rate metric names, getMetric and configs', () => {
  it('carry the Keras names, resolve by Keras name, camelCase name and class name, and come back from {className, config}', () => {
    const configs: [string, string, pc.MetricConfig][] = [
      ['r2_score', 'R2Score', { name: 'r2_score', classAggregation: 'variance_weighted_average', numRegressors: 3 }],
      ['f1_score', 'F1Score', { name: 'f1_score', average: 'macro', threshold: 0.4 }],
      ['fbeta_score', 'FBetaScore', { name: 'fb', beta: 0.5 }],
      ['precision_at_recall', 'PrecisionAtRecall', { name: 'precision_at_recall', recall: 0.7, numThresholds: 20, classId: 1 }],
      ['recall_at_precision', 'RecallAtPrecision', { name: 'rp', precision: 0.9, numThresholds: 200 }],
      ['sensitivity_at_specificity', 'SensitivityAtSpecificity', { name: 'sensitivity_at_specificity', specificity: 0.6, numThresholds: 1 }],
      ['specificity_at_sensitivity', 'SpecificityAtSensitivity', { name: 'specificity_at_sensitivity', sensitivity: 0.3, numThresholds: 200 }],
    ];
    for (const [name, className, config] of configs) {
      const metric = pc.getMetric({ className, config });
      expect(metric.constructor.name).toBe(className);
      expect(metric.getConfig()).toEqual(config);
      expect(pc.getMetric({ className: name, config }).getConfig()).toEqual(config);
      const unnamed = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'name'));
      expect(pc.getMetric({ className, config: unnamed }).name).toBe(name);
    }
    for (const name of ['r2_score', 'r2Score', 'R2Score', 'f1_score', 'F1Score', 'fbeta_score', 'f_beta_score', 'FBetaScore']) expect(pc.getMetric(name).name, name).toMatch(/^(r2|f1|fbeta)_score$/);
    expect(pc.resolveMetric('f1_score')).toBeInstanceOf(pc.F1Score);
    expect(new pc.F1Score().getConfig()).toEqual({ name: 'f1_score' });
    expect(new pc.R2Score({ classAggregation: null }).getConfig()).toEqual({ name: 'r2_score', classAggregation: 'uniform_average', numRegressors: 0 });
    // A setting Keras requires is asked for when the metric is named without it.
    expect(() => pc.getMetric('precision_at_recall')).toThrow(/^PrecisionAtRecall: recall must be in \[0, 1\], got undefined$/);
  });

  it('a saved model brings them back with their settings', async () => {
    const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(2, { activation: 'sigmoid' })]);
    model.compile({
      optimizer: 'sgd', loss: 'binary_crossentropy',
      metrics: [new pc.R2Score({ numRegressors: 1 }), 'f1_score', new pc.FBetaScore({ beta: 3, average: 'weighted' }), new pc.RecallAtPrecision({ precision: 0.75, numThresholds: 9 })],
    });
    const store = pc.memoryStore();
    await model.save(store);
    const loaded = await pc.loadModel(store);
    expect(loaded.compiledMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual(model.compiledMetrics.map((m) => [m.constructor.name, m.getConfig()]));
    expect(loaded.metricsNames).toEqual(['loss', 'r2_score', 'f1_score', 'fbeta_score', 'recall_at_precision']);
    model.dispose();
    loaded.dispose();
  });
});
