// A model tfjs-layers trained and saved compiled, with its optimizer's state (includeOptimizer),
// comes back compiled as its training config says, and with that state: the optimizer's
// iterations and slots are tfjs's, so one more training step gives the weights tfjs's next step
// gives. A state Perceptron cannot place is skipped with a warning saying why.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as pc from '@perceptron/core';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { encode, savedByTfjs, type EditableStore } from './tfjs-saved-model.js';

interface Compiled {
  optimizer: () => tf.Optimizer;
  className: string;
  settings: Record<string, number | boolean>;
  /** tfjs's name of each of the Perceptron optimizer's slots, in its order. */
  slots: string[];
  store: EditableStore;
  /** What tfjs's evaluate gives after training. */
  evaluated: number[];
  /** The optimizer's state as tfjs saved it, by name. */
  state: Map<string, number[]>;
  /** The kernel and bias after one more step from the saved state. */
  continued: number[][];
}

/**
 * Keras's Adadelta step, in float64, for the classifier (Dense softmax, sparse cross-entropy) from
 * its kernel and bias and each one's [accumulated gradient, accumulated delta]. tfjs's Adadelta
 * divides by the accumulated gradient before this step's; Keras's and Perceptron's, after.
 */
function kerasAdadeltaStep(weights: number[][], state: number[][][], x: number[], labels: number[], rho: number, epsilon: number): number[][] {
  const [kernel, bias] = weights as [number[], number[]];
  const [inputs, classes, rows] = [4, 3, labels.length];
  const gradients = [new Array<number>(inputs * classes).fill(0), new Array<number>(classes).fill(0)];
  for (let r = 0; r < rows; r++) {
    const logits = bias.map((b, j) => b + x.slice(r * inputs, (r + 1) * inputs).reduce((sum, v, i) => sum + v * kernel[i * classes + j]!, 0));
    const top = Math.max(...logits);
    const total = logits.reduce((sum, z) => sum + Math.exp(z - top), 0);
    logits.forEach((z, j) => {
      const dLogit = (Math.exp(z - top) / total - (labels[r] === j ? 1 : 0)) / rows;
      gradients[1]![j]! += dLogit;
      for (let i = 0; i < inputs; i++) gradients[0]![i * classes + j]! += x[r * inputs + i]! * dLogit;
    });
  }
  return weights.map((values, w) => values.map((value, k) => {
    const g = gradients[w]![k]!;
    const [accumulatedGrad, accumulatedDelta] = [state[w]![0]![k]!, state[w]![1]![k]!];
    const newGrad = rho * accumulatedGrad + (1 - rho) * g * g;
    return value - (Math.sqrt(accumulatedDelta + epsilon) / Math.sqrt(newGrad + epsilon)) * g;
  }));
}

/** Classifiers compiled with each optimizer whose state Perceptron reads, trained a little by tfjs-layers. */
const COMPILED: Compiled[] = ([
  { optimizer: () => tf.train.adam(0.01), className: 'Adam', settings: { learningRate: 0.01, beta1: 0.9, beta2: 0.999 }, slots: ['m', 'v'] },
  // tfjs's RMSProp calls its rho decay. It keeps a momentum slot even when the momentum is 0.
  { optimizer: () => tf.train.rmsprop(0.01, 0.8), className: 'RMSprop', settings: { learningRate: 0.01, rho: 0.8 }, slots: ['rms'] },
  // Not centered: tfjs's centered RMSprop takes sqrt(ms − mg² − ε), NaN once a gradient is small.
  { optimizer: () => tf.train.rmsprop(0.01, 0.8, 0.5), className: 'RMSprop', settings: { learningRate: 0.01, rho: 0.8, momentum: 0.5 }, slots: ['rms', 'momentum'] },
  { optimizer: () => tf.train.adagrad(0.1), className: 'Adagrad', settings: { learningRate: 0.1, initialAccumulatorValue: 0.1 }, slots: ['accumulator'] },
  { optimizer: () => tf.train.adadelta(1, 0.9), className: 'Adadelta', settings: { learningRate: 1, rho: 0.9 }, slots: ['accum_grad', 'accum_var'] },
  { optimizer: () => tf.train.sgd(0.1), className: 'SGD', settings: { learningRate: 0.1 }, slots: [] },
] as const).map((c) => ({ ...c, slots: [...c.slots], store: null as unknown as EditableStore, evaluated: [], state: new Map(), continued: [] }));

const data = { x: draws(24 * 4, 7, -2, 2), y: Array.from({ length: 24 }, (_, i) => i % 3) };
/** The batch of the step after loading. */
const next = { x: data.x.slice(0, 8 * 4), y: data.y.slice(0, 8) };

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const compiled of COMPILED) {
    const classifier = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax', name: 'scores' })] });
    classifier.compile({ optimizer: compiled.optimizer(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const [x, y, nextX, nextY] = [tf.tensor(data.x, [24, 4]), tf.tensor(data.y, [24]), tf.tensor(next.x, [8, 4]), tf.tensor(next.y, [8])];
    await classifier.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const scores = classifier.evaluate(x, y, { batchSize: 24 }) as tf.Scalar[];
    compiled.evaluated = scores.map((s) => s.dataSync()[0]!);
    compiled.store = await savedByTfjs(classifier, 1, true);
    for (const { name, tensor } of await classifier.optimizer.getWeights()) compiled.state.set(name, Array.from(tensor.dataSync()));
    await classifier.trainOnBatch(nextX, nextY);
    compiled.continued = classifier.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y, nextX, nextY, ...scores]);
    classifier.dispose();
  }
});

