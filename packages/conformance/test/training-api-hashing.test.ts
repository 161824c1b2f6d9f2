// Keras 3's Hashing on integers against the bins Keras's own tests publish
// (keras/src/layers/preprocessing/hashing_test.py: test_hash_dense_int_input_farmhash,
// test_hash_dense_int_input_siphash, test_tensor_like_inputs, test_hash_list_input,
// test_one_hot_output, test_multi_hot_output and test_count_output), the salt given as one
// integer, the mask's bin 0 and shift, the encodings against loops over the 'int'
// bins, a model Hashing → Embedding → Dense trained, saved and loaded, a Keras 3 model.json read,
// and bad settings named. The hashes themselves are checked against published 64-bit values in
// packages/core/test/string-hash.test.ts; IntegerLookup's oovMethod 'farmhash' is checked here too.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

function run(layer: pc.Layer, x: pc.Tensor): { values: number[]; dtype: string; shape: number[] } {
  const y = layer.apply(x) as pc.Tensor;
  const result = { values: Array.from(y.dataSync()), dtype: y.dtype, shape: [...y.shape] };
  y.dispose();
  return result;
}

const ints = (values: readonly number[], shape: number[]): pc.Tensor => pc.tensor(values, shape, 'int32');

/** Bins of `values` by `layer`, read back. */
function binsOf(layer: pc.Layer, values: readonly number[]): number[] {
  const x = ints(values, [values.length]);
  const { values: bins } = run(layer, x);
  x.dispose();
  return bins;
}

