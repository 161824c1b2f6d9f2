// GroupedQueryAttention against float64 loops from Keras 3's definition (attention-reference.ts:
// query head n reads key/value head ⌊n / repeats⌋, as Keras's ops.repeat on the heads axis).
// Values, the weights it returns, gradients (central finite differences), equality with
// MultiHeadAttention when the heads match, save and load, a Keras 3 description, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { ATTENTION_BATCH, attentionReference, attentionValues, drawProjections, setUpAttention, type AttentionInputs, type AttentionWeights } from './attention-reference.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

interface Case extends AttentionInputs {
  name: string;
  config: pc.GroupedQueryAttentionConfig;
}

const BATCH = ATTENTION_BATCH;

const CASES: Case[] = [
  { name: '4 query heads over 2 key/value heads, value as key', config: { headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2 }, query: [3, 4], value: [4, 4] },
  { name: 'multi-query: 3 query heads, 1 key/value head, a key, no bias', config: { headDim: 3, numQueryHeads: 3, numKeyValueHeads: 1, useBias: false }, query: [2, 3], value: [3, 3], key: [3, 5] },
  {
    name: '6 query heads over 2, query and value masks, causal', config: { headDim: 2, numQueryHeads: 6, numKeyValueHeads: 2 }, query: [4, 3], value: [4, 3],
    queryMask: [1, 1, 1, 0, 1, 1, 0, 1], valueMask: [1, 0, 1, 1, 1, 1, 1, 0], causal: true,
  },
  { name: '4 query heads over 2, an attention mask', config: { headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2 }, query: [2, 2], value: [3, 2], attentionMask: [1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1] },
];

type Weights = AttentionWeights;

/** The layer's output and attention weights [batch, query heads, Tq, Tv] in float64 (attention-reference.ts). */
function reference(c: Case, w: Weights, q: readonly number[], v: readonly number[], k: readonly number[]): { output: number[]; weights: number[] } {
  const { headDim, numQueryHeads, numKeyValueHeads } = c.config;
  return attentionReference(c, { queryHeads: numQueryHeads, keyValueHeads: numKeyValueHeads, keyDim: headDim, valueDim: headDim, outputDim: c.query[1] }, w, q, v, k);
}

const recordError = errorRecorder('grouped-query attention');

