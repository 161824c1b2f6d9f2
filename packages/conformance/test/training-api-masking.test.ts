// Masks, as Keras's: Embedding (maskZero) and Masking mark padding steps, models carry the mask
// from layer to layer, and SimpleRNN, LSTM, GRU and Bidirectional skip the steps it marks. Held
// to the float64 recurrence run on each sample's unpadded steps alone (values, and gradients by
// central finite differences), to the same model on unpadded sequences, and through training,
// saving and leaks.
import * as pc from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS, TRAINING_TIMEOUT } from './training-api-model-support.js';
import { builtLayer } from './recurrent-layer-setup.js';
import { recurrentReference, type RecurrentCase, type Weights } from './recurrent-reference.js';

interface MaskedCase extends RecurrentCase {
  name: string;
  /** [batch, timesteps], 1 at data and 0 at padding: leading and trailing padding, gaps, a sample of padding alone. */
  mask: number[];
}

const CASES: MaskedCase[] = [
  { name: 'SimpleRNN, last state, padding after', kind: 'SimpleRNN', shape: [2, 4, 3], units: 3, config: {}, mask: [1, 1, 1, 0, 1, 1, 0, 0] },
  { name: 'SimpleRNN, sequences, backwards, padding before', kind: 'SimpleRNN', shape: [2, 4, 2], units: 2, config: { returnSequences: true, goBackwards: true }, mask: [0, 1, 1, 1, 0, 0, 1, 1] },
  { name: 'LSTM, sequences, a gap and a sample of padding alone', kind: 'LSTM', shape: [3, 4, 3], units: 3, config: { returnSequences: true }, mask: [1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1] },
  { name: 'LSTM, last state, backwards, padding after', kind: 'LSTM', shape: [2, 5, 2], units: 2, config: { goBackwards: true }, mask: [1, 1, 1, 0, 0, 1, 0, 1, 1, 0] },
  { name: 'GRU, last state, padding before', kind: 'GRU', shape: [2, 4, 3], units: 3, config: {}, mask: [0, 0, 1, 1, 1, 1, 1, 0] },
  { name: 'GRU resetAfter false, sequences, backwards, a gap', kind: 'GRU', shape: [2, 4, 2], units: 2, config: { resetAfter: false, returnSequences: true, goBackwards: true }, mask: [1, 0, 0, 1, 1, 1, 0, 1] },
];

/**
 * What the masked layer gives, in float64: each sample's data steps alone run through the
 * recurrence (zeros for a sample of padding alone); with returnSequences, each data step's output
 * at its place in reading order and zeros at padding.
 */
function maskedReference(c: MaskedCase, x: readonly number[], w: Weights): number[] {
  const [batch, timesteps, features] = c.shape;
  const returnSequences = c.config.returnSequences ?? false;
  return Array.from({ length: batch }, (_, b) => {
    const kept = Array.from({ length: timesteps }, (_, t) => t).filter((t) => c.mask[b * timesteps + t] === 1);
    const steps = kept.flatMap((t) => x.slice((b * timesteps + t) * features, (b * timesteps + t + 1) * features));
    const { output, states } = recurrentReference({ ...c, shape: [1, kept.length, features] }, steps, w);
    if (!returnSequences) return states[0]!;
    const reading = Array.from({ length: timesteps }, (_, s) => (c.config.goBackwards ? timesteps - 1 - s : s));
    let next = 0;
    return reading.flatMap((t) => (c.mask[b * timesteps + t] === 1 ? output.slice(c.units * next, c.units * ++next) : new Array<number>(c.units).fill(0)));
  }).flat();
}

const recordError = errorRecorder('masking');

