// SimpleRNN, LSTM, GRU and Embedding against float64 computations written here with plain loops
// from Keras 3's equations: values, gradients (central finite differences, through time),
// training with fit, saving, bad inputs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';
import { recurrentReference, type RecurrentCase, type Weights } from './recurrent-reference.js';

interface NamedCase extends RecurrentCase {
  name: string;
}

const CASES: NamedCase[] = [
  { name: 'SimpleRNN, last state', kind: 'SimpleRNN', shape: [2, 4, 3], units: 3, config: {} },
  { name: 'SimpleRNN relu, sequences, backwards', kind: 'SimpleRNN', shape: [3, 3, 2], units: 2, config: { activation: 'relu', returnSequences: true, goBackwards: true } },
  { name: 'LSTM, sequences', kind: 'LSTM', shape: [2, 3, 4], units: 3, config: { returnSequences: true } },
  { name: 'LSTM without bias, backwards, last state', kind: 'LSTM', shape: [1, 5, 3], units: 2, config: { useBias: false, goBackwards: true } },
  { name: 'LSTM, one timestep', kind: 'LSTM', shape: [3, 1, 2], units: 2, config: { returnSequences: true } },
  { name: 'GRU, last state', kind: 'GRU', shape: [2, 4, 3], units: 3, config: {} },
  { name: 'GRU, sequences, backwards', kind: 'GRU', shape: [3, 3, 2], units: 2, config: { returnSequences: true, goBackwards: true } },
  { name: 'GRU resetAfter false, sequences', kind: 'GRU', shape: [2, 3, 3], units: 3, config: { resetAfter: false, returnSequences: true } },
];

function makeLayer(c: RecurrentCase): pc.Recurrent {
  const config = { ...c.config, units: c.units };
  return c.kind === 'SimpleRNN' ? new pc.SimpleRNN(config) : c.kind === 'LSTM' ? new pc.LSTM(config) : new pc.GRU(config);
}

/** The layer built for the case's shape, its weights set to draws (the initial zeros of the bias would hide mistakes). */
function builtLayer(c: RecurrentCase): { layer: pc.Recurrent; weights: Weights } {
  const layer = makeLayer(c);
  layer.ensureBuilt(c.shape);
  const weights: Weights = {
    kernel: draws(layer.kernel!.size, 3, -0.7, 0.7),
    recurrent: draws(layer.recurrentKernel!.size, 4, -0.7, 0.7),
    bias: layer.bias ? draws(layer.bias.size, 5, -0.5, 0.5) : null,
  };
  pc.tidy(() => {
    layer.kernel!.assign(pc.tensor(weights.kernel, layer.kernel!.shape));
    layer.recurrentKernel!.assign(pc.tensor(weights.recurrent, layer.recurrentKernel!.shape));
    if (layer.bias) layer.bias.assign(pc.tensor(weights.bias!, layer.bias.shape));
  });
  return { layer, weights };
}

const recordError = errorRecorder('recurrent');

/** Sequences of `timesteps` tokens in [0, vocabulary) (int32), labelled with their first token. */
function firstTokenTask(n: number, timesteps: number, vocabulary: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const tokens = Int32Array.from({ length: n * timesteps }, () => Math.floor(generator.nextFloat() * vocabulary));
  const labels = Int32Array.from({ length: n }, (_, i) => tokens[i * timesteps]!);
  return { x: pc.tensor(tokens, [n, timesteps], 'int32'), y: pc.tensor(labels, [n], 'int32') };
}

