// Keras 3's CategoryEncoding and Discretization against plain loops written here and against
// Keras's docstring examples worked by hand: every output mode and rank rule, count weights (a
// tensor or a graph input), boundaries hit exactly, negative values and NaN, adapt's quantiles on
// a tensor, a batched Dataset and a list, a model of both trained, saved and loaded, a Keras 3
// model.json read, and bad settings and inputs named with the layer left as it was.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Mode = 'one_hot' | 'multi_hot' | 'count';

/** Keras's encoding of `tokens` (row-major `shape`, rank 1 or 2) by loops: its values and shape. */
function encodeReference(tokens: readonly number[], shape: readonly number[], mode: Mode, depth: number, weights?: readonly number[]): { values: number[]; shape: number[] } {
  if (mode === 'one_hot') {
    const values = tokens.flatMap((t) => Array.from({ length: depth }, (_, k) => (k === t ? 1 : 0)));
    return { values, shape: shape.length === 2 && shape[1] === 1 ? [shape[0]!, depth] : [...shape, depth] };
  }
  const perSample = shape.at(-1)!;
  const samples = tokens.length / perSample;
  const values = new Array<number>(samples * depth).fill(0);
  tokens.forEach((t, i) => {
    const at = Math.floor(i / perSample) * depth + t;
    values[at] = mode === 'multi_hot' ? 1 : values[at]! + (weights?.[i] ?? 1);
  });
  return { values, shape: shape.length === 1 ? [depth] : [shape[0]!, depth] };
}

/** How many boundaries lie at or below `v` (compared as float32), all of them for NaN: the bucket of numpy's digitize. */
const bucketOf = (v: number, boundaries: readonly number[]): number => (Number.isNaN(v) ? boundaries.length : boundaries.filter((b) => Math.fround(b) <= v).length);

/** `count` whole numbers in [0, depth), seeded. */
const tokenDraws = (count: number, seed: number, depth: number): number[] => draws(count, seed, 0, depth).map(Math.floor);

/** The output of `layer` on `x`, read back, and its dtype and shape; the tensor is freed. */
function run(layer: pc.Layer, x: pc.Tensor, kwargs: pc.CallKwargs = {}): { values: number[]; dtype: string; shape: number[] } {
  const y = layer.apply(x, kwargs) as pc.Tensor;
  const result = { values: Array.from(y.dataSync()), dtype: y.dtype, shape: [...y.shape] };
  y.dispose();
  return result;
}

