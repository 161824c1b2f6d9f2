// Inputs of unknown length, as Keras's `Input(shape=(None, 8))`: symbolic shapes through the
// sequence layers (expected shapes written by hand from Keras's rules), predict / fit / evaluate
// on batches of different lengths (against the layers applied directly and a float64 SimpleRNN
// loop), saving, Keras JSON, the summary, and the errors for a layer that needs the length.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws } from './training-api-layer-checks.js';
import { keras3Files } from './keras3-files.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

/** Token ids `[batch, length]`, drawn in [0, vocabulary). */
function tokens(batch: number, length: number, vocabulary: number, seed: number): pc.Tensor {
  return pc.tensor(draws(batch * length, seed, 0, vocabulary).map(Math.floor), [batch, length], 'int32');
}

/** Keras's SimpleRNN in float64: h_t = tanh(x_t·W + h_{t-1}·U + b), h_0 = 0; the last h per sample. */
function simpleRnnReference(x: readonly number[], [batch, steps, features]: readonly number[], kernel: readonly number[], recurrent: readonly number[], bias: readonly number[]): number[] {
  const units = bias.length;
  return Array.from({ length: batch! }, (_, b) => {
    let h = new Array<number>(units).fill(0);
    for (let t = 0; t < steps!; t++) {
      h = h.map((_, j) => {
        let z = bias[j]!;
        for (let f = 0; f < features!; f++) z += x[(b * steps! + t) * features! + f]! * kernel[f * units + j]!;
        for (let k = 0; k < units; k++) z += h[k]! * recurrent[k * units + j]!;
        return Math.tanh(z);
      });
    }
    return h;
  }).flat();
}

