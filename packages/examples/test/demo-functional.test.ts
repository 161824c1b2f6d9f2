// demo:functional's model and run, on a tiny made-up set instead of MNIST (the real run is
// `npm run demo:functional`): how the rows are cut into the two inputs, the graph's output shape
// and parameter count, and a run: its summary's Connected to column, and training that must lower the loss.
import { memory, setBackend, tensor, tidy, type Tensor } from '@perceptron/core';
import '@perceptron/backend-naive';
import { beforeAll, describe, expect, it } from 'vitest';
import { HALF_IMAGE_SIZE, imageHalves, mnistFunctional, runFunctionalDemo } from '../src/demos/functional.js';
import type { FlatSplit, MnistArrays } from '../src/mnist/split.js';

beforeAll(async () => {
  await setBackend('naive');
});

/**
 * `perClass` images of each of three classes that only the two halves together tell apart:
 * 0 lights the top half, 1 the bottom half, 2 both; lit pixels vary from 0.5 to 1 between images.
 */
function halvesLit(perClass: number): FlatSplit {
  const count = 3 * perClass;
  const x = new Float32Array(count * 784);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = i % 3;
    const lit = [y[i] !== 1, y[i] !== 0];
    for (let j = 0; j < 784; j++) if (lit[j < HALF_IMAGE_SIZE ? 0 : 1]) x[i * 784 + j] = 0.5 + ((7 * i + j) % 11) / 20;
  }
  return { x, y, count, features: 784 };
}

/** The rows of a printed summary table, each row's wrapped lines joined: 'skip (Add) (None, 128) 0 halves[0][0], …'. */
function summaryRows(lines: readonly string[]): string[] {
  return lines.join('\n').split(/^[├┡└].*$/m).map((row) => row.replace(/[│┃]/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('imageHalves', () => {
  it('cuts each 784-wide row into rows 0–13 and rows 14–27 of its image', () => {
    const rows = tensor(Float32Array.from({ length: 2 * 784 }, (_, k) => k), [2, 784]);
    const [top, bottom] = imageHalves(rows);
    expect(top.shape).toEqual([2, 392]);
    expect(bottom.shape).toEqual([2, 392]);
    const [topValues, bottomValues] = [top.arraySync() as number[][], bottom.arraySync() as number[][]];
    expect([topValues[1]![0], topValues[1]![391], bottomValues[1]![0], bottomValues[1]![391]]).toEqual([784, 784 + 391, 784 + 392, 784 + 783]);
    for (const t of [rows, top, bottom]) t.dispose();
  });
});

describe('the functional model', () => {
  it('takes the two halves and gives ten class probabilities per image', () => {
    const model = mnistFunctional();
    // one output, so one tensor
    const probabilities = tidy(() => model.predict(imageHalves(tensor(new Float32Array(3 * 784), [3, 784])))) as Tensor;
    expect(probabilities.shape).toEqual([3, 10]);
    const rowSums = (probabilities.arraySync() as number[][]).map((row) => row.reduce((a, b) => a + b));
    for (const sum of rowSums) expect(sum).toBeCloseTo(1, 5);
    probabilities.dispose();
    model.dispose();
  });

  it('has the parameters its layer sizes give', () => {
    const model = mnistFunctional();
    const branch = 392 * 64 + 64; // each half's Dense(64): a kernel and a bias
    const block = 2 * (128 * 128 + 128); // the residual block's two Dense(128), on the 64 + 64 joined
    const classifier = 128 * 10 + 10;
    expect(model.countParams()).toBe(2 * branch + block + classifier); // 84,618
    model.dispose();
  });
});

describe('runFunctionalDemo', () => {
  it('prints the graph\'s summary and trains on a separable set: the loss falls epoch by epoch, the test set is learnt, nothing leaks', async () => {
    const arrays: MnistArrays = { train: halvesLit(16), validation: halvesLit(4), test: halvesLit(4) };
    const before = memory().numTensors;
    const lines: string[] = [];
    const result = await runFunctionalDemo({ epochs: 4, batchSize: 8, seed: 5 }, (line) => lines.push(line), arrays);
    expect(result.trainingLoss).toHaveLength(4);
    for (let epoch = 1; epoch < 4; epoch++) expect(result.trainingLoss[epoch]).toBeLessThan(result.trainingLoss[epoch - 1]!);
    expect(result.testAccuracy).toBe(1);
    expect(result.msPerStep).toBeGreaterThan(0);
    expect(lines).toContain(`\nTest accuracy: 1.0000 (loss ${result.testLoss.toFixed(4)}), on the 12 test images`);
    const rows = summaryRows(lines);
    expect(rows).toContain('halves (Concatenate) (None, 128) 0 top_features[0][0], bottom_features[0][0]');
    expect(rows).toContain('skip (Add) (None, 128) 0 halves[0][0], block_residual[0][0]');
    expect(rows).toContain('block_relu (Activation) (None, 128) 0 skip[0][0]');
    expect(lines).toContain(' Total params: 84,618 (330.54 KB)');
    expect(memory().numTensors).toBe(before);
  });
});
