// Keras's RandomContrast and RandomBrightness against float64 closed forms written here: each
// image's draw is recovered from its output (the least-squares contrast factor, the mean shift)
// and every pixel checked against clip((x − mean)·f + mean) or clip(x + delta), the means per
// image and channel over height and width; the draws lie in Keras 3's ranges (a contrast factor
// in [1 − lower, 1 + upper], a number f meaning [f, f] as Keras documents), differ per image,
// repeat with a seed; inference passes images through; gradients reach the pixels by the closed
// form; they train in a model leaking nothing, survive a save, read Keras 3 descriptions and name
// bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

/** [batch, height, width, channels]: a single image is a batch of one. */
type Shape4 = readonly [number, number, number, number];
type Range = readonly [number, number];

const record = errorRecorder('color augmentation');

/** Flat index of [b, y, x, c] in row-major values of `shape`. */
const at = ([, height, width, channels]: Shape4, b: number, y: number, x: number, c: number): number => ((b * height + y) * width + x) * channels + c;

/** Every flat index of image b's channel c. */
function channelIndices(shape: Shape4, b: number, c: number): number[] {
  const [, height, width] = shape;
  return Array.from({ length: height * width }, (_, p) => at(shape, b, Math.floor(p / width), p % width, c));
}

/** The float64 mean of image b's channel c over height and width. */
const channelMean = (values: readonly number[], shape: Shape4, b: number, c: number): number => {
  const indices = channelIndices(shape, b, c);
  return indices.reduce((s, i) => s + values[i]!, 0) / indices.length;
};

const clip = (v: number, [low, high]: Range): number => Math.min(high, Math.max(low, v));
const inside = (v: number, [low, high]: Range): boolean => v > low && v < high;
const imageOf = (shape: Shape4, i: number): number => Math.floor(i / (shape[1] * shape[2] * shape[3]));
const channelOf = (shape: Shape4, i: number): number => i % shape[3];

/** Keras's contrast in float64: clip((x − mean)·factor + mean), one factor per image. */
function contrastReference(values: readonly number[], shape: Shape4, factors: readonly number[], range: Range): number[] {
  const means = factors.map((_, b) => Array.from({ length: shape[3] }, (_, c) => channelMean(values, shape, b, c)));
  return values.map((v, i) => {
    const [b, c] = [imageOf(shape, i), channelOf(shape, i)];
    return clip((v - means[b]![c]!) * factors[b]! + means[b]![c]!, range);
  });
}

/** Each image's contrast factor, by least squares over its unclipped outputs: Σ(y − m)(x − m) / Σ(x − m)². */
function recoverFactors(values: readonly number[], output: ArrayLike<number>, shape: Shape4, range: Range): number[] {
  return Array.from({ length: shape[0] }, (_, b) => {
    let [num, den] = [0, 0];
    for (let c = 0; c < shape[3]; c++) {
      const m = channelMean(values, shape, b, c);
      for (const i of channelIndices(shape, b, c).filter((j) => inside(output[j]!, range))) {
        num += (output[i]! - m) * (values[i]! - m);
        den += (values[i]! - m) ** 2;
      }
    }
    return num / den;
  });
}

/** Each image's brightness shift: the mean of y − x over its unclipped outputs. */
function recoverDeltas(values: readonly number[], output: ArrayLike<number>, shape: Shape4, range: Range): number[] {
  const size = shape[1] * shape[2] * shape[3];
  return Array.from({ length: shape[0] }, (_, b) => {
    const kept = Array.from({ length: size }, (_, p) => b * size + p).filter((i) => inside(output[i]!, range));
    return kept.reduce((s, i) => s + output[i]! - values[i]!, 0) / kept.length;
  });
}

/** Expects every draw within [lower, upper] (to `slack`), all different, and spread over the range: some in each outer quarter. */
function expectDrawsSpread(got: readonly number[], [lower, upper]: Range, slack: number): void {
  for (const v of got) expect(v, `draw ${v} in [${lower}, ${upper}]`).toBeGreaterThanOrEqual(lower - slack);
  for (const v of got) expect(v, `draw ${v} in [${lower}, ${upper}]`).toBeLessThanOrEqual(upper + slack);
  expect(new Set(got.map((v) => v.toFixed(4))).size).toBe(got.length);
  const quarter = (upper - lower) / 4;
  expect(Math.min(...got)).toBeLessThan(lower + quarter);
  expect(Math.max(...got)).toBeGreaterThan(upper - quarter);
}

/** Counts of outputs clipped to the bottom and the top of `range`. */
const clippedCounts = (output: ArrayLike<number>, [low, high]: Range): [number, number] =>
  [Array.from(output).filter((v) => v === low).length, Array.from(output).filter((v) => v === high).length];