/** Sequences of up to 6 tokens in [1, 5), padded with 0 before (odd rows) or after; labelled by whether their tokens sum to more than 2.5 per token. */
function paddedTokenTask(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const rows = Array.from({ length: n }, (_, i) => {
    const length = 2 + Math.floor(generator.nextFloat() * 5);
    const tokens = Array.from({ length }, () => 1 + Math.floor(generator.nextFloat() * 4));
    const padding = new Array<number>(6 - length).fill(0);
    return { tokens: i % 2 === 1 ? [...padding, ...tokens] : [...tokens, ...padding], label: tokens.reduce((s, v) => s + v, 0) > 2.5 * length ? 1 : 0 };
  });
  return { x: pc.tensor(rows.flatMap((r) => r.tokens), [n, 6], 'int32'), y: pc.tensor(rows.map((r) => r.label), [n, 1]) };
}

/** Input int32 [timesteps] → Embedding(maskZero) → LSTM(4) → Dense(1, sigmoid). */
function maskedClassifier(timesteps: number): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [timesteps], dtype: 'int32' }),
    new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true }),
    new pc.LSTM(4),
    new pc.Dense(1, { activation: 'sigmoid' }),
  ]);
}

for (const backend of MODEL_BACKENDS) {
  describe(`masking on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });
    afterEach(() => vi.restoreAllMocks());

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(c.shape[0] * c.shape[1] * c.shape[2], 1, -1, 1);

      it('apply(x, {mask}) matches the float64 recurrence over each sample\'s data steps alone', () => {
        const { layer, weights } = builtLayer(c);
        const [x, mask] = [pc.tensor(xValues, c.shape), pc.tensor(c.mask, c.shape.slice(0, 2), 'int32')];
        const y = layer.apply(x, { mask: pc.notEqual(mask, 0) });
        const want = maskedReference(c, xValues, weights);
        recordError('recurrent values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        // A numeric mask reads as Keras reads it: nonzero is data.
        const numeric = layer.apply(x, { mask });
        expect(Array.from(numeric.dataSync())).toEqual(Array.from(y.dataSync()));
        pc.dispose([x, mask, y, numeric]);
        layer.dispose();
      });

      it('the gradient w.r.t. the input matches central finite differences, and is zero at padding', () => {
        const { layer, weights } = builtLayer(c);
        const x = pc.tensor(xValues, c.shape);
        const mask = pc.tensor(c.mask.map((m) => m === 1), c.shape.slice(0, 2), 'bool');
        const outputSize = maskedReference(c, xValues, weights).length;
        const outputWeights = draws(outputSize, 9, -1, 1);
        const got = pc.tidy(() => {
          const tape = new pc.GradientTape();
          tape.watch(x);
          const loss = tape.record(() => {
            const y = layer.apply(x, { mask });
            return pc.sum(pc.mul(y, pc.tensor(outputWeights, y.shape)));
          });
          return Array.from(tape.gradient(loss, x)!.dataSync());
        });
        const want = finiteDifferences(xValues, outputWeights, (moved) => maskedReference(c, moved, weights));
        recordError('recurrent gradients', got, want);
        expectClose(got, want, 1e-3, 1e-4);
        const features = c.shape[2];
        const atPadding = got.filter((_, i) => c.mask[Math.floor(i / features)] === 0);
        expect(atPadding.every((g) => g === 0)).toBe(true);
        pc.dispose([x, mask]);
        layer.dispose();
      });
    });

    it('Embedding with maskZero gives a mask false at index 0; its config keeps maskZero', () => {
      const embedding = new pc.Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
      const tokens = pc.tensor([[2, 0, 3], [0, 0, 1]], [2, 3], 'int32');
      const mask = embedding.computeMask(tokens, null) as pc.Tensor;
      expect([mask.dtype, mask.shape, Array.from(mask.dataSync())]).toEqual(['bool', [2, 3], [1, 0, 1, 0, 0, 1]]);
      expect(new pc.Embedding({ inputDim: 4, outputDim: 2 }).computeMask(tokens, null)).toBeNull();
      expect(pc.deserializeLayer(pc.serializeLayer(embedding)).getConfig()).toMatchObject({ maskZero: true });
      pc.dispose([tokens, mask]);
    });

    it('Masking zeroes the steps whose every feature is maskValue, and masks them', () => {
      const masking = new pc.Masking({ maskValue: -1 });
      const values = [1, -1, -1, -1, 0, 2, -1, -1, -1, -1, 3, -1];
      const x = pc.tensor(values, [2, 3, 2]);
      const y = masking.apply(x);
      const padding = [false, true, false, true, true, false];
      // −1·0 is −0; + 0 makes it 0.
      expect(Array.from(y.dataSync(), (v) => v + 0)).toEqual(values.map((v, i) => (padding[Math.floor(i / 2)] ? 0 : v)));
      const mask = masking.computeMask(x, null) as pc.Tensor;
      expect([mask.shape, Array.from(mask.dataSync())]).toEqual([[2, 3], padding.map((p) => (p ? 0 : 1))]);
      expect(pc.deserializeLayer(pc.serializeLayer(masking)).getConfig()).toMatchObject({ maskValue: -1 });
      expect(() => masking.apply(pc.ones([2, 3]))).toThrow(`Masking '${masking.name}': expected inputs of rank 3 or more ([batch, timesteps, features]), got shape [2,3]`);
      expect(() => new pc.Masking({ maskValue: 'x' as unknown as number })).toThrow('Masking: maskValue must be a number, got "x"');
      pc.dispose([x, y, mask]);
    });

    it('a Sequential Embedding(maskZero) → LSTM predicts for padded sequences (before, after, between) what it predicts for them unpadded', () => {
      const padded = maskedClassifier(5);
      const lengths = [3, 2];
      const unpadded = lengths.map((n) => {
        const model = maskedClassifier(n);
        model.setWeights(padded.getWeights());
        return model;
      });
      const x = pc.tensor([[3, 1, 2, 0, 0], [0, 0, 4, 2, 0], [0, 3, 0, 1, 2], [4, 0, 0, 0, 2]], [4, 5], 'int32');
      const y = padded.predict(x) as pc.Tensor;
      const alone = [
        unpadded[0]!.predict(pc.tensor([[3, 1, 2], [3, 1, 2]], [2, 3], 'int32')) as pc.Tensor,
        unpadded[1]!.predict(pc.tensor([[4, 2], [4, 2]], [2, 2], 'int32')) as pc.Tensor,
      ];
      const want = [alone[0]!.dataSync()[0]!, alone[1]!.dataSync()[0]!, alone[0]!.dataSync()[0]!, alone[1]!.dataSync()[0]!];
      // Row 2 is [3, 1, 2] with gaps; row 3 is [4, 2] with three steps of padding between.
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      pc.dispose([x, y, ...alone]);
      [padded, ...unpadded].forEach((m) => m.dispose());
    });

    it('in a functional model, Masking → Bidirectional(GRU, sequences) → TimeDistributed(Dense) zeroes padding steps and gives data steps what the unpadded sequence gets', () => {
      const make = (timesteps: number) => {
        const input = pc.Input({ shape: [timesteps, 2] });
        const read = new pc.Bidirectional(new pc.GRU(3, { returnSequences: true })).apply(new pc.Masking().apply(input));
        return new pc.Model({ inputs: input, outputs: new pc.TimeDistributed(new pc.Dense(2)).apply(read) });
      };
      const [padded, unpadded] = [make(4), make(2)];
      unpadded.setWeights(padded.getWeights());
      const data = draws(4, 7, 0.1, 1);
      const x = pc.tensor([0, 0, ...data.slice(0, 2), 0, 0, ...data.slice(2)], [1, 4, 2]);
      const y = (padded.predict(x) as pc.Tensor).dataSync();
      const alone = unpadded.predict(pc.tensor(data, [1, 2, 2])) as pc.Tensor;
      const dense = padded.layers.at(-1) as pc.TimeDistributed;
      const bias = Array.from((dense.layer as pc.Dense).bias!.dataSync());
      // Padding steps leave the GRUs as zeros, which the Dense turns into its bias.
      expectClose([...y.slice(0, 2), ...y.slice(4, 6)], [...bias, ...bias], 1e-6, 1e-7);
      expectClose([...y.slice(2, 4), ...y.slice(6, 8)], alone.dataSync(), 1e-5, 1e-6);
      pc.dispose([x, alone]);
      [padded, unpadded].forEach((m) => m.dispose());
    });

    it('GlobalAveragePooling1D after Embedding(maskZero) averages the embeddings of the data steps alone (a sample of padding alone gives NaN, as Keras\'s 0/0)', () => {
      const embedding = new pc.Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
      const tokens = [[2, 0, 3, 3], [0, 1, 0, 0], [0, 0, 0, 0]];
      for (const keepdims of [false, true]) {
        const model = new pc.Sequential([pc.Input({ shape: [4], dtype: 'int32' }), embedding, new pc.GlobalAveragePooling1D({ keepdims })]);
        const x = pc.tensor(tokens, [3, 4], 'int32');
        const y = model.predict(x) as pc.Tensor;
        const table = Array.from(embedding.embeddings!.dataSync());
        const want = tokens.flatMap((row) => {
          const data = row.filter((t) => t !== 0);
          return [0, 1].map((f) => data.reduce((s, t) => s + table[t * 2 + f]!, 0) / data.length);
        });
        expect(y.shape).toEqual(keepdims ? [3, 1, 2] : [3, 2]);
        expectClose(y.dataSync().slice(0, 4), want.slice(0, 4), 1e-6, 1e-7);
        expect(Array.from(y.dataSync().slice(4)).every(Number.isNaN)).toBe(true);
        pc.dispose([x, y]);
      }
      embedding.dispose();
    });

    it('merge layers combine their inputs\' masks as Keras: Add and the others where every mask holds data, Concatenate by its axis, Dot none', () => {
      const [a, b] = [pc.ones([2, 3, 2]), pc.ones([2, 3, 4])];
      const [first, second] = [pc.tensor([[1, 1, 0], [0, 1, 1]], [2, 3], 'bool'), pc.tensor([[1, 0, 1], [0, 1, 1]], [2, 3], 'bool')];
      const values = (mask: pc.LayerMask) => Array.from((mask as pc.Tensor).dataSync());
      const add = new pc.Add();
      expect(values(add.computeMask([a, a], [first, second]))).toEqual([1, 0, 0, 0, 1, 1]);
      expect(values(add.computeMask([a, a], [null, second]))).toEqual([1, 0, 1, 0, 1, 1]);
      expect(add.computeMask([a, a], [null, null])).toBeNull();
      // Along the features a step holds data where any input's does (an input without a mask: every step).
      const features = new pc.Concatenate();
      expect(values(features.computeMask([a, b], [first, second]))).toEqual([1, 1, 1, 0, 1, 1]);
      expect(values(features.computeMask([a, b], [first, null]))).toEqual([1, 1, 1, 1, 1, 1]);
      // Along the steps the masks follow one another.
      const steps = new pc.Concatenate({ axis: 1 });
      expect(values(steps.computeMask([a, a], [first, second]))).toEqual([1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1]);
      expect(new pc.Dot(2).computeMask([a, a], [first, second])).toBeNull();
      pc.dispose([a, b, first, second]);
    });

    it('in a functional model, an LSTM after Add of two Embeddings with maskZero skips the steps padded in either input', () => {
      const [left, right] = [pc.Input({ shape: [4], dtype: 'int32' }), pc.Input({ shape: [4], dtype: 'int32' })];
      const embedding = new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true });
      const lstm = new pc.LSTM(2);
      const model = new pc.Model({ inputs: [left, right], outputs: lstm.apply(new pc.Add().apply([embedding.apply(left), embedding.apply(right)])) });
      const [x1, x2] = [pc.tensor([[1, 2, 0, 3], [0, 4, 4, 1]], [2, 4], 'int32'), pc.tensor([[2, 0, 1, 3], [1, 1, 2, 0]], [2, 4], 'int32')];
      const y = model.predict([x1, x2]) as pc.Tensor;
      const both = pc.tensor([[true, false, false, true], [false, true, true, false]], [2, 4], 'bool');
      const byHand = pc.tidy(() => lstm.apply(pc.add(embedding.apply(x1), embedding.apply(x2)), { mask: both }));
      expect(Array.from(y.dataSync())).toEqual(Array.from(byHand.dataSync()));
      pc.dispose([x1, x2, y, both, byHand]);
      model.dispose();
    });

    it('a Sequential nested in a functional model gives its output the mask its layers made, so the LSTM after it skips padding', () => {
      const make = (timesteps: number) => {
        const tokens = pc.Input({ shape: [timesteps], dtype: 'int32' });
        const encoder = new pc.Sequential([new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true }), new pc.LSTM(3, { returnSequences: true })]);
        return new pc.Model({ inputs: tokens, outputs: new pc.Dense(1).apply(new pc.LSTM(2).apply(encoder.apply(tokens))) });
      };
      const [padded, unpadded] = [make(5), make(3)];
      unpadded.setWeights(padded.getWeights());
      const x = pc.tensor([[0, 3, 0, 1, 2], [3, 1, 2, 0, 0]], [2, 5], 'int32');
      const alone = pc.tensor([[3, 1, 2], [3, 1, 2]], [2, 3], 'int32');
      const [y, want] = [padded.predict(x) as pc.Tensor, unpadded.predict(alone) as pc.Tensor];
      expectClose(y.dataSync(), want.dataSync(), 1e-5, 1e-6);
      // A model whose last layer is the nested one still leaves only its output.
      const encoderAlone = new pc.Model({ inputs: (padded as pc.Functional).inputs[0]!, outputs: padded.layers[1]!.output as pc.SymbolicTensor });
      const before = pc.memory().numTensors;
      const encoded = encoderAlone.apply(x) as pc.Tensor;
      expect(pc.memory().numTensors).toBe(before + 1);
      encoded.dispose();
      pc.dispose([x, alone, y, want]);
      [padded, unpadded].forEach((m) => m.dispose());
    });

    it('BatchNormalization in training takes the statistics of the data steps alone, updates its moving ones from them, and passes the mask on', () => {
      const layer = new pc.BatchNormalization({ momentum: 0.5, gammaInitializer: new pc.Constant({ value: 1.5 }), betaInitializer: new pc.Constant({ value: -0.25 }) });
      const [batch, steps, features] = [2, 3, 2];
      const values = draws(batch * steps * features, 21, -2, 2);
      const keep = [1, 1, 0, 0, 1, 1];
      const [x, mask] = [pc.tensor(values, [batch, steps, features]), pc.tensor(keep.map((k) => k === 1), [batch, steps], 'bool')];
      const y = layer.apply(x, { training: true, mask });
      // float64: per feature, the mean and (biased) variance over the kept steps; Keras adds 1e-7 to the count.
      const kept = (f: number) => values.filter((_, i) => i % features === f && keep[Math.floor(i / features)] === 1);
      const moments = [0, 1].map((f) => {
        const v = kept(f);
        const mean = v.reduce((a, b) => a + b, 0) / (v.length + 1e-7);
        return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length + 1e-7) };
      });
      const want = values.map((v, i) => {
        const { mean, variance } = moments[i % features]!;
        return ((v - mean) / Math.sqrt(variance + layer.epsilon)) * 1.5 - 0.25;
      });
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      expectClose(layer.movingMean!.dataSync(), moments.map((m) => 0.5 * m.mean), 1e-6, 1e-7);
      expectClose(layer.movingVariance!.dataSync(), moments.map((m) => 0.5 + 0.5 * m.variance), 1e-6, 1e-7);
      expect(layer.computeMask(x, mask)).toBe(mask);
      pc.dispose([x, mask, y]);
      layer.dispose();
    });

    it('a layer that does not support masking ends the mask, warning once', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const model = new pc.Sequential([
        pc.Input({ shape: [3], dtype: 'int32' }),
        new pc.Embedding({ inputDim: 4, outputDim: 2, maskZero: true }),
        new pc.Flatten({ name: 'flat' }),
        new pc.Dense(1),
      ]);
      const x = pc.tensor([[1, 0, 2]], [1, 3], 'int32');
      pc.dispose([model.predict(x) as pc.Tensor, model.predict(x) as pc.Tensor, x]);
      expect(warn.mock.calls).toEqual([["Layer 'flat' was given a mask (from an Embedding with maskZero, or Masking) but does not support masking: the layers after it see every timestep"]]);
      model.dispose();
    });

    it('a mask of another shape than the sequence\'s [batch, timesteps] is an error naming the layer', () => {
      const layer = new pc.LSTM(2, { name: 'reader' });
      const [x, mask] = [pc.ones([2, 3, 1]), pc.ones([2, 4], 'bool')];
      expect(() => layer.apply(x, { mask })).toThrow("LSTM 'reader': expected a mask of shape [2,3] ([batch, timesteps] of the input [2,3,1]), got [2,4]");
      pc.dispose([x, mask]);
    });

    it('a masked sequence output leaves its padding out of the loss and the metrics, as Keras (evaluate, with and without sampleWeight), and a training step leaks nothing', async () => {
      const model = new pc.Sequential([
        pc.Input({ shape: [4], dtype: 'int32' }),
        new pc.Embedding({ inputDim: 5, outputDim: 3, maskZero: true }),
        new pc.LSTM(4, { returnSequences: true }),
        new pc.Dense(3, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
      const tokens = [[3, 1, 0, 0], [0, 2, 4, 1], [4, 0, 2, 0]];
      const labels = [[0, 2, 1, 1], [2, 1, 0, 2], [1, 0, 0, 2]];
      const sampleWeights = [1, 0.5, 2];
      const x = pc.tensor(tokens, [3, 4], 'int32');
      const y = pc.tensor(labels, [3, 4], 'int32');
      const w = pc.tensor(sampleWeights, [3]);
      const probabilities = Array.from((model.predict(x) as pc.Tensor).dataSync());
      // float64 from predict's probabilities: each data step's cross-entropy and hit, weighed.
      const expected = (weights: readonly number[]) => {
        let [loss, hits, steps, weightSum] = [0, 0, 0, 0];
        tokens.forEach((row, b) => row.forEach((token, t) => {
          if (token === 0) return;
          const p = probabilities.slice((b * 4 + t) * 3, (b * 4 + t + 1) * 3);
          loss += -Math.log(p[labels[b]![t]!]!) * weights[b]!;
          const hit = p.indexOf(Math.max(...p)) === labels[b]![t] ? 1 : 0;
          hits += hit * weights[b]!;
          steps += 1;
          weightSum += weights[b]!;
        }));
        return { loss: loss / steps, accuracy: hits / weightSum };
      };
      const plain = expected([1, 1, 1]);
      const [loss, accuracy, weightedAccuracy] = await model.evaluate(x, y, { verbose: 0 }) as number[];
      expectClose([loss!, accuracy!, weightedAccuracy!], [plain.loss, plain.accuracy, plain.accuracy], 1e-5, 1e-6);
      const weighted = expected(sampleWeights);
      const [weightedLoss, unweightedAccuracy, byWeight] = await model.evaluate(x, y, { sampleWeight: w, verbose: 0 }) as number[];
      expectClose([weightedLoss!, unweightedAccuracy!, byWeight!], [weighted.loss, plain.accuracy, weighted.accuracy], 1e-5, 1e-6);
      // A training step frees the masks it kept for the loss.
      model.trainStep(x, y);
      const settled = pc.memory().numTensors;
      model.trainStep(x, y, w);
      expect(pc.memory().numTensors).toBe(settled);
      // Outside training, the mask stays inside the model: apply leaves its output alone.
      const before = pc.memory().numTensors;
      const output = model.apply(x) as pc.Tensor;
      expect(pc.memory().numTensors).toBe(before + 1);
      pc.dispose([x, y, w, output]);
      model.dispose();
    });

    it('learns from sequences of several lengths with fit, saves and loads with the mask, and a training step leaks nothing', async () => {
      const { x, y } = paddedTokenTask(128, 17);
      const model = maskedClassifier(6);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      pc.dispose([x, y]);
      model.dispose();
    }, TRAINING_TIMEOUT);
  });
}
