// Four small Keras 3 layers. Identity: inputs (one or a list) and masks pass through.
// ActivityRegularization: (l1·Σ|x| + l2·Σx²) / batch of its output joins the layer's losses and
// fit's loss. AlphaDropout: each entry, replayed from the seed, is a·x + b kept or a·(−λα) + b
// dropped, a and b from Klambauer et al.'s formula; SELU's mean 0 and variance 1 survive on large
// inputs; nothing happens outside training. AdditiveAttention: against float64 loops of
// Σ scale·tanh(query + key), its gradients, a Keras 3 description read with its weights. Each:
// configs, save/load, training, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, softmaxRow } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

const SEED = 17;
const sumOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
const meanOf = (v: readonly number[]): number => sumOf(v) / v.length;
const valuesOf = (t: pc.Tensor | pc.Tensor[]): number[] => Array.from((t as pc.Tensor).dataSync());

/** SELU's saturation −λα, and alpha dropout's a and b at `rate` (Klambauer et al., 2017). */
const SATURATION = -1.6732632423543772 * 1.0507009873554805;
function alphaAffine(rate: number): { a: number; b: number } {
  const a = ((1 - rate) * (1 + rate * SATURATION ** 2)) ** -0.5;
  return { a, b: -a * SATURATION * rate };
}

/** Which of `count` entries a layer seeded with SEED keeps at `rate`: a draw >= rate. */
const replayedKeeps = (count: number, rate: number): boolean[] => {
  const generator = new pc.RandomGenerator(SEED);
  return Array.from({ length: count }, () => generator.nextFloat() >= rate);
};

/** `count` N(0, 1) draws in float32. */
function normals(count: number, seed: number): number[] {
  const generator = new pc.RandomGenerator(seed);
  return Array.from({ length: count }, () => Math.fround(generator.nextNormal()));
}

interface AdditiveCase {
  name: string;
  config: pc.AdditiveAttentionConfig;
  tq: number;
  tv: number;
  /** Features of the query and key, and of the value. */
  d: number;
  dv: number;
  withKey?: boolean;
  /** [batch 2, tv] and [batch 2, tq], 1 at data. */
  valueMask?: number[];
  queryMask?: number[];
  causal?: boolean;
}

const BATCH = 2;
const ADDITIVE_CASES: AdditiveCase[] = [
  { name: 'query and value, learned scale', config: {}, tq: 3, tv: 4, d: 2, dv: 2 },
  { name: 'with a key and a value mask, value of other features', config: {}, tq: 2, tv: 3, d: 3, dv: 2, withKey: true, valueMask: [1, 0, 1, 1, 1, 0] },
  { name: 'causal with a query mask, useScale false', config: { useScale: false }, tq: 3, tv: 3, d: 2, dv: 2, causal: true, queryMask: [1, 1, 0, 0, 1, 1] },
];

/** Keras 3's AdditiveAttention in float64: scores Σ_f scale_f·tanh(q_if + k_jf), hidden steps −1e9, softmax, weighted values. */
function additiveReference(c: AdditiveCase, q: readonly number[], v: readonly number[], k: readonly number[], scale: readonly number[] | null): { output: number[]; weights: number[] } {
  const [output, weights]: number[][] = [[], []];
  for (let b = 0; b < BATCH; b++) {
    for (let i = 0; i < c.tq; i++) {
      const scores = Array.from({ length: c.tv }, (_, j) => {
        const raw = sumOf(Array.from({ length: c.d }, (_, f) => (scale ? scale[f]! : 1) * Math.tanh(q[(b * c.tq + i) * c.d + f]! + k[(b * c.tv + j) * c.d + f]!)));
        return (c.valueMask && c.valueMask[b * c.tv + j] === 0) || (c.causal && j > i) ? raw - 1e9 : raw;
      });
      const row = softmaxRow(scores);
      weights.push(...row);
      const kept = c.queryMask ? c.queryMask[b * c.tq + i]! : 1;
      for (let f = 0; f < c.dv; f++) output.push(kept * sumOf(row.map((w, j) => w * v[(b * c.tv + j) * c.dv + f]!)));
    }
  }
  return { output, weights };
}

