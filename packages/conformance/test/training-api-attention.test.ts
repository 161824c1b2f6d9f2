// Attention against float64 loops written here from Keras 3's definition: scores ('dot' or
// 'concat', scaled or not), padded value steps and later key steps (causal) left out, softmax,
// the weighted sum of the values, padded query steps zeroed. Values, the weights it returns,
// gradients (central finite differences), masks in a functional model, training, saving, bad
// inputs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, softmaxRow } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';

interface AttentionCase {
  name: string;
  config: pc.AttentionConfig;
  /** Steps of the query and of the value (and key), features of query/key and of the value. */
  tq: number;
  tv: number;
  dk: number;
  dv: number;
  withKey?: boolean;
  /**
   * [batch 2, tq] and [batch 2, tv], 1 at data. Every query step keeps a key step to attend to:
   * with none, float32's 1e9 − score rounds every score alike (uniform weights, as in Keras).
   */
  queryMask?: number[];
  valueMask?: number[];
  causal?: boolean;
  /** Values for the learned scalars, set before the check (they start at 1). */
  scale?: number;
  concatWeight?: number;
}

const BATCH = 2;

const CASES: AttentionCase[] = [
  { name: 'dot', config: {}, tq: 3, tv: 4, dk: 2, dv: 2 },
  { name: 'dot with a key and a learned scale', config: { useScale: true }, tq: 2, tv: 3, dk: 3, dv: 2, withKey: true, scale: 0.7 },
  { name: 'concat with a key, scaled', config: { scoreMode: 'concat', useScale: true }, tq: 3, tv: 2, dk: 2, dv: 3, withKey: true, scale: 0.8, concatWeight: 1.3 },
  { name: 'dot with value and query masks', config: {}, tq: 3, tv: 4, dk: 2, dv: 2, queryMask: [1, 1, 0, 1, 0, 1], valueMask: [1, 0, 1, 1, 0, 0, 1, 1] },
  { name: 'dot with a key, causal, with a value mask', config: {}, tq: 4, tv: 4, dk: 2, dv: 3, withKey: true, causal: true, valueMask: [1, 1, 1, 0, 1, 0, 1, 1] },
];

/** Keras's Attention in float64, one sample and one query step at a time: the output and the weights. */
function attentionReference(c: AttentionCase, q: readonly number[], v: readonly number[], k: readonly number[]): { output: number[]; weights: number[] } {
  const [scale, weight] = [c.scale ?? 1, c.concatWeight ?? 1];
  const output: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < BATCH; b++) {
    for (let i = 0; i < c.tq; i++) {
      const query = q.slice((b * c.tq + i) * c.dk, (b * c.tq + i + 1) * c.dk);
      const scores = Array.from({ length: c.tv }, (_, j) => {
        const key = k.slice((b * c.tv + j) * c.dk, (b * c.tv + j + 1) * c.dk);
        const raw = c.config.scoreMode === 'concat'
          ? weight * query.reduce((s, qv, f) => s + Math.tanh((c.config.useScale ? scale : 1) * (qv + key[f]!)), 0)
          : (c.config.useScale ? scale : 1) * query.reduce((s, qv, f) => s + qv * key[f]!, 0);
        const hidden = (c.valueMask && c.valueMask[b * c.tv + j] === 0) || (c.causal && j > i);
        return hidden ? raw - 1e9 : raw;
      });
      const row = softmaxRow(scores);
      weights.push(...row);
      const kept = c.queryMask ? c.queryMask[b * c.tq + i]! : 1;
      for (let f = 0; f < c.dv; f++) output.push(kept * row.reduce((s, w, j) => s + w * v[(b * c.tv + j) * c.dv + f]!, 0));
    }
  }
  return { output, weights };
}

const recordError = errorRecorder('attention');

