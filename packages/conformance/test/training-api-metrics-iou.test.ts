// The IoU metrics (IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU) and the running means of
// loss functions (MAPE, MSLE, cosine similarity, log-cosh, KL divergence, Poisson, the hinges)
// against float64 computations written here from the definitions (a confusion matrix filled one
// entry at a time, each per-sample formula in plain loops), with Keras 3's documented examples
// as a second witness.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS, sumOf } from './training-api-model-support.js';

/** Mean over `targets` of tp / (tp + fp + fn), classes with an empty union left out; entries labelled `ignore` skipped. */
function iouByHand(labels: number[], predicted: number[], w: number[] | null, classes: number, targets: number[], ignore?: number): number {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((label, i) => {
    if (label !== ignore) matrix[label]![predicted[i]!]! += w ? w[i]! : 1;
  });
  const ious = targets.flatMap((c) => {
    const union = sumOf(matrix[c]!) + sumOf(matrix.map((row) => row[c]!)) - matrix[c]![c]!;
    return union > 0 ? [matrix[c]![c]! / union] : [];
  });
  return ious.length ? sumOf(ious) / ious.length : 0;
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));
const oneHot = (id: number, classes: number) => Array.from({ length: classes }, (_, c) => (c === id ? 1 : 0));

const clip = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
/** Labels as the hinges take them: 0/1 labels become ±1 when the whole batch is 0/1. */
const signed = (y: number[], batch: number[][]) => (batch.flat().every((v) => v === 0 || v === 1) ? y.map((v) => 2 * v - 1) : y);
const mean = (values: number[]) => sumOf(values) / values.length;

/** Each loss-like metric's per-sample value, written from its definition in float64. */
const PER_SAMPLE: [() => pc.Metric, string, (y: number[], p: number[], all: number[][]) => number][] = [
  [() => new pc.MeanAbsolutePercentageErrorMetric(), 'mean_absolute_percentage_error', (y, p) => 100 * mean(y.map((v, i) => Math.abs((v - p[i]!) / Math.max(Math.abs(v), 1e-7))))],
  [() => new pc.MeanSquaredLogarithmicErrorMetric(), 'mean_squared_logarithmic_error', (y, p) => mean(y.map((v, i) => (Math.log1p(Math.max(p[i]!, 1e-7)) - Math.log1p(Math.max(v, 1e-7))) ** 2))],
  [() => new pc.LogCoshError(), 'logcosh', (y, p) => mean(y.map((v, i) => Math.log(Math.cosh(p[i]! - v))))],
  [() => new pc.PoissonMetric(), 'poisson', (y, p) => mean(y.map((v, i) => p[i]! - v * Math.log(p[i]! + 1e-7)))],
  [() => new pc.KLDivergenceMetric(), 'kl_divergence', (y, p) => sumOf(y.map((v, i) => clip(v, 1e-7, 1) * Math.log(clip(v, 1e-7, 1) / clip(p[i]!, 1e-7, 1))))],
  [() => new pc.HingeMetric(), 'hinge', (y, p, batch) => mean(signed(y, batch).map((v, i) => Math.max(1 - v * p[i]!, 0)))],
  [() => new pc.SquaredHingeMetric(), 'squared_hinge', (y, p, batch) => mean(signed(y, batch).map((v, i) => Math.max(1 - v * p[i]!, 0) ** 2))],
  [() => new pc.CategoricalHingeMetric(), 'categorical_hinge', (y, p) => Math.max(Math.max(...p.map((v, i) => (1 - y[i]!) * v)) - sumOf(p.map((v, i) => y[i]! * v)) + 1, 0)],
  [() => new pc.CosineSimilarityMetric(), 'cosine_similarity', (y, p) => sumOf(y.map((v, i) => v * p[i]!)) / (Math.hypot(...y) * Math.hypot(...p))],
];