const recordError = errorRecorder('small layers');

for (const backend of MODEL_BACKENDS) {
  describe(`small Keras layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('Identity returns a tensor or a list unchanged, with the shapes it was given', () => {
      const [a, b] = [pc.tensor(draws(6, 1, -1, 1), [2, 3]), pc.tensor(draws(4, 2, -1, 1), [2, 2])];
      const identity = new pc.Identity();
      expect(valuesOf(identity.apply(a))).toEqual(valuesOf(a));
      expect((identity.apply([a, b]) as pc.Tensor[]).map(valuesOf)).toEqual([valuesOf(a), valuesOf(b)]);
      expect(identity.computeOutputShape([null, 3])).toEqual([null, 3]);
      expect(identity.computeOutputShape([[null, 3], [null, 2]])).toEqual([[null, 3], [null, 2]]);
      pc.dispose([a, b]);
    });

    it("Identity keeps the mask: after Embedding(maskZero), an LSTM gives padded sequences what it gives them unpadded", async () => {
      const make = (steps: number) => {
        const tokens = pc.Input({ shape: [steps], dtype: 'int32' });
        const embedded = new pc.Identity().apply(new pc.Embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(tokens));
        return new pc.Model({ inputs: tokens, outputs: new pc.Dense(1).apply(new pc.LSTM(2).apply(embedded)) });
      };
      const [padded, alone] = [make(4), make(2)];
      alone.setWeights(padded.getWeights());
      const [x, short] = [pc.tensor([[2, 5, 0, 0], [4, 1, 0, 0]], [2, 4], 'int32'), pc.tensor([[2, 5], [4, 1]], [2, 2], 'int32')];
      const [y, want] = [padded.predict(x) as pc.Tensor, alone.predict(short) as pc.Tensor];
      expectClose(y.dataSync(), want.dataSync(), 1e-5, 1e-6);
      await expectSaveLoadRoundTrip(padded, x, padded.layers.filter((l) => l instanceof pc.Identity));
      pc.dispose([x, short, y, want]);
      [padded, alone].forEach((m) => m.dispose());
    });

    it('ActivityRegularization passes inputs through and adds (l1·Σ|x| + l2·Σx²) / batch, with its gradient', () => {
      const values = draws(12, 3, -2, 2);
      const x = pc.tensor(values, [4, 3]);
      const layer = new pc.ActivityRegularization({ l1: 0.3, l2: 0.05 });
      const penalty = (v: readonly number[]) => (0.3 * sumOf(v.map(Math.abs)) + 0.05 * sumOf(v.map((u) => u * u))) / 4;
      const [output, losses, gradient] = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const total = tape.record(() => {
          layer.apply(x);
          return layer.losses.reduce((total, loss) => pc.add(total, loss));
        });
        return [valuesOf(layer.apply(x)), layer.losses.map(valuesOf), valuesOf(tape.gradient(total, [x])[0]!)];
      });
      expect(output).toEqual(values);
      recordError('activity penalty', losses.flat(), [penalty(values)]);
      expect(losses).toHaveLength(1);
      expectClose(losses[0]!, [penalty(values)], 1e-6);
      expectClose(gradient, finiteDifferences(values, [1], (moved) => [penalty(moved)]), 1e-4, 1e-6);
      x.dispose();
    });

    it("ActivityRegularization's penalty is part of the loss fit minimizes and evaluate reports", async () => {
      const dense = new pc.Dense(2, { name: 'features' });
      const model = new pc.Sequential([pc.Input({ shape: [3] }), dense, new pc.ActivityRegularization({ l1: 0.02, l2: 0.1 })]);
      model.compile({ optimizer: new pc.SGD({ learningRate: 0 }), loss: 'mse' });
      const [x, y] = [pc.tensor(draws(15, 4, -1, 1), [5, 3]), pc.tensor(draws(10, 5, -1, 1), [5, 2])];
      const outputs = valuesOf(pc.tidy(() => dense.apply(x)));
      const mse = meanOf(outputs.map((o, i) => (o - y.dataSync()[i]!) ** 2));
      const want = mse + (0.02 * sumOf(outputs.map(Math.abs)) + 0.1 * sumOf(outputs.map((o) => o * o))) / 5;
      const [evaluated] = await model.evaluate(x, y, { verbose: 0 });
      const fitted = (await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 })).history['loss']![0]!;
      expectClose([evaluated!, fitted], [want, want], 1e-5);
      pc.dispose([x, y]);
      model.dispose();
    });

    it.each([[[4, 6], null], [[3, 4, 5], [null, 1, null]]] as const)('AlphaDropout on %j (noiseShape %j): a·x + b where kept, a·(−λα) + b where dropped, replayed from the seed; gradient a or 0; nothing outside training', (shape, noiseShape) => {
      const rate = 0.3;
      const values = draws(shape.reduce<number>((m, d) => m * d, 1), 6, -2, 2);
      const x = pc.tensor(values, [...shape]);
      const layer = new pc.AlphaDropout(rate, { seed: SEED, ...(noiseShape ? { noiseShape: [...noiseShape] } : {}) });
      const [training, gradient] = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const y = tape.record(() => layer.apply(x, { training: true }));
        return [valuesOf(y), valuesOf(tape.gradient(y, [x])[0]!)];
      });
      const maskShape = shape.map((d, i) => (noiseShape?.[i] === 1 ? 1 : d));
      const keeps = replayedKeeps(maskShape.reduce<number>((m, d) => m * d, 1), rate);
      // Entry (i, j, k) of [3, 4, 5] reads mask entry (i, k) of [3, 1, 5].
      const keptAt = (flat: number) => keeps[noiseShape ? Math.floor(flat / (shape[1]! * shape[2]!)) * shape[2]! + (flat % shape[2]!) : flat]!;
      const { a, b } = alphaAffine(rate);
      const want = values.map((v, i) => (keptAt(i) ? a * v + b : a * SATURATION + b));
      recordError('AlphaDropout values', training, want);
      expect(keeps.some((k) => !k) && keeps.some((k) => k), 'some kept, some dropped').toBe(true);
      expectClose(training, want, 1e-6, 1e-6);
      expectClose(gradient, values.map((_, i) => (keptAt(i) ? a : 0)), 1e-6, 1e-7);
      expect(valuesOf(pc.tidy(() => layer.apply(x)))).toEqual(values);
      expect(valuesOf(pc.tidy(() => new pc.AlphaDropout(0).apply(x, { training: true })))).toEqual(values);
      x.dispose();
    });

    it.each([0.05, 0.2, 0.5])('AlphaDropout at rate %d keeps the mean 0 and variance 1 of 200000 standard normal inputs, dropping that fraction', (rate) => {
      const values = normals(200_000, 7);
      const x = pc.tensor(values, [2000, 100]);
      const out = valuesOf(pc.tidy(() => new pc.AlphaDropout(rate, { seed: 3 }).apply(x, { training: true })));
      const mean = meanOf(out);
      const variance = meanOf(out.map((v) => (v - mean) ** 2));
      const { a, b } = alphaAffine(rate);
      const dropped = out.filter((v) => Math.abs(v - (a * SATURATION + b)) < 1e-6).length / out.length;
      expect(Math.abs(mean), 'mean').toBeLessThan(0.01);
      expect(Math.abs(variance - 1), 'variance').toBeLessThan(0.02);
      expect(Math.abs(dropped - rate), 'fraction dropped').toBeLessThan(0.005);
      x.dispose();
    });

    it('AlphaDropout: one seed repeats its draws; one layer draws anew at each call; setSeed repeats an unseeded layer', () => {
      const x = pc.tensor(draws(40, 8, -1, 1), [4, 10]);
      const run = (layer: pc.Layer, calls = 1) => pc.tidy(() => Array.from({ length: calls }, () => valuesOf(layer.apply(x, { training: true }))));
      const [first, second] = run(new pc.AlphaDropout(0.4, { seed: 9 }), 2);
      expect(run(new pc.AlphaDropout(0.4, { seed: 9 }))[0]).toEqual(first);
      expect(second).not.toEqual(first);
      pc.setSeed(12);
      const unseeded = run(new pc.AlphaDropout(0.4))[0];
      pc.setSeed(12);
      expect(run(new pc.AlphaDropout(0.4))[0]).toEqual(unseeded);
      x.dispose();
    });

    it('a SELU model with AlphaDropout and ActivityRegularization trains with fit, saves and loads, and a step leaks nothing', async () => {
      const x = pc.tensor(draws(64 * 4, 10, -1, 1), [64, 4]);
      const y = pc.tidy(() => pc.cast(pc.greater(pc.sum(x, 1, true), 0), 'float32'));
      const model = new pc.Sequential([
        pc.Input({ shape: [4] }), new pc.Dense(16, { activation: 'selu' }),
        new pc.AlphaDropout(0.1, { seed: 2 }), new pc.ActivityRegularization({ l2: 1e-3 }), new pc.Identity(), new pc.Dense(1, { activation: 'sigmoid' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
      const losses = (await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 })).history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.6 * losses[0]!);
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    describe.each(ADDITIVE_CASES)('AdditiveAttention, $name', (c) => {
      const [q, v, k] = [draws(BATCH * c.tq * c.d, 11, -1, 1), draws(BATCH * c.tv * c.dv, 12, -1, 1), draws(BATCH * c.tv * c.d, 13, -1, 1)];
      const key = c.withKey ? k : v;
      const setUp = () => {
        const layer = new pc.AdditiveAttention({ ...c.config, returnAttentionScores: true });
        const inputs = [pc.tensor(q, [BATCH, c.tq, c.d]), pc.tensor(v, [BATCH, c.tv, c.dv]), ...(c.withKey ? [pc.tensor(k, [BATCH, c.tv, c.d])] : [])];
        layer.ensureBuilt(inputs.map((t) => t.shape));
        const mask = (m: number[] | undefined, steps: number) => (m ? pc.tensor(m.map((x) => x === 1), [BATCH, steps], 'bool') : null);
        const masks = [mask(c.queryMask, c.tq), mask(c.valueMask, c.tv)];
        const kwargs: pc.CallKwargs = { ...(masks.some((m) => m) ? { mask: masks } : {}), ...(c.causal ? { useCausalMask: true } : {}) };
        const scale = layer.scale ? valuesOf(layer.scale) : null;
        return { layer, inputs, masks, kwargs, scale, dispose: () => pc.dispose([...inputs, ...masks.filter((m) => m !== null)]) };
      };

      it('output and weights match the float64 loops; its scale is Keras\'s: [features], Glorot-uniform', () => {
        const { layer, inputs, kwargs, scale, dispose } = setUp();
        const [output, weights] = layer.apply(inputs, kwargs) as pc.Tensor[];
        const want = additiveReference(c, q, v, key, scale);
        recordError('AdditiveAttention values', output!.dataSync(), want.output);
        expectClose(output!.dataSync(), want.output, 1e-5, 1e-6);
        expectClose(weights!.dataSync(), want.weights, 1e-5, 1e-6);
        expect(layer.weights.map((w) => w.shape)).toEqual(c.config.useScale === false ? [] : [[c.d]]);
        // Drawn, not a constant (Attention's scalars start at 1): distinct, within Glorot's bound √(6 / (d + d)).
        expect((scale ?? []).every((s) => Math.abs(s) <= Math.sqrt(6 / (2 * c.d)))).toBe(true);
        expect(new Set(scale ?? []).size).toBe(scale?.length ?? 0);
        pc.dispose([output!, weights!]);
        dispose();
      });

      it('gradients w.r.t. the query, value, key and scale match central finite differences', () => {
        const { layer, inputs, kwargs, scale, dispose } = setUp();
        const outputWeights = draws(BATCH * c.tq * c.dv, 14, -1, 1);
        const sources = [...inputs, ...(layer.scale ? [layer.scale] : [])];
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          inputs.forEach((t) => tape.watch(t));
          const loss = tape.record(() => pc.sum(pc.mul((layer.apply(inputs, kwargs) as pc.Tensor[])[0]!, pc.tensor(outputWeights, [BATCH, c.tq, c.dv]))));
          return tape.gradient(loss, sources).map((g) => valuesOf(g!));
        });
        const output = (qq: number[], vv: number[], kk: number[], ss: number[] | null) => additiveReference(c, qq, vv, c.withKey ? kk : vv, ss).output;
        const wants = [
          finiteDifferences(q, outputWeights, (m) => output(m, v, k, scale)),
          finiteDifferences(v, outputWeights, (m) => output(q, m, k, scale)),
          ...(c.withKey ? [finiteDifferences(k, outputWeights, (m) => output(q, v, m, scale))] : []),
          ...(scale ? [finiteDifferences(scale, outputWeights, (m) => output(q, v, k, m))] : []),
        ];
        wants.forEach((want, i) => {
          recordError('AdditiveAttention gradients', got[i]!, want);
          expectClose(got[i]!, want, 1e-3, 1e-4);
        });
        dispose();
      });
    });

    it('AdditiveAttention reads a Keras 3 description with its weights through loadLayersModel, trains, saves and loads', async () => {
      const c = ADDITIVE_CASES[0]!;
      const scale = draws(c.d, 15, -1, 1);
      const model = await pc.loadLayersModel(kerasAdditiveFiles(c, scale));
      const layer = model.layers.find((l) => l instanceof pc.AdditiveAttention)!;
      expect(layer.getConfig()).toEqual({ name: 'additive_attention', trainable: true, dtype: 'float32', useScale: true, dropout: 0, returnAttentionScores: false });
      const [q, v] = [draws(BATCH * c.tq * c.d, 16, -1, 1), draws(BATCH * c.tv * c.dv, 17, -1, 1)];
      const x = [pc.tensor(q, [BATCH, c.tq, c.d]), pc.tensor(v, [BATCH, c.tv, c.dv])];
      const y = model.predict(x) as pc.Tensor;
      expectClose(y.dataSync(), additiveReference(c, q, v, v, scale).output, 1e-5, 1e-6);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'mse' });
      const losses = (await model.fit(x, pc.zerosLike(y), { epochs: 5, verbose: 0 })).history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      await expectSaveLoadRoundTrip(model, x, [layer]);
      pc.dispose([...x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);

    it('AdditiveAttention drops attention weights in training only', () => {
      const [q, v] = [pc.tensor(draws(12, 18, -1, 1), [2, 3, 2]), pc.tensor(draws(20, 19, -1, 1), [2, 5, 2])];
      const layer = new pc.AdditiveAttention({ dropout: 0.5 });
      const [inference, training] = pc.tidy(() => [layer.apply([q, v]), layer.apply([q, v], { training: true })].map(valuesOf));
      const plain = new pc.AdditiveAttention();
      plain.ensureBuilt([q.shape, v.shape]);
      plain.scale!.assign(layer.scale!);
      expect(inference).toEqual(valuesOf(pc.tidy(() => plain.apply([q, v]))));
      expect(training).not.toEqual(inference);
      pc.dispose([q, v]);
    });
  });
}

/** A converter's files for a Keras 3 functional model of AdditiveAttention([query, value]) and its scale. */
function kerasAdditiveFiles(c: AdditiveCase, scale: number[]): pc.FileStore {
  const [query, value] = [{ name: 'query', shape: [c.tq, c.d] }, { name: 'value', shape: [c.tv, c.dv] }];
  return keras3Files({
    inputs: [query, value],
    layers: [{
      className: 'AdditiveAttention', name: 'additive_attention', config: { use_scale: true, dropout: 0.0 },
      reads: [query, value].map(({ name, shape }) => ({ layer: name, shape: [null, ...shape] })),
    }],
    weights: [{ name: 'additive_attention/scale:0', shape: [c.d], values: scale }],
  });
}

describe('small Keras layers: configs and bad settings', () => {
  it('configs round trip; each writes what Keras writes', () => {
    const layers = [
      new pc.Identity({ name: 'id' }), new pc.ActivityRegularization({ l1: 0.1, l2: 0.2 }), new pc.AlphaDropout(0.2, { noiseShape: [null, 1], seed: 4 }),
      new pc.AdditiveAttention({ useScale: false, dropout: 0.25, returnAttentionScores: true }),
    ];
    for (const layer of layers) {
      const again = pc.deserializeLayer(pc.serializeLayer(layer));
      expect(again.constructor).toBe(layer.constructor);
      expect({ ...again.getConfig(), name: layer.name }).toEqual(layer.getConfig());
    }
    expect(layers[1]!.getConfig()).toEqual({ name: layers[1]!.name, trainable: true, dtype: 'float32', l1: 0.1, l2: 0.2 });
    expect(layers[2]!.getConfig()).toMatchObject({ rate: 0.2, noiseShape: [null, 1], seed: 4 });
    expect('scoreMode' in layers[3]!.getConfig()).toBe(false);
    expect(new pc.AdditiveAttention().useScale).toBe(true);
    expect(new pc.AlphaDropout(0.1).name).toMatch(/^alpha_dropout(_\d+)?$/);
  });

  it('bad settings and inputs are errors naming the layer, the option, what it expects and what it got', () => {
    const cases: [() => unknown, string][] = [
      [() => new pc.Identity({ units: 3 } as never), "Identity: unknown option 'units'"],
      [() => new pc.ActivityRegularization({ l1: -1 }), 'ActivityRegularization: l1 must be a non-negative number, got -1'],
      [() => new pc.ActivityRegularization({ l2: 'a lot' as never }), 'ActivityRegularization: l2 must be a non-negative number, got "a lot"'],
      [() => new pc.ActivityRegularization({ activityRegularizer: 'l2' } as never), 'ActivityRegularization: activityRegularizer is not an option; l1 and l2 set the penalty'],
      [() => new pc.AlphaDropout(1.5), 'AlphaDropout: rate must be in [0, 1], got 1.5'],
      [() => new pc.AlphaDropout(1), 'AlphaDropout: rate must be below 1 (dropping every value leaves no variance to restore), got 1'],
      [() => new pc.AlphaDropout(0.5, { noiseShape: [0, null] }), 'AlphaDropout: noiseShape must be a list of positive integers or nulls, got [0,null]'],
      [() => new pc.AlphaDropout(0.5, { seeds: 1 } as never), "AlphaDropout: unknown option 'seeds'"],
      [() => new pc.AdditiveAttention({ scoreMode: 'dot' } as never), "AdditiveAttention: unknown option 'scoreMode'; it always scores Σ scale·tanh(query + key)"],
      [() => new pc.AdditiveAttention({ dropout: 1 }), 'AdditiveAttention: dropout must be in [0, 1), got 1'],
      [() => new pc.AdditiveAttention({ units: 4 } as never), "AdditiveAttention: unknown option 'units'"],
      [() => pc.tidy(() => new pc.AdditiveAttention({ name: 'att' }).apply([pc.ones([2, 3, 2]), pc.ones([2, 4, 3])])), "AdditiveAttention 'att': expected the query and the key to have as many features, got [2,3,2], [2,4,3]"],
      [() => pc.tidy(() => new pc.AlphaDropout(0.5, { name: 'd', noiseShape: [null, 2] }).apply(pc.ones([2, 3]), { training: true })), "AlphaDropout 'd': noiseShape [null,2] does not broadcast to inputs of shape [2,3]"],
    ];
    for (const [make, message] of cases) expect(make).toThrow(message);
  });
});
