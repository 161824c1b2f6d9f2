// Keras 3's AutoContrast and Equalization, which apply in training and inference alike, against
// float64 references written in color-references.ts: each image's every channel stretched from
// its own extremes over valueRange, or put through its own histogram's equalizing table; a flat
// channel (one value, one occupied bin) passes through. AutoContrast's gradient reaches the pixels
// (the extremes included) as central differences say; Equalization's table passes none. Both
// survive a save, read Keras 3 descriptions and name bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { equalized, mapChannels, stretched, type Range, type Shape4 } from './color-references.js';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const record = errorRecorder('auto contrast and equalization');

/** The layer's output on `values` of `shape` in training and in inference mode, which must agree. */
function bothModes(layer: pc.Layer, values: readonly number[], shape: readonly number[]): number[] {
  const x = pc.tensor([...values], [...shape]);
  const [trained, inferred] = [true, false].map((training) => pc.tidy(() => layer.apply(x, { training }) as pc.Tensor));
  const out = Array.from(trained!.dataSync());
  expect(Array.from(inferred!.dataSync()), `${layer.name}: inference as training`).toEqual(out);
  pc.dispose([x, trained!, inferred!]);
  return out;
}

const autoContrasted = (values: readonly number[], shape: Shape4, range: Range): number[] => mapChannels(values, shape, (pixels) => stretched(pixels, range));
const equalizedImages = (values: readonly number[], shape: Shape4, bins: number, range: Range): number[] => mapChannels(values, shape, (pixels) => equalized(pixels, bins, range));

