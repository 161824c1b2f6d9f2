// compile's stepsPerExecution: fit and evaluate run that many steps per execution, the batch
// callbacks once per execution (Keras 3's indices), the losses and metrics of the steps in between
// left on the device and read at its end. Everything else must be as step by step: the same
// weights, the same running logs, bit for bit.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blobs, MODEL_BACKENDS } from './training-api-model-support.js';

const SEED = 91195003;

/** Input(2) -> Dense(8, relu) -> Dense(3, softmax), the same weights for the same seed. */
function classifier(): pc.Sequential {
  pc.setSeed(SEED);
  return new pc.Sequential([
    pc.Input({ shape: [2] }),
    new pc.Dense(8, { activation: 'relu', name: 'hidden' }),
    new pc.Dense(3, { activation: 'softmax', name: 'output' }),
  ]);
}

function compiled(stepsPerExecution?: number): pc.Sequential {
  const model = classifier();
  model.compile({
    optimizer: new pc.Adam({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
    weightedMetrics: ['accuracy'],
    ...(stepsPerExecution === undefined ? {} : { stepsPerExecution }),
  });
  return model;
}

/** The batch hooks' calls: each begin's index, each end's index with the logs it was given. */
function batchRecorder(test = false) {
  const begins: number[] = [];
  const ends: [number, pc.Logs][] = [];
  const end = (batch: number, logs?: pc.Logs) => void ends.push([batch, { ...logs }]);
  const hooks: pc.Callback = test
    ? { onTestBatchBegin: (batch) => void begins.push(batch), onTestBatchEnd: end }
    : { onBatchBegin: (batch) => void begins.push(batch), onBatchEnd: end };
  return { begins, ends, hooks };
}

const values = (weights: readonly pc.Tensor[]): number[][] => weights.map((w) => Array.from(w.dataSync()));

for (const backend of MODEL_BACKENDS) {
  describe(`stepsPerExecution on ${backend}`, () => {
    let x: pc.Tensor;
    let y: pc.Tensor;
    let sampleWeight: pc.Tensor;
    beforeEach(async () => {
      await pc.setBackend(backend);
      ({ x, y } = blobs(40, 2, 11));
      sampleWeight = pc.tensor(Array.from({ length: 40 }, (_, i) => 0.5 + (i % 3)));
      return () => pc.dispose([x, y, sampleWeight]);
    });

    // 40 samples in batches of 4: 10 steps, two executions of 4 and one of the 2 left.
    const fitOptions = () => ({ batchSize: 4, epochs: 2, shuffle: false, verbose: 0 as const, sampleWeight, validationData: [x, y] as [pc.Tensor, pc.Tensor] });

    it('fit in executions of 4 trains and logs exactly as step by step; the batch hooks run per execution with its first and last index', async () => {
      const stepwise = compiled();
      const each = batchRecorder();
      const stepwiseHistory = await stepwise.fit(x, y, { ...fitOptions(), callbacks: [each.hooks] });
      const grouped = compiled(4);
      const per4 = batchRecorder();
      const groupedHistory = await grouped.fit(x, y, { ...fitOptions(), callbacks: [per4.hooks] });

      expect(groupedHistory.history).toEqual(stepwiseHistory.history);
      expect(values(grouped.weights)).toEqual(values(stepwise.weights));
      expect(per4.begins).toEqual([0, 4, 8, 0, 4, 8]);
      expect(per4.ends.map(([batch]) => batch)).toEqual([3, 7, 9, 3, 7, 9]);
      // Each execution's logs are the running logs after its last step, as step by step gave them.
      const stepwiseEnds = each.ends.filter(([batch]) => [3, 7, 9].includes(batch));
      expect(per4.ends).toEqual(stepwiseEnds);
      expect(Object.keys(per4.ends[0]![1])).toEqual(['accuracy', 'loss', 'weighted_accuracy']);
      pc.dispose([...stepwise.weights, ...grouped.weights]);
    });

    it('logs a callback keeps and reads only after fit still hold the values of their execution', async () => {
      const kept: pc.Logs[] = [];
      const model = compiled(4);
      await model.fit(x, y, { ...fitOptions(), callbacks: [{ onBatchEnd: (_batch, logs) => void kept.push(logs!) }] });
      const stepwise = compiled();
      const each = batchRecorder();
      await stepwise.fit(x, y, { ...fitOptions(), callbacks: [each.hooks] });
      expect(kept.map((logs) => ({ ...logs }))).toEqual(each.ends.filter(([batch]) => [3, 7, 9].includes(batch)).map(([, logs]) => logs));
      pc.dispose([...model.weights, ...stepwise.weights]);
    });

    it('evaluate in executions of 3: the same results, the test batch hooks at 0, 3, 6, 9 and 2, 5, 8, 9', async () => {
      const stepwise = compiled();
      const grouped = compiled(3);
      const per3 = batchRecorder(true);
      const expected = await stepwise.evaluate(x, y, { batchSize: 4, verbose: 0, sampleWeight });
      const scores = await grouped.evaluate(x, y, { batchSize: 4, verbose: 0, sampleWeight, callbacks: [per3.hooks] });
      expect(scores).toEqual(expected);
      expect(per3.begins).toEqual([0, 3, 6, 9]);
      expect(per3.ends.map(([batch]) => batch)).toEqual([2, 5, 8, 9]);
      expect(per3.ends.at(-1)![1]).toEqual(Object.fromEntries(grouped.metricsNames.map((name, i) => [name, expected[i]])));
      pc.dispose([...stepwise.weights, ...grouped.weights]);
    });

    it('within an execution the steps keep their losses and metrics on the device; none is left between executions or after fit', async () => {
      const held: number[] = [];
      class Watched extends pc.Sequential {
        override trainStep(...args: Parameters<pc.Sequential['trainStep']>): pc.Logs {
          const logs = super.trainStep(...args);
          held.push(pc.memory().numTensors);
          return logs;
        }
      }
      const countsFor = async (stepsPerExecution: number): Promise<number[]> => {
        held.length = 0;
        pc.setSeed(SEED);
        const model = new Watched([pc.Input({ shape: [2] }), new pc.Dense(3, { activation: 'softmax' })]);
        model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], stepsPerExecution });
        model.buildFromShape([null, 2]);
        await model.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0 });
        await model.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0 });
        const before = pc.memory().numTensors;
        await model.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0 });
        expect(pc.memory().numTensors).toBe(before);
        model.dispose();
        model.optimizer!.dispose();
        return held.slice(-10);
      };
      // Step by step, every step leaves the count as it found it.
      expect(new Set(await countsFor(1)).size).toBe(1);
      // In executions of 4: the loss and the accuracy (values and copies) wait on the device.
      const counts = await countsFor(4);
      const executions = [counts.slice(0, 4), counts.slice(4, 8), counts.slice(8)];
      for (const execution of executions) {
        expect(execution.slice(1).every((count, i) => count > execution[i]!)).toBe(true);
        expect(execution[0]).toBe(counts[0]);
      }
    });

    it('model.stopTraining set in a batch hook ends fit after that execution', async () => {
      const model = compiled(4);
      await model.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0, callbacks: [{ onBatchEnd: () => void (model.stopTraining = true) }] });
      expect(model.optimizer!.iterations).toBe(4);
      pc.dispose(model.weights);
    });

    it('a batch that fails in the middle of an execution rejects fit with its error and leaves no tensor behind', async () => {
      const model = compiled(4);
      model.buildFromShape([null, 2]);
      await model.fit(x, y, { batchSize: 4, verbose: 0 }); // creates the optimizer's slots
      const before = pc.memory().numTensors;
      const batches = pc.Dataset.fromGenerator(function* (): Generator<[pc.Tensor, pc.Tensor]> {
        yield [pc.tensor([[0, 1], [1, 0]]), pc.tensor([0, 1], [2], 'int32')];
        yield [pc.tensor([[1, 1], [0, 0]]), pc.tensor([2, 1], [2], 'int32')];
        yield [pc.tensor([[1, 2, 3]]), pc.tensor([0], [1], 'int32')];
      });
      await expect(model.fit(batches, { verbose: 0 })).rejects.toThrow(/expects inputs of shape \[-1,2\].*got \[1,3\]/);
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose(model.weights);
    });

    it('compile refuses a stepsPerExecution that is not a positive integer, keeping the model as it was compiled', () => {
      const model = compiled(2);
      for (const [bad, shown] of [[0, '0'], [-1, '-1'], [2.5, '2.5'], [Number.NaN, 'NaN'], ['4', '"4"']] as const) {
        expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', stepsPerExecution: bad as number }))
          .toThrow(new Error(`compile: stepsPerExecution must be a positive integer, got ${shown}`));
      }
      expect(model.compileSpec!.stepsPerExecution).toBe(2);
      expect(model.metricsNames).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
      pc.dispose(model.weights);
    });
  });
}