const loadQuietly = async (store: pc.FileStore, options?: pc.LoadLayersModelOptions): Promise<{ model: pc.Model; warnings: string }> => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const model = await pc.loadLayersModel(store, options);
    return { model, warnings: warn.mock.calls.flat().join('\n') };
  } finally {
    warn.mockRestore();
  }
};

for (const backend of MODEL_BACKENDS) {
  describe(`a compiled model from tfjs-layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it.each(COMPILED)("$className $settings: compiled as tfjs's training config says, with tfjs's optimizer state; its next step gives tfjs's next step", async (compiled) => {
      const { model, warnings } = await loadQuietly(compiled.store);
      expect(warnings).toBe('');
      const optimizer = model.optimizer!;
      expect(optimizer.className).toBe(compiled.className);
      for (const [key, value] of Object.entries(compiled.settings)) expect(optimizer.getConfig()[key]).toBeCloseTo(Number(value), 6);
      expect(model.metricsNames).toEqual(['loss', 'accuracy']);
      // tfjs's state is kind by kind, each kind weight by weight; Perceptron's weight by weight, each weight's slots in turn.
      const ofKind = (kind: string) => [...compiled.state].filter(([name]) => name.endsWith(`/${kind}`)).map(([, values]) => values);
      const expected = [compiled.state.get('iter')!, ...[0, 1].flatMap((weight) => compiled.slots.map((kind) => ofKind(kind)[weight]!))];
      const state = optimizer.getWeights();
      expect(state.map((t) => Array.from(t.dataSync()))).toEqual(expected);
      expect(state[0]!.dataSync()[0]).toBe(6);
      pc.dispose(state);

      const [x, y] = [pc.tensor(data.x, [24, 4]), pc.tensor(data.y, [24], 'int32')];
      expectClose(await model.evaluate(x, y, { batchSize: 24, verbose: 0 }), compiled.evaluated, 1e-5, 1e-6);
      const loaded = model.getWeights().map((w) => Array.from(w.dataSync()));
      const continued = compiled.className === 'Adadelta'
        ? kerasAdadeltaStep(loaded, [0, 1].map((weight) => compiled.slots.map((kind) => ofKind(kind)[weight]!)), next.x, next.y, 0.9, 1e-7)
        : compiled.continued;
      const [nextX, nextY] = [pc.tensor(next.x, [8, 4]), pc.tensor(next.y, [8], 'int32')];
      await model.trainOnBatch(nextX, nextY);
      model.getWeights().forEach((w, i) => expectClose(Array.from(w.dataSync()), continued[i]!, 1e-5, 1e-6));
      pc.dispose([x, y, nextX, nextY]);
      model.dispose();
    }, TRAINING_TIMEOUT);
  });
}

describe('a tfjs optimizer state Perceptron cannot place', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  const adam = COMPILED[0]!;
  /** The part of model.json the cases edit. */
  interface Manifest {
    weightsManifest: { weights: { name: string; shape: number[] }[] }[];
  }
  /** The Adam model's files with model.json edited. */
  function edited(edit: (json: Manifest, files: Map<string, Uint8Array>) => void): EditableStore {
    const store = pc.memoryStore();
    for (const [name, bytes] of adam.store.files) store.files.set(name, bytes);
    const json = JSON.parse(new TextDecoder().decode(store.files.get('model.json'))) as Manifest;
    edit(json, store.files);
    store.files.set('model.json', encode(json));
    return store;
  }
  const weight = (json: Manifest, suffix: string) => json.weightsManifest[0]!.weights.find((w) => w.name.endsWith(suffix))!;

  it('is skipped with a warning saying why, and the optimizer starts afresh', async () => {
    const cases: [EditableStore, pc.LoadLayersModelOptions, string][] = [
      [adam.store, { compile: false }, 'the model is not compiled from the file'],
      [edited((json) => void (weight(json, '/bias/v').name = 'scores/bias/w')), {}, "Adam has no place for 'scores/bias/w'"],
      [edited((json) => void (weight(json, '/kernel/m').name = 'scores/other/m')), {}, "its 'm' slot 1, 'scores/other/m', is not for trainable weight 1, 'scores/kernel'"],
      // The last weight, bias/v (3 values), taken out of the manifest and the shard.
      [edited((json, files) => {
        json.weightsManifest[0]!.weights.pop();
        files.set('group1-shard1of1.bin', files.get('group1-shard1of1.bin')!.slice(0, -12));
      }), {}, "it has 1 'v' slots for 2 trainable weights"],
      [edited((json) => void (weight(json, 'iter').name = 'iterations')), {}, "it has no 'iter' scalar"],
    ];
    for (const [store, options, reason] of cases) {
      const { model, warnings } = await loadQuietly(store, options);
      expect(warnings).toMatch(new RegExp(`^loadLayersModel: skipping the optimizer state in 'memory/model.json' \\([45] weights\\): ${reason.replace(/[()]/g, '\\$&')}; the optimizer starts afresh$`));
      expect(model.optimizer?.iterations ?? 0).toBe(0);
      model.dispose();
    }
  });

  it('a slot of the wrong shape is an error naming the file, the slot and the weight, and leaves no tensor', async () => {
    const before = pc.memory().numTensors;
    const store = edited((json) => void (weight(json, '/kernel/m').shape = [3, 4]));
    await expect(pc.loadLayersModel(store)).rejects.toThrow("loadLayersModel: 'memory/model.json' has 'scores/kernel/m' as float32 [3,4], but the rebuilt model's 'scores/kernel' is float32 [4,3]");
    expect(pc.memory().numTensors).toBe(before);
  });
});
