// Precision, Recall, the confusion counts, AUC, the top-k accuracies and the cross-entropy
// metrics against float64 computations written here (counts made by hand, the trapezoid rule
// over Keras's thresholds, the exact rank AUC, a numerical integral of the interpolated PR
// curve), with Keras 3's documented examples as a second witness.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** A reproducible binary problem: 0/1 labels, float32 scores that lean towards the label, float32 weights. */
function binaryData(n: number, seed: number): { labels: number[]; scores: number[]; weights: number[] } {
  const generator = new pc.RandomGenerator(seed);
  const labels = Array.from({ length: n }, () => generator.nextInt(2));
  const scores = labels.map((label) => Math.fround(Math.min(1, Math.max(0, 0.35 * label + 0.65 * generator.nextFloat()))));
  const weights = labels.map(() => Math.fround(0.25 + 2 * generator.nextFloat()));
  return { labels, scores, weights };
}

interface Counts { tp: number; fp: number; tn: number; fn: number }

/** The four cells counted one case at a time: positive prediction when score > threshold, positive label when non-zero. */
function countByHand(labels: readonly number[], scores: readonly number[], weights: readonly number[] | null, threshold: number): Counts {
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  labels.forEach((label, i) => {
    const w = weights ? weights[i]! : 1;
    const predicted = scores[i]! > threshold;
    if (label !== 0) counts[predicted ? 'tp' : 'fn'] += w;
    else counts[predicted ? 'fp' : 'tn'] += w;
  });
  return counts;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Keras's AUC thresholds for n: −1e-7, then i/(n−1) for i = 1..n−2, then 1 + 1e-7. */
function kerasThresholds(n: number): number[] {
  return [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
}

/** ROC area over the given thresholds: Σ (fpr_i − fpr_{i+1}) · height(tpr_i, tpr_{i+1}). */
function rocArea(labels: number[], scores: number[], weights: number[] | null, thresholds: number[], height: (a: number, b: number) => number): number {
  const points = thresholds.map((t) => countByHand(labels, scores.map((s) => Math.min(1, Math.max(0, s))), weights, t))
    .map((c) => ({ fpr: ratio(c.fp, c.fp + c.tn), tpr: ratio(c.tp, c.tp + c.fn) }));
  let area = 0;
  for (let i = 0; i + 1 < points.length; i++) area += (points[i]!.fpr - points[i + 1]!.fpr) * height(points[i]!.tpr, points[i + 1]!.tpr);
  return area;
}

/** The exact ROC AUC: the weighted share of (positive, negative) pairs ranked right, ties counting ½. */
function exactRocAuc(labels: number[], scores: number[], weights: number[]): number {
  let right = 0;
  let pairs = 0;
  labels.forEach((a, i) => labels.forEach((b, j) => {
    if (a !== 1 || b !== 0) return;
    const w = weights[i]! * weights[j]!;
    pairs += w;
    right += w * (scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0);
  }));
  return right / pairs;
}

/**
 * The PR area with TP and P = TP + FP interpolated linearly between neighbouring thresholds
 * (Davis & Goadrich), integrated numerically: Σ over intervals of ∫ TP(s)/P(s) d(recall), by
 * the midpoint rule, independent of the closed form the metric uses.
 */
function interpolatedPrAreaNumerically(labels: number[], scores: number[], weights: number[] | null, thresholds: number[]): number {
  const counts = thresholds.map((t) => countByHand(labels, scores, weights, t));
  const positives = counts[0]!.tp + counts[0]!.fn;
  const steps = 20000;
  let area = 0;
  for (let i = 0; i + 1 < counts.length; i++) {
    const [low, high] = [counts[i]!, counts[i + 1]!];
    const dTp = low.tp - high.tp;
    if (dTp === 0) continue;
    let integral = 0;
    for (let k = 0; k < steps; k++) {
      const s = (k + 0.5) / steps;
      const tp = high.tp + s * dTp;
      const p = high.tp + high.fp + s * (low.tp + low.fp - high.tp - high.fp);
      integral += tp / p / steps;
    }
    area += (integral * dTp) / positives;
  }
  return area;
}

/** Rows of class scores on a grid of tenths, so that ties at the top-k boundary are common. */
function scoreRows(rows: number, classes: number, seed: number): number[][] {
  const generator = new pc.RandomGenerator(seed);
  return Array.from({ length: rows }, () => Array.from({ length: classes }, () => Math.fround(generator.nextInt(10) / 10)));
}

/** Whether `label` is in the top k of `row` as TensorFlow's in_top_k: fewer than k scores strictly higher. */
function inTopKByHand(row: number[], label: number, k: number): boolean {
  return row.filter((v) => v > row[label]!).length < k;
}

const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);

for (const backend of MODEL_BACKENDS) {
  describe(`classification metrics on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(7);
    });

    it("Precision, Recall and the four counts match counts made by hand, weighted, over two updates, and reset to 0", () => {
      const { labels, scores, weights } = binaryData(60, 1);
      const [first, second] = [30, 60];
      for (const threshold of [undefined, 0.3, 0.62]) {
        const config = threshold === undefined ? {} : { thresholds: threshold };
        const metrics = {
          precision: new pc.Precision(config), recall: new pc.Recall(config), tp: new pc.TruePositives(config),
          fp: new pc.FalsePositives(config), tn: new pc.TrueNegatives(config), fn: new pc.FalseNegatives(config),
        };
        for (const weighted of [false, true]) {
          for (const m of Object.values(metrics)) {
            m.resetStates();
            expect(m.result()).toBe(0);
            // [n, 1] predictions against [n] labels, in two batches of one epoch.
            for (const [from, to] of [[0, first], [first, second]] as const) {
              m.update(labels.slice(from, to), scores.slice(from, to).map((s) => [s]), weighted ? weights.slice(from, to) : undefined);
            }
          }
          const c = countByHand(labels, scores, weighted ? weights : null, threshold ?? 0.5);
          const title = `threshold ${threshold}, weighted ${weighted}`;
          expectClose([metrics.tp.result(), metrics.fp.result(), metrics.tn.result(), metrics.fn.result()], [c.tp, c.fp, c.tn, c.fn], 1e-12, 1e-9);
          expect(metrics.precision.result(), title).toBeCloseTo(c.tp / (c.tp + c.fp), 12);
          expect(metrics.recall.result(), title).toBeCloseTo(c.tp / (c.tp + c.fn), 12);
        }
      }
    });

    it("Keras's examples: labels are positive when non-zero; a score equal to the threshold is negative", () => {
      const precision = new pc.Precision();
      expect(precision.call([0, 1, 1, 1], [1, 0, 1, 1])).toBeCloseTo(2 / 3, 12);
      precision.resetStates();
      expect(precision.call([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0])).toBe(1);
      expect(new pc.FalsePositives().call([0, 1, 0, 0], [0, 0, 1, 1])).toBe(2);
      expect(new pc.FalseNegatives().call([0, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0])).toBe(1);
      expect(new pc.TrueNegatives().call([0, 1, 0, 0], [1, 1, 0, 0])).toBe(2);
      // Labels 2 and −1 are positive, as Keras's cast to bool; 0.5 is not above 0.5; int32 labels.
      const tp = new pc.TruePositives();
      expect(tp.call(Int32Array.from([2, -1, 1, 0]), [0.9, 0.7, 0.5, 0.8])).toBe(2);
      expect(new pc.Recall().call([[1], [1], [0]], [[0.5], [0.51], [0.9]])).toBe(0.5);
    });

    it('topK keeps each row\'s k largest (ties to the lower class), classId counts one column, as Keras', () => {
      // Keras's documented examples: with every score tied, the top 2 are classes 0 and 1.
      expect(new pc.Precision({ topK: 2 }).call([0, 0, 1, 1], [1, 1, 1, 1])).toBe(0);
      expect(new pc.Precision({ topK: 4 }).call([0, 0, 1, 1], [1, 1, 1, 1])).toBe(0.5);
      const labels = [[0, 0, 1, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]];
      const scores = [[0.1, 0.6, 0.3, 0.2], [0.4, 0.4, 0.1, 0.4], [0.2, 0.7, 0.6, 0.1], [0.05, 0.1, 0.7, 0.6]];
      const weights = [1, 2, 0.5, 1];
      // By hand: the top 2 of each row are {1, 2}, {0, 1}, {1, 2}, {2, 3}.
      const top2 = [[1, 2], [0, 1], [1, 2], [2, 3]];
      let [tp, fp, fn] = [0, 0, 0];
      labels.forEach((row, r) => row.forEach((label, c) => {
        const predicted = top2[r]!.includes(c);
        if (label && predicted) tp += weights[r]!;
        else if (predicted) fp += weights[r]!;
        else if (label) fn += weights[r]!;
      }));
      expect(new pc.Precision({ topK: 2 }).call(labels, scores, weights)).toBeCloseTo(tp / (tp + fp), 12);
      expect(new pc.Recall({ topK: 2 }).call(labels, scores, weights)).toBeCloseTo(tp / (tp + fn), 12);
      // Class 2 alone: above 0.5 in rows 2 and 3, labelled in rows 0 and 1.
      expect(new pc.Precision({ classId: 2 }).call(labels, scores)).toBe(0);
      expect(new pc.Recall({ classId: 2, thresholds: 0.05 }).call(labels, scores, weights)).toBe(1);
      // Both: class 2 is in the top 2 of rows 0, 2 and 3, labelled only in row 0.
      expect(new pc.Precision({ topK: 2, classId: 2 }).call(labels, scores, weights)).toBeCloseTo(1 / 2.5, 12);
      expect(new pc.Recall({ topK: 1, classId: 1 }).call(labels, scores)).toBe(1);
    });

    it('AUC (ROC) is the exact rank AUC when each score has its own bucket; 1 when separable, 0 when reversed', () => {
      const n = 24;
      const generator = new pc.RandomGenerator(3);
      const labels = Array.from({ length: n }, (_, i) => i % 2);
      // Distinct scores 1/25 apart, well inside their buckets of Keras's 200 thresholds.
      const order = Array.from(generator.permutation(n));
      const scores = order.map((rank) => Math.fround((rank + 0.5) / 25));
      const weights = labels.map(() => Math.fround(0.5 + generator.nextFloat()));
      expect(new pc.AUC().call(labels, scores)).toBeCloseTo(exactRocAuc(labels, scores, labels.map(() => 1)), 12);
      expect(new pc.AUC().call(labels, scores, weights)).toBeCloseTo(exactRocAuc(labels, scores, weights), 12);
      const separable = labels.map((label, i) => Math.fround(label ? 0.6 + i / 100 : 0.1 + i / 100));
      const reversed = separable.map((s) => Math.fround(1 - s));
      for (const [curve, method] of [['ROC', 'interpolation'], ['ROC', 'minoring'], ['ROC', 'majoring'], ['PR', 'interpolation']] as const) {
        expect(new pc.AUC({ curve, summationMethod: method }).call(labels, separable), `${curve} ${method}`).toBeCloseTo(1, 12);
      }
      expect(new pc.AUC().call(labels, reversed)).toBe(0);
      // Keras's example: thresholds [−1e-7, 0.5, 1 + 1e-7], tpr [1, 0.5, 0], fpr [1, 0, 0].
      const auc = new pc.AUC({ numThresholds: 3 });
      expect(auc.call([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])).toBe(0.75);
      auc.resetStates();
      expect(auc.result()).toBe(0);
      expect(auc.call([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1])).toBe(1);
    });

    it('AUC (ROC) follows the trapezoid rule over the same thresholds, weighted, over two updates; minoring <= it <= majoring', () => {
      const { labels, scores, weights } = binaryData(80, 2);
      // Scores of 0 and 1 exactly exercise the end thresholds.
      scores[0] = 0;
      scores[1] = 1;
      const heights = { interpolation: (a: number, b: number) => (a + b) / 2, minoring: Math.min, majoring: Math.max };
      for (const numThresholds of [200, 7, 2]) {
        for (const method of ['interpolation', 'minoring', 'majoring'] as const) {
          const auc = new pc.AUC({ numThresholds, summationMethod: method });
          auc.update(labels.slice(0, 50), scores.slice(0, 50), weights.slice(0, 50));
          auc.update(labels.slice(50), scores.slice(50), weights.slice(50));
          const expected = rocArea(labels, scores, weights, kerasThresholds(numThresholds), heights[method]);
          expect(auc.result(), `${numThresholds} thresholds, ${method}`).toBeCloseTo(expected, 12);
        }
        const bounds = (['minoring', 'interpolation', 'majoring'] as const).map((m) => new pc.AUC({ numThresholds, summationMethod: m }).call(labels, scores));
        expect(bounds[0]).toBeLessThanOrEqual(bounds[1]!);
        expect(bounds[1]).toBeLessThanOrEqual(bounds[2]!);
      }
    });

    it('AUC (PR) with interpolation equals a numerical integral of the interpolated precision; minoring and majoring bound it', () => {
      const { labels, scores, weights } = binaryData(60, 4);
      for (const numThresholds of [200, 11]) {
        const thresholds = kerasThresholds(numThresholds);
        for (const w of [null, weights]) {
          const auc = new pc.AUC({ curve: 'PR', numThresholds });
          const value = auc.call(labels, scores, w ?? undefined);
          expect(value, `${numThresholds} thresholds`).toBeCloseTo(interpolatedPrAreaNumerically(labels, scores, w, thresholds), 6);
        }
        const [low, high] = (['minoring', 'majoring'] as const).map((m) => new pc.AUC({ curve: 'PR', numThresholds, summationMethod: m }).call(labels, scores));
        const interpolated = new pc.AUC({ curve: 'PR', numThresholds }).call(labels, scores);
        expect(low).toBeLessThanOrEqual(interpolated + 1e-12);
        expect(interpolated).toBeLessThanOrEqual(high! + 1e-12);
      }
    });

    it('AUC fromLogits takes a sigmoid first; scores outside [0, 1] are clipped, as Keras', () => {
      const labels = [0, 1, 1, 0, 1, 0];
      const logits = [-2, 1.5, 0.2, 0.3, -0.4, -3];
      const probabilities = logits.map((x) => 1 / (1 + Math.exp(-x)));
      const fromLogits = new pc.AUC({ fromLogits: true, numThresholds: 50 }).call(labels, logits);
      expect(fromLogits).toBeCloseTo(rocArea(labels, probabilities, null, kerasThresholds(50), (a, b) => (a + b) / 2), 6);
      // −3 and 4 count as 0 and 1: positive at the first threshold, negative at the last.
      const clipped = new pc.AUC({ numThresholds: 5 }).call([1, 0, 1, 0], [4, -3, 0.6, 0.4]);
      expect(clipped).toBeCloseTo(rocArea([1, 0, 1, 0], [1, 0, 0.6, 0.4], null, kerasThresholds(5), (a, b) => (a + b) / 2), 12);
    });

    it('TopK / SparseTopKCategoricalAccuracy: a hit when fewer than k classes score higher (ties at the boundary are in), weighted, accumulated', () => {
      const classes = 6;
      const rows = scoreRows(40, classes, 5);
      const generator = new pc.RandomGenerator(6);
      const labels = rows.map(() => generator.nextInt(classes));
      const weights = rows.map(() => Math.fround(0.1 + generator.nextFloat()));
      const oneHot = labels.map((label) => Array.from({ length: classes }, (_, c) => (c === label ? 1 : 0)));
      for (const k of [1, 2, 5]) {
        const hits = rows.map((row, r) => (inTopKByHand(row, labels[r]!, k) ? 1 : 0));
        const expected = sumOf(hits.map((h, r) => h * weights[r]!)) / sumOf(weights);
        const dense = new pc.TopKCategoricalAccuracy({ k });
        const sparse = new pc.SparseTopKCategoricalAccuracy({ k });
        for (const [from, to] of [[0, 25], [25, 40]] as const) {
          dense.update(oneHot.slice(from, to), rows.slice(from, to), weights.slice(from, to));
          sparse.update(Int32Array.from(labels.slice(from, to)), rows.slice(from, to), weights.slice(from, to));
        }
        expect(dense.result(), `k ${k}`).toBeCloseTo(expected, 6);
        expect(sparse.result(), `k ${k}`).toBeCloseTo(expected, 6);
        sparse.resetStates();
        expect(sparse.result()).toBe(0);
      }
      // Ties: with every score equal, class 2 is in the top 1; one score above makes it a miss.
      expect(new pc.SparseTopKCategoricalAccuracy({ k: 1 }).call([[2], [2]], [[0.2, 0.2, 0.2], [0.3, 0.2, 0.2]])).toBe(0.5);
      // Keras's example (k = 1), and the default k of 5 with 3 classes: every sample is a hit.
      const m = new pc.TopKCategoricalAccuracy({ k: 1 });
      expect(m.call([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])).toBe(0.5);
      expect(new pc.TopKCategoricalAccuracy().call([[0, 0, 1]], [[0.9, 0.5, 0.1]])).toBe(1);
      // A NaN score at the true class is a miss.
      expect(new pc.SparseTopKCategoricalAccuracy({ k: 3 }).call([1], [[0.1, NaN, 0.3]])).toBe(0);
      expect(pc.tidy(() => Array.from(pc.sparseTopKCategoricalAccuracy([0, 1], [[0.5, 0.1], [0.5, 0.1]], 1).dataSync()))).toEqual([1, 0]);
    });

    it('the cross-entropy metrics are running means of per-sample cross-entropies computed in float64', () => {
      const clip = (p: number) => Math.min(1 - 1e-7, Math.max(1e-7, p));
      const yTrue = [[0, 1], [0, 0], [1, 1]];
      const yPred = [[0.6, 0.4], [0.4, 0.6], [0.9, 0.2]].map((row) => row.map(Math.fround));
      const bce = yTrue.map((row, r) => sumOf(row.map((z, c) => -(z * Math.log(clip(yPred[r]![c]!)) + (1 - z) * Math.log(1 - clip(yPred[r]![c]!))))) / 2);
      const m = new pc.BinaryCrossentropyMetric();
      m.update(yTrue.slice(0, 2), yPred.slice(0, 2));
      m.update(yTrue.slice(2), yPred.slice(2));
      expect(m.result()).toBeCloseTo(sumOf(bce) / 3, 6);
      m.resetStates();
      expect(m.call(yTrue, yPred, [1, 0, 3])).toBeCloseTo((bce[0]! + 3 * bce[2]!) / 4, 6);
      // Keras's examples.
      expect(new pc.BinaryCrossentropyMetric().call([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])).toBeCloseTo(0.81492424, 6);
      const probs = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
      const cce = [-Math.log(Math.fround(0.95)), -Math.log(Math.fround(0.1))];
      expect(new pc.CategoricalCrossentropyMetric().call([[0, 1, 0], [0, 0, 1]], probs)).toBeCloseTo((cce[0]! + cce[1]!) / 2, 6);
      expect(new pc.CategoricalCrossentropyMetric().call([[0, 1, 0], [0, 0, 1]], probs, [0.3, 0.7])).toBeCloseTo(1.6271976, 6);
      expect(new pc.SparseCategoricalCrossentropyMetric().call([1, 2], probs, [0.3, 0.7])).toBeCloseTo(0.3 * cce[0]! + 0.7 * cce[1]!, 6);
      // From logits: softplus(x) − x·z per element.
      const logits = [[1.5, -0.5]];
      const fromLogits = sumOf(logits[0]!.map((x, c) => Math.log1p(Math.exp(x)) - x * [1, 0][c]!)) / 2;
      expect(new pc.BinaryCrossentropyMetric({ fromLogits: true }).call([[1, 0]], logits)).toBeCloseTo(fromLogits, 6);
      // labelSmoothing s moves binary targets to z·(1 − s) + s/2 and one-hot rows to y·(1 − s) + s/classes.
      const s = 0.2;
      const smoothedBce = yTrue.map((row, r) => sumOf(row.map((z0, c) => {
        const z = z0 * (1 - s) + s / 2;
        return -(z * Math.log(clip(yPred[r]![c]!)) + (1 - z) * Math.log(1 - clip(yPred[r]![c]!)));
      })) / 2);
      expect(new pc.BinaryCrossentropyMetric({ labelSmoothing: s }).call(yTrue, yPred)).toBeCloseTo(sumOf(smoothedBce) / 3, 6);
      const smoothedCce = [[0, 1, 0], [0, 0, 1]].map((row, r) => -sumOf(row.map((y, c) => (y * (1 - s) + s / 3) * Math.log(clip(Math.fround(probs[r]![c]!))))));
      expect(new pc.CategoricalCrossentropyMetric({ labelSmoothing: s }).call([[0, 1, 0], [0, 0, 1]], probs)).toBeCloseTo(sumOf(smoothedCce) / 2, 5);
    });

    it('bad input is an error naming the metric, what it expected and what it got', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => new pc.Precision({ thresholds: 1.5 }), /^Precision: thresholds must be a number in \[0, 1\], got 1\.5$/],
        [() => new pc.TruePositives({ thresholds: -0.1 }), /^TruePositives: thresholds must be a number in \[0, 1\], got -0\.1$/],
        [() => new pc.Recall({ thresholds: [0.3, 0.6] as unknown as number }), /^Recall: thresholds must be a number in \[0, 1\], got \[0\.3,0\.6\]$/],
        [() => new pc.Precision({ topK: 0 }), /^Precision: topK must be a positive integer, got 0$/],
        [() => new pc.Recall({ classId: 1.5 }), /^Recall: classId must be a non-negative integer, got 1\.5$/],
        [() => new pc.Precision({ threshold: 0.3 } as pc.PrecisionRecallConfig), /^Precision: unknown option 'threshold'; expected one of name, thresholds, topK, classId$/],
        [() => new pc.TrueNegatives({ topK: 2 } as pc.ThresholdConfig), /^TrueNegatives: unknown option 'topK'; expected one of name, thresholds$/],
        [() => new pc.TopKCategoricalAccuracy({ k: 0 }), /^TopKCategoricalAccuracy: k must be a positive integer, got 0$/],
        [() => new pc.SparseTopKCategoricalAccuracy({ k: 2.5 }), /^SparseTopKCategoricalAccuracy: k must be a positive integer, got 2\.5$/],
        [() => pc.topKCategoricalAccuracy([[1, 0]], [[0.2, 0.8]], -1), /^topKCategoricalAccuracy: k must be a positive integer, got -1$/],
        [() => new pc.AUC({ numThresholds: 1 }), /^AUC: numThresholds must be an integer > 1, got 1$/],
        [() => new pc.AUC({ curve: 'PRGAIN' as pc.Curve }), /^AUC: curve must be one of 'ROC', 'PR', got "PRGAIN"$/],
        [() => new pc.AUC({ summationMethod: 'trapezoid' as pc.SummationMethod }), /^AUC: summationMethod must be one of 'interpolation', 'minoring', 'majoring', got "trapezoid"$/],
        [() => new pc.AUC({ fromLogits: 1 as unknown as boolean }), /^AUC: fromLogits must be true or false, got 1$/],
        [() => new pc.BinaryCrossentropyMetric({ fromLogits: 'yes' as unknown as boolean }), /^BinaryCrossentropyMetric: fromLogits must be true or false, got "yes"$/],
        [() => new pc.CategoricalCrossentropyMetric({ labelSmoothing: 1.5 }), /^CategoricalCrossentropyMetric: labelSmoothing must be in \[0, 1\], got 1\.5$/],
        [() => new pc.SparseCategoricalCrossentropyMetric({ labelSmoothing: 0.1 } as pc.CrossentropyMetricConfig), /^SparseCategoricalCrossentropyMetric: unknown option 'labelSmoothing'; expected one of name, fromLogits$/],
        [() => new pc.Precision().update([[1, 0]], [[0.2, 0.3, 0.4]]), /^precision: yTrue \[1,2\] and yPred \[1,3\] must have the same shape$/],
        [() => new pc.AUC({ name: 'val_auc' }).update([1, 0, 1], [0.2, 0.3]), /^val_auc: yTrue \[3\] and yPred \[2\] must have the same shape$/],
        [() => new pc.Recall().update([1, 0], [0.2, 0.3], [1, 2, 3]), /^recall: sampleWeight \[3\] does not fit the values \[2\]/],
        [() => new pc.Precision({ classId: 3 }).update([[1, 0, 0]], [[0.2, 0.3, 0.4]]), /^precision: classId 3 needs yPred of shape \[batch, classes\] with more than 3 classes, got \[1,3\]$/],
        [() => new pc.Precision({ topK: 4 }).update([[1, 0, 0]], [[0.2, 0.3, 0.4]]), /^precision: topK 4 needs at least 4 classes on yPred's last axis, got \[1,3\]$/],
        [() => new pc.TopKCategoricalAccuracy().update([[1, 0]], [[0.2, 0.3, 0.5]]), /^topKCategoricalAccuracy: yTrue \[1,2\] and yPred \[1,3\] must have the same shape$/],
        [() => new pc.SparseTopKCategoricalAccuracy().update([3], [[0.2, 0.3, 0.5]]), /^sparseTopKCategoricalAccuracy: label 3 at position 0 is outside \[0, 3\)/],
        [() => new pc.SparseTopKCategoricalAccuracy().update([[0, 1]], [[0.2, 0.3, 0.5]]), /^sparseTopKCategoricalAccuracy: expected labels of shape \[1\] or \[1,1\] for yPred \[1,3\], got \[1,2\]$/],
      ];
      const before = pc.memory().numTensors;
      for (const [run, message] of cases) expect(run).toThrow(message);
      expect(pc.memory().numTensors).toBe(before);
    });

    it('no update leaves a tensor behind, inside tidy or not', () => {
      const labels = pc.tensor([[0, 1, 0], [1, 0, 0]]);
      const sparseLabels = pc.tensor([1, 0], [2], 'int32');
      const scores = pc.tensor([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]);
      const weights = pc.tensor([1, 2]);
      const before = pc.memory().numTensors;
      const dense: pc.Metric[] = [
        new pc.Precision(), new pc.Recall({ topK: 1 }), new pc.TruePositives(), new pc.FalsePositives(), new pc.TrueNegatives(),
        new pc.FalseNegatives(), new pc.AUC(), new pc.AUC({ curve: 'PR', fromLogits: true }), new pc.TopKCategoricalAccuracy({ k: 2 }),
        new pc.BinaryCrossentropyMetric(), new pc.CategoricalCrossentropyMetric({ fromLogits: true }),
      ];
      const sparse: pc.Metric[] = [new pc.SparseTopKCategoricalAccuracy({ k: 1 }), new pc.SparseCategoricalCrossentropyMetric()];
      for (const m of dense) {
        m.update(labels, scores, weights);
        pc.tidy(() => m.call(labels, scores));
      }
      for (const m of sparse) {
        m.update(sparseLabels, scores, weights);
        pc.tidy(() => m.call(sparseLabels, scores));
      }
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([labels, sparseLabels, scores, weights]);
    });

    it('with reads deferred, the confusion-matrix metrics keep each batch on the device until asked, then count what reading at once counts', () => {
      const batches = [
        { labels: pc.tensor([[0, 1, 0], [1, 0, 0]]), scores: pc.tensor([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]), weights: pc.tensor([1, 2]) },
        { labels: pc.tensor([[0, 0, 1], [0, 1, 0], [1, 0, 0]]), scores: pc.tensor([[0.1, 0.3, 0.6], [0.6, 0.35, 0.05], [0.4, 0.4, 0.2]]), weights: undefined },
      ];
      const makers: (() => pc.Metric)[] = [
        () => new pc.Precision({ classId: 1 }), () => new pc.Recall({ topK: 1 }), () => new pc.FalsePositives({ thresholds: 0.3 }),
        () => new pc.AUC(), () => new pc.AUC({ curve: 'PR', fromLogits: true }),
      ];
      const before = pc.memory().numTensors;
      for (const make of makers) {
        const [atOnce, deferred] = [make(), make()];
        deferred.deferReads = true;
        const held: number[] = [];
        for (const { labels, scores, weights } of batches) {
          atOnce.update(labels, scores, weights);
          deferred.update(labels, scores, weights);
          held.push(pc.memory().numTensors - before);
        }
        // Two batches: labels and scores each, and the first's weights.
        expect(held, atOnce.name).toEqual([3, 5]);
        expect(deferred.result(), atOnce.name).toBe(atOnce.result());
        expect(pc.memory().numTensors).toBe(before);
        // Shapes are still checked when the batch comes, and resetStates frees what waits.
        expect(() => deferred.update(batches[0]!.labels, batches[1]!.scores)).toThrow(/must have the same shape/);
        deferred.update(batches[1]!.labels, batches[1]!.scores);
        deferred.resetStates();
        expect(pc.memory().numTensors).toBe(before);
        expect(deferred.result()).toBe(0);
      }
      pc.dispose(batches);
    });
  });

  describe(`classification metrics in compile / fit / evaluate / save on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    /** A binary classifier: Dense(1, sigmoid), built. */
    function binaryModel(): pc.Sequential {
      const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { activation: 'sigmoid', name: 'out' })]);
      pc.tidy(() => model.apply(pc.zeros([1, 2])));
      return model;
    }

    it('fit logs each metric under its Keras name (or the string given), with values of the whole epoch', async () => {
      const generator = new pc.RandomGenerator(11);
      const n = 40;
      const features = Array.from({ length: n }, () => [generator.nextNormal(), generator.nextNormal()].map(Math.fround));
      const labels = features.map(([a, b]) => (a! - b! + 0.5 * generator.nextNormal() > 0 ? 1 : 0));
      const model = binaryModel();
      const x = pc.tensor(features);
      const y = pc.tensor(labels, [n, 1]);
      // The model's own scores, counted by hand below; a learning rate of 0 keeps them for the whole fit.
      const scores = pc.tidy(() => Array.from(model.predict(x).dataSync()));
      model.compile({
        optimizer: new pc.SGD({ learningRate: 0 }),
        loss: 'binary_crossentropy',
        metrics: ['precision', 'recall', new pc.TruePositives({ thresholds: 0.7 }), 'auc', new pc.AUC({ curve: 'PR', name: 'pr_auc' }), 'binary_crossentropy'],
      });
      const history = await model.fit(x, y, { batchSize: 20, epochs: 2, shuffle: false, verbose: 0, validationData: [x, y] });
      expect(Object.keys(history.history).sort()).toEqual([
        'auc', 'binary_crossentropy', 'loss', 'pr_auc', 'precision', 'recall', 'true_positives',
        'val_auc', 'val_binary_crossentropy', 'val_loss', 'val_pr_auc', 'val_precision', 'val_recall', 'val_true_positives',
      ]);
      const at05 = countByHand(labels, scores, null, 0.5);
      const expected: Record<string, number> = {
        precision: at05.tp / (at05.tp + at05.fp),
        recall: at05.tp / (at05.tp + at05.fn),
        true_positives: countByHand(labels, scores, null, 0.7).tp,
        auc: rocArea(labels, scores, null, kerasThresholds(200), (a, b) => (a + b) / 2),
        pr_auc: interpolatedPrAreaNumerically(labels, scores, null, kerasThresholds(200)),
      };
      for (const [name, value] of Object.entries(expected)) {
        for (const key of [name, `val_${name}`]) expectClose(history.history[key]!, [value, value], 1e-5, 1e-6);
      }
      expectClose(history.history.binary_crossentropy!, history.history.loss!, 1e-6, 1e-7);
      const evaluated = await model.evaluate(x, y, { verbose: 0 });
      expect(model.metricsNames).toEqual(['loss', 'precision', 'recall', 'true_positives', 'auc', 'pr_auc', 'binary_crossentropy']);
      expectClose(evaluated.slice(1, 6), [expected.precision!, expected.recall!, expected.true_positives!, expected.auc!, expected.pr_auc!], 1e-5, 1e-6);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('in executions of 3 steps (compile stepsPerExecution), fit and evaluate log the confusion-matrix metrics exactly as step by step', async () => {
      const generator = new pc.RandomGenerator(12);
      const n = 40;
      const x = pc.tensor(Array.from({ length: n * 2 }, () => Math.fround(generator.nextNormal())), [n, 2]);
      const y = pc.tensor(Array.from({ length: n }, (_, i) => i % 2), [n, 1]);
      const run = async (stepsPerExecution: number) => {
        pc.setSeed(5);
        const model = binaryModel();
        model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['precision', new pc.Recall({ thresholds: 0.3 }), 'auc'], stepsPerExecution });
        const history = await model.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0, validationData: [x, y] });
        const scores = await model.evaluate(x, y, { batchSize: 6, verbose: 0 });
        model.dispose();
        return { history: history.history, scores };
      };
      const stepwise = await run(1);
      expect(await run(3)).toEqual(stepwise);
      expect(stepwise.history.auc).toHaveLength(2);
      pc.dispose([x, y]);
    });

    it('top-k and cross-entropy metrics by their compile names, weighted as weightedMetrics', async () => {
      const model = new pc.Sequential([pc.Input({ shape: [3] }), new pc.Dense(4, { activation: 'softmax', name: 'out' })]);
      model.compile({
        optimizer: 'sgd',
        loss: 'sparse_categorical_crossentropy',
        metrics: ['sparse_top_k_categorical_accuracy', new pc.SparseTopKCategoricalAccuracy({ k: 1, name: 'top1' }), 'sparse_categorical_crossentropy'],
        weightedMetrics: ['sparse_top_k_categorical_accuracy'],
      });
      const x = pc.randomNormal([12, 3]);
      const y = pc.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [12], 'int32');
      const w = pc.tensor([1, 0, 2, 1, 1, 0, 2, 1, 1, 0, 2, 1]);
      const history = await model.fit(x, y, { sampleWeight: w, batchSize: 6, verbose: 0 });
      expect(Object.keys(history.history).sort()).toEqual([
        'loss', 'sparse_categorical_crossentropy', 'sparse_top_k_categorical_accuracy', 'top1', 'weighted_sparse_top_k_categorical_accuracy',
      ]);
      // With 4 classes every label is in the top 5.
      expect(history.history.sparse_top_k_categorical_accuracy).toEqual([1]);
      const oneHotModel = new pc.Sequential([pc.Input({ shape: [3] }), new pc.Dense(4, { activation: 'softmax' })]);
      oneHotModel.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['top_k_categorical_accuracy', 'categorical_crossentropy'] });
      expect(oneHotModel.metricsNames).toEqual(['loss', 'top_k_categorical_accuracy', 'categorical_crossentropy']);
      pc.dispose([x, y, w]);
      model.dispose();
      oneHotModel.dispose();
    });

    it('a saved model brings its classification metrics back with their settings', async () => {
      const model = binaryModel();
      model.compile({
        optimizer: 'sgd',
        loss: 'binary_crossentropy',
        metrics: [
          new pc.Precision({ thresholds: 0.3, topK: 1, classId: 0 }), 'recall', new pc.FalseNegatives({ thresholds: 0.8, name: 'misses' }),
          new pc.AUC({ numThresholds: 50, curve: 'PR', summationMethod: 'minoring', fromLogits: true }), 'top_k_categorical_accuracy',
          new pc.SparseTopKCategoricalAccuracy({ k: 3 }), new pc.BinaryCrossentropyMetric({ fromLogits: true, labelSmoothing: 0.1 }), 'categorical_crossentropy',
        ],
        weightedMetrics: [new pc.SparseCategoricalCrossentropyMetric()],
      });
      const store = pc.memoryStore();
      await model.save(store);
      const loaded = await pc.loadModel(store);
      expect(loaded.compiledMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual([
        ['Precision', { name: 'precision', thresholds: 0.3, topK: 1, classId: 0 }],
        ['Recall', { name: 'recall' }],
        ['FalseNegatives', { name: 'misses', thresholds: 0.8 }],
        ['AUC', { name: 'auc', numThresholds: 50, curve: 'PR', summationMethod: 'minoring', fromLogits: true }],
        ['TopKCategoricalAccuracy', { name: 'top_k_categorical_accuracy', k: 5 }],
        ['SparseTopKCategoricalAccuracy', { name: 'sparse_top_k_categorical_accuracy', k: 3 }],
        ['BinaryCrossentropyMetric', { name: 'binary_crossentropy', fromLogits: true, labelSmoothing: 0.1 }],
        ['CategoricalCrossentropyMetric', { name: 'categorical_crossentropy', fromLogits: false, labelSmoothing: 0 }],
      ]);
      expect(loaded.compiledWeightedMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual([
        ['SparseCategoricalCrossentropyMetric', { name: 'sparse_categorical_crossentropy', fromLogits: false }],
      ]);
      expect(loaded.metricsNames).toEqual(model.metricsNames);
      model.dispose();
      loaded.dispose();
    });
  });
}

