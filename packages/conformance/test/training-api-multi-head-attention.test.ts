// MultiHeadAttention against float64 loops from Keras 3's definition (attention-reference.ts):
// values, the weights it returns, gradients (central finite differences), masks in a functional
// model, training, saving, bad inputs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { ATTENTION_BATCH, attentionReference, attentionValues, setUpAttention, type AttentionInputs, type AttentionWeights } from './attention-reference.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

interface HeadsCase extends AttentionInputs {
  name: string;
  config: pc.MultiHeadAttentionConfig;
}

const BATCH = ATTENTION_BATCH;

const CASES: HeadsCase[] = [
  { name: '2 heads, value as key', config: { numHeads: 2, keyDim: 3 }, query: [3, 4], value: [4, 4] },
  { name: '3 heads with a key, valueDim, outputShape, no bias', config: { numHeads: 3, keyDim: 2, valueDim: 3, outputShape: 5, useBias: false }, query: [2, 3], value: [3, 2], key: [3, 4] },
  { name: 'query and value masks, causal', config: { numHeads: 2, keyDim: 2 }, query: [4, 3], value: [4, 3], queryMask: [1, 1, 1, 0, 1, 1, 0, 1], valueMask: [1, 0, 1, 1, 1, 1, 1, 0], causal: true },
  {
    name: 'an attention mask', config: { numHeads: 1, keyDim: 4 }, query: [2, 2], value: [3, 2],
    attentionMask: [1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1],
  },
];

/** The layer's output and weights in float64 (attention-reference.ts). */
function headsReference(c: HeadsCase, w: AttentionWeights, q: readonly number[], v: readonly number[], k: readonly number[]): { output: number[]; weights: number[] } {
  const { numHeads, keyDim } = c.config;
  const heads = { queryHeads: numHeads, keyValueHeads: numHeads, keyDim, valueDim: c.config.valueDim ?? keyDim, outputDim: c.config.outputShape as number | undefined ?? c.query[1] };
  return attentionReference(c, heads, w, q, v, k);
}

const recordError = errorRecorder('multi-head attention');