for (const backend of MODEL_BACKENDS) {
  describe(`GroupedQueryAttention on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const [tq, dq] = c.query;
      const [tv, dv] = c.value;
      const values = attentionValues(c);
      const { q: qValues, v: vValues, k: kValues } = values;
      const setUp = (returnAttentionScores = false) => setUpAttention(new pc.GroupedQueryAttention({ ...c.config, returnAttentionScores }), c, values);

      it("makes Keras's weights; the output and the weights it returns match the float64 loops; computeOutputShape agrees", () => {
        const { layer, inputs, weights, kwargs, owned } = setUp(true);
        const { headDim, numQueryHeads, numKeyValueHeads } = c.config;
        const bias = c.config.useBias === false ? [] : [[numKeyValueHeads, headDim]];
        expect(layer.weights.map((w) => w.shape)).toEqual([
          [dq, numQueryHeads, headDim], ...(bias.length ? [[numQueryHeads, headDim]] : []), [(c.key ?? c.value)[1], numKeyValueHeads, headDim], ...bias,
          [dv, numKeyValueHeads, headDim], ...bias, [numQueryHeads, headDim, dq], ...(bias.length ? [[dq]] : []),
        ]);
        const [output, scores] = layer.apply(inputs, kwargs) as pc.Tensor[];
        const want = reference(c, weights, qValues, vValues, kValues);
        recordError('values', output!.dataSync(), want.output);
        recordError('attention weights', scores!.dataSync(), want.weights);
        expectClose(output!.dataSync(), want.output, 1e-5, 1e-6);
        expectClose(scores!.dataSync(), want.weights, 1e-5, 1e-6);
        expect([output!.shape, scores!.shape]).toEqual([[BATCH, tq, dq], [BATCH, numQueryHeads, tq, tv]]);
        expect(layer.computeOutputShape(inputs.map((x) => [null, ...x.shape.slice(1)]))).toEqual([[null, tq, dq], [null, numQueryHeads, tq, tv]]);
        pc.dispose([...owned, output!, scores!]);
        layer.dispose();
      });

      it('gradients w.r.t. the query, the value, the key and the key kernel match central finite differences', () => {
        const { layer, inputs, weights, kwargs, owned } = setUp();
        const outputWeights = draws(BATCH * tq * dq, 9, -1, 1);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          inputs.forEach((x) => tape.watch(x));
          const loss = tape.record(() => pc.sum(pc.mul(layer.apply(inputs, kwargs) as pc.Tensor, pc.tensor(outputWeights, [BATCH, tq, dq]))));
          return tape.gradient(loss, [...inputs, layer.key!.kernel]).map((g) => Array.from(g!.dataSync()));
        });
        const wants = [
          finiteDifferences(qValues, outputWeights, (moved) => reference(c, weights, moved, vValues, kValues).output),
          finiteDifferences(vValues, outputWeights, (moved) => reference(c, weights, qValues, moved, c.key ? kValues : moved).output),
          ...(c.key ? [finiteDifferences(kValues, outputWeights, (moved) => reference(c, weights, qValues, vValues, moved).output)] : []),
          finiteDifferences(weights.key.kernel, outputWeights, (moved) => reference(c, { ...weights, key: { ...weights.key, kernel: moved } }, qValues, vValues, kValues).output),
        ];
        wants.forEach((want, i) => {
          recordError('gradients', got[i]!, want);
          expectClose(got[i]!, want, 1e-3, 1e-4);
        });
        pc.dispose(owned);
        layer.dispose();
      });
    });

    it('with as many key/value heads as query heads it is MultiHeadAttention(keyDim = headDim) with the same weights', () => {
      const gqa = new pc.GroupedQueryAttention({ headDim: 3, numQueryHeads: 2, numKeyValueHeads: 2 });
      const mha = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
      const inputs = [pc.tensor(draws(2 * 3 * 4, 30, -1, 1), [2, 3, 4]), pc.tensor(draws(2 * 5 * 4, 31, -1, 1), [2, 5, 4]), pc.tensor(draws(2 * 5 * 2, 32, -1, 1), [2, 5, 2])];
      gqa.ensureBuilt(inputs.map((x) => x.shape));
      mha.ensureBuilt(inputs.map((x) => x.shape));
      drawProjections(gqa);
      expect(mha.weights.map((w) => w.shape)).toEqual(gqa.weights.map((w) => w.shape));
      pc.tidy(() => mha.weights.forEach((w, i) => w.assign(gqa.weights[i]!)));
      const [a, b] = pc.tidy(() => [gqa.apply(inputs, { useCausalMask: true }) as pc.Tensor, mha.apply(inputs, { useCausalMask: true }) as pc.Tensor]);
      expectClose(a!.dataSync(), b!.dataSync(), 1e-6, 1e-7);
      pc.dispose([...inputs, a!, b!]);
      gqa.dispose();
      mha.dispose();
    });

    it('dropout drops attention weights while training only; the weights returned are those before it, as Keras', () => {
      const layer = new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, dropout: 0.5, seed: 4, returnAttentionScores: true });
      const x = pc.tensor(draws(2 * 4 * 3, 33, -1, 1), [2, 4, 3]);
      const [inference, inferenceScores] = layer.apply([x, x]) as pc.Tensor[];
      const [training, trainingScores] = layer.apply([x, x], { training: true }) as pc.Tensor[];
      expect(Array.from(trainingScores!.dataSync())).toEqual(Array.from(inferenceScores!.dataSync()));
      expect(Array.from(training!.dataSync())).not.toEqual(Array.from(inference!.dataSync()));
      pc.dispose([x, inference!, inferenceScores!, training!, trainingScores!]);
      layer.dispose();
    });

    it('in a functional model: a training step leaves no tensor behind; save -> loadModel restores it', async () => {
      const query = pc.Input({ shape: [3, 4] });
      const value = pc.Input({ shape: [5, 4] });
      const attended = new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, kernelRegularizer: 'l2' }).apply([query, value]);
      const model = new pc.Model({ inputs: [query, value], outputs: new pc.Dense(1).apply(new pc.GlobalAveragePooling1D().apply(attended)) });
      const x = [pc.tensor(draws(2 * 12, 34, -1, 1), [2, 3, 4]), pc.tensor(draws(2 * 20, 35, -1, 1), [2, 5, 4])];
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expect(model.layers[2]!.getConfig()).toMatchObject({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, dropout: 0, useBias: true, seed: null, kernelRegularizer: { className: 'L2' } });
      const optimizer = new pc.SGD({ learningRate: 0.1 });
      const step = () => pc.tidy(() => {
        const tape = new pc.GradientTape();
        const loss = tape.record(() => pc.mean(pc.square(model.apply(x, { training: true }) as pc.Tensor)));
        optimizer.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
      });
      step();
      const before = pc.memory().numTensors;
      step();
      expect(pc.memory().numTensors).toBe(before);
      pc.dispose(x);
      model.dispose();
    });

    it('reads a Keras 3 description with its weights through loadLayersModel', async () => {
      const c = CASES[0]!;
      const layer = new pc.GroupedQueryAttention(c.config);
      layer.ensureBuilt([[BATCH, ...c.query], [BATCH, ...c.value]]);
      const weights = drawProjections(layer);
      const names = ['query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias'];
      const values = [weights.query, weights.key, weights.value, weights.output].flatMap((p) => [p.kernel, p.bias!]);
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'query', shape: c.query }, { name: 'value', shape: c.value }],
        layers: [{
          className: 'GroupedQueryAttention', name: 'grouped_query_attention',
          config: {
            head_dim: 2, num_query_heads: 4, num_key_value_heads: 2, use_bias: true, dropout: 0.0,
            kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
            kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, seed: null,
          },
          reads: [{ layer: 'query', shape: [null, ...c.query] }, { layer: 'value', shape: [null, ...c.value] }],
        }],
        weights: names.map((name, i) => ({ name: `grouped_query_attention/${name}`, shape: layer.weights[i]!.shape, values: values[i]! })),
      }));
      expect(loaded.layers[2]).toBeInstanceOf(pc.GroupedQueryAttention);
      const [qValues, vValues] = [draws(BATCH * 12, 36, -1, 1), draws(BATCH * 16, 37, -1, 1)];
      const inputs = [pc.tensor(qValues, [BATCH, ...c.query]), pc.tensor(vValues, [BATCH, ...c.value])];
      const y = loaded.predict(inputs) as pc.Tensor;
      const want = reference(c, weights, qValues, vValues, vValues).output;
      recordError('Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      pc.dispose([...inputs, y]);
      loaded.dispose();
      layer.dispose();
    });
  });
}

describe('GroupedQueryAttention settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['query heads not a multiple of key/value heads', () => new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 3 }), 'GroupedQueryAttention: numQueryHeads must be a multiple of numKeyValueHeads (as in Keras), got numQueryHeads 4 and numKeyValueHeads 3'],
    ['no head size', () => new pc.GroupedQueryAttention({ headDim: 0, numQueryHeads: 2, numKeyValueHeads: 1 }), 'GroupedQueryAttention: headDim must be a positive integer, got 0'],
    ['a dropout of 1', () => new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, dropout: 1 }), 'GroupedQueryAttention: dropout must be in [0, 1), got 1'],
    ['an unknown option', () => new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, keyDim: 2 } as never), "GroupedQueryAttention: unknown option 'keyDim'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs that are not [query, value(, key)] sequences, and a wrong attention mask, naming the layer', () => {
    const layer = new pc.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, name: 'g' });
    const [q, v] = [pc.ones([1, 2, 4]), pc.ones([1, 3, 4])];
    expect(() => layer.apply([q, pc.ones([1, 3])])).toThrow("GroupedQueryAttention 'g': expected [query, value] or [query, value, key], each [batch, steps, features], got [1,2,4], [1,3]");
    expect(() => layer.apply([q, v], { attentionMask: pc.ones([1, 3, 2], 'bool') })).toThrow("GroupedQueryAttention 'g': expected attentionMask of shape [1,2,3] ([batch, Tq, Tv]), got [1,3,2]");
    expect(() => layer.computeOutputShape([[null, 2, 4], [null, 3, 5]])).toThrow("GroupedQueryAttention 'g': expected the query and the value to have as many features (as Keras's output shape), got [-1,2,4], [-1,3,5]");
    pc.dispose([q, v]);
  });
});