for (const backend of MODEL_BACKENDS) {
  describe(`encoding layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(7);
    });

    describe('CategoryEncoding', () => {
      it("gives Keras's docstring examples: one-hot, multi-hot and weighted counts", () => {
        const tokens = pc.tensor([[0, 1], [0, 0], [1, 2], [3, 1]], [4, 2], 'int32');
        const weights = pc.tensor([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]]);
        const oneHot = run(new pc.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }), pc.tensor([3, 2, 0, 1], [4], 'int32'));
        expect(oneHot).toEqual({ values: [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0], dtype: 'float32', shape: [4, 4] });
        expect(run(new pc.CategoryEncoding({ numTokens: 4 }), tokens).values).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
        const counts = run(new pc.CategoryEncoding({ numTokens: 4, outputMode: 'count' }), tokens, { countWeights: weights });
        expectClose(counts.values, [0.1, 0.2, 0, 0, 0.2, 0, 0, 0, 0, 0.2, 0.3, 0, 0, 0.2, 0, 0.4], 1e-6, 1e-7);
        pc.dispose([tokens, weights]);
      });

      it.each([
        { mode: 'one_hot', shape: [7] }, { mode: 'one_hot', shape: [6, 1] }, { mode: 'one_hot', shape: [3, 4] },
        { mode: 'multi_hot', shape: [9] }, { mode: 'multi_hot', shape: [5, 6] },
        { mode: 'count', shape: [9] }, { mode: 'count', shape: [5, 6] },
      ] as { mode: Mode; shape: number[] }[])('$mode of int32 and whole float32 tokens of shape $shape, as the loops give', ({ mode, shape }) => {
        const values = tokenDraws(shape.reduce((a, b) => a * b, 1), shape.length * 10 + shape[0]!, 5);
        const layer = new pc.CategoryEncoding({ numTokens: 5, outputMode: mode });
        const want = encodeReference(values, shape, mode, 5);
        for (const dtype of ['int32', 'float32'] as const) {
          const x = pc.tensor(values, shape, dtype);
          expect(run(layer, x)).toEqual({ ...want, dtype: 'float32' });
          x.dispose();
        }
        expect(layer.computeOutputShape(shape)).toEqual(want.shape);
      });

      it('count weights of any sign weigh each token, also from a graph input feeding a functional model', () => {
        const tokenValues = tokenDraws(15, 3, 6);
        const weightValues = draws(15, 4, -2, 2);
        const [tokens, weights] = [pc.tensor(tokenValues, [3, 5], 'int32'), pc.tensor(weightValues, [3, 5])];
        const want = encodeReference(tokenValues, [3, 5], 'count', 6, weightValues);
        const layer = new pc.CategoryEncoding({ numTokens: 6, outputMode: 'count' });
        const eager = run(layer, tokens, { countWeights: weights });
        expectClose(eager.values, want.values, 1e-6, 1e-6);
        const [tokenInput, weightInput] = [pc.Input({ shape: [5], dtype: 'int32' }), pc.Input({ shape: [5] })];
        const model = new pc.Model({ inputs: [tokenInput, weightInput], outputs: layer.apply(tokenInput, { countWeights: weightInput }) });
        const y = model.predict([tokens, weights]) as pc.Tensor;
        expect(y.shape).toEqual([3, 6]);
        expectClose(y.dataSync(), want.values, 1e-6, 1e-6);
        pc.dispose([tokens, weights, y]);
        model.dispose();
      });

      it('names a bad token, bad count weights, a bad rank and bad settings, and works as before afterwards', () => {
        const layer = new pc.CategoryEncoding({ name: 'tokens', numTokens: 4 });
        const bad = (values: number[], dtype: 'int32' | 'float32' = 'int32') => () => run(layer, pc.tensor(values, [2, 2], dtype));
        const range = "CategoryEncoding 'tokens': tokens must be integers in [0, 4) (numTokens 4), got";
        expect(bad([0, 1, 4, 2])).toThrow(`${range} 4 at flat index 2 of inputs of shape [2,2]`);
        expect(bad([0, -1, 3, 2])).toThrow(`${range} -1 at flat index 1 of inputs of shape [2,2]`);
        expect(bad([0, 1.5, 3, 2], 'float32')).toThrow(`${range} 1.5 at flat index 1 of inputs of shape [2,2]`);
        const tokens = pc.tensor([[0, 1], [3, 3]], [2, 2], 'int32');
        expect(() => run(layer, tokens, { countWeights: pc.ones([2, 2]) })).toThrow("CategoryEncoding 'tokens': countWeights weighs counts, so it needs outputMode 'count', got outputMode 'multi_hot'");
        const counter = new pc.CategoryEncoding({ name: 'counter', numTokens: 4, outputMode: 'count' });
        expect(() => run(counter, tokens, { countWeights: pc.ones([2]) })).toThrow("CategoryEncoding 'counter': countWeights must be a tensor of the inputs' shape [2,2], got shape [2]");
        expect(() => run(counter, tokens, { countWeights: [[1, 1], [1, 1]] })).toThrow("countWeights must be a tensor of the inputs' shape [2,2], got an array");
        expect(() => run(layer, pc.zeros([1, 2, 2], 'int32'))).toThrow("CategoryEncoding 'tokens': outputMode 'multi_hot' encodes inputs of rank 1 (one sample) or 2 (a batch), got shape (1, 2, 2)");
        expect(() => run(layer, tokens, { countWeight: pc.ones([2, 2]) })).toThrow("unknown option 'countWeight'");
        expect(run(layer, tokens).values).toEqual([1, 1, 0, 0, 0, 0, 0, 1]);
        expect(() => new pc.CategoryEncoding({ numTokens: 0 })).toThrow('CategoryEncoding: numTokens must be a positive integer, got 0');
        expect(() => new pc.CategoryEncoding({} as never)).toThrow('CategoryEncoding: numTokens must be a positive integer, got undefined');
        expect(() => new pc.CategoryEncoding({ numTokens: 3, outputMode: 'int' as never })).toThrow("CategoryEncoding: outputMode must be one of 'one_hot', 'multi_hot', 'count', got \"int\"");
        expect(() => new pc.CategoryEncoding({ numTokens: 3, sparse: true })).toThrow('CategoryEncoding: sparse must be false, got true: Perceptron has no sparse tensors, so the output is always dense');
        tokens.dispose();
      });
    });

    describe('Discretization', () => {
      it("gives Keras's docstring examples: given boundaries, and numBins 4 adapted to the data", async () => {
        const x = pc.tensor([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]);
        expect(run(new pc.Discretization({ binBoundaries: [0, 1, 2] }), x)).toEqual({ values: [0, 2, 3, 1, 1, 3, 2, 1], dtype: 'int32', shape: [2, 4] });
        // Sorted: -1.5 0 0 0.5 1 1.3 3 3.4; ranks 2, 4 and 6 of 8 split it into quarters.
        const adapted = new pc.Discretization({ numBins: 4, epsilon: 0.01 });
        await adapted.adapt(x);
        expect(adapted.binBoundaries).toEqual([0, 0.5, Math.fround(1.3)]);
        expect(run(adapted, x).values).toEqual([0, 2, 3, 2, 1, 3, 3, 1]);
        x.dispose();
      });

      it('puts a value on a boundary in the bucket above, negative values and NaN where digitize does, inputs of any rank, as the scan gives', () => {
        const boundaries = [-2.5, -1, 0, 0.1, 1.3, 3, 3];
        // As float32, what the tensor holds: fround(1.3) lies below 1.3 but on the boundary compared as float32.
        const values = [...boundaries, -7, -2.6, -0.5, 0.05, 2.99, 4, NaN, ...draws(10, 5, -4, 4)].map(Math.fround);
        const x = pc.tensor(values, [2, 3, 4]);
        const layer = new pc.Discretization({ binBoundaries: boundaries });
        expect(run(layer, x)).toEqual({ values: values.map((v) => bucketOf(v, boundaries)), dtype: 'int32', shape: [2, 3, 4] });
        const integers = pc.tensor([-3, -1, 0, 3, 5], [5], 'int32');
        expect(run(layer, integers).values).toEqual([0, 2, 3, 7, 7]);
        expect(run(new pc.Discretization({ binBoundaries: [] }), integers).values).toEqual([0, 0, 0, 0, 0]);
        pc.dispose([x, integers]);
      });

      it.each([
        { mode: 'one_hot', shape: [6, 1] }, { mode: 'one_hot', shape: [2, 3] }, { mode: 'multi_hot', shape: [4, 3] }, { mode: 'count', shape: [4, 3] }, { mode: 'count', shape: [8] },
      ] as { mode: Mode; shape: number[] }[])('$mode encodes the buckets of shape $shape in binBoundaries.length + 1 entries', ({ mode, shape }) => {
        const boundaries = [-1, 0, 1];
        const values = draws(shape.reduce((a, b) => a * b, 1), 6, -2, 2);
        const x = pc.tensor(values, shape);
        const layer = new pc.Discretization({ binBoundaries: boundaries, outputMode: mode });
        const want = encodeReference(values.map((v) => bucketOf(v, boundaries)), shape, mode, 4);
        expect(run(layer, x)).toEqual({ ...want, dtype: 'float32' });
        expect(layer.computeOutputShape(shape)).toEqual(want.shape);
        x.dispose();
      });

      it('adapt interpolates between ranks, takes the smallest value below rank 1, and a second adapt replaces the first', async () => {
        const layer = new pc.Discretization({ numBins: 4 });
        // 0, 10, ..., 90 shuffled: ranks 2.5, 5 and 7.5 of 10 lie at 15, 40 and 65.
        const tens = pc.tensor([70, 0, 90, 30, 10, 50, 20, 80, 60, 40]);
        await layer.adapt(tens);
        expect(layer.binBoundaries).toEqual([15, 40, 65]);
        // Pairs 1 1 2 2 3 3 4 4: ranks 2, 4, 6 are the first of each later pair, so bucket 0 stays empty (Keras's rule too).
        const pairs = pc.tensor([[4, 1], [2, 3], [1, 4], [3, 2]]);
        await layer.adapt(pairs);
        expect(layer.binBoundaries).toEqual([1, 2, 3]);
        expect(run(layer, pairs).values).toEqual([3, 1, 2, 3, 1, 3, 3, 2]);
        // Three values, five bins: ranks 0.6, 1.2, 1.8, 2.4.
        const few = new pc.Discretization({ numBins: 5 });
        await few.adapt(pc.tensor([3, 1, 2], [3], 'int32'));
        expect(few.binBoundaries).toEqual([1, 1.2, 1.8, 2.4].map(Math.fround));
        pc.dispose([tens, pairs]);
      });

      it('adapt on a batched Dataset of [x, y] finds the known quartiles, as a list of batches and the whole tensor do, and frees the batches', async () => {
        const order = new pc.RandomGenerator(11).permutation(40);
        const values = Array.from(order, (i) => i + 1);
        const [x, labels] = [pc.tensor(values, [40, 1]), pc.zeros([40])];
        const dataset = pc.Dataset.fromTensorSlices([x, labels]).batch(16);
        const fromDataset = new pc.Discretization({ numBins: 4 });
        const before = pc.memory().numTensors;
        await fromDataset.adapt(dataset);
        expect(pc.memory().numTensors).toBe(before);
        expect(fromDataset.binBoundaries).toEqual([10, 20, 30]);
        const parts = [pc.slice(x, [0, 0], [13, 1]), pc.slice(x, [13, 0], [27, 1])];
        const [fromList, whole] = [new pc.Discretization({ numBins: 4 }), new pc.Discretization({ numBins: 4 })];
        await fromList.adapt(parts);
        await whole.adapt(x);
        expect(parts.every((p) => !p.isDisposed)).toBe(true);
        expect([fromList.binBoundaries, whole.binBoundaries]).toEqual([[10, 20, 30], [10, 20, 30]]);
        pc.dispose([x, labels, ...parts]);
      });

      it('an adapted Discretization → CategoryEncoding → Dense model trains, keeps its boundaries through save and load, and leaks nothing', async () => {
        const values = draws(64, 8, 0, 1);
        const x = pc.tensor(values, [64, 1]);
        const discretization = new pc.Discretization({ numBins: 4, name: 'quartile' });
        await discretization.adapt(x);
        const boundaries = [...discretization.binBoundaries!];
        // Odd quartiles are class 1: no single threshold on x separates them, the one-hot buckets do.
        const y = pc.tensor(values.map((v) => bucketOf(v, boundaries) % 2), [64, 1]);
        const encoding = new pc.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot', name: 'bucket' });
        const model = new pc.Sequential([pc.Input({ shape: [1] }), discretization, encoding, new pc.Dense(1, { activation: 'sigmoid' })]);
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
        const history = await model.fit(x, y, { epochs: 25, batchSize: 16, verbose: 0 });
        expect(history.history.accuracy!.at(-1)).toBe(1);
        expect(history.history.loss!.at(-1)).toBeLessThan(history.history.loss![0]! / 2);
        expect(discretization.binBoundaries).toEqual(boundaries);
        expect(discretization.getConfig()).toMatchObject({ binBoundaries: boundaries, numBins: 4, epsilon: 0.01, outputMode: 'int', sparse: false });
        await expectSaveLoadRoundTrip(model, x, [discretization, encoding]);
        expectTrainingStepsLeakNothing(model, x);
        pc.dispose([x, y]);
        model.optimizer?.dispose();
        model.dispose();
      });

      it('names bad settings, bad adapt data and a call before adapt, leaving its boundaries as they were', async () => {
        const owner = 'Discretization: give binBoundaries, or numBins and adapt(data) to learn them; got';
        expect(() => new pc.Discretization({ binBoundaries: [0, 1], numBins: 3 })).toThrow(`${owner} binBoundaries [0,1] and numBins 3`);
        expect(() => new pc.Discretization({})).toThrow(`${owner} neither`);
        expect(() => new pc.Discretization({ binBoundaries: [0, 2, 1] })).toThrow('Discretization: binBoundaries must be in increasing order, got [0,2,1] (1 after 2)');
        expect(() => new pc.Discretization({ binBoundaries: [0, Infinity] })).toThrow('Discretization: binBoundaries must be a list of finite numbers, got [0,null]');
        expect(() => new pc.Discretization({ numBins: 0 })).toThrow('Discretization: numBins must be a positive integer, got 0');
        expect(() => new pc.Discretization({ numBins: 2, epsilon: 0 })).toThrow('Discretization: epsilon must be a positive number, got 0');
        expect(() => new pc.Discretization({ numBins: 2, outputMode: 'tf_idf' as never })).toThrow("Discretization: outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count', got \"tf_idf\"");
        expect(() => new pc.Discretization({ numBins: 2, outputMode: 'one_hot', sparse: true })).toThrow('Discretization: sparse must be false, got true');
        const given = new pc.Discretization({ name: 'given', binBoundaries: [0] });
        await expect(given.adapt(pc.ones([3]))).rejects.toThrow("Discretization 'given': adapt() learns boundaries for numBins, but the layer was given binBoundaries; make it with numBins to learn them");
        expect(() => run(new pc.Discretization({ name: 'fresh', numBins: 2 }), pc.ones([2, 1]))).toThrow("Discretization 'fresh': it has no bin boundaries yet; call adapt(data) before using it, or make it with binBoundaries");
        expect(() => run(new pc.Discretization({ name: 'wide', binBoundaries: [0], outputMode: 'count' }), pc.ones([1, 2, 2]))).toThrow("Discretization 'wide': outputMode 'count' encodes inputs of rank 1 (one sample) or 2 (a batch), got shape (1, 2, 2)");
        const layer = new pc.Discretization({ name: 'learnt', numBins: 2 });
        await layer.adapt(pc.tensor([1, 2, 3, 4]));
        expect(layer.binBoundaries).toEqual([2]);
        await expect(layer.adapt(pc.tensor([1, NaN]))).rejects.toThrow("Discretization 'learnt': adapt() expected finite numbers, got NaN (value 1 of 2)");
        await expect(layer.adapt([pc.ones([2]), 'text' as never])).rejects.toThrow("Discretization 'learnt': adapt() expected tensors or [x, y] batches of them, got string");
        await expect(layer.adapt([])).rejects.toThrow("Discretization 'learnt': adapt() got no data (an empty dataset or list)");
        expect(layer.binBoundaries).toEqual([2]);
        expect(run(layer, pc.tensor([1.5, 2, 9])).values).toEqual([0, 1, 1]);
      });
    });

    it('reads a Keras 3 model.json: an adapted Discretization (bin_boundaries and num_bins) → CategoryEncoding → Dense, with its weights', async () => {
      const [kernel, bias] = [draws(8, 9, -1, 1), draws(2, 10, -0.5, 0.5)];
      const model = await pc.loadLayersModel(kerasFiles(kernel, bias));
      const [discretization, encoding] = [model.layers.find((l) => l instanceof pc.Discretization)!, model.layers.find((l) => l instanceof pc.CategoryEncoding)!];
      expect(discretization.getConfig()).toMatchObject({ name: 'bucket', binBoundaries: [-1, 0, 2.5], numBins: 4, epsilon: 0.01, outputMode: 'int' });
      expect(encoding.getConfig()).toMatchObject({ name: 'encode', numTokens: 4, outputMode: 'one_hot', sparse: false });
      const readings = [-3, -1, 0.5, 2.5, 7];
      const x = pc.tensor(readings, [5, 1]);
      const y = model.predict(x) as pc.Tensor;
      // Buckets 0, 1, 2, 3, 3: each output row is the kernel's row of its bucket plus the bias.
      const want = [0, 1, 2, 3, 3].flatMap((b) => [0, 1].map((j) => kernel[b * 2 + j]! + bias[j]!));
      expectClose(y.dataSync(), want, 1e-6, 1e-6);
      pc.dispose([x, y]);
      model.dispose();
    });
  });
}

/** A converter's files for a Keras 3 functional model: reading → Discretization → CategoryEncoding → Dense(2), and the Dense's float32 weights. */
function kerasFiles(kernel: number[], bias: number[]): pc.FileStore {
  return keras3Files({
    inputs: [{ name: 'reading', shape: [1] }],
    layers: [
      { className: 'Discretization', name: 'bucket', config: { bin_boundaries: [-1, 0, 2.5], num_bins: 4, epsilon: 0.01, output_mode: 'int', sparse: false, dtype: 'float32' } },
      { className: 'CategoryEncoding', name: 'encode', config: { num_tokens: 4, output_mode: 'one_hot', sparse: false }, reads: [{ layer: 'bucket', shape: [null, 1], dtype: 'int64' }] },
      {
        className: 'Dense', name: 'score', reads: [{ layer: 'encode', shape: [null, 4] }],
        config: {
          units: 2, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
          kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
        },
      },
    ],
    weights: [{ name: 'score/kernel:0', shape: [4, 2], values: kernel }, { name: 'score/bias:0', shape: [2], values: bias }],
  });
}
