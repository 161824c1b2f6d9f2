// tf.image's non-max suppression ops on every backend: hand-worked examples, TensorFlow's tie
// rules (equal scores lower index first, an IoU equal to the threshold kept), a brute-force
// float64 search over random boxes, soft-NMS scores against the formula, the async and padded
// variants, real tfjs where it agrees with TensorFlow, and bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as pc from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { expectClose } from './support/values.js';

/** Six boxes in three clusters (tfjs's and TensorFlow's test), and their scores. */
const CLUSTERS = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101]];
const CLUSTER_SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3];

interface Problem {
  boxes: number[][];
  scores: number[];
  maxOutputSize: number;
  iouThreshold: number;
  scoreThreshold: number;
  softNmsSigma: number;
}

/** Intersection over union in float64, of boxes given either corner first. */
function iou64(a: readonly number[], b: readonly number[]): number {
  const span = (box: readonly number[], axis: number): [number, number] => [Math.min(box[axis]!, box[axis + 2]!), Math.max(box[axis]!, box[axis + 2]!)];
  const area = (box: readonly number[]): number => (span(box, 0)[1] - span(box, 0)[0]) * (span(box, 1)[1] - span(box, 1)[0]);
  if (area(a) <= 0 || area(b) <= 0) return 0;
  const overlap = (axis: number): number => Math.max(0, Math.min(span(a, axis)[1], span(b, axis)[1]) - Math.max(span(a, axis)[0], span(b, axis)[0]));
  const inter = overlap(0) * overlap(1);
  return inter / (area(a) + area(b) - inter);
}

/**
 * The search written eagerly: take the live box of highest current score (lowest index on
 * ties); then drop every live box overlapping it by more than the threshold (hard NMS), or scale
 * every live score by exp(−IoU²/(2σ)) (soft-NMS), dropping those at or below scoreThreshold.
 */
function bruteForce({ boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma }: Problem): { indices: number[]; scores: number[] } {
  const fBoxes = boxes.map((b) => b.map(Math.fround));
  let live = scores.map((s, i) => ({ i, s: Math.fround(s) })).filter((c) => c.s > scoreThreshold);
  const picked: { i: number; s: number }[] = [];
  while (picked.length < maxOutputSize && live.length > 0) {
    live.sort((a, b) => b.s - a.s || a.i - b.i);
    const best = live.shift()!;
    picked.push(best);
    live = live
      .filter((c) => softNmsSigma > 0 || iou64(fBoxes[c.i]!, fBoxes[best.i]!) <= iouThreshold)
      .map((c) => ({ i: c.i, s: softNmsSigma > 0 ? c.s * Math.exp(-(iou64(fBoxes[c.i]!, fBoxes[best.i]!) ** 2) / (2 * softNmsSigma)) : c.s }))
      .filter((c) => c.s > scoreThreshold);
  }
  return { indices: picked.map((p) => p.i), scores: picked.map((p) => p.s) };
}

/** Random boxes in overlapping clusters, some flipped, with scores on a grid of 0.05 so that some tie. */
function randomProblem(seed: number, settings: Omit<Problem, 'boxes' | 'scores'>): Problem {
  const g = new pc.RandomGenerator(seed);
  const centres = Array.from({ length: 4 }, () => [3 * g.nextFloat(), 3 * g.nextFloat()]);
  const boxes = Array.from({ length: 40 }, () => {
    const [cy, cx] = centres[g.nextInt(4)]!;
    const [y, x, h, w] = [cy! + 0.6 * g.nextFloat(), cx! + 0.6 * g.nextFloat(), 0.3 + g.nextFloat(), 0.3 + g.nextFloat()];
    return g.nextFloat() < 0.2 ? [y + h, x + w, y, x] : [y, x, y + h, x + w];
  });
  return { boxes, scores: boxes.map(() => Math.round(20 * g.nextFloat()) / 20), ...settings };
}

