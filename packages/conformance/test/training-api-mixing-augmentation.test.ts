// Keras 3's MixUp, CutMix and Pipeline. Labels are passed as the list [images, labels] (Keras
// takes a dict; Perceptron layers take tensors). MixUp: the batch's λ and the permutation are
// recovered from one-hot labels and every pixel checked against λ·x + (1 − λ)·x_partner in
// float64; λ ~ Beta(α, α) in distribution. CutMix: every pixel is its own image's or its
// partner's, the partner's forming one rectangle whose sides fit √(1 − λ)·size for the λ the
// label kept. Pipeline: the same as its layers applied one after another with the same seeds,
// labels passing the image-only layers. All: a seed repeats, inference passes through,
// gradients reach the pixels, a save keeps them, Keras 3 descriptions load, bad input is named.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const record = errorRecorder('mixing augmentation');

/** `n` one-hot rows, row i hot at i. */
const identityLabels = (n: number): number[] => Array.from({ length: n * n }, (_, i) => Number(i % (n + 1) === 0));

/** From mixed one-hot rows: each image's partner (the other hot column, or itself) and the weight of its own label. */
function partnersOf(labels: ArrayLike<number>, n: number): { partners: number[]; weights: number[] } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(labels).slice(i * n, (i + 1) * n));
  const partners = rows.map((row, i) => {
    const others = row.map((v, j) => (j !== i && v > 1e-7 ? j : -1)).filter((j) => j >= 0);
    expect(others.length, `row ${i} mixes at most one other label: ${row.join()}`).toBeLessThanOrEqual(1);
    return others[0] ?? i;
  });
  rows.forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5));
  return { partners, weights: rows.map((row, i) => row[i]!) };
}

/** The layer's training output for [x, labels] and the tape's gradient of Σ g·images w.r.t. x. */
function mixedWithGradient(layer: pc.Layer, x: pc.Tensor, labels: pc.Tensor, g: readonly number[]): { images: number[]; labels: number[]; dx: number[] } {
  const [images, mixed, dx] = pc.tidy(() => {
    const tape = new pc.GradientTape();
    tape.watch(x);
    const [y, l] = tape.record(() => layer.apply([x, labels], { training: true }) as pc.Tensor[]);
    const loss = tape.record(() => pc.sum(pc.mul(y!, pc.tensor(g, y!.shape))));
    return [y!, l!, tape.gradient(loss, x)!];
  });
  const result = { images: Array.from(images.dataSync()), labels: Array.from(mixed.dataSync()), dx: Array.from(dx.dataSync()) };
  pc.dispose([images, mixed, dx]);
  return result;
}