for (const backend of MODEL_BACKENDS) {
  describe(`IoU and loss-like metrics on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it("Keras's examples: IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, weighted and not", () => {
      const iou = new pc.IoU({ numClasses: 2, targetClassIds: [0] });
      expect(iou.call([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(1 / 3, 12);
      iou.resetStates();
      expect(iou.result()).toBe(0);
      expect(iou.call([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1])).toBeCloseTo(1 / 3, 7);
      expect(new pc.MeanIoU({ numClasses: 2 }).call([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(1 / 3, 12);
      expect(new pc.MeanIoU({ numClasses: 2 }).call([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1])).toBeCloseTo((1 / 3 + 1 / 7) / 2, 7);
      const binary = new pc.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 });
      expect(binary.call([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])).toBeCloseTo(1 / 3, 12);
      binary.resetStates();
      expect(binary.call([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], [0.2, 0.3, 0.4, 0.1])).toBeCloseTo((0.2 / 0.9 + 0.1 / 0.8) / 2, 7);
      const y = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]];
      const p = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]];
      expect(new pc.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }).call(y, p, [0.1, 0.2, 0.3, 0.4])).toBeCloseTo((0 + 0.1 / 0.7) / 2, 7);
      expect(new pc.OneHotMeanIoU({ numClasses: 3 }).call(y, p, [0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.1 / 0.7 / 3, 7);
    });

    it('class-id maps over several updates, weighted per sample, with an ignored class, match a confusion matrix filled by hand', () => {
      const generator = new pc.RandomGenerator(5);
      const [batch, h, classes] = [6, 5, 4];
      // Segmentation maps [batch, h]: predictions right two times in three; label 255 is "void".
      const labels = Array.from({ length: batch * h }, (_, i) => (i % 11 === 3 ? 255 : generator.nextInt(classes)));
      const predicted = labels.map((l) => (generator.nextFloat() < 0.66 && l !== 255 ? l : generator.nextInt(classes)));
      const sampleWeights = Array.from({ length: batch }, () => Math.fround(0.5 + generator.nextFloat()));
      const perEntry = labels.map((_, i) => sampleWeights[Math.floor(i / h)]!);
      const maps = (values: number[], from: number, to: number) => Array.from({ length: to - from }, (_, b) => values.slice((from + b) * h, (from + b + 1) * h));
      for (const [make, targets] of [
        [() => new pc.MeanIoU({ numClasses: classes, ignoreClass: 255 }), [0, 1, 2, 3]],
        [() => new pc.IoU({ numClasses: classes, targetClassIds: [1, 3], ignoreClass: 255 }), [1, 3]],
        [() => new pc.IoU({ numClasses: classes, targetClassIds: [2], ignoreClass: 255 }), [2]],
      ] as const) {
        const m = make();
        pc.tidy(() => m.update(pc.tensor(Int32Array.from(labels.slice(0, 2 * h)), [2, h]), pc.tensor(predicted.slice(0, 2 * h), [2, h], 'int32'), sampleWeights.slice(0, 2)));
        m.update(maps(labels, 2, batch), maps(predicted, 2, batch), sampleWeights.slice(2));
        expect(m.result(), m.name).toBeCloseTo(iouByHand(labels, predicted, perEntry, classes, [...targets], 255), 12);
      }
      // A class never labelled nor predicted is left out of the mean; one only predicted scores 0.
      expect(new pc.MeanIoU({ numClasses: 4 }).call([0, 0, 1], [0, 1, 1])).toBeCloseTo((1 / 2 + 1 / 2) / 2, 12);
      expect(new pc.MeanIoU({ numClasses: 4 }).call([0, 0, 1], [0, 3, 1])).toBeCloseTo((1 / 2 + 1 + 0) / 3, 12);
      // [batch] labels against [batch, 1] predictions; −1 ignored.
      expect(new pc.IoU({ numClasses: 2, targetClassIds: [1], ignoreClass: -1 }).call([1, -1, 0, 1], [[1], [0], [1], [1]])).toBeCloseTo(2 / 3, 12);
    });

    it('one-hot labels and scores by their argmax along axis; BinaryIoU thresholds at or above', () => {
      const generator = new pc.RandomGenerator(6);
      const classes = 3;
      const labels = Array.from({ length: 24 }, () => generator.nextInt(classes));
      const scores = labels.map((l) => oneHot(l, classes).map((v) => Math.fround(0.6 * v + generator.nextFloat())));
      const predicted = scores.map(argmax);
      const w = labels.map(() => Math.fround(generator.nextFloat()));
      const dense = labels.map((l) => oneHot(l, classes));
      const m = new pc.OneHotMeanIoU({ numClasses: classes });
      m.update(dense.slice(0, 10), scores.slice(0, 10), w.slice(0, 10));
      m.update(dense.slice(10), scores.slice(10), w.slice(10));
      expect(m.result()).toBeCloseTo(iouByHand(labels, predicted, w, classes, [0, 1, 2]), 12);
      expect(new pc.OneHotIoU({ numClasses: classes, targetClassIds: [1], sparseYPred: true }).call(dense, predicted)).toBeCloseTo(iouByHand(labels, predicted, null, classes, [1]), 12);
      expect(new pc.MeanIoU({ numClasses: classes, sparseYTrue: false, sparseYPred: false }).call(dense, scores)).toBeCloseTo(iouByHand(labels, predicted, null, classes, [0, 1, 2]), 12);
      // The class axis first: [classes, batch].
      const transpose = (x: number[][]) => x[0]!.map((_, j) => x.map((row) => row[j]!));
      expect(new pc.OneHotIoU({ numClasses: classes, targetClassIds: [0, 2], axis: 0 }).call(transpose(dense), transpose(scores), w)).toBeCloseTo(iouByHand(labels, predicted, w, classes, [0, 2]), 12);
      const probabilities = labels.map((_, i) => Math.fround(i / 23));
      const binaryLabels = labels.map((l) => (l === 0 ? 0 : 1));
      for (const threshold of [0.5, probabilities[9]!, 0]) {
        const thresholded = probabilities.map((v) => (v >= threshold ? 1 : 0));
        for (const targets of [[0], [1], [0, 1]]) {
          const binary = new pc.BinaryIoU({ targetClassIds: targets, threshold });
          expect(binary.call(binaryLabels, probabilities.map((v) => [v]), w), `${threshold} ${targets}`).toBeCloseTo(iouByHand(binaryLabels, thresholded, w, 2, targets), 12);
        }
      }
    });

    it('the loss-like metrics are weighted running means of their per-sample formulas; cosine similarity is positive where the loss is negative', () => {
      const generator = new pc.RandomGenerator(7);
      const positive = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => Math.fround(0.05 + generator.nextFloat())));
      const distributions = positive.map((row) => row.map((v) => Math.fround(v / sumOf(row))));
      const predictions = positive.map((row) => row.map((v) => Math.fround(v * (0.5 + generator.nextFloat()))));
      const binary = positive.map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
      const w = positive.map(() => Math.fround(generator.nextFloat() * 2));
      for (const [make, name, perSample] of PER_SAMPLE) {
        const y = name === 'kl_divergence' ? distributions : name.includes('hinge') ? binary : positive;
        const values = y.map((row, r) => perSample(row, predictions[r]!, y));
        const m = make();
        expect(m.name).toBe(name);
        // Two batches whose labels are both 0/1 throughout, so the hinges convert each alike.
        m.update(y.slice(0, 4), predictions.slice(0, 4), w.slice(0, 4));
        m.update(y.slice(4), predictions.slice(4), w.slice(4));
        expect(m.result(), name).toBeCloseTo(sumOf(values.map((v, r) => v * w[r]!)) / sumOf(w), 5);
        m.resetStates();
        expect(m.call(y, predictions), name).toBeCloseTo(mean(values), 5);
      }
      const loss = pc.tidy(() => new pc.CosineSimilarity().call([[1, 2]], [[2, 4.5]]).dataSync()[0]!);
      expect(new pc.CosineSimilarityMetric().call([[1, 2]], [[2, 4.5]])).toBeCloseTo(-loss, 7);
      expect(loss).toBeLessThan(-0.99);
    });

    it("the loss-like metrics reproduce Keras's documented examples", () => {
      const [a, b, c] = [[[0, 1], [0, 0]], [[1, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]];
      const cases: [pc.Metric, number[][], number[][], number, number][] = [
        [new pc.MeanAbsolutePercentageErrorMetric(), a, b, 250000000, 500000000],
        [new pc.MeanSquaredLogarithmicErrorMetric(), a, b, 0.12011322, 0.24022643],
        [new pc.LogCoshError(), a, b, 0.10844523, 0.21689045],
        [new pc.PoissonMetric(), a, b, 0.49999997, 0.99999994],
        [new pc.KLDivergenceMetric(), a, c, 0.45814306, 0.9162892],
        [new pc.HingeMetric(), a, c, 1.3, 1.1],
        [new pc.SquaredHingeMetric(), a, c, 1.86, 1.46],
        [new pc.CategoricalHingeMetric(), a, c, 1.4000001, 1.2],
      ];
      for (const [metric, y, p, plain, weighted] of cases) {
        expectClose([metric.call(y, p)], [plain], 1e-6, 0);
        metric.resetStates();
        expectClose([metric.call(y, p, [1, 0])], [weighted], 1e-6, 0);
      }
      const cosine = new pc.CosineSimilarityMetric({ axis: 1 });
      expectClose([cosine.call([[0, 1], [1, 1]], [[1, 0], [1, 1]])], [0.49999997], 1e-6, 0);
      cosine.resetStates();
      expectClose([cosine.call([[0, 1], [1, 1]], [[1, 0], [1, 1]], [0.3, 0.7])], [0.6999999], 1e-6, 0);
    });

    it('bad settings and bad batches are errors naming the metric, what it expected and what it got; the matrix stays as it was', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => new pc.MeanIoU({ numClasses: 0 }), /^MeanIoU: numClasses must be a positive integer, got 0$/],
        [() => new pc.IoU({ numClasses: 3, targetClassIds: [0, 3] }), /^IoU: targetClassIds must be a non-empty list of class ids in \[0, 3\), got \[0,3\]$/],
        [() => new pc.IoU({ numClasses: 3 } as pc.IoUConfig), /^IoU: targetClassIds must be a non-empty list of class ids in \[0, 3\), got undefined$/],
        [() => new pc.OneHotIoU({ numClasses: 3, targetClassIds: [] }), /^OneHotIoU: targetClassIds must be a non-empty list of class ids in \[0, 3\), got \[\]$/],
        [() => new pc.BinaryIoU({ targetClassIds: [2] }), /^BinaryIoU: targetClassIds must be a non-empty list of class ids in \[0, 2\), got \[2\]$/],
        [() => new pc.BinaryIoU({ threshold: NaN }), /^BinaryIoU: threshold must be a finite number, got NaN$/],
        [() => new pc.MeanIoU({ numClasses: 2, ignoreClass: 0.5 }), /^MeanIoU: ignoreClass must be an integer, got 0\.5$/],
        [() => new pc.MeanIoU({ numClasses: 2, sparseYTrue: 1 as unknown as boolean }), /^MeanIoU: sparseYTrue must be true or false, got 1$/],
        [() => new pc.OneHotMeanIoU({ numClasses: 2, sparseYTrue: true } as pc.OneHotMeanIoUConfig), /^OneHotMeanIoU: unknown option 'sparseYTrue'; expected one of name, numClasses, ignoreClass, sparseYPred, axis$/],
        [() => new pc.CosineSimilarityMetric({ axis: 0.5 }), /^CosineSimilarityMetric: axis must be an integer, got 0\.5$/],
        [() => new pc.HingeMetric({ fromLogits: true } as { name?: string }), /^HingeMetric: unknown option 'fromLogits'; expected one of name$/],
      ];
      for (const [run, message] of cases) expect(run).toThrow(message);
      const before = pc.memory().numTensors;
      const m = new pc.MeanIoU({ numClasses: 3, ignoreClass: 9 });
      m.update([0, 1, 2, 9], [0, 1, 1, 7]);
      const value = m.result();
      const batches: [unknown[], RegExp][] = [
        [[[0, 3], [0, 1]], /^mean_io_u: label 3 at position 1 is not a class id in \[0, 3\)$/],
        [[[0, 1], [0, 0.5]], /^mean_io_u: prediction 0\.5 at position 1 is not a class id in \[0, 3\)$/],
        [[[0, 1], [0, -1]], /^mean_io_u: prediction -1 at position 1 is not a class id in \[0, 3\)$/],
        [[[0, 1, 2], [0, 1]], /^mean_io_u: yTrue \[3\] and yPred \[2\] give class ids of shapes \[3\] and \[2\]; they must be the same$/],
        [[[0, 1], [0, 1], [1, 2, 3]], /^mean_io_u: sampleWeight \[3\] does not fit the class ids \[2\]/],
      ];
      for (const [args, message] of batches) {
        expect(() => m.update(...(args as [pc.TensorLike, pc.TensorLike]))).toThrow(message);
        expect(m.result()).toBe(value);
      }
      expect(() => new pc.OneHotIoU({ numClasses: 3, targetClassIds: [0] }).update([[0, 1, 0]], [[0.2, 0.3]])).toThrow(/^one_hot_io_u: yTrue \[1,3\] and yPred \[1,2\] must have the same shape$/);
      expect(() => new pc.MeanSquaredLogarithmicErrorMetric().update([[1, 2]], [[1, 2, 3]])).toThrow(/^meanSquaredLogarithmicError: yTrue \[1,2\] and yPred \[1,3\] must have the same shape$/);
      expect(pc.memory().numTensors).toBe(before);
    });
  });

  describe(`IoU and loss-like metrics in compile / fit / evaluate on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('by object and by name, logged under their Keras names with the values of the whole epoch, also in executions of 2 steps', async () => {
      const generator = new pc.RandomGenerator(8);
      const n = 30;
      const features = Array.from({ length: n }, () => [generator.nextNormal(), generator.nextNormal()].map(Math.fround));
      const labels = features.map(([a, b]) => (a! > 0.3 ? 0 : b! > 0 ? 1 : 2));
      const x = pc.tensor(features);
      const y = pc.tensor(labels.map((l) => oneHot(l, 3)));
      for (const stepsPerExecution of [1, 2]) {
        pc.setSeed(3);
        const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(3, { activation: 'softmax' })]);
        model.compile({
          optimizer: new pc.SGD({ learningRate: 0 }), loss: 'categorical_crossentropy', stepsPerExecution,
          metrics: [
            new pc.OneHotMeanIoU({ numClasses: 3 }), new pc.OneHotIoU({ numClasses: 3, targetClassIds: [2], name: 'iou_2' }),
            new pc.MeanIoU({ numClasses: 3, sparseYTrue: false, sparseYPred: false }), 'binary_io_u', 'kl_divergence', 'categorical_hinge', 'cosine_similarity', 'mape',
          ],
        });
        const probabilities = pc.tidy(() => model.predict(x).arraySync() as number[][]);
        const history = await model.fit(x, y, { batchSize: 7, epochs: 1, shuffle: false, verbose: 0 });
        expect(model.metricsNames).toEqual(['loss', 'one_hot_mean_io_u', 'iou_2', 'mean_io_u', 'binary_io_u', 'kl_divergence', 'categorical_hinge', 'cosine_similarity', 'mape']);
        const rowsOf = (name: string) => labels.map((l, r) => PER_SAMPLE.find(([, n]) => n === name)![2](oneHot(l, 3), probabilities[r]!, []));
        const expected: Record<string, [number, number]> = {
          one_hot_mean_io_u: [iouByHand(labels, probabilities.map(argmax), null, 3, [0, 1, 2]), 1e-12],
          iou_2: [iouByHand(labels, probabilities.map(argmax), null, 3, [2]), 1e-12],
          mean_io_u: [iouByHand(labels, probabilities.map(argmax), null, 3, [0, 1, 2]), 1e-12],
          // Each one-hot entry is a binary case, its probability thresholded at 0.5.
          binary_io_u: [iouByHand(labels.flatMap((l) => oneHot(l, 3)), probabilities.flat().map((v) => (v >= 0.5 ? 1 : 0)), null, 2, [0, 1]), 1e-12],
          kl_divergence: [mean(rowsOf('kl_divergence')), 1e-5],
          categorical_hinge: [mean(rowsOf('categorical_hinge')), 1e-5],
          cosine_similarity: [mean(rowsOf('cosine_similarity')), 1e-5],
          mape: [mean(rowsOf('mean_absolute_percentage_error')), 1e-5],
        };
        for (const [name, [value, tolerance]] of Object.entries(expected)) expectClose(history.history[name]!, [value], tolerance, tolerance);
        const evaluated = await model.evaluate(x, y, { verbose: 0, batchSize: 4 });
        expectClose(evaluated.slice(1), Object.values(expected).map(([v]) => v), 1e-5, 1e-6);
        model.dispose();
      }
      pc.dispose([x, y]);
    });
  });
}

