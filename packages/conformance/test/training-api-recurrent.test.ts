// SimpleRNN, LSTM, GRU and Embedding against float64 computations written here with plain loops
// from Keras 3's equations: values, gradients (central finite differences, through time),
// returned final states and given initial states, training with fit (an encoder–decoder too),
// saving, bad inputs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { builtLayer } from './recurrent-layer-setup.js';
import { recurrentReference, type RecurrentCase, type RecurrentResult, type Weights } from './recurrent-reference.js';

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

const recordError = errorRecorder('recurrent');

/** Initial states for the case, as the layer takes them: [h] or [h, c], each [batch, units], drawn from `seed` on. */
function drawStates(c: RecurrentCase, seed: number): number[][] {
  const count = c.kind === 'LSTM' ? 2 : 1;
  return Array.from({ length: count }, (_, k) => draws(c.shape[0] * c.units, seed + k, -0.9, 0.9));
}

/** What a layer with returnState returns, flattened in order: the output, then each final state. */
const flatResult = (r: RecurrentResult): number[] => [...r.output, ...r.states.flat()];

/** Sequences of `timesteps` tokens in [0, vocabulary) (int32), labelled with their first token. */
function firstTokenTask(n: number, timesteps: number, vocabulary: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const tokens = Int32Array.from({ length: n * timesteps }, () => Math.floor(generator.nextFloat() * vocabulary));
  const labels = Int32Array.from({ length: n }, (_, i) => tokens[i * timesteps]!);
  return { x: pc.tensor(tokens, [n, timesteps], 'int32'), y: pc.tensor(labels, [n], 'int32') };
}

/**
 * Encoder sequences [n, 5, 2] and decoder sequences [n, 3, 1] (normal draws), and targets
 * [n, 3, 1]: each decoder step's input times tanh(half the sum of the encoder's first feature).
 */
function encoderDecoderTask(n: number, seed: number): { x: pc.Tensor[]; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const encoder = Float32Array.from({ length: n * 5 * 2 }, () => generator.nextNormal());
  const decoder = Float32Array.from({ length: n * 3 }, () => generator.nextNormal());
  const scale = Array.from({ length: n }, (_, i) => Math.tanh(Array.from({ length: 5 }, (_, t) => encoder[(i * 5 + t) * 2]!).reduce((a, b) => a + b) / 2));
  const targets = decoder.map((d, i) => scale[Math.floor(i / 3)]! * d);
  return { x: [pc.tensor(encoder, [n, 5, 2]), pc.tensor(decoder, [n, 3, 1])], y: pc.tensor(targets, [n, 3, 1]) };
}