for (const backend of MODEL_BACKENDS) {
  describe(`MultiHeadAttention on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const [tq, dq] = c.query;
      const [tv] = c.value;
      const values = attentionValues(c);
      const { q: qValues, v: vValues, k: kValues } = values;
      /** The layer built, its weights set to draws; its inputs and kwargs. */
      const setUp = (returnAttentionScores = false) => setUpAttention(new pc.MultiHeadAttention({ ...c.config, returnAttentionScores }), c, values);

      it('the output and the weights it returns match the float64 loops; computeOutputShape agrees', () => {
        const { layer, inputs, weights, kwargs, owned } = setUp(true);
        const [output, scores] = layer.apply(inputs, kwargs) as pc.Tensor[];
        const want = headsReference(c, weights, qValues, vValues, kValues);
        recordError('values', output!.dataSync(), want.output);
        expectClose(output!.dataSync(), want.output, 1e-5, 1e-6);
        expectClose(scores!.dataSync(), want.weights, 1e-5, 1e-6);
        const dOut = c.config.outputShape ?? dq;
        expect([output!.shape, scores!.shape]).toEqual([[BATCH, tq, dOut], [BATCH, c.config.numHeads, tq, tv]]);
        expect(layer.computeOutputShape(inputs.map((x) => [null, ...x.shape.slice(1)]))).toEqual([[null, tq, dOut], [null, c.config.numHeads, tq, tv]]);
        pc.dispose([...owned, output!, scores!]);
        layer.dispose();
      });

      it('gradients w.r.t. the query, the value and the key match central finite differences', () => {
        const { layer, inputs, weights, kwargs, owned } = setUp();
        const dOut = c.config.outputShape ?? dq;
        const outputWeights = draws(BATCH * tq * dOut, 9, -1, 1);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          inputs.forEach((x) => tape.watch(x));
          const loss = tape.record(() => pc.sum(pc.mul(layer.apply(inputs, kwargs) as pc.Tensor, pc.tensor(outputWeights, [BATCH, tq, dOut]))));
          return tape.gradient(loss, inputs).map((g) => Array.from(g!.dataSync()));
        });
        const wants = [
          finiteDifferences(qValues, outputWeights, (moved) => headsReference(c, weights, moved, vValues, kValues).output),
          finiteDifferences(vValues, outputWeights, (moved) => headsReference(c, weights, qValues, moved, c.key ? kValues : moved).output),
          ...(c.key ? [finiteDifferences(kValues, outputWeights, (moved) => headsReference(c, weights, qValues, vValues, moved).output)] : []),
        ];
        wants.forEach((want, i) => {
          recordError('gradients', got[i]!, want);
          expectClose(got[i]!, want, 1e-3, 1e-4);
        });
        pc.dispose(owned);
        layer.dispose();
      });
    });

    it('self-attention over Embedding(maskZero), pooled by GlobalAveragePooling1D: padded sequences give what unpadded ones do', () => {
      const make = (steps: number) => {
        const tokens = pc.Input({ shape: [steps], dtype: 'int32' });
        const embedded = new pc.Embedding({ inputDim: 6, outputDim: 4, maskZero: true }).apply(tokens);
        const attended = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([embedded, embedded]);
        return new pc.Model({ inputs: tokens, outputs: new pc.Dense(1).apply(new pc.GlobalAveragePooling1D().apply(attended)) });
      };
      const [padded, unpadded] = [make(5), make(3)];
      unpadded.setWeights(padded.getWeights());
      const x = pc.tensor([[0, 2, 5, 0, 1], [2, 5, 1, 0, 0]], [2, 5], 'int32');
      const alone = pc.tensor([[2, 5, 1], [2, 5, 1]], [2, 3], 'int32');
      const [y, want] = [padded.predict(x) as pc.Tensor, unpadded.predict(alone) as pc.Tensor];
      expectClose(y.dataSync(), want.dataSync(), 1e-5, 1e-6);
      pc.dispose([x, alone, y, want]);
      [padded, unpadded].forEach((m) => m.dispose());
    });

    it('weights are named and shaped as Keras\'s; configs round trip; bad settings and inputs are errors naming the layer', () => {
      const layer = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 4, outputShape: 6, name: 'mha' });
      const [q, v] = [pc.ones([1, 2, 5]), pc.ones([1, 3, 7])];
      pc.dispose(layer.apply([q, v]) as pc.Tensor);
      expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
        ['mha/query/kernel', [5, 2, 3]], ['mha/query/bias', [2, 3]], ['mha/key/kernel', [7, 2, 3]], ['mha/key/bias', [2, 3]],
        ['mha/value/kernel', [7, 2, 4]], ['mha/value/bias', [2, 4]], ['mha/attention_output/kernel', [2, 4, 6]], ['mha/attention_output/bias', [6]],
      ]);
      expect(pc.deserializeLayer(pc.serializeLayer(layer)).getConfig()).toEqual(layer.getConfig());
      expect(() => new pc.MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow('MultiHeadAttention: numHeads must be a positive integer, got 0');
      expect(() => new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: -0.1 })).toThrow('MultiHeadAttention: dropout must be in [0, 1), got -0.1');
      expect(() => layer.apply([q, pc.ones([1, 3])])).toThrow("MultiHeadAttention 'mha': expected [query, value] or [query, value, key], each [batch, ...steps, features] of one rank (at least 3), got [1,2,5], [1,3]");
      expect(() => layer.apply([q, v], { attentionMask: pc.ones([1, 3, 2], 'bool') })).toThrow("MultiHeadAttention 'mha': expected attentionMask of shape [1,2,3] ([batch, Tq, Tv]), got [1,3,2]");
      pc.dispose([q, v]);
      layer.dispose();
    });

    it('while training with dropout, the scores it returns are from before dropout (each row sums to 1), as Keras 3 returns them', () => {
      const layer = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.5, returnAttentionScores: true });
      const x = pc.tensor(draws(2 * 5 * 3, 12, -1, 1), [2, 5, 3]);
      const [output, scores] = layer.apply([x, x], { training: true }) as [pc.Tensor, pc.Tensor];
      const rows = pc.sum(scores, -1);
      expect(scores.shape).toEqual([2, 2, 5, 5]);
      for (const total of rows.dataSync()) expect(total).toBeCloseTo(1, 5);
      pc.dispose([x, output, scores, rows]);
      layer.dispose();
    });

    it('a model with MultiHeadAttention learns with fit, saves and loads, and a training step leaks nothing', async () => {
      const n = 64;
      const x = pc.tensor(draws(n * 4 * 3, 11, -1, 1), [n, 4, 3]);
      // The target: the mean over the steps of each sequence's first feature.
      const y = pc.tidy(() => pc.reshape(pc.mean(pc.slice(x, [0, 0, 0], [-1, -1, 1]), [1, 2]), [n, 1]));
      const input = pc.Input({ shape: [4, 3] });
      const attended = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.1 }).apply([input, input]);
      const model = new pc.Model({ inputs: input, outputs: new pc.Dense(1).apply(new pc.Flatten().apply(attended)) });
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
      const history = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);
  });
}