describe('IoU and loss-like metric names, getMetric and configs', () => {
  it("resolve by Keras 3's names and short names and by class name; a saved model brings them back with their settings", async () => {
    const names: [string, new () => pc.Metric, string][] = [
      ['mape', pc.MeanAbsolutePercentageErrorMetric, 'mean_absolute_percentage_error'], ['MAPE', pc.MeanAbsolutePercentageErrorMetric, 'mean_absolute_percentage_error'],
      ['msle', pc.MeanSquaredLogarithmicErrorMetric, 'mean_squared_logarithmic_error'], ['cosine_similarity', pc.CosineSimilarityMetric, 'cosine_similarity'],
      ['log_cosh_error', pc.LogCoshError, 'logcosh'], ['kl_divergence', pc.KLDivergenceMetric, 'kl_divergence'], ['KLDivergence', pc.KLDivergenceMetric, 'kl_divergence'],
      ['poisson', pc.PoissonMetric, 'poisson'], ['hinge', pc.HingeMetric, 'hinge'], ['squared_hinge', pc.SquaredHingeMetric, 'squared_hinge'],
      ['categorical_hinge', pc.CategoricalHingeMetric, 'categorical_hinge'], ['bce', pc.BinaryCrossentropyMetric, 'binary_crossentropy'],
      ['binary_io_u', pc.BinaryIoU, 'binary_io_u'], ['BinaryIoU', pc.BinaryIoU, 'binary_io_u'],
    ];
    for (const [name, cls, defaultName] of names) {
      expect(pc.getMetric(name), name).toBeInstanceOf(cls);
      expect(pc.getMetric(name).name).toBe(defaultName);
      expect(pc.resolveMetric(name).name).toBe(name);
    }
    // Keras 3 has no 'logcosh' or 'kld' among its metric names.
    expect(() => pc.getMetric('kld')).toThrow(/^getMetric: unknown metric 'kld'/);
    expect(() => pc.getMetric('mean_io_u')).toThrow(/^MeanIoU: numClasses must be a positive integer, got undefined$/);
    // Each class by its class name and by Keras 3's snake-case name for it.
    const configs: [string, string, Record<string, unknown>][] = [
      ['IoU', 'io_u', { name: 'io_u', numClasses: 4, targetClassIds: [1, 3], ignoreClass: 255, sparseYTrue: true, sparseYPred: false, axis: -1 }],
      ['MeanIoU', 'mean_io_u', { name: 'miou', numClasses: 3, sparseYTrue: false, sparseYPred: false, axis: 1 }],
      ['OneHotIoU', 'one_hot_io_u', { name: 'one_hot_io_u', numClasses: 3, targetClassIds: [0], sparseYPred: false, axis: -1 }],
      ['OneHotMeanIoU', 'one_hot_mean_io_u', { name: 'one_hot_mean_io_u', numClasses: 5, ignoreClass: -1, sparseYPred: true, axis: -1 }],
      ['BinaryIoU', 'binary_io_u', { name: 'binary_io_u', targetClassIds: [1], threshold: 0.25 }],
      ['CosineSimilarityMetric', 'cosine_similarity', { name: 'cos', axis: 1 }],
      ['LogCoshError', 'log_cosh_error', { name: 'logcosh' }],
    ];
    for (const [className, snakeName, config] of configs) {
      for (const spelling of [className, snakeName]) {
        const metric = pc.getMetric({ className: spelling, config: config as pc.MetricConfig });
        expect(metric.constructor.name).toBe(className);
        expect(metric.getConfig()).toEqual(config);
      }
    }
    const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(3, { activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: configs.map(([className, , config]) => pc.getMetric({ className, config: config as pc.MetricConfig })) });
    const store = pc.memoryStore();
    await model.save(store);
    const loaded = await pc.loadModel(store);
    expect(loaded.compiledMetrics.map((m) => [m.constructor.name, m.getConfig()])).toEqual(configs.map(([className, , config]) => [className, config]));
    model.dispose();
    loaded.dispose();
  });
});