/** The classic encoder–decoder as a functional model: the encoder's final [h, c] start the decoder. */
function encoderDecoder() {
  const encoderIn = pc.Input({ shape: [5, 2], name: 'encoder_in' });
  const decoderIn = pc.Input({ shape: [3, 1], name: 'decoder_in' });
  const encoder = new pc.LSTM(8, { returnState: true, name: 'encoder' });
  const decoder = new pc.LSTM(8, { returnSequences: true, name: 'decoder' });
  const head = new pc.Dense(1, { name: 'head' });
  const [, h, c] = encoder.apply(encoderIn);
  expect([h, c].map((t) => [t.shape, t.index])).toEqual([[[null, 8], 1], [[null, 8], 2]]);
  const decoded = decoder.apply([decoderIn, h, c]);
  expect(decoded.shape).toEqual([null, 3, 8]);
  const model = new pc.Model({ inputs: [encoderIn, decoderIn], outputs: head.apply(decoded) });
  return { model, encoder, decoder, head };
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
        const want = recurrentReference(c, xValues, weights).output;
        recordError('forward values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel, recurrent kernel and bias match central finite differences', () => {
        const { layer, weights } = builtLayer(c);
        const x = pc.tensor(xValues, c.shape);
        const outputSize = recurrentReference(c, xValues, weights).output.length;
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
        const output = (moved: Partial<Weights>, input = xValues) => recurrentReference(c, input, { ...weights, ...moved }).output;
        const want = [
          finiteDifferences(xValues, w, (moved) => output({}, moved)),
          finiteDifferences(weights.kernel, w, (kernel) => output({ kernel })),
          finiteDifferences(weights.recurrent, w, (recurrent) => output({ recurrent })),
          ...(weights.bias ? [finiteDifferences(weights.bias, w, (bias) => output({ bias }))] : []),
        ];
        ['input', 'kernel', 'recurrent kernel', 'bias'].slice(0, want.length).forEach((name, k) => {
          const values = got[k] ?? new Array<number>(want[k]!.length).fill(0);
          recordError(`gradient w.r.t. ${name}`, values, want[k]!);
          expectClose(values, want[k]!, 1e-4, 2e-5);
        });
        x.dispose();
        layer.dispose();
      });

      it('returnState: the output and final states, from zeros and from given initial states, match the float64 recurrence', () => {
        const { layer, weights } = builtLayer(c, true);
        const [batch, timesteps, features] = c.shape;
        const x = pc.tensor(xValues, c.shape);
        for (const initial of [[], drawStates(c, 7)]) {
          const states = initial.map((values) => pc.tensor(values, [batch, c.units]));
          const returned = pc.tidy(() => layer.apply(states.length > 0 ? [x, ...states] : x));
          const want = recurrentReference(c, xValues, weights, initial);
          expect(returned.map((t) => t.shape)).toEqual([c.config.returnSequences ? [batch, timesteps, c.units] : [batch, c.units], ...want.states.map(() => [batch, c.units])]);
          const symbolicInputs = [[null, timesteps, features], ...states.map(() => [null, c.units])];
          expect(layer.computeOutputShape(states.length > 0 ? symbolicInputs : symbolicInputs[0]!)).toEqual(returned.map((t) => [null, ...t.shape.slice(1)]));
          const [output, ...finalStates] = returned.map((t) => t.dataSync());
          recordError(`returnState output${initial.length > 0 ? ' from initial states' : ''}`, output!, want.output);
          expectClose(output!, want.output, 1e-5, 1e-6);
          finalStates.forEach((values, k) => {
            recordError(`returnState final states${initial.length > 0 ? ' from initial states' : ''}`, values, want.states[k]!);
            expectClose(values, want.states[k]!, 1e-5, 1e-6);
          });
          pc.dispose([...states, ...returned]);
        }
        x.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. the input and the initial states, through the output and the returned states, match central finite differences', () => {
        const { layer, weights } = builtLayer(c, true);
        const initial = drawStates(c, 7);
        const x = pc.tensor(xValues, c.shape);
        const states = initial.map((values) => pc.tensor(values, [c.shape[0], c.units]));
        const w = draws(flatResult(recurrentReference(c, xValues, weights, initial)).length, 2, -1, 1);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          [x, ...states].forEach((t) => tape.watch(t));
          // Without returnSequences the output is h itself, so h's gradient gathers both uses.
          const loss = tape.record(() => pc.sum(pc.mul(pc.concat(layer.apply([x, ...states]).map((t) => pc.reshape(t, [-1]))), pc.tensor(w))));
          return tape.gradient(loss, [x, ...states]).map((g) => Array.from(g!.dataSync()));
        });
        const want = [
          finiteDifferences(xValues, w, (moved) => flatResult(recurrentReference(c, moved, weights, initial))),
          ...initial.map((values, k) => finiteDifferences(values, w, (moved) => flatResult(recurrentReference(c, xValues, weights, initial.map((other, j) => (j === k ? moved : other)))))),
        ];
        ['input', 'initial h', 'initial c'].slice(0, want.length).forEach((name, k) => {
          recordError(`gradient w.r.t. ${name === 'input' ? 'input, through returned states' : name}`, got[k]!, want[k]!);
          expectClose(got[k]!, want[k]!, 1e-4, 2e-5);
        });
        pc.dispose([x, ...states]);
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
    }, TRAINING_TIMEOUT);

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
    }, TRAINING_TIMEOUT);

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

    it("an encoder–decoder, the encoder LSTM's final states starting the decoder LSTM, learns with fit, as the layers applied by hand compute it, and saves and loads", async () => {
      const { x, y } = encoderDecoderTask(96, 41);
      const { model, encoder, decoder, head } = encoderDecoder();
      const lines: string[] = [];
      model.summary((line) => lines.push(line), { lineLength: 150, positions: [0.2, 0.45, 0.55, 1] });
      expect(lines.find((line) => line.startsWith('│ encoder (LSTM)'))).toContain('[(None, 8), (None, 8), (None, 8)]');
      expect(lines.find((line) => line.startsWith('│ decoder (LSTM)'))).toContain('decoder_in[0][0], encoder[0][1], encoder[0][2]');
      // The graph replays what the layers compute on real tensors.
      const [predicted, byHand] = [model.predict(x) as pc.Tensor, pc.tidy(() => {
        const [, h, c] = encoder.apply(x[0]!);
        return head.apply(decoder.apply([x[1]!, h, c]));
      })];
      expect(Array.from(predicted.dataSync())).toEqual(Array.from(byHand.dataSync()));

      model.compile({ optimizer: new pc.Adam({ learningRate: 0.03 }), loss: 'mse' });
      const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
      // The target scales each decoder input by a sum over the encoder's sequence: only the
      // states carry that across, so the loss falls this far only if they and their gradients do.
      const losses = history.history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.1 * losses[0]!);

      const store = pc.memoryStore();
      await model.save(store);
      const loaded = await pc.loadModel(store);
      expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
      const [before, after] = [model.predict(x) as pc.Tensor, loaded.predict(x) as pc.Tensor];
      expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
      pc.dispose([...x, y, predicted, byHand, before, after]);
      model.dispose();
      loaded.dispose();
    }, TRAINING_TIMEOUT);

    it('a training step through layers that hand their states on leaves no tensor behind', () => {
      const input = pc.Input({ shape: [4, 2] });
      const [sequence, h] = new pc.LSTM(3, { returnSequences: true, returnState: true }).apply(input);
      const [, last] = new pc.GRU(3, { returnState: true }).apply([sequence, h]);
      const model = new pc.Model({ inputs: input, outputs: new pc.Dense(1).apply(last) });
      const x = pc.tensor(draws(2 * 4 * 2, 8, -1, 1), [2, 4, 2]);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });

    it('wrong initial states are errors naming the layer, what it expected and what it got, and leave it unbuilt', () => {
      const x = pc.ones([2, 3, 4]);
      const [h2, h3, wide] = [pc.ones([2, 2]), pc.ones([3, 2]), pc.ones([2, 3])];
      expect(() => new pc.LSTM(2, { name: 'l' }).apply([x, h2])).toThrow("LSTM 'l': expected 2 initial states (h, c) after the sequence, or none, got 1");
      expect(() => new pc.GRU(2, { name: 'g' }).apply([x, h2, h2])).toThrow("GRU 'g': expected 1 initial state (h) after the sequence, or none, got 2");
      expect(() => new pc.SimpleRNN(2, { name: 's' }).apply([x, wide])).toThrow("SimpleRNN 's': expected initial state h of shape [batch, units] = [2,2], got [2,3]");
      const l2 = new pc.LSTM(2, { name: 'l2' });
      expect(() => l2.apply([x, h2, h3])).toThrow("LSTM 'l2': expected initial state c of shape [batch, units] = [2,2], got [3,2]");
      expect(l2.built).toBe(false);
      expect(() => new pc.LSTM(2, { name: 'k' }).apply(x, { initialState: [h2, h2] })).toThrow("LSTM 'k': expected the initial states in the inputs list, apply([sequence, h, c]), got them as kwargs.initialState");
      const built = new pc.GRU(2, { name: 'b' });
      pc.tidy(() => built.apply(x));
      expect(() => built.apply([pc.ones([2, 3, 5]), h2])).toThrow("Layer 'b': expected inputs with last dimension 4 (it was built for shape [-1,3,4]), got last dimension 5 (shape [2,3,5])");
      // On symbolic tensors the batch is unknown; the error comes when the call is recorded.
      const [sequence, state] = [pc.Input({ shape: [3, 4] }), pc.Input({ shape: [5] })];
      expect(() => new pc.GRU(2, { name: 'sg' }).apply([sequence, state])).toThrow("GRU 'sg': expected initial state h of shape [batch, units] = [-1,2] (-1: any), got [-1,5] (-1: any)");
      expect(() => new pc.Sequential([pc.Input({ shape: [3, 4] }), new pc.GRU(2, { name: 'gs', returnState: true })]))
        .toThrow("expected layer 'gs' to return one tensor, got a list of 2; use a functional model (new Model({inputs, outputs})) for layers of several outputs");
      pc.dispose([x, h2, h3, wide]);
      built.dispose();
    });
  });
}