for (const backend of MODEL_BACKENDS) {
  describe(`mixing augmentation layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(11);
    });

    it('MixUp mixes images and labels by one λ per batch with a permutation of the batch; gradients λ·g + (1 − λ)·Σ g of the images it partners', () => {
      const [n, size] = [8, 3 * 4 * 2];
      const values = draws(n * size, 1, 0, 255);
      const x = pc.tensor(values, [n, 3, 4, 2]);
      const labels = pc.tensor(identityLabels(n), [n, n]);
      const g = draws(n * size, 2, -1, 1);
      const layer = new pc.MixUp(0.8, { seed: 3 });
      let moved = 0;
      for (let call = 0; call < 4; call++) {
        const got = mixedWithGradient(layer, x, labels, g);
        const { partners, weights } = partnersOf(got.labels, n);
        expect([...partners].sort((a, b) => a - b), 'a permutation').toEqual([...Array(n).keys()]);
        const mixing = partners.map((p, i) => p !== i);
        moved += mixing.filter(Boolean).length;
        // One λ for the batch, read off any image mixed with another.
        const lambda = weights.find((_, i) => mixing[i]) ?? 1;
        weights.forEach((w, i) => expect(mixing[i] ? w : lambda).toBeCloseTo(lambda, 6));
        const want = values.map((v, k) => {
          const i = Math.floor(k / size);
          return lambda * v + (1 - lambda) * values[partners[i]! * size + (k % size)]!;
        });
        record('MixUp images', got.images, want);
        expectClose(got.images, want, 1e-5, 1e-4);
        const dxWant = g.map((gk, k) => {
          const i = Math.floor(k / size);
          return lambda * gk + (1 - lambda) * partners.reduce((s, p, j) => s + (p === i ? g[j * size + (k % size)]! : 0), 0);
        });
        record('MixUp gradient', got.dx, dxWant);
        expectClose(got.dx, dxWant, 1e-5, 1e-6);
      }
      expect(moved, 'images mixed with another').toBeGreaterThan(16);
      // Images alone, and a seed repeating the draws.
      const run = () => pc.tidy(() => new pc.MixUp(0.2, { seed: 9 }).apply(x, { training: true }) as pc.Tensor);
      const [first, again] = [run(), run()];
      expect(Array.from(again.dataSync())).toEqual(Array.from(first.dataSync()));
      const [passed, passedLabels] = pc.tidy(() => layer.apply([x, labels]) as pc.Tensor[]);
      expect(Array.from(passed!.dataSync())).toEqual(Array.from(x.dataSync()));
      expect(Array.from(passedLabels!.dataSync())).toEqual(Array.from(labels.dataSync()));
      pc.dispose([x, labels, first, again, passed!, passedLabels!]);
    });

    it('MixUp draws λ ~ Beta(α, α): mean ½ and variance 1/(4(2α + 1))', () => {
      const x = pc.tensor(draws(2 * 4, 3, 0, 1), [2, 2, 2, 1]);
      const labels = pc.tensor([1, 0, 0, 1], [2, 2]);
      for (const alpha of [0.2, 2]) {
        const layer = new pc.MixUp(alpha, { seed: 5 });
        // λ from image 0's label whenever the permutation swapped the two images.
        const lambdas: number[] = [];
        while (lambdas.length < 400) {
          const mixed = pc.tidy(() => (layer.apply([x, labels], { training: true }) as pc.Tensor[])[1]!);
          const [own, other] = Array.from(mixed.dataSync());
          if (other! > 0 || own !== 1) lambdas.push(own!);
          mixed.dispose();
        }
        const mean = lambdas.reduce((s, v) => s + v, 0) / lambdas.length;
        const variance = lambdas.reduce((s, v) => s + (v - mean) ** 2, 0) / lambdas.length;
        expect(Math.abs(mean - 0.5), `α ${alpha}: mean ${mean}`).toBeLessThan(0.06);
        expect(Math.abs(variance - 1 / (4 * (2 * alpha + 1))), `α ${alpha}: variance ${variance}`).toBeLessThan(0.025);
      }
      pc.dispose([x, labels]);
    });

    it("CutMix pastes one rectangle of each image's partner, sides fitting √(1 − λ)·size for the λ its label keeps; gradients go where each pixel came from", () => {
      const [n, height, width] = [8, 6, 10];
      const size = height * width;
      // Image b's pixels lie in [b, b + 1): each output pixel tells which image it came from.
      const values = Array.from({ length: n * size }, (_, k) => Math.fround(Math.floor(k / size) + draws(1, k, 0, 0.99)[0]!));
      const x = pc.tensor(values, [n, height, width, 1]);
      const labels = pc.tensor(identityLabels(n), [n, n]);
      const g = draws(n * size, 4, -1, 1);
      const layer = new pc.CutMix([0.5, 1], { seed: 6 });
      let pasted = 0;
      for (let call = 0; call < 4; call++) {
        const got = mixedWithGradient(layer, x, labels, g);
        const { partners, weights } = partnersOf(got.labels, n);
        const dxWant = Array<number>(n * size).fill(0);
        partners.forEach((p, i) => {
          const cut: [number, number][] = [];
          for (let k = 0; k < size; k++) {
            const [own, partner] = [values[i * size + k]!, values[p * size + k]!];
            const v = got.images[i * size + k]!;
            expect([own, partner], `image ${i} pixel ${k}`).toContain(v);
            if (v !== own) cut.push([Math.floor(k / width), k % width]);
            dxWant[(v !== own ? p : i) * size + k]! += g[i * size + k]!;
          }
          if (p === i) return;
          pasted++;
          const side = Math.sqrt(1 - weights[i]!);
          const rows = [...new Set(cut.map(([r]) => r))];
          const columns = [...new Set(cut.map(([, c]) => c))];
          expect(cut.length, `image ${i}: a whole rectangle`).toBe(rows.length * columns.length);
          if (cut.length > 0) {
            expect(Math.max(...rows) - Math.min(...rows) + 1).toBe(rows.length);
            expect(Math.max(...columns) - Math.min(...columns) + 1).toBe(columns.length);
          }
          // The integers in [y0, y0 + side·height) number ⌊side·height⌋ or ⌈side·height⌉.
          expect(rows.length >= Math.floor(side * height - 1e-6) && rows.length <= Math.ceil(side * height + 1e-6), `image ${i}: ${rows.length} rows for side ${side}`).toBe(true);
          expect(columns.length >= Math.floor(side * width - 1e-6) && columns.length <= Math.ceil(side * width + 1e-6), `image ${i}: ${columns.length} columns for side ${side}`).toBe(true);
        });
        record('CutMix gradient', got.dx, dxWant);
        expectClose(got.dx, dxWant, 1e-6, 1e-7);
      }
      expect(pasted).toBeGreaterThan(16);
      const [passed] = pc.tidy(() => layer.apply([x, labels]) as pc.Tensor[]);
      expect(Array.from(passed!.dataSync())).toEqual(Array.from(x.dataSync()));
      // One image [h, w, c] has no partner but itself.
      const one = pc.tensor(values.slice(0, size), [height, width, 1]);
      const alone = pc.tidy(() => layer.apply(one, { training: true }) as pc.Tensor);
      expect(Array.from(alone.dataSync())).toEqual(Array.from(one.dataSync()));
      pc.dispose([x, labels, passed!, one, alone]);
    });

    it('Pipeline applies its layers in order with their own draws; given [images, labels] only the mixing layers see the labels', () => {
      const values = draws(6 * 5 * 5 * 2, 7, 0, 1);
      const x = pc.tensor(values, [6, 5, 5, 2]);
      const labels = pc.tensor(identityLabels(6), [6, 6]);
      const make = () => [new pc.RandomFlip('horizontal', { seed: 1 }), new pc.RandomShear(0.3, 0.1, { seed: 2 }), new pc.MixUp(0.5, { seed: 3 }), new pc.RandomErasing([1, 1], { fillValue: 0, valueRange: [0, 1], seed: 4 })];
      const pipeline = new pc.Pipeline(make());
      const [images, mixed] = pc.tidy(() => pipeline.apply([x, labels], { training: true }) as pc.Tensor[]);
      const [flip, shear, mixUp, erasing] = make();
      const [stepImages, stepLabels] = pc.tidy(() => {
        const sheared = shear!.apply(flip!.apply(x, { training: true }) as pc.Tensor, { training: true }) as pc.Tensor;
        const [m, l] = mixUp!.apply([sheared, labels], { training: true }) as pc.Tensor[];
        return [erasing!.apply(m!, { training: true }) as pc.Tensor, l!];
      });
      expect(Array.from(images!.dataSync())).toEqual(Array.from(stepImages!.dataSync()));
      expect(Array.from(mixed!.dataSync())).toEqual(Array.from(stepLabels!.dataSync()));
      expect(Array.from(images!.dataSync())).not.toEqual(values.map(Math.fround));
      // Images alone; inference passes them through every layer.
      const alone = pc.tidy(() => new pc.Pipeline(make()).apply(x, { training: true }) as pc.Tensor);
      expect(Array.from(alone.dataSync())).toEqual(Array.from(stepImages!.dataSync()));
      const passed = pc.tidy(() => pipeline.apply(x) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, labels, images!, mixed!, stepImages!, stepLabels!, alone, passed]);
    });

    it('models holding a Pipeline and the mixing layers train leaking nothing and survive a save', async () => {
      const x = pc.tensor(draws(4 * 6 * 6 * 3, 8, 0, 1), [4, 6, 6, 3]);
      const pipeline = new pc.Pipeline([new pc.RandomFlip('vertical', { seed: 1 }), new pc.RandomGaussianBlur([0, 1], { valueRange: [0, 1], seed: 2 }), new pc.CutMix(0.5, { seed: 3 })], { name: 'augment' });
      const mixUp = new pc.MixUp(0.3, { seed: 4, name: 'mix_up' });
      const model = new pc.Sequential([pc.Input({ shape: [6, 6, 3] }), pipeline, mixUp, new pc.Flatten(), new pc.Dense(2)]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [pipeline, mixUp]);
      expect(pipeline.getConfig().layers).toMatchObject([
        { className: 'RandomFlip', config: { mode: 'vertical', seed: 1 } }, { className: 'RandomGaussianBlur', config: { factor: [0, 1], seed: 2 } }, { className: 'CutMix', config: { factor: [0, 0.5], seed: 3 } },
      ]);
      expect(mixUp.getConfig()).toMatchObject({ alpha: 0.3, seed: 4 });
      x.dispose();
      model.dispose();
    });
  });
}

describe('mixing augmentation layers', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it('read Keras 3 descriptions of MixUp, CutMix and a Pipeline', async () => {
    const flip = { module: 'keras.layers', class_name: 'RandomFlip', config: { name: 'flip', trainable: true, mode: 'horizontal', seed: 5, data_format: 'channels_last' }, registered_name: null };
    const layers = [
      { className: 'Pipeline', name: 'pipeline', config: { layers: [flip] } },
      { className: 'MixUp', name: 'mix_up', config: { alpha: 0.4, seed: 2, data_format: 'channels_last' } },
      { className: 'CutMix', name: 'cut_mix', config: { factor: [0.0, 1.0], seed: null, data_format: 'channels_last' } },
    ];
    const model = await pc.loadLayersModel(keras3Files({ inputs: [{ name: 'images', shape: [4, 4, 1] }], layers }));
    const [pipeline, mixUp, cutMix] = model.layers.slice(1) as [pc.Pipeline, pc.MixUp, pc.CutMix];
    expect([pipeline, mixUp, cutMix].map((l) => l.constructor)).toEqual([pc.Pipeline, pc.MixUp, pc.CutMix]);
    expect(pipeline.layers.map((l) => [l.constructor, l.name, l.getConfig().mode, l.getConfig().seed])).toEqual([[pc.RandomFlip, 'flip', 'horizontal', 5]]);
    expect([mixUp.alpha, mixUp.seed, cutMix.factor, cutMix.seed]).toEqual([0.4, 2, [0, 1], undefined]);
    const x = pc.tensor(draws(3 * 16, 9, 0, 1), [3, 4, 4, 1]);
    const y = model.predict(x) as pc.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    pc.dispose([x, y]);
    model.dispose();
  });

  it('name bad settings and bad inputs', () => {
    const images = pc.zeros([2, 3, 3, 1]);
    expect(() => new pc.MixUp(0)).toThrow('MixUp: alpha must be a positive number, got 0');
    expect(() => new pc.MixUp({ alpha: 0.2, factor: 1 } as never)).toThrow("MixUp: unknown option 'factor'");
    expect(() => new pc.CutMix(1.5)).toThrow('CutMix: factor must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got 1.5');
    const mixUp = new pc.MixUp(0.2, { name: 'm' });
    const ints = pc.tensor([0, 1], [2], 'int32');
    expect(() => mixUp.apply([images, ints], { training: true })).toThrow("MixUp 'm': expected float32 labels with one row per image (2), one-hot or soft, got int32 [2]");
    const three = pc.zeros([3, 2]);
    expect(() => new pc.CutMix(1, { name: 'c' }).apply([images, three], { training: true })).toThrow("CutMix 'c': expected float32 labels with one row per image (2), one-hot or soft, got float32 [3,2]");
    expect(() => mixUp.apply([images, three, three], { training: true })).toThrow("MixUp 'm': expected images or the list [images, labels], got a list of 3 tensors");
    expect(() => new pc.Pipeline([new pc.RandomFlip(), 'RandomZoom'] as never)).toThrow('layers must be a list of Layers, got ["RandomFlip","RandomZoom"]');
    expect(() => pc.deserializeLayer({ className: 'Pipeline', config: { name: 'p' } })).toThrow('Pipeline.fromConfig: expected config.layers, a list of serialized layers, got undefined');
    pc.dispose([images, ints, three]);
  });
});