for (const backend of MODEL_BACKENDS) {
  describe(`Hashing on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(13);
    });

    it("gives the bins Keras's tests publish: FarmHash, SipHash with a salt pair or one integer, and a mask in bin 0", () => {
      const x = ints([0, 1, 2, 3, 4], [5, 1]);
      expect(run(new pc.Hashing({ numBins: 3 }), x)).toEqual({ values: [1, 0, 1, 0, 2], dtype: 'int32', shape: [5, 1] });
      expect(run(new pc.Hashing({ numBins: 3, salt: [133, 137] }), x).values).toEqual([1, 1, 2, 0, 1]);
      expect(binsOf(new pc.Hashing({ numBins: 2 }), [1, 2, 3, 4])).toEqual([1, 1, 1, 1]);
      const many = [0, 1, 2, 3, 4, -1, 2147483647, -2147483648];
      expect(binsOf(new pc.Hashing({ numBins: 1000, salt: 133 }), many)).toEqual(binsOf(new pc.Hashing({ numBins: 1000, salt: [133, 133] }), many));
      expect(binsOf(new pc.Hashing({ numBins: 1000, salt: 133 }), many)).not.toEqual(binsOf(new pc.Hashing({ numBins: 1000 }), many));
      expect(run(new pc.Hashing({ numBins: 2 }), ints([1, 2, 2, 3, 3, 4], [3, 2, 1])).values).toEqual([1, 1, 1, 1, 1, 1]);
      expect(binsOf(new pc.Hashing({ numBins: 1 }), [0, 5, -7])).toEqual([0, 0, 0]);
      // A mask takes bin 0; the other values hash into numBins − 1 bins, shifted up by one.
      const unmasked = binsOf(new pc.Hashing({ numBins: 3 }), [0, 1, 2, 3, 4]);
      const masked = binsOf(new pc.Hashing({ numBins: 4, maskValue: 2 }), [0, 1, 2, 3, 4]);
      expect(masked).toEqual(unmasked.map((b, i) => (i === 2 ? 0 : b + 1)));
      expect(binsOf(new pc.Hashing({ numBins: 1, maskValue: 2 }), [2, 3])).toEqual([0, 0]);
      x.dispose();
    });

    it("encodes as Keras's tests show: one-hot, multi-hot and counts of a rank-1 and a rank-2 input", () => {
      const oneHot = run(new pc.Hashing({ numBins: 3, outputMode: 'one_hot' }), ints([0, 1, 2, 3, 4], [5, 1]));
      expect(oneHot).toEqual({ values: [0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1], dtype: 'float32', shape: [5, 3] });
      expect(run(new pc.Hashing({ numBins: 3, outputMode: 'multi_hot' }), ints([0, 1, 2, 3, 4], [1, 5]))).toEqual({ values: [1, 1, 1], dtype: 'float32', shape: [1, 3] });
      const count = new pc.Hashing({ numBins: 3, outputMode: 'count' });
      expect(run(count, ints([0, 1, 2, 3, 4], [5]))).toEqual({ values: [2, 2, 1], dtype: 'float32', shape: [3] });
      expect(run(count, ints([0, 1, 2, 3, 4], [1, 5])).values).toEqual([2, 2, 1]);
      expect(count.computeOutputShape([null, 5])).toEqual([null, 3]);
    });

    it('encodings of many values (int32 and whole float32, negative too) follow the int bins, counted by loops', () => {
      const values = draws(40, 5, -100000, 100000).map(Math.floor);
      const intBins = binsOf(new pc.Hashing({ numBins: 7, maskValue: values[3]!, salt: 99 }), values);
      expect(intBins.every((b) => b >= 0 && b < 7)).toBe(true);
      expect(new Set(intBins).size).toBeGreaterThan(4);
      const counts = Array.from({ length: 4 }, (_, r) => Array.from({ length: 7 }, (_, k) => intBins.slice(r * 10, r * 10 + 10).filter((b) => b === k).length));
      const layer = new pc.Hashing({ numBins: 7, maskValue: values[3]!, salt: 99, outputMode: 'count' });
      for (const dtype of ['int32', 'float32'] as const) {
        const x = pc.tensor(values, [4, 10], dtype);
        expect(run(layer, x)).toEqual({ values: counts.flat(), dtype: 'float32', shape: [4, 7] });
        x.dispose();
      }
    });

    it('a model Hashing → Embedding → Dense trains with fit, saves and loads, and leaks nothing', async () => {
      const ids = draws(64, 17, 0, 1000).map(Math.floor);
      const hashing = new pc.Hashing({ numBins: 16, salt: [5, 6], name: 'buckets' });
      const bins = binsOf(hashing, ids);
      const x = ints(ids, [64, 1]);
      const y = pc.tensor(bins.map((b) => (b % 2 === 0 ? 1 : 0)), [64, 1]);
      const model = new pc.Sequential([pc.Input({ shape: [1], dtype: 'int32' }), hashing, new pc.Embedding({ inputDim: 16, outputDim: 2 }), new pc.Flatten(), new pc.Dense(1, { activation: 'sigmoid' })]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
      expect(history.history.accuracy!.at(-1)).toBe(1);
      expect(hashing.getConfig()).toMatchObject({ numBins: 16, salt: [5, 6], maskValue: null, outputMode: 'int', sparse: false });
      await expectSaveLoadRoundTrip(model, x, [hashing]);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    });

    it('reads a Keras 3 model.json: Hashing (salt, mask_value, one_hot) → Dense, with its weights', async () => {
      const [kernel, bias] = [draws(5, 71, -1, 1), draws(1, 72, -0.5, 0.5)];
      const model = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'ids', shape: [1], dtype: 'int32' }],
        layers: [
          { className: 'Hashing', name: 'hash', reads: [{ layer: 'ids', shape: [null, 1], dtype: 'int32' }], config: { dtype: 'float32', num_bins: 5, salt: [133, 137], mask_value: 0, output_mode: 'one_hot', sparse: false } },
          {
            className: 'Dense', name: 'score', reads: [{ layer: 'hash', shape: [null, 5] }],
            config: {
              units: 1, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
              kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
            },
          },
        ],
        weights: [{ name: 'score/kernel', shape: [5, 1], values: kernel }, { name: 'score/bias', shape: [1], values: bias }],
      }));
      const hashing = model.layers.find((l) => l instanceof pc.Hashing)!;
      expect(hashing.getConfig()).toMatchObject({ numBins: 5, salt: [133, 137], maskValue: 0, outputMode: 'one_hot' });
      const ids = [0, 1, 2, 3, 4];
      const bins = binsOf(new pc.Hashing({ numBins: 5, salt: [133, 137], maskValue: 0 }), ids);
      const x = ints(ids, [5, 1]);
      const y = model.predict(x) as pc.Tensor;
      expectClose(y.dataSync(), bins.map((b) => kernel[b]! + bias[0]!), 1e-6, 1e-6);
      pc.dispose([x, y]);
      model.dispose();
    });

    it("IntegerLookup's oovMethod 'farmhash' spreads OOV tokens by the same hash, past the mask index", () => {
      const tokens = [0, 1, 2, 3, 4];
      const lookup = new pc.IntegerLookup({ vocabulary: [100, 200], numOovIndices: 3, maskToken: -5, oovMethod: 'farmhash' });
      const hashed = binsOf(new pc.Hashing({ numBins: 3 }), tokens);
      expect(binsOf(lookup, [...tokens, 200, -5])).toEqual([...hashed.map((b) => b + 1), 5, 0]);
      expect(lookup.getConfig().oovMethod).toBe('farmhash');
    });

    it('names bad settings and inputs', () => {
      expect(() => new pc.Hashing({ numBins: 0 })).toThrow('Hashing: numBins must be a positive integer, got 0');
      expect(() => new pc.Hashing({ numBins: 2, salt: [1] as never })).toThrow('Hashing: salt must be an integer or a list of two integers (the SipHash key), got [1]');
      expect(() => new pc.Hashing({ numBins: 2, salt: 'pepper' as never })).toThrow('Hashing: salt must be an integer or a list of two integers (the SipHash key), got "pepper"');
      expect(() => new pc.Hashing({ numBins: 2, maskValue: '' as never })).toThrow('Hashing: maskValue must be an int32 integer (or null), got ""');
      expect(() => new pc.Hashing({ numBins: 2, outputMode: 'tf_idf' as never })).toThrow("Hashing: outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count', got \"tf_idf\"");
      expect(() => new pc.Hashing({ numBins: 2, outputMode: 'count', sparse: true })).toThrow('Hashing: sparse must be false, got true');
      const x = pc.tensor([1, 2.5], [2]);
      expect(() => run(new pc.Hashing({ numBins: 2, name: 'h' }), x)).toThrow("Hashing 'h': inputs must be int32 (or float32 holding whole numbers in int32's range), got float32 2.5 at flat index 1 of shape [2]");
      x.dispose();
    });
  });
}