const PROBLEMS: [string, Problem][] = [
  ['hard, IoU 0.5', randomProblem(1, { maxOutputSize: 40, iouThreshold: 0.5, scoreThreshold: -Infinity, softNmsSigma: 0 })],
  ['hard, IoU 0.3, score threshold 0.4, at most 7', randomProblem(2, { maxOutputSize: 7, iouThreshold: 0.3, scoreThreshold: 0.4, softNmsSigma: 0 })],
  ['hard, IoU 0.8', randomProblem(3, { maxOutputSize: 25, iouThreshold: 0.8, scoreThreshold: 0.1, softNmsSigma: 0 })],
  ['soft, σ 0.5, score threshold 0.05', randomProblem(4, { maxOutputSize: 40, iouThreshold: 1, scoreThreshold: 0.05, softNmsSigma: 0.5 })],
  ['soft, σ 0.1, score threshold 0.2, at most 12', randomProblem(5, { maxOutputSize: 12, iouThreshold: 1, scoreThreshold: 0.2, softNmsSigma: 0.1 })],
];

const run = (p: Problem) => pc.nonMaxSuppressionWithScore(p.boxes, p.scores, p.maxOutputSize, p.iouThreshold, p.scoreThreshold, p.softNmsSigma);
const read = (t: pc.Tensor): number[] => Array.from(t.dataSync());

/** tfjs's answers to the random problems (computed on its CPU backend before the tests). */
const TFJS: { indices: number[]; scores: number[] }[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [, p] of PROBLEMS) {
    const r = tf.image.nonMaxSuppressionWithScore(p.boxes, p.scores, p.maxOutputSize, p.iouThreshold, p.scoreThreshold, p.softNmsSigma);
    TFJS.push({ indices: Array.from(await r.selectedIndices.data()), scores: Array.from(await r.selectedScores.data()) });
    tf.dispose([r.selectedIndices, r.selectedScores]);
  }
});