describe('stepsPerExecution in saved models', () => {
  let dir: string;
  beforeAll(async () => {
    await pc.setBackend('naive');
    dir = await mkdtemp(join(tmpdir(), 'perceptron-steps-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is saved when it is not 1 and compiled back on load; a bad one is an error naming the file', async () => {
    const model = compiled(5);
    model.buildFromShape([null, 2]);
    await model.save(dir);
    const loaded = await pc.loadModel(dir);
    expect(loaded.compileSpec!.stepsPerExecution).toBe(5);
    const file = join(dir, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(json.compileConfig.stepsPerExecution).toBe(5);

    const before = pc.memory().numTensors;
    await writeFile(file, JSON.stringify({ ...json, compileConfig: { ...json.compileConfig, stepsPerExecution: 0 } }));
    await expect(pc.loadModel(dir)).rejects.toThrow(new Error(`loadModel: cannot compile the model with the settings saved in '${file}' (load it with compile: false to skip them): compile: stepsPerExecution must be a positive integer, got 0`));
    expect(pc.memory().numTensors).toBe(before);

    const stepwise = compiled();
    stepwise.buildFromShape([null, 2]);
    await stepwise.save(dir);
    expect(JSON.parse(await readFile(file, 'utf8')).compileConfig).not.toHaveProperty('stepsPerExecution');
    expect((await pc.loadModel(dir)).compileSpec!.stepsPerExecution).toBe(1);
  });
});