for (const backend of MODEL_BACKENDS) {
  describe(`AutoContrast and Equalization on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it('AutoContrast stretches each image’s every channel from its own lowest to highest pixel over valueRange; a flat channel passes through', () => {
      const shape: Shape4 = [3, 4, 3, 2];
      const values = draws(72, 1, 40, 200);
      // Image 1's channel 0 is flat.
      for (let p = 0; p < 12; p++) values[24 + p * 2] = 77;
      const got = bothModes(new pc.AutoContrast(), values, shape);
      const want = autoContrasted(values, shape, [0, 255]);
      record('AutoContrast output', got, want);
      expectClose(got, want, 1e-5, 1e-4);
      expect(Math.min(...got)).toBe(0);
      expect(Math.max(...got)).toBe(255);
      const one = draws(3 * 3 * 3, 2, -0.5, 0.5);
      const single = bothModes(new pc.AutoContrast({ valueRange: [-1, 1] }), one, [3, 3, 3]);
      const wantOne = autoContrasted(one, [1, 3, 3, 3], [-1, 1]);
      record('AutoContrast single image', single, wantOne);
      expectClose(single, wantOne, 1e-5, 1e-6);
    });

    it('AutoContrast passes gradients to the pixels, its extremes included, as central differences say', () => {
      const shape: Shape4 = [2, 3, 2, 3];
      const values = draws(36, 3, 0.1, 0.9);
      const weights = draws(36, 4, -1, 1);
      const x = pc.tensor(values, [...shape]);
      const dx = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const loss = tape.record(() => pc.sum(pc.mul(new pc.AutoContrast({ valueRange: [0, 1] }).apply(x) as pc.Tensor, pc.tensor(weights, [...shape]))));
        return tape.gradient(loss, x)!;
      });
      const got = Array.from(dx.dataSync());
      const want = finiteDifferences(values, weights, (moved) => autoContrasted(moved, shape, [0, 1]));
      record('AutoContrast gradient', got, want);
      expectClose(got, want, 1e-3, 1e-4);
      // The extremes get a gradient of their own: every pixel of the channel moves with them.
      expect(got.filter((g) => Math.abs(g) > 1e-3).length).toBe(36);
      pc.dispose([x, dx]);
    });

    it('Equalization maps each image’s every channel through its own histogram’s table, round(255·(cdf − cdf_min) / (N − cdf_min)); one occupied bin passes through', () => {
      const shape: Shape4 = [3, 5, 6, 3];
      const values = draws(270, 5, 0, 255).map((v) => Math.floor(v / 4) * 2 + 60);
      // Image 2's channel 1 sits in one bin.
      for (let p = 0; p < 30; p++) values[180 + p * 3 + 1] = 131;
      for (const bins of [256, 64, 7]) {
        const got = bothModes(new pc.Equalization({ bins }), values, shape);
        const want = equalizedImages(values, shape, bins, [0, 255]);
        record('Equalization output', got, want);
        expectClose(got, want, 0, 0);
      }
      // Each image alone: an image's output does not depend on its batch.
      const first = bothModes(new pc.Equalization(), values.slice(0, 90), [5, 6, 3]);
      expect(first).toEqual(bothModes(new pc.Equalization(), values, shape).slice(0, 90));
      // [0, 1] images, pixels at bin centres so float32 and float64 agree on the bins.
      const unit = draws(48, 6, 0, 1).map((v) => (Math.floor(v * 200) + 0.5) / 255);
      const got = bothModes(new pc.Equalization({ valueRange: [0, 1], bins: 128 }), unit, [4, 4, 3]);
      const want = equalizedImages(unit, [1, 4, 4, 3], 128, [0, 1]);
      record('Equalization [0, 1] images', got, want);
      expectClose(got, want, 1e-6, 1e-7);
    });

    it('Equalization passes no gradient through its table, but a passed-through channel’s pixels get theirs', () => {
      const values = draws(12, 7, 0, 255).map(Math.round);
      for (let p = 0; p < 4; p++) values[p * 3 + 2] = 9;
      const x = pc.tensor(values, [2, 2, 3]);
      const weights = draws(12, 8, -1, 1);
      const dx = pc.tidy(() => {
        const tape = new pc.GradientTape();
        tape.watch(x);
        const loss = tape.record(() => pc.sum(pc.mul(new pc.Equalization().apply(x) as pc.Tensor, pc.tensor(weights, [2, 2, 3]))));
        return tape.gradient(loss, x)!;
      });
      expect(Array.from(dx.dataSync())).toEqual(weights.map((w, i) => (i % 3 === 2 ? w : 0)));
      pc.dispose([x, dx]);
    });

    it('both survive a save in a model', async () => {
      const x = pc.tensor(draws(2 * 4 * 4 * 3, 9, 0, 1), [2, 4, 4, 3]);
      const layers = [new pc.AutoContrast({ valueRange: [0, 1] }), new pc.Equalization({ valueRange: [0, 1], bins: 32 })];
      const model = new pc.Sequential([pc.Input({ shape: [4, 4, 3] }), ...layers, new pc.Flatten(), new pc.Dense(2)]);
      await expectSaveLoadRoundTrip(model, x, layers);
      expect(layers.map((l) => l.getConfig())).toMatchObject([{ valueRange: [0, 1] }, { valueRange: [0, 1], bins: 32 }]);
      x.dispose();
      model.dispose();
    });
  });
}

describe('AutoContrast and Equalization', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it("read Keras 3's descriptions and apply at inference", async () => {
    const shape: Shape4 = [2, 3, 3, 3];
    const values = draws(54, 10, 20, 230).map(Math.round);
    const x = pc.tensor(values, [...shape]);
    const load = (className: string, config: Record<string, unknown>) => pc.loadLayersModel(keras3Files({ inputs: [{ name: 'images', shape: [3, 3, 3] }], layers: [{ className, name: 'color', config }] }));
    const auto = await load('AutoContrast', { value_range: [0, 255] });
    const equal = await load('Equalization', { value_range: [0, 255], bins: 256, data_format: 'channels_last' });
    expect(auto.layers[1]).toBeInstanceOf(pc.AutoContrast);
    expect(equal.layers[1]!.getConfig()).toMatchObject({ valueRange: [0, 255], bins: 256 });
    const [a, e] = [auto.predict(x) as pc.Tensor, equal.predict(x) as pc.Tensor];
    expectClose(a.dataSync(), autoContrasted(values, shape, [0, 255]), 1e-5, 1e-4);
    expect(Array.from(e.dataSync())).toEqual(equalizedImages(values, shape, 256, [0, 255]));
    pc.dispose([x, a, e]);
    auto.dispose();
    equal.dispose();
  });

  it('name a bad setting', () => {
    expect(() => new pc.AutoContrast({ valueRange: [255, 0] })).toThrow('AutoContrast: valueRange must be [low, high] with finite low < high, got [255,0]');
    expect(() => new pc.Equalization({ valueRange: [0, Infinity] })).toThrow('Equalization: valueRange must be [low, high] with finite low < high, got [0,null]');
    expect(() => new pc.Equalization({ bins: 0 })).toThrow('Equalization: bins must be a whole number ≥ 1, got 0');
    expect(() => new pc.Equalization({ bins: 2.5 })).toThrow('Equalization: bins must be a whole number ≥ 1, got 2.5');
    expect(() => new pc.AutoContrast({ factor: 0.2 } as never)).toThrow("AutoContrast: unknown option 'factor'");
    const flat = pc.zeros([3, 3]);
    expect(() => new pc.Equalization({ name: 'eq' }).apply(flat)).toThrow("Equalization 'eq': expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape [3,3]");
    flat.dispose();
  });
});