/** The layer's training output on `x` and the tape's gradient of Σ g·output w.r.t. x, g drawn from `seed`. */
function outputAndGradient(layer: pc.Layer, x: pc.Tensor, seed: number): { output: Float32Array; g: number[]; dx: Float32Array } {
  const g = draws(x.size, seed, -1, 1);
  const [y, dx] = pc.tidy(() => {
    const tape = new pc.GradientTape();
    tape.watch(x);
    const output = tape.record(() => layer.apply(x, { training: true }) as pc.Tensor);
    const loss = tape.record(() => pc.sum(pc.mul(output, pc.tensor(g, output.shape))));
    return [output, tape.gradient(loss, x)!];
  });
  const result = { output: y.dataSync() as Float32Array, g, dx: dx.dataSync() as Float32Array };
  pc.dispose([y, dx]);
  return result;
}

for (const backend of MODEL_BACKENDS) {
  describe(`color augmentation layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(5);
    });

    it('RandomContrast spreads each channel about its mean by one factor per image in [1 − lower, 1 + upper], clipped; a seed repeats the factors', () => {
      const shape: Shape4 = [24, 4, 5, 3];
      const values = draws(24 * 60, 1, 0, 255);
      const x = pc.tensor(values, shape);
      const run = () => pc.tidy(() => new pc.RandomContrast([0.5, 0.9], { seed: 7 }).apply(x, { training: true }) as pc.Tensor);
      const [y, again] = [run(), run()];
      const factors = recoverFactors(values, y.dataSync(), shape, [0, 255]);
      expectDrawsSpread(factors, [0.5, 1.9], 1e-5);
      const want = contrastReference(values, shape, factors, [0, 255]);
      record('RandomContrast output', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-6, 1e-4);
      // Factors near 1.9 push pixels past both ends: clipping is exercised.
      const [bottom, top] = clippedCounts(y.dataSync(), [0, 255]);
      expect(bottom).toBeGreaterThan(10);
      expect(top).toBeGreaterThan(10);
      expect(Array.from(again.dataSync())).toEqual(Array.from(y.dataSync()));
      pc.dispose([x, y, again]);
    });

    it('RandomContrast takes a number f as factors in [1 − f, 1 + f] (as Keras documents), single images, and passes images through at inference', () => {
      const shape: Shape4 = [1, 6, 5, 2];
      const values = draws(60, 2, 0.3, 0.7);
      const x = pc.tensor(values, shape.slice(1));
      const layer = new pc.RandomContrast(0.5, { valueRange: [0, 1], seed: 3 });
      expect(layer.getConfig().factor).toEqual([0.5, 0.5]);
      const factors: number[] = [];
      for (let call = 0; call < 16; call++) {
        const y = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
        expect(y.shape).toEqual([6, 5, 2]);
        const [f] = recoverFactors(values, y.dataSync(), shape, [0, 1]);
        const want = contrastReference(values, shape, [f!], [0, 1]);
        record('RandomContrast single image', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-6, 1e-6);
        factors.push(f!);
        y.dispose();
      }
      expectDrawsSpread(factors, [0.5, 1.5], 1e-5);
      const ints = pc.tensor(values.map(Math.round), shape, 'int32');
      const passed = pc.tidy(() => layer.apply(ints) as pc.Tensor);
      expect(passed.dtype).toBe('float32');
      expect(Array.from(passed.dataSync())).toEqual(values.map(Math.round));
      pc.dispose([x, ints, passed]);
    });

    it('RandomBrightness shifts each image by its own draw times the value range, clipped; a seed repeats the shifts; inference passes through', () => {
      const shape: Shape4 = [24, 3, 4, 2];
      const values = draws(24 * 24, 3, 0, 255);
      const x = pc.tensor(values, shape);
      const run = () => pc.tidy(() => new pc.RandomBrightness([-0.4, 0.6], { seed: 9 }).apply(x, { training: true }) as pc.Tensor);
      const [y, again] = [run(), run()];
      const deltas = recoverDeltas(values, y.dataSync(), shape, [0, 255]);
      expectDrawsSpread(deltas.map((d) => d / 255), [-0.4, 0.6], 1e-6);
      const want = values.map((v, i) => clip(v + deltas[imageOf(shape, i)]!, [0, 255]));
      record('RandomBrightness output', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-6, 1e-4);
      const [bottom, top] = clippedCounts(y.dataSync(), [0, 255]);
      expect(bottom).toBeGreaterThan(10);
      expect(top).toBeGreaterThan(10);
      expect(Array.from(again.dataSync())).toEqual(Array.from(y.dataSync()));
      // One image in [−1, 1], f = 0.3: shifts in ±0.3 of the span 2.
      const one: Shape4 = [1, 3, 3, 3];
      const small = draws(27, 4, -0.5, 0.5);
      const image = pc.tensor(small, one.slice(1));
      const layer = new pc.RandomBrightness(0.3, { valueRange: [-1, 1], seed: 2 });
      const shifts = Array.from({ length: 16 }, () => {
        const z = pc.tidy(() => layer.apply(image, { training: true }) as pc.Tensor);
        const [delta] = recoverDeltas(small, z.dataSync(), one, [-1, 1]);
        expectClose(z.dataSync(), small.map((v) => clip(v + delta!, [-1, 1])), 1e-6, 1e-6);
        z.dispose();
        return delta! / 2;
      });
      expectDrawsSpread(shifts, [-0.3, 0.3], 1e-6);
      const passed = pc.tidy(() => layer.apply(image) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(image.dataSync()));
      pc.dispose([x, y, again, image, passed]);
    });

    it('gradients reach the pixels: f·(ĝ − mean ĝ) + mean ĝ per channel for contrast, ĝ for brightness, ĝ the upstream gradient where unclipped', () => {
      const shape: Shape4 = [3, 4, 3, 2];
      const values = draws(72, 5, 0, 255);
      const x = pc.tensor(values, shape);
      // y = (x − m)·f + m with m the channel mean of N pixels, so ∂y_i/∂x_j = f·[i = j] + (1 − f)/N within a channel; clipped y pass nothing.
      const contrast = outputAndGradient(new pc.RandomContrast([0.2, 0.8], { seed: 4 }), x, 6);
      const factors = recoverFactors(values, contrast.output, shape, [0, 255]);
      const kept = contrast.g.map((g, i) => (inside(contrast.output[i]!, [0, 255]) ? g : 0));
      expect(kept.filter((g) => g === 0).length, 'some outputs clipped').toBeGreaterThan(0);
      const want = kept.map((g, i) => {
        const [b, c] = [imageOf(shape, i), channelOf(shape, i)];
        const meanKept = channelMean(kept, shape, b, c);
        return factors[b]! * (g - meanKept) + meanKept;
      });
      record('RandomContrast gradient', contrast.dx, want);
      expectClose(contrast.dx, want, 1e-5, 1e-6);
      const brightness = outputAndGradient(new pc.RandomBrightness(0.5, { seed: 8 }), x, 7);
      const passed = brightness.g.map((g, i) => (inside(brightness.output[i]!, [0, 255]) ? g : 0));
      expect(passed.filter((g) => g === 0).length, 'some outputs clipped').toBeGreaterThan(0);
      record('RandomBrightness gradient', brightness.dx, passed);
      expectClose(brightness.dx, passed, 1e-6, 1e-7);
      x.dispose();
    });

    it('a model with both layers trains leaking nothing and survives a save', async () => {
      const x = pc.tensor(draws(2 * 5 * 5 * 3, 6, 0, 1), [2, 5, 5, 3]);
      const contrast = new pc.RandomContrast([0.3, 0.3], { valueRange: [0, 1], seed: 1, name: 'contrast' });
      const brightness = new pc.RandomBrightness([-0.2, 0.1], { valueRange: [0, 1], seed: 2, name: 'brightness' });
      const model = new pc.Sequential([pc.Input({ shape: [5, 5, 3] }), contrast, brightness, new pc.Flatten(), new pc.Dense(2)]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [contrast, brightness]);
      expect([contrast.getConfig(), brightness.getConfig()].map(({ factor, valueRange, seed }) => ({ factor, valueRange, seed }))).toEqual([
        { factor: [0.3, 0.3], valueRange: [0, 1], seed: 1 }, { factor: [-0.2, 0.1], valueRange: [0, 1], seed: 2 },
      ]);
      x.dispose();
      model.dispose();
    });
  });
}



describe('color augmentation layers', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it("read Keras 3's RandomContrast (RandomContrast(0.2) wrote factor [0, 0.2]) and RandomBrightness", async () => {
    const shape: Shape4 = [4, 3, 3, 1];
    const values = draws(36, 7, 0.2, 0.8);
    const x = pc.tensor(values, shape);
    const imagesThen = (className: string, config: Record<string, unknown>) => keras3Files({ inputs: [{ name: 'images', shape: [3, 3, 1] }], layers: [{ className, name: 'color', config }] });
    const contrastModel = await pc.loadLayersModel(imagesThen('RandomContrast', { factor: [0.0, 0.2], value_range: [0, 1], seed: null }));
    const brightnessModel = await pc.loadLayersModel(imagesThen('RandomBrightness', { factor: [-0.1, 0.3], value_range: [0, 1], seed: 11 }));
    const [contrast, brightness] = [contrastModel.layers[1]!, brightnessModel.layers[1]!];
    expect(contrast).toBeInstanceOf(pc.RandomContrast);
    expect([contrast.getConfig().factor, contrast.getConfig().valueRange, contrast.getConfig().seed]).toEqual([[0, 0.2], [0, 1], undefined]);
    expect([brightness.getConfig().factor, brightness.getConfig().valueRange, brightness.getConfig().seed]).toEqual([[-0.1, 0.3], [0, 1], 11]);
    // Inference: both pass the images through.
    for (const model of [contrastModel, brightnessModel]) {
      const y = model.predict(x) as pc.Tensor;
      expect(y).not.toBe(x);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      y.dispose();
    }
    // Training: contrast factors in [1, 1.2], shifts in [−0.1, 0.3] of the span 1.
    const spread = pc.tidy(() => contrast.apply(x, { training: true }) as pc.Tensor);
    for (const f of recoverFactors(values, spread.dataSync(), shape, [0, 1])) expect(f >= 1 - 1e-5 && f <= 1.2 + 1e-5, `factor ${f}`).toBe(true);
    const shifted = pc.tidy(() => brightness.apply(x, { training: true }) as pc.Tensor);
    for (const d of recoverDeltas(values, shifted.dataSync(), shape, [0, 1])) expect(d >= -0.1 - 1e-6 && d <= 0.3 + 1e-6, `shift ${d}`).toBe(true);
    pc.dispose([x, spread, shifted]);
    contrastModel.dispose();
    brightnessModel.dispose();
  });

  it('name a bad setting', () => {
    const contrastFactor = 'RandomContrast: factor must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got';
    const brightnessFactor = 'RandomBrightness: factor must be a number in [0, 1] or [lower, upper] with −1 ≤ lower ≤ upper ≤ 1, got';
    expect(() => new pc.RandomContrast(1.5)).toThrow(`${contrastFactor} 1.5`);
    expect(() => new pc.RandomContrast(-0.2)).toThrow(`${contrastFactor} -0.2`);
    expect(() => new pc.RandomContrast([-0.1, 0.2])).toThrow(`${contrastFactor} [-0.1,0.2]`);
    expect(() => new pc.RandomContrast([0.4, 0.2])).toThrow(`${contrastFactor} [0.4,0.2]`);
    expect(() => new pc.RandomContrast({} as never)).toThrow(`${contrastFactor} undefined`);
    expect(() => new pc.RandomBrightness(1.2)).toThrow(`${brightnessFactor} 1.2`);
    expect(() => new pc.RandomBrightness([0.5, -0.5])).toThrow(`${brightnessFactor} [0.5,-0.5]`);
    expect(() => new pc.RandomBrightness([-1.5, 0])).toThrow(`${brightnessFactor} [-1.5,0]`);
    expect(() => new pc.RandomBrightness(0.2, { valueRange: [255, 0] })).toThrow('RandomBrightness: valueRange must be [low, high] with finite low < high, got [255,0]');
    expect(() => new pc.RandomContrast(0.2, { valueRange: [1, 1] })).toThrow('RandomContrast: valueRange must be [low, high] with finite low < high, got [1,1]');
    expect(() => new pc.RandomContrast(0.2, { valueRange: [0] as never })).toThrow('RandomContrast: valueRange must be [low, high] with finite low < high, got [0]');
    expect(() => new pc.RandomContrast(0.2, { value_range: [0, 1] } as never)).toThrow("RandomContrast: unknown option 'value_range'");
  });

  it('refuse inputs that are not images, leaving the layer as it was: no draw made, no tensor left', () => {
    const image = pc.tensor(draws(2 * 3 * 3 * 2, 8, 0, 255), [2, 3, 3, 2]);
    for (const make of [(name: string) => new pc.RandomContrast([0.3, 0.5], { seed: 4, name }), (name: string) => new pc.RandomBrightness(0.4, { seed: 4, name })]) {
      const layer = make('color');
      const config = layer.getConfig();
      const className = layer.constructor.name;
      const before = pc.memory().numTensors;
      for (const shape of [[2, 3], [1, 2, 3, 3, 2]]) {
        const bad = pc.zeros(shape);
        const shown = shape.join(',');
        expect(() => layer.apply(bad, { training: true })).toThrow(`${className} 'color': expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape [${shown}]`);
        bad.dispose();
      }
      expect(pc.memory().numTensors).toBe(before);
      expect(layer.getConfig()).toEqual(config);
      // The failed calls drew nothing: the next draws are a fresh layer's first.
      const [got, fresh] = [layer, make('fresh')].map((l) => pc.tidy(() => l.apply(image, { training: true }) as pc.Tensor));
      expect(Array.from(got!.dataSync())).toEqual(Array.from(fresh!.dataSync()));
      pc.dispose([got!, fresh!]);
    }
    image.dispose();
  });
});