for (const backend of MODEL_BACKENDS) {
  describe(`recurrent layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const xValues = draws(size, 1, -1.5, 1.5);

      it('forward matches the float64 computation', () => {
        const { layer, weights } = builtLayer(c);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)));
        const [batch, timesteps] = c.shape;
        expect(y.shape).toEqual(c.config.returnSequences ? [batch, timesteps, c.units] : [batch, c.units]);
        expect(layer.computeOutputShape([null, timesteps, c.shape[2]])).toEqual([null, ...y.shape.slice(1)]);
        const want = recurrentReference(c, xValues, weights);
        recordError('forward values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel, recurrent kernel and bias match central finite differences', () => {
        const { layer, weights } = builtLayer(c);
        const x = pc.tensor(xValues, c.shape);
        const outputSize = recurrentReference(c, xValues, weights).length;
        const w = draws(outputSize, 2, -1, 1);
        const variables = [layer.kernel!, layer.recurrentKernel!, ...(layer.bias ? [layer.bias] : [])];
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          tape.watch(x);
          const loss = tape.record(() => pc.sum(pc.mul(pc.reshape(layer.apply(x), [-1]), pc.tensor(w))));
          return tape.gradient(loss, [x, ...variables]).map((g) => (g ? Array.from(g.dataSync()) : null));
        });
        // One timestep reads the recurrent kernel nowhere (the state before it is 0), so the tape
        // has no gradient for it, as TensorFlow's has none for a variable it did not use.
        const [, timesteps] = c.shape;
        expect(got[2] === null).toBe(timesteps === 1);
        const want = [
          finiteDifferences(xValues, w, (moved) => recurrentReference(c, moved, weights)),
          finiteDifferences(weights.kernel, w, (kernel) => recurrentReference(c, xValues, { ...weights, kernel })),
          finiteDifferences(weights.recurrent, w, (recurrent) => recurrentReference(c, xValues, { ...weights, recurrent })),
          ...(weights.bias ? [finiteDifferences(weights.bias, w, (bias) => recurrentReference(c, xValues, { ...weights, bias }))] : []),
        ];
        ['input', 'kernel', 'recurrent kernel', 'bias'].slice(0, want.length).forEach((name, k) => {
          const values = got[k] ?? new Array<number>(want[k]!.length).fill(0);
          recordError(`gradient w.r.t. ${name}`, values, want[k]!);
          expectClose(values, want[k]!, 1e-4, 2e-5);
        });
        x.dispose();
        layer.dispose();
      });
    });

    it("weights: Keras's names, shapes and gate layout; LSTM's forget bias starts at 1; the recurrent kernel is orthogonal", () => {
      const features = 3;
      const u = 4;
      const [rnn, lstm, gru, gruBefore] = [new pc.SimpleRNN(u, { name: 'rnn' }), new pc.LSTM(u, { name: 'lstm' }), new pc.GRU(u, { name: 'gru' }), new pc.GRU(u, { name: 'gru2', resetAfter: false })];
      for (const layer of [rnn, lstm, gru, gruBefore]) layer.ensureBuilt([2, 5, features]);
      const shapes = (layer: pc.Layer) => layer.weights.map((v) => `${v.name} ${JSON.stringify(v.shape)}`);
      expect(shapes(rnn)).toEqual(['rnn/kernel [3,4]', 'rnn/recurrent_kernel [4,4]', 'rnn/bias [4]']);
      expect(shapes(lstm)).toEqual(['lstm/kernel [3,16]', 'lstm/recurrent_kernel [4,16]', 'lstm/bias [16]']);
      expect(shapes(gru)).toEqual(['gru/kernel [3,12]', 'gru/recurrent_kernel [4,12]', 'gru/bias [2,12]']);
      expect(shapes(gruBefore)).toEqual(['gru2/kernel [3,12]', 'gru2/recurrent_kernel [4,12]', 'gru2/bias [12]']);
      expect(Array.from(lstm.bias!.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
      const [kept, plain] = [true, false].map((unitForgetBias) => new pc.LSTM(2, { unitForgetBias, biasInitializer: new pc.Constant({ value: 0.5 }) }));
      for (const layer of [kept!, plain!]) layer.ensureBuilt([1, 1, 1]);
      expect(Array.from(kept!.bias!.dataSync())).toEqual([0.5, 0.5, 1, 1, 0.5, 0.5, 0.5, 0.5]);
      expect(Array.from(plain!.bias!.dataSync())).toEqual(new Array(8).fill(0.5));
      // [4, 16]: wide, so its rows are orthonormal.
      const r = pc.tidy(() => Array.from(pc.matMul(lstm.recurrentKernel!, lstm.recurrentKernel!, false, true).dataSync()));
      expectClose(r, Array.from({ length: u * u }, (_, i) => (i % (u + 1) === 0 ? 1 : 0)), 0, 1e-6);
      for (const layer of [rnn, lstm, gru, gruBefore, kept!, plain!]) layer.dispose();
    });

    it('Embedding: rows of the embeddings for int32 and integral float32 indices, any input shape', () => {
      const embedding = new pc.Embedding({ inputDim: 5, outputDim: 3 });
      embedding.ensureBuilt([2, 4]);
      const table = Array.from(embedding.embeddings!.dataSync());
      expect(table.every((v) => Math.abs(v) <= 0.05)).toBe(true);
      const ids = [4, 0, 2, 2, 1, 3, 0, 4];
      const want = ids.flatMap((i) => table.slice(i * 3, i * 3 + 3));
      for (const x of [pc.tensor(ids, [2, 4], 'int32'), pc.tensor(ids, [2, 4], 'float32')]) {
        const y = pc.tidy(() => embedding.apply(x));
        expect(y.shape).toEqual([2, 4, 3]);
        expect(Array.from(y.dataSync())).toEqual(want);
        pc.dispose([x, y]);
      }
      const other = pc.tidy(() => embedding.apply(pc.tensor(ids, [8], 'int32')).shape);
      expect(other).toEqual([8, 3]);
      expect(embedding.computeOutputShape([null, 4])).toEqual([null, 4, 3]);
      embedding.dispose();
    });

    it('Embedding: the gradient adds up over repeated indices', () => {
      const embedding = new pc.Embedding({ inputDim: 4, outputDim: 2 });
      const ids = [1, 3, 1, 1, 0, 3];
      const x = pc.tensor(ids, [3, 2], 'int32');
      const w = draws(12, 6, -1, 1);
      const got = pc.tidy(() => {
        const tape = new pc.GradientTape();
        const loss = tape.record(() => pc.sum(pc.mul(embedding.apply(x), pc.tensor(w, [3, 2, 2]))));
        return Array.from(tape.gradient(loss, [embedding.embeddings!])[0]!.dataSync());
      });
      const want = new Array<number>(8).fill(0);
      ids.forEach((id, position) => [0, 1].forEach((j) => (want[id * 2 + j]! += w[position * 2 + j]!)));
      expectClose(got, want, 1e-6, 1e-7);
      x.dispose();
      embedding.dispose();
    });

    it('Embedding: an index outside [0, inputDim) is an error naming the layer, the index and its position', () => {
      const embedding = new pc.Embedding({ inputDim: 5, outputDim: 2, name: 'words' });
      for (const [bad, position] of [[5, 3], [-1, 1]] as const) {
        const ids = [0, 1, 2, 3];
        ids[position] = bad;
        const x = pc.tensor(ids, [2, 2], 'int32');
        expect(() => embedding.apply(x)).toThrow(`Embedding 'words' (inputDim 5): gather: index ${bad} at position ${position} is outside [0, 5)`);
        x.dispose();
      }
      expect(() => new pc.Embedding({ inputDim: 0, outputDim: 2 })).toThrow('Embedding: inputDim must be a positive integer, got 0');
      expect(() => new pc.Embedding({ inputDim: 3, outputDim: 1.5 })).toThrow('Embedding: outputDim must be a positive integer, got 1.5');
      embedding.dispose();
    });

    it('bad units and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.LSTM(0)).toThrow('LSTM: units must be a positive integer, got 0');
      expect(() => new pc.GRU(2.5)).toThrow('GRU: units must be a positive integer, got 2.5');
      expect(() => new pc.SimpleRNN({} as pc.RecurrentConfig)).toThrow('SimpleRNN: units must be a positive integer, got undefined');
      const flat = pc.ones([2, 3]);
      const empty = pc.ones([2, 0, 3]);
      expect(() => new pc.LSTM(2, { name: 'l' }).apply(flat)).toThrow("LSTM 'l': expected inputs of rank 3 ([batch, timesteps, features]), got shape [2,3]");
      expect(() => new pc.GRU(2, { name: 'g' }).apply(empty)).toThrow("GRU 'g': expected at least one timestep, got shape [2,0,3]");
      const built = new pc.SimpleRNN(2, { name: 's' });
      pc.tidy(() => built.apply(pc.ones([1, 2, 3])));
      expect(() => built.apply(pc.ones([1, 2, 4]))).toThrow("Layer 's': expected inputs with last dimension 3");
      // Another batch size or sequence length is fine: only the features are tied to the kernel.
      expect(pc.tidy(() => built.apply(pc.ones([4, 7, 3])).shape)).toEqual([4, 2]);
      pc.dispose([flat, empty]);
      built.dispose();
    });

    it('Embedding → GRU → Dense learns to name the first token with fit', async () => {
      const { x, y } = firstTokenTask(96, 5, 4, 21);
      const model = new pc.Sequential([
        pc.Input({ shape: [5], dtype: 'int32' }),
        new pc.Embedding({ inputDim: 4, outputDim: 4 }),
        new pc.GRU(8, { goBackwards: true }),
        new pc.Dense(4, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.3 * losses[0]!);
      expect(history.history['accuracy']!.at(-1)!).toBeGreaterThan(0.9);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('an LSTM learns whether a sequence sums to a positive number with fit', async () => {
      const generator = new pc.RandomGenerator(23);
      const n = 128;
      const values = Float32Array.from({ length: n * 6 }, () => generator.nextNormal());
      const labels = Float32Array.from({ length: n }, (_, i) => (values.slice(i * 6, i * 6 + 6).reduce((a, b) => a + b, 0) > 0 ? 1 : 0));
      const [x, y] = [pc.tensor(values, [n, 6, 1]), pc.tensor(labels, [n, 1])];
      const model = new pc.Sequential([pc.Input({ shape: [6, 1] }), new pc.LSTM(6), new pc.Dense(1, { activation: 'sigmoid' })]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
      expect(history.history['accuracy']!.at(-1)!).toBeGreaterThan(0.9);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('save -> loadModel restores every recurrent layer, its weights and predictions; configs round trip', async () => {
      const { x } = firstTokenTask(8, 4, 6, 22);
      const model = new pc.Sequential([
        pc.Input({ shape: [4], dtype: 'int32' }),
        new pc.Embedding({ inputDim: 6, outputDim: 3, embeddingsRegularizer: 'l2' }),
        new pc.LSTM(4, { returnSequences: true, unitForgetBias: false, recurrentInitializer: new pc.Orthogonal({ gain: 0.5, seed: 3 }) }),
        new pc.GRU(3, { returnSequences: true, resetAfter: false, recurrentActivation: 'tanh' }),
        new pc.SimpleRNN(2, { goBackwards: true, activation: 'relu', useBias: false }),
        new pc.Dense(1),
      ]);
      await expectSaveLoadRoundTrip(model, x, model.layers.slice(0, 4));
      x.dispose();
      model.dispose();
    });

    it('a training step leaves no tensor behind', () => {
      const model = new pc.Sequential([
        new pc.Embedding({ inputDim: 5, outputDim: 3, inputShape: [4] }),
        new pc.LSTM(3, { returnSequences: true }),
        new pc.GRU(2, { returnSequences: true }),
        new pc.SimpleRNN(2),
        new pc.Dense(1),
      ]);
      const x = pc.tensor([0, 1, 2, 3, 4, 3, 2, 1], [2, 4], 'int32');
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });
  });
}