forEachBackend('non-max suppression', (backend) => {
  const test = (title: string, body: () => unknown): void => backendIt(backend, title, body);

  test('three clusters: the best of each, best first; at most maxOutputSize', () => pc.tidy(() => {
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 3, 0.5, 0))).toEqual([3, 0, 5]);
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 2, 0.5, 0))).toEqual([3, 0]);
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 30, 0.5, 0))).toEqual([3, 0, 5]);
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 0))).toEqual([]);
    // Corners given the other way round describe the same boxes.
    expect(read(pc.nonMaxSuppression(CLUSTERS.map(([a, b, c, d]) => [c!, d!, a!, b!]), CLUSTER_SCORES, 3, 0.5, 0))).toEqual([3, 0, 5]);
    // Scores at or below scoreThreshold are never selected: 0.3 of box 5 is not above 0.4.
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 6, 0.5, 0.4))).toEqual([3, 0]);
    expect(read(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 6, 0.5, 0.3))).toEqual([3, 0]);
  }));

  test('int32 indices, float32 scores, and no gradient', () => pc.tidy(() => {
    const [boxes, scores] = [pc.tensor(CLUSTERS), pc.tensor(CLUSTER_SCORES)];
    const tape = new pc.GradientTape({ persistent: true });
    tape.watch([boxes, scores]);
    const result = tape.record(() => pc.nonMaxSuppressionWithScore(boxes, scores, 3));
    expect([result.selectedIndices.dtype, result.selectedScores.dtype]).toEqual(['int32', 'float32']);
    expect(tape.gradient(pc.sum(result.selectedScores), [boxes, scores])).toEqual([null, null]);
    tape.dispose();
  }));

  test('equal scores go lower index first; identical boxes keep the first', () => pc.tidy(() => {
    const apart = [[0, 0, 1, 1], [0, 2, 1, 3], [0, 4, 1, 5], [0, 6, 1, 7]];
    expect(read(pc.nonMaxSuppression(apart, [0.5, 0.7, 0.5, 0.7], 4))).toEqual([1, 3, 0, 2]);
    expect(read(pc.nonMaxSuppression(new Array(10).fill([0, 0, 1, 1]), new Array(10).fill(0.9), 3))).toEqual([0]);
  }));

  test('an IoU equal to the threshold is kept (TensorFlow suppresses only above it; tfjs also at it)', async () => {
    // IoU of [0, 0, 1, 1] and [0, 0, 1, 0.5] is 0.5 / 1 = 0.5, exact in float32.
    const [boxes, scores] = [[[0, 0, 1, 1], [0, 0, 1, 0.5]], [0.9, 0.8]];
    expect(read(pc.nonMaxSuppression(boxes, scores, 2, 0.5))).toEqual([0, 1]);
    expect(read(pc.nonMaxSuppression(boxes, scores, 2, 0.49))).toEqual([0]);
    await tf.setBackend('cpu');
    expect(Array.from(await tf.image.nonMaxSuppression(boxes, scores, 2, 0.5).data())).toEqual([0]);
  });

  test('boxes without area overlap nothing', () => pc.tidy(() => {
    expect(read(pc.nonMaxSuppression([[0, 0, 1, 1], [0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]], [0.9, 0.8, 0.7], 3, 0))).toEqual([0, 1, 2]);
  }));

  test('soft-NMS: tfjs\'s and TensorFlow\'s three clusters, scores by the formula', () => pc.tidy(() => {
    const r = pc.nonMaxSuppressionWithScore(CLUSTERS, CLUSTER_SCORES, 6, 1, 0, 0.5);
    expect(read(r.selectedIndices)).toEqual([3, 0, 1, 5, 4, 2]);
    // Boxes 1 (0.75) and 2 (0.6) overlap box 0 by 0.9/1.1, and each other by 0.8/1.2.
    const weight = (iou: number): number => Math.exp(-(iou * iou) / (2 * 0.5));
    // Box 4 (0.5) overlaps box 3 by 0.9/1.1; box 5 (0.3) overlaps nothing.
    const [apart01, apart12] = [0.9 / 1.1, 0.8 / 1.2];
    expectClose(read(r.selectedScores), [0.95, 0.9, 0.75 * weight(apart01), 0.3, 0.5 * weight(apart01), 0.6 * weight(apart01) * weight(apart12)], 1e-6);
  }));

  test('soft-NMS drops no box for overlapping: iouThreshold plays no part', () => pc.tidy(() => {
    const withThreshold = (iouThreshold: number) => read(pc.nonMaxSuppressionWithScore(CLUSTERS, CLUSTER_SCORES, 6, iouThreshold, 0, 0.5).selectedScores);
    expect(withThreshold(0)).toEqual(withThreshold(1));
  }));

  for (const [name, problem] of PROBLEMS) {
    test(`random boxes, ${name}: the brute-force search's selection and scores`, () => pc.tidy(() => {
      const want = bruteForce(problem);
      const got = run(problem);
      expect(read(got.selectedIndices)).toEqual(want.indices);
      expectClose(read(got.selectedScores), want.scores, 1e-5);
    }));
  }

  PROBLEMS.forEach(([name, problem], k) => {
    test(`random boxes, ${name}: as real tfjs`, () => pc.tidy(() => {
      const got = run(problem);
      expect(read(got.selectedIndices)).toEqual(TFJS[k]!.indices);
      expectClose(read(got.selectedScores), TFJS[k]!.scores, 1e-6);
    }));
  });

  test('the async variants give what the sync ones do', async () => {
    for (const [, p] of PROBLEMS) {
      const settings = [p.maxOutputSize, p.iouThreshold, p.scoreThreshold] as const;
      const sync = [pc.nonMaxSuppression(p.boxes, p.scores, ...settings), run(p), pc.nonMaxSuppressionPadded(p.boxes, p.scores, ...settings, true)] as const;
      const async = [
        await pc.nonMaxSuppressionAsync(p.boxes, p.scores, ...settings),
        await pc.nonMaxSuppressionWithScoreAsync(p.boxes, p.scores, ...settings, p.softNmsSigma),
        await pc.nonMaxSuppressionPaddedAsync(p.boxes, p.scores, ...settings, true),
      ] as const;
      expect(read(async[0])).toEqual(read(sync[0]));
      expect([read(async[1].selectedIndices), read(async[1].selectedScores)]).toEqual([read(sync[1].selectedIndices), read(sync[1].selectedScores)]);
      expect([read(async[2].selectedIndices), read(async[2].validOutputs)]).toEqual([read(sync[2].selectedIndices), read(sync[2].validOutputs)]);
      pc.dispose([sync[0], async[0], sync[1].selectedIndices, sync[1].selectedScores, async[1].selectedIndices, async[1].selectedScores]);
      pc.dispose([sync[2].selectedIndices, sync[2].validOutputs, async[2].selectedIndices, async[2].validOutputs]);
    }
  });

  test('padded: the selection, then 0s to maxOutputSize (beyond the number of boxes, as TensorFlow)', () => pc.tidy(() => {
    const padded = (max: number, pad: boolean, scoreThreshold = 0) => {
      const r = pc.nonMaxSuppressionPadded(CLUSTERS, CLUSTER_SCORES, max, 0.5, scoreThreshold, pad);
      return [read(r.selectedIndices), r.validOutputs.shape, r.validOutputs.dtype, read(r.validOutputs)[0]];
    };
    expect(padded(5, true)).toEqual([[3, 0, 5, 0, 0], [], 'int32', 3]);
    expect(padded(6, true, 0.4)).toEqual([[3, 0, 0, 0, 0, 0], [], 'int32', 2]);
    expect(padded(8, true)).toEqual([[3, 0, 5, 0, 0, 0, 0, 0], [], 'int32', 3]);
    expect(padded(5, false)).toEqual([[3, 0, 5], [], 'int32', 3]);
  }));

  test('no tensor is left behind, by the sync and async ops alike', async () => {
    const before = pc.memory().numTensors;
    pc.dispose(pc.nonMaxSuppression(CLUSTERS, CLUSTER_SCORES, 3));
    const r = await pc.nonMaxSuppressionPaddedAsync(CLUSTERS, CLUSTER_SCORES, 3);
    pc.dispose([r.selectedIndices, r.validOutputs]);
    await expect(pc.nonMaxSuppressionAsync(CLUSTERS, [0.5], 3)).rejects.toThrow();
    expect(pc.memory().numTensors).toBe(before);
  });

  test('bad input names the op, what it expected and what it got', async () => {
    const before = pc.memory().numTensors;
    const scores = [0.5, 0.6];
    const boxes = [[0, 0, 1, 1], [0, 0, 2, 2]];
    expect(() => pc.nonMaxSuppression([[0, 0, 1], [0, 0, 2]], scores, 2)).toThrow('nonMaxSuppression: expected float32 boxes of shape [numBoxes,4], got float32 [2,3]');
    pc.tidy(() => {
      expect(() => pc.nonMaxSuppression(pc.tensor(boxes, [2, 4], 'int32'), scores, 2)).toThrow('nonMaxSuppression: expected float32 boxes of shape [numBoxes,4], got int32 [2,4]');
      expect(() => pc.nonMaxSuppression(boxes, [0.5, 0.6, 0.7], 2)).toThrow('nonMaxSuppression: expected float32 scores of shape [2] (one per box), got float32 [3]');
      expect(() => pc.nonMaxSuppression(boxes, pc.tensor([1, 2], [2], 'int32'), 2)).toThrow('nonMaxSuppression: expected float32 scores of shape [2] (one per box), got int32 [2]');
    });
    expect(() => pc.nonMaxSuppressionWithScore(boxes, [scores], 2)).toThrow('nonMaxSuppressionWithScore: expected float32 scores of shape [2] (one per box), got float32 [1,2]');
    expect(() => pc.nonMaxSuppression(boxes, scores, -1)).toThrow('nonMaxSuppression: expected maxOutputSize to be a non-negative integer, got -1');
    expect(() => pc.nonMaxSuppressionPadded(boxes, scores, 1.5)).toThrow('nonMaxSuppressionPadded: expected maxOutputSize to be a non-negative integer, got 1.5');
    expect(() => pc.nonMaxSuppression(boxes, scores, 2, 1.2)).toThrow('nonMaxSuppression: expected iouThreshold in [0, 1], got 1.2');
    expect(() => pc.nonMaxSuppression(boxes, scores, 2, 0.5, NaN)).toThrow('nonMaxSuppression: expected scoreThreshold to be a number, got NaN');
    expect(() => pc.nonMaxSuppressionWithScore(boxes, scores, 2, 0.5, 0, -0.1)).toThrow('nonMaxSuppressionWithScore: expected softNmsSigma to be non-negative, got -0.1');
    await expect(pc.nonMaxSuppressionWithScoreAsync(boxes, [0.5], 2)).rejects.toThrow('nonMaxSuppressionWithScoreAsync: expected float32 scores of shape [2] (one per box), got float32 [1]');
    await expect(pc.nonMaxSuppressionPaddedAsync(boxes, scores, 2, -0.5)).rejects.toThrow('nonMaxSuppressionPaddedAsync: expected iouThreshold in [0, 1], got -0.5');
    expect(pc.memory().numTensors).toBe(before);
  });
});

reportTally('non-max suppression');