describe('classification metric names, getMetric and resolveMetric', () => {
  const classes: [string, string, new () => pc.Metric][] = [
    ['precision', 'Precision', pc.Precision], ['recall', 'Recall', pc.Recall],
    ['true_positives', 'TruePositives', pc.TruePositives], ['false_positives', 'FalsePositives', pc.FalsePositives],
    ['true_negatives', 'TrueNegatives', pc.TrueNegatives], ['false_negatives', 'FalseNegatives', pc.FalseNegatives],
    ['auc', 'AUC', pc.AUC],
    ['top_k_categorical_accuracy', 'TopKCategoricalAccuracy', pc.TopKCategoricalAccuracy],
    ['sparse_top_k_categorical_accuracy', 'SparseTopKCategoricalAccuracy', pc.SparseTopKCategoricalAccuracy],
    ['binary_crossentropy', 'BinaryCrossentropyMetric', pc.BinaryCrossentropyMetric],
    ['categorical_crossentropy', 'CategoricalCrossentropyMetric', pc.CategoricalCrossentropyMetric],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropyMetric', pc.SparseCategoricalCrossentropyMetric],
  ];

  it('carry the Keras names and resolve by Keras name, camelCase name and class name', () => {
    for (const [name, className, cls] of classes) {
      expect(new cls().name).toBe(name);
      const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      for (const spelling of [name, camel, className]) expect(pc.getMetric(spelling), spelling).toBeInstanceOf(cls);
      expect(pc.resolveMetric(name).name).toBe(name);
      expect(pc.resolveMetric(name)).toBeInstanceOf(cls);
    }
  });

  it('come back from {className, config} with their settings', () => {
    const configs: [string, pc.MetricConfig][] = [
      ['Precision', { name: 'p', thresholds: 0.25, topK: 2, classId: 1 }],
      ['Recall', { name: 'recall', topK: 3 }],
      ['TruePositives', { name: 'tp', thresholds: 0.9 }],
      ['AUC', { name: 'auc', numThresholds: 20, curve: 'PR', summationMethod: 'majoring', fromLogits: false }],
      ['TopKCategoricalAccuracy', { name: 'top3', k: 3 }],
      ['BinaryCrossentropyMetric', { name: 'bce', fromLogits: true, labelSmoothing: 0.05 }],
      ['SparseCategoricalCrossentropyMetric', { name: 'xent', fromLogits: false }],
    ];
    for (const [className, config] of configs) {
      const metric = pc.getMetric({ className, config });
      expect(metric.constructor.name).toBe(className);
      expect(metric.getConfig()).toEqual(config);
    }
    // Keras spells the curve in either case; the config keeps Keras's spelling.
    expect(pc.getMetric({ className: 'AUC', config: { curve: 'pr' } }).getConfig().curve).toBe('PR');
  });
});