for (const backend of MODEL_BACKENDS) {
  describe(`Attention on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const [qValues, vValues, kValues] = [draws(BATCH * c.tq * c.dk, 1, -1, 1), draws(BATCH * c.tv * c.dv, 2, -1, 1), draws(BATCH * c.tv * c.dk, 3, -1, 1)];
      const keyValues = c.withKey ? kValues : vValues;
      /** The layer, built, its scalars set; its inputs; its masks and kwargs. */
      const setUp = (returnAttentionScores = false) => {
        const layer = new pc.Attention({ ...c.config, returnAttentionScores });
        const inputs = [pc.tensor(qValues, [BATCH, c.tq, c.dk]), pc.tensor(vValues, [BATCH, c.tv, c.dv]), ...(c.withKey ? [pc.tensor(kValues, [BATCH, c.tv, c.dk])] : [])];
        layer.ensureBuilt(inputs.map((x) => x.shape));
        if (c.scale !== undefined) layer.scale!.assign(pc.scalar(c.scale));
        if (c.concatWeight !== undefined) layer.concatScoreWeight!.assign(pc.scalar(c.concatWeight));
        const asMask = (values: number[] | undefined, steps: number) => (values ? pc.tensor(values.map((m) => m === 1), [BATCH, steps], 'bool') : null);
        const masks = [asMask(c.queryMask, c.tq), asMask(c.valueMask, c.tv)];
        const kwargs: pc.CallKwargs = { ...(masks.some((m) => m) ? { mask: masks } : {}), ...(c.causal ? { useCausalMask: true } : {}) };
        return { layer, inputs, masks, kwargs };
      };

      it('the output and the weights it returns match the float64 loops; computeOutputShape agrees', () => {
        const { layer, inputs, masks, kwargs } = setUp(true);
        const [output, weights] = layer.apply(inputs, kwargs) as pc.Tensor[];
        const want = attentionReference(c, qValues, vValues, keyValues);
        recordError('values', output!.dataSync(), want.output);
        expectClose(output!.dataSync(), want.output, 1e-5, 1e-6);
        expectClose(weights!.dataSync(), want.weights, 1e-5, 1e-6);
        expect(layer.computeOutputShape(inputs.map((x) => [null, ...x.shape.slice(1)]))).toEqual([[null, c.tq, c.dv], [null, c.tq, c.tv]]);
        expect([output!.shape, weights!.shape]).toEqual([[BATCH, c.tq, c.dv], [BATCH, c.tq, c.tv]]);
        pc.dispose([...inputs, ...masks.filter((m) => m !== null), output!, weights!]);
      });

      it('gradients w.r.t. the query, the value and the key match central finite differences', () => {
        const { layer, inputs, masks, kwargs } = setUp();
        const outputWeights = draws(BATCH * c.tq * c.dv, 9, -1, 1);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          inputs.forEach((x) => tape.watch(x));
          const loss = tape.record(() => pc.sum(pc.mul(layer.apply(inputs, kwargs) as pc.Tensor, pc.tensor(outputWeights, [BATCH, c.tq, c.dv]))));
          return tape.gradient(loss, inputs).map((g) => Array.from(g!.dataSync()));
        });
        const wants = [
          finiteDifferences(qValues, outputWeights, (moved) => attentionReference(c, moved, vValues, keyValues).output),
          finiteDifferences(vValues, outputWeights, (moved) => attentionReference(c, qValues, moved, c.withKey ? kValues : moved).output),
          ...(c.withKey ? [finiteDifferences(kValues, outputWeights, (moved) => attentionReference(c, qValues, vValues, moved).output)] : []),
        ];
        wants.forEach((want, i) => {
          recordError('gradients', got[i]!, want);
          expectClose(got[i]!, want, 1e-3, 1e-4);
        });
        pc.dispose([...inputs, ...masks.filter((m) => m !== null)]);
      });
    });

    it('in a functional model, masks from Embedding(maskZero) keep padded value steps out and the query\'s mask goes on: padded sequences give what unpadded ones do', () => {
      const make = (queryLength: number, valueLength: number) => {
        const [queryTokens, valueTokens] = [pc.Input({ shape: [queryLength], dtype: 'int32' }), pc.Input({ shape: [valueLength], dtype: 'int32' })];
        const embedding = new pc.Embedding({ inputDim: 6, outputDim: 4, maskZero: true });
        const attended = new pc.Attention({ useScale: true }).apply([embedding.apply(queryTokens), embedding.apply(valueTokens)]);
        return new pc.Model({ inputs: [queryTokens, valueTokens], outputs: new pc.Dense(1).apply(new pc.GlobalAveragePooling1D().apply(attended)) });
      };
      const [padded, unpadded] = [make(4, 5), make(2, 3)];
      unpadded.setWeights(padded.getWeights());
      const x = [pc.tensor([[2, 5, 0, 0], [0, 0, 2, 5]], [2, 4], 'int32'), pc.tensor([[0, 1, 3, 0, 4], [1, 3, 4, 0, 0]], [2, 5], 'int32')];
      const alone = [pc.tensor([[2, 5], [2, 5]], [2, 2], 'int32'), pc.tensor([[1, 3, 4], [1, 3, 4]], [2, 3], 'int32')];
      const [y, want] = [padded.predict(x) as pc.Tensor, unpadded.predict(alone) as pc.Tensor];
      expectClose(y.dataSync(), want.dataSync(), 1e-5, 1e-6);
      pc.dispose([...x, ...alone, y, want]);
      [padded, unpadded].forEach((m) => m.dispose());
    });

    it('dropout drops attention weights in training only; default names and configs round trip', () => {
      const [q, v] = [pc.tensor(draws(2 * 3 * 2, 4, -1, 1), [2, 3, 2]), pc.tensor(draws(2 * 5 * 2, 5, -1, 1), [2, 5, 2])];
      const dropping = new pc.Attention({ dropout: 0.5 });
      const plain = new pc.Attention();
      const [inference, reference, training] = [dropping.apply([q, v]), plain.apply([q, v]), dropping.apply([q, v], { training: true })] as pc.Tensor[];
      expect(Array.from(inference.dataSync())).toEqual(Array.from(reference.dataSync()));
      expect(Array.from(training.dataSync())).not.toEqual(Array.from(reference.dataSync()));
      expect(plain.name).toMatch(/^attention(_\d+)?$/);
      const again = pc.deserializeLayer(pc.serializeLayer(new pc.Attention({ useScale: true, scoreMode: 'concat', dropout: 0.25, returnAttentionScores: true, name: 'a' })));
      expect(again.getConfig()).toMatchObject({ useScale: true, scoreMode: 'concat', dropout: 0.25, returnAttentionScores: true, name: 'a' });
      pc.dispose([q, v, inference!, reference!, training!]);
    });

    it('bad settings and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.Attention({ scoreMode: 'additive' as pc.AttentionScoreMode })).toThrow(`Attention: scoreMode must be 'dot' or 'concat', got "additive"`);
      expect(() => new pc.Attention({ dropout: 1 })).toThrow('Attention: dropout must be in [0, 1), got 1');
      const layer = new pc.Attention({ name: 'att' });
      const [q, v, flat, shortKey] = [pc.ones([2, 3, 2]), pc.ones([2, 4, 2]), pc.ones([2, 4]), pc.ones([2, 3, 2])];
      expect(() => layer.apply([q, flat])).toThrow("Attention 'att': expected [query, value] or [query, value, key], each [batch, steps, features], got [2,3,2], [2,4]");
      expect(() => layer.apply([q, v, shortKey])).toThrow("Attention 'att': expected the value and the key to have as many steps, got [2,3,2], [2,4,2], [2,3,2]");
      expect(() => layer.apply([q, pc.ones([2, 4, 3])], { useCausalMask: false, mask: [null, pc.ones([2, 3], 'bool')] })).toThrow("Attention 'att': expected the query and the key to have as many features, got [2,3,2], [2,4,3]");
      expect(() => layer.apply([q, v], { mask: [null, pc.ones([2, 3], 'bool')] })).toThrow("Attention 'att' (value): expected a mask of shape [2,4] ([batch, timesteps] of the input [2,4,2]), got [2,3]");
      pc.dispose([q, v, flat, shortKey]);
    });

    it('a model with Attention learns with fit, saves and loads, and a training step leaks nothing', async () => {
      const n = 64;
      const x = pc.tensor(draws(n * 4 * 3, 11, -1, 1), [n, 4, 3]);
      // The target: the mean over the steps of each sequence's first feature.
      const y = pc.tidy(() => pc.reshape(pc.mean(pc.slice(x, [0, 0, 0], [-1, -1, 1]), [1, 2]), [n, 1]));
      const input = pc.Input({ shape: [4, 3] });
      const attended = new pc.Attention({ useScale: true }).apply([input, input]);
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