for (const backend of MODEL_BACKENDS) {
  describe(`Input of unknown length on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(20261130);
    });

    it("gives each layer Keras's symbolic shape: null where the length goes through", () => {
      const tokenIds = pc.Input({ shape: [null], dtype: 'int32' });
      const sequence = pc.Input({ shape: [null, 8] });
      expect(tokenIds.shape).toEqual([null, null]);
      expect(sequence.shape).toEqual([null, null, 8]);
      const cases: [string, pc.Layer, pc.SymbolicTensor, (number | null)[]][] = [
        ['Embedding', new pc.Embedding({ inputDim: 10, outputDim: 4 }), tokenIds, [null, null, 4]],
        ['LSTM sequences', new pc.LSTM(3, { returnSequences: true }), sequence, [null, null, 3]],
        ['LSTM', new pc.LSTM(3), sequence, [null, 3]],
        ['GRU sequences', new pc.GRU(3, { returnSequences: true }), sequence, [null, null, 3]],
        ['GRU', new pc.GRU(3), sequence, [null, 3]],
        ['SimpleRNN sequences', new pc.SimpleRNN(3, { returnSequences: true }), sequence, [null, null, 3]],
        ['SimpleRNN', new pc.SimpleRNN(3), sequence, [null, 3]],
        ["Conv1D 'same'", new pc.Conv1D(5, 3, { padding: 'same' }), sequence, [null, null, 5]],
        ["Conv1D 'valid'", new pc.Conv1D(5, 3), sequence, [null, null, 5]],
        ['GlobalAveragePooling1D', new pc.GlobalAveragePooling1D(), sequence, [null, 8]],
        ['GlobalMaxPooling1D', new pc.GlobalMaxPooling1D(), sequence, [null, 8]],
        ['TimeDistributed(Dense)', new pc.TimeDistributed(new pc.Dense(2)), sequence, [null, null, 2]],
        ['Masking', new pc.Masking(), sequence, [null, null, 8]],
        ['Dropout', new pc.Dropout(0.5), sequence, [null, null, 8]],
        ['Dense', new pc.Dense(2), sequence, [null, null, 2]],
        // Keras's Flatten: the product of the feature dims, unknown when one of them is.
        ['Flatten', new pc.Flatten(), sequence, [null, null]],
      ];
      for (const [name, layer, input, want] of cases) expect((layer.apply(input) as pc.SymbolicTensor).shape, name).toEqual(want);
    });

    it('maps the stand-in length back to null in the default computeOutputShape (a custom layer)', () => {
      /** Repeats each step twice along the time axis, and adds a fixed axis of 3: [b, t, f] → [b, 2t, f, 3]. */
      class RepeatSteps extends pc.Layer {
        override call(inputs: pc.Tensor | pc.Tensor[]): pc.Tensor {
          const x = inputs as pc.Tensor;
          const twice = pc.concat([x, x], 1);
          return pc.stack([twice, twice, twice], 3);
        }
      }
      const sequence = pc.Input({ shape: [null, 2] });
      const out = new RepeatSteps().apply(sequence) as pc.SymbolicTensor;
      expect(out.shape).toEqual([null, null, 2, 3]);
      expect(new RepeatSteps().computeOutputShape([null, 5, 2])).toEqual([null, 10, 2, 3]);
    });

    it('predicts batches of length 3 and 7 as the layers applied directly and as the float64 SimpleRNN loop', () => {
      const tokenIds = pc.Input({ shape: [null], dtype: 'int32' });
      const embedding = new pc.Embedding({ inputDim: 10, outputDim: 4 });
      const lstm = new pc.LSTM(3);
      const dense = new pc.Dense(2);
      const model = new pc.Model({ inputs: tokenIds, outputs: dense.apply(lstm.apply(embedding.apply(tokenIds))) });
      for (const length of [3, 7]) {
        const x = tokens(2, length, 10, length);
        const y = model.predict(x) as pc.Tensor;
        expect(y.shape).toEqual([2, 2]);
        const direct = pc.tidy(() => dense.apply(lstm.apply(embedding.apply(x))));
        expectClose(y.dataSync(), direct.dataSync(), 1e-6, 1e-7);
        // Each sequence alone gives its row of the batch.
        for (let b = 0; b < 2; b++) {
          const one = pc.tidy(() => model.predict(pc.slice(x, [b, 0], [1, length])) as pc.Tensor);
          expectClose(one.dataSync(), Array.from(y.dataSync()).slice(b * 2, b * 2 + 2), 1e-5, 1e-6);
          one.dispose();
        }
        pc.dispose([x, y, direct]);
      }

      const sequence = pc.Input({ shape: [null, 2] });
      const rnn = new pc.SimpleRNN(3);
      const rnnModel = new pc.Model({ inputs: sequence, outputs: rnn.apply(sequence) });
      const [kernel, recurrent, bias] = rnn.weights.map((w) => Array.from(w.dataSync()));
      for (const length of [3, 7]) {
        const values = draws(2 * length * 2, 40 + length, -1, 1);
        const x = pc.tensor(values, [2, length, 2]);
        const y = rnnModel.predict(x) as pc.Tensor;
        expectClose(y.dataSync(), simpleRnnReference(values, [2, length, 2], kernel!, recurrent!, bias!), 1e-5, 1e-6);
        pc.dispose([x, y]);
      }
      model.dispose();
      rnnModel.dispose();
    });

    it('fits and evaluates on batches of different lengths, and the loss falls', async () => {
      const tokenIds = pc.Input({ shape: [null], dtype: 'int32' });
      const read = new pc.LSTM(4).apply(new pc.Embedding({ inputDim: 6, outputDim: 4 }).apply(tokenIds));
      const model = new pc.Model({ inputs: tokenIds, outputs: new pc.Dense(1, { activation: 'sigmoid' }).apply(read) });
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
      // The label: whether token 5 occurs in the sequence.
      const data = [3, 7].map((length) => {
        const x = tokens(16, length, 6, 100 + length);
        const ids = Array.from(x.dataSync());
        const y = pc.tensor(Array.from({ length: 16 }, (_, b) => (ids.slice(b * length, (b + 1) * length).includes(5) ? 1 : 0)), [16, 1]);
        return { x, y };
      });
      const lossOf = async (): Promise<number[]> => Promise.all(data.map(async ({ x, y }) => ((await model.evaluate(x, y, { verbose: 0 })) as number[])[0]!));
      const before = await lossOf();
      for (let round = 0; round < 15; round++) for (const { x, y } of data) await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      const after = await lossOf();
      expect(after[0]!).toBeLessThan(before[0]! * 0.8);
      expect(after[1]!).toBeLessThan(before[1]! * 0.8);
      for (const { x, y } of data) pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('saves and loads with the unknown length kept, for a functional model and a Sequential of inputShape [null, 2]', async () => {
      const tokenIds = pc.Input({ shape: [null], dtype: 'int32' });
      const model = new pc.Model({ inputs: tokenIds, outputs: new pc.GRU(3).apply(new pc.Embedding({ inputDim: 10, outputDim: 4 }).apply(tokenIds)) });
      const sequential = new pc.Sequential([new pc.Conv1D(4, 3, { inputShape: [null, 2] }), new pc.GlobalMaxPooling1D(), new pc.Dense(1)]);
      for (const [m, x] of [[model, tokens(2, 5, 10, 9)], [sequential, pc.tensor(draws(2 * 6 * 2, 11, -1, 1), [2, 6, 2])]] as const) {
        const store = pc.memoryStore();
        await m.save(store);
        const json = JSON.parse(new TextDecoder().decode(store.files.get('model.json')!)) as { config: { layers: { config: { batchInputShape?: unknown } }[] } };
        expect(json.config.layers[0]!.config.batchInputShape).toEqual(m === model ? [null, null] : [null, null, 2]);
        const loaded = await pc.loadModel(store);
        const [before, after] = [m.predict(x) as pc.Tensor, loaded.predict(x) as pc.Tensor];
        expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
        pc.dispose([x, before, after]);
        loaded.dispose();
        m.dispose();
      }
    });

    it("loads Keras 3's batch_shape [null, null, 2] and Keras 2's batch_input_shape [null, null, 2]", async () => {
      const kernel = [0.5, -1, 2, 0.25];
      const bias = [0.1, -0.2];
      const keras3 = keras3Files({
        inputs: [{ name: 'steps', shape: [null, 2] }],
        layers: [
          { className: 'GlobalAveragePooling1D', name: 'pool', config: { data_format: 'channels_last', keepdims: false } },
          { className: 'Dense', name: 'scores', config: { units: 2, activation: 'linear', use_bias: true }, built: true, reads: [{ layer: 'pool', shape: [null, 2] }] },
        ],
        weights: [{ name: 'scores/kernel', shape: [2, 2], values: kernel }, { name: 'scores/bias', shape: [2], values: bias }],
      });
      const store = pc.memoryStore();
      store.files.set('model.json', new TextEncoder().encode(JSON.stringify({
        format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter',
        modelTopology: {
          keras_version: '2.15.0', backend: 'tensorflow', model_config: {
            class_name: 'Sequential', config: {
              name: 'sequential', layers: [
                { class_name: 'GlobalAveragePooling1D', config: { name: 'pool', trainable: true, dtype: 'float32', batch_input_shape: [null, null, 2], data_format: 'channels_last', keepdims: false } },
                { class_name: 'Dense', config: { name: 'scores', trainable: true, dtype: 'float32', units: 2, activation: 'linear', use_bias: true, kernel_initializer: { class_name: 'Zeros', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
              ],
            },
          },
        },
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'scores/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'scores/bias', shape: [2], dtype: 'float32' }] }],
      })));
      store.files.set('group1-shard1of1.bin', new Uint8Array(Float32Array.from([...kernel, ...bias]).buffer));
      for (const files of [keras3, store]) {
        const model = await pc.loadLayersModel(files);
        for (const length of [1, 4]) {
          const values = draws(length * 2, length, -2, 2);
          const x = pc.tensor(values, [1, length, 2]);
          const mean = [0, 1].map((f) => values.filter((_, i) => i % 2 === f).reduce((s, v) => s + v, 0) / length);
          const want = [0, 1].map((j) => bias[j]! + mean[0]! * kernel[j]! + mean[1]! * kernel[2 + j]!);
          const y = model.predict(x) as pc.Tensor;
          expectClose(y.dataSync(), want, 1e-5, 1e-6);
          pc.dispose([x, y]);
        }
        model.dispose();
      }
    });

    it('prints None for the unknown length in the summary, after predicting on data too', () => {
      const tokenIds = pc.Input({ shape: [null], dtype: 'int32', name: 'tokens' });
      const model = new pc.Model({ inputs: tokenIds, outputs: new pc.LSTM(3, { returnSequences: true, name: 'read' }).apply(new pc.Embedding({ inputDim: 10, outputDim: 4, name: 'embed' }).apply(tokenIds)) });
      const sequential = new pc.Sequential([new pc.Conv1D(4, 3, { inputShape: [null, 2], name: 'conv' }), new pc.GlobalMaxPooling1D({ name: 'pool' })]);
      const x = tokens(1, 6, 10, 3);
      pc.dispose([model.predict(x) as pc.Tensor, x]);
      const rowOf = (m: pc.Model, name: string): string => {
        const lines: string[] = [];
        m.summary((line) => lines.push(line));
        return lines.find((line) => line.includes(`${name} (`))!;
      };
      expect(rowOf(model, 'tokens')).toContain('(None, None)');
      expect(rowOf(model, 'embed')).toContain('(None, None, 4)');
      expect(rowOf(model, 'read')).toContain('(None, None, 3)');
      expect(rowOf(sequential, 'conv')).toContain('(None, None, 4)');
      expect(rowOf(sequential, 'pool')).toContain('(None, 4)');
      model.dispose();
      sequential.dispose();
    });

    it('refuses a layer whose weights span an unknown last dimension (Dense, LSTM, Conv1D), and bad shapes, naming them', () => {
      const sequence = pc.Input({ shape: [null, 8] });
      const flat = new pc.Flatten().apply(sequence) as pc.SymbolicTensor;
      expect(() => new pc.Dense(2, { name: 'head' }).apply(flat)).toThrow("Dense 'head': the last dimension of its input must be known (its weights span it), got (None, None)");
      const unknownFeatures = pc.Input({ shape: [null, null] });
      expect(() => new pc.LSTM(4, { name: 'reader' }).apply(unknownFeatures)).toThrow("LSTM 'reader': the last dimension of its input must be known (its weights span it), got (None, None, None)");
      expect(() => new pc.Conv1D(4, 3, { name: 'conv' }).apply(unknownFeatures)).toThrow("Conv1D 'conv': the last dimension of its input must be known (its weights span it), got (None, None, None)");
      // An Embedding's weights do not span its input's last axis (the tokens): any length goes.
      expect((new pc.Embedding({ inputDim: 10, outputDim: 3 }).apply(pc.Input({ shape: [null] })) as pc.SymbolicTensor).shape).toEqual([null, null, 3]);
      expect(() => new pc.Sequential([new pc.Flatten({ inputShape: [null, 8] }), new pc.Dense(2, { name: 'head2' })])).toThrow("Dense 'head2': the last dimension of its input must be known");
      expect(() => pc.Input({ shape: [null, 0] })).toThrow('Input: expected shape to be an array of positive integers or null (unknown), without the batch dimension, got [null,0]');
      expect(() => pc.Input({ shape: [1.5] as number[] })).toThrow('got [1.5]');
    });
  });
}
