// Keras 3's IntegerLookup against a Map-based lookup written here and Keras's docstring examples
// worked by hand: the index layout (mask, OOV indices, tokens), OOV floormod, every output mode,
// tf-idf as log(1 + N / (1 + df)), adapt's frequency order and ties on a tensor and a batched
// Dataset, invert, a model IntegerLookup → Embedding → Dense trained, saved and loaded, a Keras 3
// model.json read, and bad settings named.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Mode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

interface Layout {
  vocabulary: readonly number[];
  numOov: number;
  mask: number | null;
  mode: Mode;
}

/** Keras's index of each token by a Map: [mask ('int' only)] [OOV × numOov] [vocabulary]; masked tokens in encodings are null (dropped). */
function indexReference(tokens: readonly number[], { vocabulary, numOov, mask, mode }: Layout): (number | null)[] {
  const oovStart = mask !== null && mode === 'int' ? 1 : 0;
  const slots = new Map(vocabulary.map((t, i) => [t, oovStart + numOov + i]));
  return tokens.map((t) => {
    if (t === mask) return mode === 'int' ? 0 : null;
    const slot = slots.get(t);
    if (slot !== undefined) return slot;
    return oovStart + (((t % numOov) + numOov) % numOov);
  });
}

/** The encoding of indices (rank-2 tokens [samples, perSample]) by loops; masked ones add nothing. */
function encodeReference(indices: readonly (number | null)[], perSample: number, mode: Exclude<Mode, 'int'>, depth: number, idf: readonly number[] = []): number[] {
  if (mode === 'one_hot') return indices.flatMap((i) => Array.from({ length: depth }, (_, k) => (k === i ? 1 : 0)));
  const values = new Array<number>((indices.length / perSample) * depth).fill(0);
  indices.forEach((i, at) => {
    if (i === null) return;
    const slot = Math.floor(at / perSample) * depth + i;
    values[slot] = mode === 'multi_hot' ? 1 : values[slot]! + 1;
  });
  return mode === 'tf_idf' ? values.map((c, k) => c * idf[k % depth]!) : values;
}

/** Tokens counted, most frequent first, ties to the larger token (Keras's order), special tokens left out. */
function frequencyOrder(tokens: readonly number[], special: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const t of tokens) if (!special.includes(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort(([a, ca], [b, cb]) => cb - ca || b - a).map(([t]) => t);
}

/** Keras's idf of each token over `documents` (lists of tokens): log(1 + N / (1 + documents holding it)). */
function idfReference(vocabulary: readonly number[], documents: readonly (readonly number[])[]): number[] {
  return vocabulary.map((t) => Math.log(1 + documents.length / (1 + documents.filter((d) => d.includes(t)).length)));
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** `count` whole numbers in [low, high), seeded. */
const integers = (count: number, seed: number, low: number, high: number): number[] => draws(count, seed, low, high).map(Math.floor);

function run(layer: pc.Layer, x: pc.Tensor): { values: number[]; dtype: string; shape: number[] } {
  const y = layer.apply(x) as pc.Tensor;
  const result = { values: Array.from(y.dataSync()), dtype: y.dtype, shape: [...y.shape] };
  y.dispose();
  return result;
}

const ints = (values: readonly number[], shape: number[]): pc.Tensor => pc.tensor(values, shape, 'int32');

for (const backend of MODEL_BACKENDS) {
  describe(`IntegerLookup on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(11);
    });

    it("gives Keras's docstring examples: lookup, OOV, mask, several OOV indices, adapt, tf-idf and invert", async () => {
      const vocabulary = [12, 36, 1138, 42];
      const data = ints([12, 1138, 42, 42, 1000, 36], [2, 3]);
      expect(run(new pc.IntegerLookup({ vocabulary }), data)).toEqual({ values: [1, 3, 4, 4, 0, 2], dtype: 'int32', shape: [2, 3] });
      const masked = ints([12, 1138, 42, 0, 1000, 36], [2, 3]);
      expect(run(new pc.IntegerLookup({ vocabulary, maskToken: 0 }), masked).values).toEqual([2, 4, 5, 0, 1, 3]);
      const twoOov = ints([12, 1138, 42, 37, 1000, 36], [2, 3]);
      expect(run(new pc.IntegerLookup({ vocabulary, numOovIndices: 2 }), twoOov).values).toEqual([2, 4, 5, 1, 0, 3]);
      const adapted = new pc.IntegerLookup();
      await adapted.adapt(data);
      expect(adapted.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
      expect(adapted.vocabularySize()).toBe(6);
      const tfIdf = new pc.IntegerLookup({ outputMode: 'tf_idf', vocabulary, idfWeights: [0.25, 0.75, 0.6, 0.4] });
      const documents = run(tfIdf, ints([12, 1138, 42, 42, 42, 7, 36, 7], [2, 4]));
      expectClose(documents.values, [0, 0.25, 0, 0.6, 0.8, 1, 0, 0.75, 0, 0.4], 1e-6, 1e-7);
      expect(documents.shape).toEqual([2, 5]);
      const inverse = new pc.IntegerLookup({ vocabulary, invert: true });
      expect(run(inverse, ints([1, 3, 4, 4, 0, 2], [2, 3]))).toEqual({ values: [12, 1138, 42, 42, -1, 36], dtype: 'int32', shape: [2, 3] });
      pc.dispose([data, masked, twoOov]);
    });

    it.each([
      { numOov: 1, mask: null, mode: 'int' }, { numOov: 3, mask: 0, mode: 'int' }, { numOov: 2, mask: null, mode: 'int' },
      { numOov: 1, mask: 0, mode: 'one_hot' }, { numOov: 2, mask: null, mode: 'multi_hot' }, { numOov: 3, mask: 0, mode: 'count' },
      { numOov: 2, mask: 0, mode: 'tf_idf' }, { numOov: 0, mask: 0, mode: 'count' },
    ] as { numOov: number; mask: number | null; mode: Mode }[])('numOovIndices $numOov, maskToken $mask, $mode: as the Map lookup gives, for int32 and whole float32 tokens', ({ numOov, mask, mode }) => {
      const vocabulary = [7, -3, 15, 4, 9, 22];
      // Tokens of the vocabulary, negative and positive OOV ones and the mask token (0); none OOV with numOovIndices 0.
      const pool = numOov === 0 ? [...vocabulary, 0] : [...vocabulary, 0, -5, -8, 1, 2, 30, 31];
      const tokens = integers(20, numOov * 7 + (mask ?? 5), 0, pool.length).map((k) => pool[k]!);
      const layout: Layout = { vocabulary, numOov, mask, mode };
      const weights = draws(vocabulary.length, 3, 0.1, 2).map(Math.fround);
      const layer = new pc.IntegerLookup({ vocabulary, numOovIndices: numOov, maskToken: mask, outputMode: mode, ...(mode === 'tf_idf' ? { idfWeights: weights } : {}) });
      const depth = (mask !== null && mode === 'int' ? 1 : 0) + numOov + vocabulary.length;
      const idf = [...Array<number>(depth - vocabulary.length).fill(mean(weights)), ...weights];
      const indices = indexReference(tokens, layout);
      const shape = mode === 'one_hot' ? [20, 1] : [4, 5];
      const want = mode === 'int' ? indices : encodeReference(indices, shape[1]!, mode, depth, idf);
      for (const dtype of ['int32', 'float32'] as const) {
        const x = pc.tensor(tokens, shape, dtype);
        const got = run(layer, x);
        expectClose(got.values, want as number[], 1e-6, 1e-6);
        expect(got.shape).toEqual(mode === 'int' ? shape : [shape[0]!, depth]);
        expect(got.dtype).toBe(mode === 'int' ? 'int32' : 'float32');
        x.dispose();
      }
      expect(layer.vocabularySize()).toBe(depth);
      expect(layer.getVocabulary()).toEqual([...(mask !== null && mode === 'int' ? [mask] : []), ...Array<number>(numOov).fill(-1), ...vocabulary]);
      expect(layer.getVocabulary(false)).toEqual(vocabulary);
    });

    it('one-hot of a rank-1 batch appends the vocabulary axis, a masked token giving a row of zeros; padToMaxTokens widens it', () => {
      const x = ints([5, 0, 6, 8], [4]);
      const got = run(new pc.IntegerLookup({ vocabulary: [5, 6], maskToken: 0, outputMode: 'one_hot' }), x);
      expect(got).toEqual({ values: [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0], dtype: 'float32', shape: [4, 3] });
      const padded = new pc.IntegerLookup({ vocabulary: [5, 6], maxTokens: 5, padToMaxTokens: true, outputMode: 'multi_hot' });
      expect(run(padded, ints([5, 8, 6, 6], [2, 2])).values).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
      expect(padded.computeOutputShape([null, 2])).toEqual([null, 5]);
      x.dispose();
    });

    it('adapt from a tensor: frequency order with ties to the larger token, maxTokens, and the mask and OOV tokens left out', async () => {
      const tokens = integers(60, 21, -4, 9);
      const x = ints(tokens, [12, 5]);
      const layer = new pc.IntegerLookup({ maskToken: 0, maxTokens: 7 });
      await layer.adapt(x);
      const order = frequencyOrder(tokens, [0, -1]);
      expect(layer.getVocabulary()).toEqual([0, -1, ...order.slice(0, 5)]);
      expect(run(layer, x).values).toEqual(indexReference(tokens, { vocabulary: order.slice(0, 5), numOov: 1, mask: 0, mode: 'int' }));
      // Ties: 3, 1 and 2 once each, 5 twice.
      const ties = new pc.IntegerLookup();
      const small = ints([1, 5, 3, 2, 5], [5]);
      await ties.adapt(small);
      expect(ties.getVocabulary(false)).toEqual([5, 3, 2, 1]);
      pc.dispose([x, small]);
    });

    it("adapt learns tf-idf: a rank-2 tensor's rows, a rank-1 tensor's tokens and a batched Dataset's batches are the documents; nothing leaks", async () => {
      const tokens = integers(24, 31, 0, 6);
      const rows = Array.from({ length: 6 }, (_, r) => tokens.slice(r * 4, r * 4 + 4));
      const check = async (data: pc.AdaptData, documents: number[][], shape: number[]) => {
        const layer = new pc.IntegerLookup({ outputMode: 'tf_idf' });
        await layer.adapt(data);
        const vocabulary = frequencyOrder(tokens, [-1]);
        expect(layer.getVocabulary(false)).toEqual(vocabulary);
        const idf = idfReference(vocabulary, documents);
        expectClose(layer.idfWeights!, [mean(idf), ...idf], 1e-6, 1e-7);
        const x = ints(tokens, shape);
        const want = encodeReference(indexReference(tokens, { vocabulary, numOov: 1, mask: null, mode: 'tf_idf' }), shape.at(-1)!, 'tf_idf', vocabulary.length + 1, [mean(idf), ...idf]);
        expectClose(run(layer, x).values, want, 1e-5, 1e-6);
        x.dispose();
      };
      const matrix = ints(tokens, [6, 4]);
      await check(matrix, rows, [6, 4]);
      const flat = ints(tokens, [24]);
      await check(flat, tokens.map((t) => [t]), [6, 4]);
      const before = pc.memory().numTensors;
      // Batches of 8 tokens of the flat tensor: each batch (rank 1) is one document.
      await check(pc.Dataset.fromTensorSlices(flat).batch(8), [0, 1, 2].map((b) => tokens.slice(b * 8, b * 8 + 8)), [6, 4]);
      await check(pc.Dataset.fromTensorSlices(matrix).batch(4), rows, [6, 4]);
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose([matrix, flat]);
    });

    it('invert undoes the lookup: vocabulary tokens come back, OOV indices give oovToken, index 0 the mask token', () => {
      const vocabulary = integers(8, 41, -50, 50).map((v, i) => v * 10 + i);
      const forward = new pc.IntegerLookup({ vocabulary, maskToken: 3, numOovIndices: 2 });
      const inverse = new pc.IntegerLookup({ vocabulary: forward.getVocabulary(false) as number[], maskToken: 3, numOovIndices: 2, oovToken: -7, invert: true });
      const tokens = [...vocabulary, 3, 12345, -999];
      const x = ints(tokens, [tokens.length]);
      const indices = forward.apply(x) as pc.Tensor;
      expect(run(inverse, indices).values).toEqual([...vocabulary, 3, -7, -7]);
      expect(run(inverse, ints([0, 1, 2, 3, 99], [5])).values).toEqual([3, -7, -7, vocabulary[0]!, -7]);
      pc.dispose([x, indices]);
    });

    it('a model IntegerLookup → Embedding → Dense trains with fit, saves and loads with its vocabulary, and leaks nothing', async () => {
      const lookup = new pc.IntegerLookup({ name: 'ids', maxTokens: 6 });
      const ids = integers(48, 51, 0, 8).map((k) => [100, 200, 300, 400, 500, 600, 700, 800][k]!);
      const x = ints(ids, [48, 1]);
      await lookup.adapt(x);
      const vocabulary = lookup.getVocabulary(false) as number[];
      expect(vocabulary).toEqual(frequencyOrder(ids, [-1]).slice(0, 5));
      // The class is whether the id is among the three most frequent: only the lookup's indices know that.
      const y = pc.tensor(ids.map((id) => (vocabulary.slice(0, 3).includes(id) ? 1 : 0)), [48, 1]);
      const model = new pc.Sequential([pc.Input({ shape: [1], dtype: 'int32' }), lookup, new pc.Embedding({ inputDim: 6, outputDim: 3 }), new pc.Flatten(), new pc.Dense(1, { activation: 'sigmoid' })]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
      expect(history.history.accuracy!.at(-1)).toBe(1);
      expect(history.history.loss!.at(-1)).toBeLessThan(history.history.loss![0]! / 2);
      expect(lookup.getConfig()).toMatchObject({ vocabulary: [-1, ...vocabulary], maxTokens: 6, numOovIndices: 1, oovToken: -1, maskToken: null, outputMode: 'int', vocabularySize: 6, hasInputVocabulary: false });
      await expectSaveLoadRoundTrip(model, x, [lookup]);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.optimizer?.dispose();
      model.dispose();
    });

    it('goes into a model before it is adapted, and with numOovIndices 0, as Keras traces it without looking up', async () => {
      const later = new pc.IntegerLookup({ name: 'later' });
      const model = new pc.Sequential([pc.Input({ shape: [3], dtype: 'int32' }), later]);
      const strict = new pc.IntegerLookup({ vocabulary: [4, 5], numOovIndices: 0, outputMode: 'multi_hot' });
      const input = pc.Input({ shape: [2], dtype: 'int32' });
      const encoder = new pc.Model({ inputs: input, outputs: strict.apply(input) });
      const x = ints([9, 8, 9, 7, 9, 8], [2, 3]);
      await later.adapt(x);
      const y = model.predict(x) as pc.Tensor;
      expect(Array.from(y.dataSync())).toEqual([1, 2, 1, 3, 1, 2]);
      const pairs = ints([5, 5, 4, 5], [2, 2]);
      const encoded = encoder.predict(pairs) as pc.Tensor;
      expect(Array.from(encoded.dataSync())).toEqual([0, 1, 1, 1]);
      pc.dispose([x, y, pairs, encoded]);
      model.dispose();
      encoder.dispose();
    });

    it('a tf-idf layer comes back from its config with its vocabulary and weights, and can still adapt', async () => {
      const layer = new pc.IntegerLookup({ outputMode: 'tf_idf', name: 'weighted' });
      const x = ints([4, 4, 9, 2, 9, 9, 4, 1], [2, 4]);
      await layer.adapt(x);
      const again = pc.deserializeLayer(pc.serializeLayer(layer)) as pc.IntegerLookup;
      expect(again.getConfig()).toEqual(layer.getConfig());
      expect(run(again, x).values).toEqual(run(layer, x).values);
      await again.adapt(ints([1, 2, 4, 9], [1, 4]));
      expect(again.getVocabulary(false)).toEqual([9, 4, 2, 1]);
      x.dispose();
    });

    it('reads a Keras 3 model.json: IntegerLookup with its vocabulary in the config → Embedding → Dense, with their weights', async () => {
      const [embeddings, kernel, bias] = [draws(10, 61, -1, 1), draws(2, 62, -1, 1), draws(1, 63, -0.5, 0.5)];
      const model = await pc.loadLayersModel(keras3Files({
        // int64, as Keras writes an integer Input: read as int32.
        inputs: [{ name: 'ids', shape: [1], dtype: 'int64' }],
        layers: [
          {
            className: 'IntegerLookup', name: 'lookup', reads: [{ layer: 'ids', shape: [null, 1], dtype: 'int64' }],
            config: {
              dtype: 'int64', invert: false, max_tokens: null, num_oov_indices: 1, oov_token: -1, mask_token: 0, output_mode: 'int', sparse: false,
              pad_to_max_tokens: false, vocabulary_dtype: 'int64', idf_weights: null, vocabulary: [12, 36, 1138], vocabulary_size: 5,
            },
          },
          {
            className: 'Embedding', name: 'embedding', reads: [{ layer: 'lookup', shape: [null, 1], dtype: 'int64' }],
            config: { input_dim: 5, output_dim: 2, embeddings_initializer: { module: 'keras.initializers', class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } }, embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: false },
          },
          { className: 'Flatten', name: 'flatten', reads: [{ layer: 'embedding', shape: [null, 1, 2] }], config: { data_format: 'channels_last' } },
          {
            className: 'Dense', name: 'score', reads: [{ layer: 'flatten', shape: [null, 2] }],
            config: {
              units: 1, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
              kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
            },
          },
        ],
        weights: [
          { name: 'embedding/embeddings', shape: [5, 2], values: embeddings },
          { name: 'score/kernel', shape: [2, 1], values: kernel },
          { name: 'score/bias', shape: [1], values: bias },
        ],
      }));
      const lookup = model.layers.find((l) => l instanceof pc.IntegerLookup)!;
      expect(lookup.getVocabulary()).toEqual([0, -1, 12, 36, 1138]);
      const ids = [1138, 0, 7, 12, 36];
      const x = ints(ids, [5, 1]);
      const y = model.predict(x) as pc.Tensor;
      const want = [4, 0, 1, 2, 3].map((i) => embeddings[i * 2]! * kernel[0]! + embeddings[i * 2 + 1]! * kernel[1]! + bias[0]!);
      expectClose(y.dataSync(), want, 1e-6, 1e-6);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('names bad settings, bad vocabularies, OOV tokens with no OOV index and a call before it has a vocabulary', async () => {
      expect(() => new pc.IntegerLookup({ outputMode: 'one_hot', sparse: true })).toThrow('IntegerLookup: sparse must be false, got true');
      expect(() => new pc.IntegerLookup({ invert: true, outputMode: 'count' })).toThrow("IntegerLookup: invert needs outputMode 'int', got outputMode 'count'");
      expect(() => new pc.IntegerLookup({ outputMode: 'hashed' as never })).toThrow("IntegerLookup: outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count', 'tf_idf', got \"hashed\"");
      expect(() => new pc.IntegerLookup({ maxTokens: 1 })).toThrow('IntegerLookup: maxTokens must be an integer greater than 1 (or null), got 1');
      expect(() => new pc.IntegerLookup({ numOovIndices: -1 })).toThrow('IntegerLookup: numOovIndices must be a non-negative integer, got -1');
      expect(() => new pc.IntegerLookup({ outputMode: 'tf_idf', vocabulary: [1, 2] })).toThrow("IntegerLookup: outputMode 'tf_idf' with a vocabulary needs idfWeights, got none");
      expect(() => new pc.IntegerLookup({ vocabulary: [1, 2], idfWeights: [1, 1] })).toThrow("IntegerLookup: idfWeights are only for outputMode 'tf_idf', got outputMode 'int'");
      expect(() => new pc.IntegerLookup({ name: 'dup', vocabulary: [1, 2, 1] })).toThrow("IntegerLookup 'dup': vocabulary has repeated tokens [1]; each token must appear once");
      expect(() => new pc.IntegerLookup({ name: 'm', vocabulary: [1, 0, 2], maskToken: 0 })).toThrow("IntegerLookup 'm': vocabulary holds the maskToken 0 among its tokens; leave the special tokens out, or put exactly [0,-1] first");
      expect(() => new pc.IntegerLookup({ name: 'big', vocabulary: [1, 2, 3], maxTokens: 3 })).toThrow("IntegerLookup 'big': vocabulary of 4 entries (with 1 special) exceeds maxTokens 3");
      expect(() => new pc.IntegerLookup({ name: 'f', vocabulary: [1.5] })).toThrow("IntegerLookup 'f': vocabulary must be an int32 integer, got 1.5");
      const strict = new pc.IntegerLookup({ name: 'strict', vocabulary: [4, 5], numOovIndices: 0 });
      expect(() => run(strict, ints([4, 6], [2]))).toThrow("IntegerLookup 'strict': with numOovIndices 0 every token must be in the vocabulary, got 6 at flat index 1 of inputs of shape [2]; set numOovIndices to 1 or more");
      expect(() => run(strict, pc.tensor([4.5], [1]))).toThrow("IntegerLookup 'strict': inputs must be int32 tokens (or float32 holding whole numbers), got float32 4.5 at flat index 0 of shape [1]");
      expect(() => run(new pc.IntegerLookup({ name: 'fresh' }), ints([1], [1]))).toThrow("IntegerLookup 'fresh': it has no vocabulary yet");
      await expect(strict.adapt(ints([1], [1]))).rejects.toThrow("IntegerLookup 'strict': adapt() cannot follow a vocabulary given when the layer was made; make it without vocabulary to learn one");
      const fixed = new pc.IntegerLookup({ name: 'fixed', vocabulary: [1, 2], outputMode: 'count' });
      expect(() => fixed.setVocabulary([1, 2, 3])).toThrow("IntegerLookup 'fixed': outputMode 'count' fixes the vocabulary size at 3 once set (unless padToMaxTokens), got a vocabulary of 4");
      expect(fixed.getVocabulary()).toEqual([-1, 1, 2]);
    });
  });
}
