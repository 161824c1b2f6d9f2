// Keras 3's colour augmentation layers beyond contrast and brightness (RandomHue, RandomSaturation,
// RandomColorDegeneration, RandomSharpness, RandomPosterization, RandomInvert, Solarization,
// RandomGrayscale, RandomColorJitter) against float64 references written in color-references.ts:
// with each factor pinned to [x, x] the output is fixed (RandomHue's up to the sign it draws per
// image, which both references cover); draws lie in their ranges and repeat with a seed;
// inference passes images through; gradients reach the pixels as central differences of the
// reference say; the layers train in a model leaking nothing, survive a save, read Keras 3
// descriptions and name bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clip, hsvOf, lumaOf, mapPixels, rescale64, rgbOf, smoothed, type Range, type Rgb, type Shape4,
} from './color-references.js';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const record = errorRecorder('color augmentation extra');

/** The layer's training output on `values` of `shape`, as numbers. */
function trained(layer: pc.Layer, values: readonly number[], shape: readonly number[]): number[] {
  const x = pc.tensor([...values], [...shape]);
  const y = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
  const out = Array.from(y.dataSync());
  pc.dispose([x, y]);
  return out;
}

/** Image b's values of flat `values` holding images of `size` values each. */
const imageOf = (values: readonly number[], size: number, b: number): number[] => values.slice(b * size, (b + 1) * size);

const maxError = (got: readonly number[], want: readonly number[]): number => want.reduce((m, w, i) => Math.max(m, Math.abs(got[i]! - w)), 0);

/** For each image, the index of the candidate reference it matches best; each image checked against it. */
function matchEach(check: string, got: readonly number[], candidates: readonly (readonly number[])[], size: number, tolerance: [number, number]): number[] {
  return Array.from({ length: got.length / size }, (_, b) => {
    const image = imageOf(got, size, b);
    const errors = candidates.map((c) => maxError(image, imageOf(c, size, b)));
    const best = errors.indexOf(Math.min(...errors));
    const want = imageOf(candidates[best]!, size, b);
    record(check, image, want);
    expectClose(image, want, ...tolerance);
    return best;
  });
}

/** Pixels of [0, 1]-mapped `range` images with their hue turned by `turns`, as Keras's RandomHue. */
const hueTurned = (values: readonly number[], turns: number, range: Range): number[] => mapPixels(values, (pixel) => {
  const [h, s, v] = hsvOf(pixel.map((c) => rescale64(c, range, [0, 1])) as unknown as Rgb);
  return rgbOf([h + turns, s, v]).map((c) => rescale64(clip(c, 0, 1), [0, 1], range)) as unknown as Rgb;
});

/** Pixels with their saturation scaled by `ratio` and clipped to [0, 1], as RandomSaturation. */
const saturationScaled = (values: readonly number[], ratio: number, range: Range): number[] => mapPixels(values, (pixel) => {
  const [h, s, v] = hsvOf(pixel.map((c) => rescale64(c, range, [0, 1])) as unknown as Rgb);
  return rgbOf([h, clip(s * ratio, 0, 1), v]).map((c) => rescale64(c, [0, 1], range)) as unknown as Rgb;
});

/** RandomSaturation's ratio for a draw f. */
const ratioOf = (f: number): number => f / (1 - f + 1e-7);

/** Pixels blended towards their luma by `amount`, clipped to `range`. */
const degenerated = (values: readonly number[], amount: number, [low, high]: Range): number[] =>
  mapPixels(values, (pixel) => pixel.map((c) => clip(c + amount * (lumaOf(pixel) - c), low, high)) as unknown as Rgb);

/** x + (1 − s)·(smoothed − x), clipped, as RandomSharpness with s = 2·draw. */
const sharpened = (values: readonly number[], shape: Shape4, s: number, [low, high]: Range): number[] => {
  const blur = smoothed(values, shape);
  return values.map((v, i) => clip(v + (1 - s) * (blur[i]! - v), low, high));
};

/** Each pixel mapped to [0, 255] keeping its top `bits` bits, mapped back. */
const posterized = (values: readonly number[], bits: number, range: Range): number[] => {
  const step = 2 ** (8 - bits);
  return values.map((v) => rescale64(Math.floor(rescale64(v, range, [0, 255]) / step) * step, [0, 255], range));
};

/** Solarization with an addition and threshold on the [0, 255] scale. */
const solarized = (values: readonly number[], addition: number, threshold: number, range: Range): number[] => values.map((v) => {
  const added = clip(rescale64(v, range, [0, 255]) + addition, 0, 255);
  return rescale64(added < threshold ? added : 255 - added, [0, 255], range);
});

/** The hue turn (in (−½, ½]) that took `before`'s pixel to `after`'s. */
function turnBetween(before: Rgb, after: Rgb): number {
  const turn = (((hsvOf(after)[0] - hsvOf(before)[0]) % 1) + 1) % 1;
  return turn > 0.5 ? turn - 1 : turn;
}

/** The layer's training output on x and the tape's gradient of Σ g·output, g drawn from `seed`. */
function outputAndGradient(layer: pc.Layer, values: readonly number[], shape: readonly number[], seed: number): { output: number[]; g: number[]; dx: number[] } {
  const g = draws(values.length, seed, -1, 1);
  const x = pc.tensor([...values], [...shape]);
  const [y, dx] = pc.tidy(() => {
    const tape = new pc.GradientTape();
    tape.watch(x);
    const output = tape.record(() => layer.apply(x, { training: true }) as pc.Tensor);
    const loss = tape.record(() => pc.sum(pc.mul(output, pc.tensor(g, output.shape))));
    return [output, tape.gradient(loss, x)!];
  });
  const result = { output: Array.from(y.dataSync()), g, dx: Array.from(dx.dataSync()) };
  pc.dispose([x, y, dx]);
  return result;
}

/** Expects the tape's gradient to match central differences of `reference` (float64) weighted by g. */
function expectGradient(check: string, values: readonly number[], got: { g: number[]; dx: number[] }, reference: (moved: number[]) => number[]): void {
  const want = finiteDifferences(values, got.g, reference);
  record(check, got.dx, want);
  expectClose(got.dx, want, 1e-3, 1e-4);
}

for (const backend of MODEL_BACKENDS) {
  describe(`colour augmentation layers (hue, saturation, ...) on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(5);
    });

    it('RandomHue turns each image by factor/2 of a turn, either way (both ways drawn), in HSV of the images mapped to [0, 1]', () => {
      const shape: Shape4 = [12, 3, 4, 3];
      const values = draws(12 * 36, 1, 0, 255);
      const got = trained(new pc.RandomHue([0.4, 0.4], { seed: 3 }), values, shape);
      const signs = matchEach('RandomHue output', got, [hueTurned(values, 0.2, [0, 255]), hueTurned(values, -0.2, [0, 255])], 36, [1e-5, 2e-4]);
      expect(new Set(signs).size, 'both directions drawn').toBe(2);
      // The layer's own generator, replayed: per image a draw above ½ turns backwards, then the size.
      const replay = new pc.RandomGenerator(3);
      const backwards = signs.map(() => {
        const back = replay.nextFloat() > 0.5;
        replay.nextFloat(); // the size, pinned here
        return back ? 1 : 0;
      });
      expect(signs, 'forward turns take red towards yellow').toEqual(backwards);
      // One image in [−1, 1]: the mapping to [0, 1] and back.
      const small = draws(4 * 5 * 3, 2, -1, 1);
      const one = trained(new pc.RandomHue([1, 1], { valueRange: [-1, 1], seed: 1 }), small, [4, 5, 3]);
      matchEach('RandomHue single image', one, [hueTurned(small, 0.5, [-1, 1])], 60, [1e-5, 1e-5]);
    });

    it('RandomHue draws turns within ±[lower, upper]/2, spread over the range, per image; a seed repeats them', () => {
      // A saturated first pixel per image, so its hue is well defined.
      const shape: Shape4 = [32, 2, 2, 3];
      const values = draws(32 * 12, 3, 0.2, 0.8).map((v, i) => (i % 12 === 0 ? 0.95 : i % 12 === 2 ? 0.05 : v));
      const layer = () => new pc.RandomHue([0.2, 0.6], { valueRange: [0, 1], seed: 11 });
      const got = trained(layer(), values, shape);
      expect(trained(layer(), values, shape)).toEqual(got);
      const turns = Array.from({ length: 32 }, (_, b) => turnBetween(values.slice(b * 12, b * 12 + 3) as unknown as Rgb, got.slice(b * 12, b * 12 + 3) as unknown as Rgb));
      for (const t of turns) expect(Math.abs(t), `turn ${t}`).toBeGreaterThanOrEqual(0.1 - 1e-5);
      for (const t of turns) expect(Math.abs(t), `turn ${t}`).toBeLessThanOrEqual(0.3 + 1e-5);
      expect(turns.filter((t) => t > 0).length).toBeGreaterThan(4);
      expect(turns.filter((t) => t < 0).length).toBeGreaterThan(4);
      expect(Math.min(...turns.map(Math.abs))).toBeLessThan(0.15);
      expect(Math.max(...turns.map(Math.abs))).toBeGreaterThan(0.25);
      // Each image's output is its own turn of the reference.
      turns.forEach((t, b) => {
        const want = hueTurned(imageOf(values, 12, b), t, [0, 1]);
        record('RandomHue recovered turns', imageOf(got, 12, b), want);
        expectClose(imageOf(got, 12, b), want, 1e-4, 1e-4);
      });
    });

    it('RandomSaturation scales the HSV saturation by f / (1 − f) and clips it to [0, 1]: 0.5 keeps, 0 greys, 1 saturates fully', () => {
      const shape: Shape4 = [3, 3, 3, 3];
      const values = draws(81, 4, 0, 255);
      for (const f of [0.3, 0.8, 0, 1, 0.5]) {
        const got = trained(new pc.RandomSaturation([f, f], { seed: 2 }), values, shape);
        const want = saturationScaled(values, ratioOf(f), [0, 255]);
        record('RandomSaturation output', got, want);
        expectClose(got, want, 1e-5, 2e-4);
      }
      // 0.8 scales by 4: some saturations clip at 1, where a pixel's lowest channel is 0.
      const strong = trained(new pc.RandomSaturation([0.8, 0.8], { seed: 2 }), values, shape);
      expect(mapPixels(strong, (p) => [Math.min(...p), 0, 0]).filter((v, i) => i % 3 === 0 && v === 0).length).toBeGreaterThan(5);
      const one = draws(2 * 2 * 3, 5, 0, 1);
      const single = trained(new pc.RandomSaturation([0.2, 0.2], { valueRange: [0, 1] }), one, [2, 2, 3]);
      expectClose(single, saturationScaled(one, ratioOf(0.2), [0, 1]), 1e-5, 1e-6);
    });

    it('RandomColorDegeneration blends towards the luma by the draw, clipped; RandomSharpness towards the zero-padded 3×3 blur by 1 − 2·draw', () => {
      const shape: Shape4 = [2, 4, 5, 3];
      const values = draws(120, 6, 0, 255);
      for (const f of [0.6, -0.5, 1]) {
        const got = trained(new pc.RandomColorDegeneration([f, f], { seed: 1 }), values, shape);
        const want = degenerated(values, f, [0, 255]);
        record('RandomColorDegeneration output', got, want);
        expectClose(got, want, 1e-5, 2e-4);
      }
      expect(trained(new pc.RandomColorDegeneration([-0.5, -0.5]), values, shape).filter((v) => v === 0 || v === 255).length, 'clipped').toBeGreaterThan(5);
      for (const f of [0.1, 0.9, 0.5]) {
        const got = trained(new pc.RandomSharpness([f, f], { seed: 1 }), values, shape);
        const want = sharpened(values, shape, 2 * f, [0, 255]);
        record('RandomSharpness output', got, want);
        expectClose(got, want, 1e-5, 2e-4);
      }
      // One image, 2 channels: sharpening needs no RGB.
      const one = draws(3 * 4 * 2, 7, 0, 1);
      const single = trained(new pc.RandomSharpness([0.95, 0.95], { valueRange: [0, 1] }), one, [3, 4, 2]);
      const want = sharpened(one, [1, 3, 4, 2], 1.9, [0, 1]);
      expect(single.filter((v) => v === 0 || v === 1).length, 'clipped').toBeGreaterThan(0);
      record('RandomSharpness single image', single, want);
      expectClose(single, want, 1e-5, 1e-6);
    });

    it('RandomPosterization keeps each image’s top bits on the [0, 255] scale, the bit count drawn per image from [lower, upper] both included', () => {
      const shape: Shape4 = [40, 2, 3, 1];
      const values = draws(240, 8, 0, 1);
      const fixed = trained(new pc.RandomPosterization([3, 3], { valueRange: [0, 1], seed: 2 }), values, shape);
      const want = posterized(values, 3, [0, 1]);
      record('RandomPosterization output', fixed, want);
      expectClose(fixed, want, 1e-6, 1e-6);
      const drawn = trained(new pc.RandomPosterization([2, 5], { valueRange: [0, 1], seed: 4 }), values, shape);
      const bits = matchEach('RandomPosterization drawn bits', drawn, [2, 3, 4, 5].map((b) => posterized(values, b, [0, 1])), 6, [1e-6, 1e-6]);
      expect(new Set(bits)).toEqual(new Set([0, 1, 2, 3]));
      // A number b is [1, b].
      expect(new pc.RandomPosterization(4).getConfig().factor).toEqual([1, 4]);
    });

    it('RandomInvert replaces an image by low + high − x with its drawn chance; Solarization turns pixels at or above the threshold into 255 − x after the addition', () => {
      const shape: Shape4 = [16, 2, 2, 3];
      const values = draws(192, 9, -1, 1);
      expect(trained(new pc.RandomInvert([1, 1], { valueRange: [-1, 1] }), values, shape)).toEqual(values.map((v) => Math.fround(-v) + 0));
      expect(trained(new pc.RandomInvert([0, 0], { valueRange: [-1, 1] }), values, shape)).toEqual(values);
      const mixed = trained(new pc.RandomInvert(undefined, { valueRange: [-1, 1], seed: 6 }), values, shape);
      const inverted = matchEach('RandomInvert output', mixed, [values, values.map((v) => -v)], 12, [0, 0]);
      expect(new Set(inverted).size, 'some images inverted, some kept').toBe(2);
      const unit = draws(192, 10, 0, 1);
      const solar = trained(new pc.Solarization({ additionFactor: [0.1, 0.1], thresholdFactor: [0.5, 0.5], valueRange: [0, 1], seed: 3 }), unit, shape);
      const want = solarized(unit, 25.5, 127.5, [0, 1]);
      record('Solarization output', solar, want);
      expectClose(solar, want, 1e-6, 1e-6);
      expect(unit.filter((v) => v * 255 + 25.5 >= 127.5).length, 'both sides of the threshold').toBeGreaterThan(20);
      expect(unit.filter((v) => v * 255 + 25.5 < 127.5).length, 'both sides of the threshold').toBeGreaterThan(20);
      // By default every pixel is solarized: 255 − x.
      const all = trained(new pc.Solarization(), unit.map((v) => Math.round(v * 255)), shape);
      expect(all).toEqual(unit.map((v) => 255 - Math.round(v * 255)));
    });

    it('RandomGrayscale makes each image its luma in all 3 channels with chance factor', () => {
      const shape: Shape4 = [16, 2, 3, 3];
      const values = draws(288, 11, 0, 255);
      const grey = mapPixels(values, (p) => [lumaOf(p), lumaOf(p), lumaOf(p)]);
      const all = trained(new pc.RandomGrayscale(1), values, shape);
      record('RandomGrayscale output', all, grey);
      expectClose(all, grey, 1e-6, 1e-4);
      expect(trained(new pc.RandomGrayscale(0), values, shape)).toEqual(values);
      const some = trained(new pc.RandomGrayscale({ seed: 2 }), values, shape);
      expect(new Set(matchEach('RandomGrayscale mixed', some, [values, grey], 18, [1e-6, 1e-4])).size).toBe(2);
    });

    it('RandomColorJitter applies brightness, contrast, saturation and hue in that order, each clipped, drawing from its own generator', () => {
      const shape: Shape4 = [8, 2, 3, 3];
      const values = draws(144, 12, 0, 1);
      const layer = new pc.RandomColorJitter({ valueRange: [0, 1], brightnessFactor: [0.1, 0.1], contrastFactor: [0, 0], saturationFactor: [0.7, 0.7], hueFactor: [0.2, 0.2], seed: 7 });
      const got = trained(layer, values, shape);
      const brighter = values.map((v) => clip(v + 0.1, 0, 1));
      const saturated = saturationScaled(brighter, ratioOf(0.7), [0, 1]);
      const signs = matchEach('RandomColorJitter output', got, [hueTurned(saturated, 0.1, [0, 1]), hueTurned(saturated, -0.1, [0, 1])], 18, [1e-5, 1e-5]);
      expect(new Set(signs).size).toBe(2);
      expect(brighter.filter((v) => v === 1).length, 'brightness clipped').toBeGreaterThan(5);
      // Only the set steps run: brightness alone is RandomBrightness.
      const only = trained(new pc.RandomColorJitter({ valueRange: [0, 1], brightnessFactor: [-0.2, -0.2] }), values, shape);
      expectClose(only, values.map((v) => clip(v - 0.2, 0, 1)), 1e-6, 1e-7);
    });

    it('each random layer passes images through at inference (float32 out) and repeats its draws with a seed', () => {
      const shape: Shape4 = [4, 3, 3, 3];
      const values = draws(108, 13, 0, 255).map(Math.round);
      const makers: (() => pc.Layer)[] = [
        () => new pc.RandomHue(0.5, { seed: 1 }), () => new pc.RandomSaturation([0.2, 0.9], { seed: 1 }),
        () => new pc.RandomColorDegeneration(0.8, { seed: 1 }), () => new pc.RandomSharpness([0, 1], { seed: 1 }),
        () => new pc.RandomPosterization([1, 8], { seed: 1 }), () => new pc.RandomInvert(1, { seed: 1 }),
        () => new pc.Solarization({ additionFactor: 0.3, thresholdFactor: 0.8, seed: 1 }), () => new pc.RandomGrayscale(0.5, { seed: 1 }),
        () => new pc.RandomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.3, saturationFactor: [0.2, 0.8], hueFactor: 0.4, seed: 1 }),
      ];
      const ints = pc.tensor(values, [...shape], 'int32');
      for (const make of makers) {
        const layer = make();
        const passed = pc.tidy(() => layer.apply(ints) as pc.Tensor);
        expect(passed.dtype, layer.name).toBe('float32');
        expect(Array.from(passed.dataSync()), layer.name).toEqual(values);
        passed.dispose();
        const first = trained(layer, values, shape);
        expect(first, `${layer.name} changes the images`).not.toEqual(values);
        expect(trained(make(), values, shape), `${layer.name} repeats with its seed`).toEqual(first);
        if (!(layer instanceof pc.RandomGrayscale || layer instanceof pc.RandomInvert)) expect(trained(layer, values, shape), `${layer.name} draws anew`).not.toEqual(first);
      }
      ints.dispose();
    });

    it('gradients reach the pixels as central differences of the float64 references say', () => {
      const shape: Shape4 = [2, 2, 3, 3];
      const values = draws(36, 14, 0.1, 0.9);
      const hue = outputAndGradient(new pc.RandomHue([0.3, 0.3], { valueRange: [0, 1], seed: 2 }), values, shape, 1);
      const signs = matchEach('RandomHue gradient run', hue.output, [hueTurned(values, 0.15, [0, 1]), hueTurned(values, -0.15, [0, 1])], 18, [1e-5, 1e-6]);
      const turned = (moved: number[]) => signs.flatMap((s, b) => imageOf(hueTurned(moved, s === 0 ? 0.15 : -0.15, [0, 1]), 18, b));
      expectGradient('RandomHue gradient', values, hue, turned);
      expect(hue.dx.some((d, i) => Math.abs(d - hue.g[i]!) > 1e-2), 'the hue turn mixes channels').toBe(true);
      const saturation = outputAndGradient(new pc.RandomSaturation([0.35, 0.35], { valueRange: [0, 1] }), values, shape, 2);
      expectGradient('RandomSaturation gradient', values, saturation, (moved) => saturationScaled(moved, ratioOf(0.35), [0, 1]));
      const degeneration = outputAndGradient(new pc.RandomColorDegeneration([0.4, 0.4], { valueRange: [0, 1] }), values, shape, 3);
      expectGradient('RandomColorDegeneration gradient', values, degeneration, (moved) => degenerated(moved, 0.4, [0, 1]));
      const sharpness = outputAndGradient(new pc.RandomSharpness([0.7, 0.7], { valueRange: [-1, 2] }), values, shape, 4);
      expectGradient('RandomSharpness gradient', values, sharpness, (moved) => sharpened(moved, shape, 1.4, [-1, 2]));
      const inverted = outputAndGradient(new pc.RandomInvert([1, 1], { valueRange: [0, 1] }), values, shape, 5);
      expect(inverted.dx).toEqual(inverted.g.map((g) => Math.fround(-g)));
      // Posterized values are steps: nothing flows back, as in Keras.
      const poster = outputAndGradient(new pc.RandomPosterization([4, 4], { valueRange: [0, 1] }), values, shape, 6);
      expect(poster.dx.every((d) => d === 0)).toBe(true);
    });

    it('a model with every one of them trains leaking nothing and survives a save', async () => {
      const x = pc.tensor(draws(2 * 4 * 4 * 3, 15, 0, 1), [2, 4, 4, 3]);
      const layers = [
        new pc.RandomHue(0.2, { valueRange: [0, 1], seed: 1 }), new pc.RandomSaturation([0.4, 0.6], { valueRange: [0, 1], seed: 2 }),
        new pc.RandomColorDegeneration([-0.2, 0.3], { valueRange: [0, 1], seed: 3 }), new pc.RandomSharpness(0.7, { valueRange: [0, 1], seed: 4 }),
        new pc.RandomPosterization([6, 8], { valueRange: [0, 1], seed: 5 }), new pc.RandomInvert(0.3, { valueRange: [0, 1], seed: 6 }),
        new pc.Solarization({ additionFactor: [0, 0.1], thresholdFactor: [0.8, 0.9], valueRange: [0, 1], seed: 7 }), new pc.RandomGrayscale(0.2, { seed: 8 }),
        new pc.RandomColorJitter({ valueRange: [0, 1], brightnessFactor: 0.1, contrastFactor: [0.1, 0.2], saturationFactor: [0.4, 0.6], hueFactor: 0.1, seed: 9 }),
      ];
      const model = new pc.Sequential([pc.Input({ shape: [4, 4, 3] }), ...layers, new pc.Flatten(), new pc.Dense(2)]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, layers);
      expect(layers[8]!.getConfig()).toMatchObject({
        valueRange: [0, 1], brightnessFactor: [-0.1, 0.1], contrastFactor: [0.1, 0.2], saturationFactor: [0.4, 0.6], hueFactor: [0, 0.1], seed: 9,
      });
      expect(new pc.RandomColorJitter({ hueFactor: 0.3 }).getConfig()).toMatchObject({ brightnessFactor: null, contrastFactor: null, saturationFactor: null, hueFactor: [0, 0.3] });
      x.dispose();
      model.dispose();
    });
  });
}

describe('colour augmentation layers (hue, saturation, ...)', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it("read Keras 3's descriptions, as Keras 3 writes their configs", async () => {
    const shape: Shape4 = [2, 3, 3, 3];
    const values = draws(54, 16, 0, 255);
    const x = pc.tensor(values, [...shape]);
    const cases: { className: string; config: Record<string, unknown>; expected: Record<string, unknown> }[] = [
      { className: 'RandomHue', config: { factor: [0.0, 0.5], value_range: [0, 255], seed: null }, expected: { factor: [0, 0.5], valueRange: [0, 255] } },
      // Keras 3 reads RandomSaturation(0.2) and RandomColorDegeneration(0.3) as [−f, f] and writes that.
      { className: 'RandomSaturation', config: { factor: [-0.2, 0.2], value_range: [0, 255], seed: 3 }, expected: { factor: [-0.2, 0.2], seed: 3 } },
      { className: 'RandomColorDegeneration', config: { factor: [-0.3, 0.3], value_range: [0, 255], seed: null }, expected: { factor: [-0.3, 0.3] } },
      { className: 'RandomSharpness', config: { factor: [0.0, 0.4], value_range: [0, 255], seed: null }, expected: { factor: [0, 0.4] } },
      { className: 'RandomPosterization', config: { factor: [1, 4], value_range: [0, 255], seed: 1 }, expected: { factor: [1, 4] } },
      { className: 'RandomInvert', config: { factor: [0, 1.0], value_range: [0, 255], seed: null }, expected: { factor: [0, 1] } },
      {
        className: 'Solarization', config: { value_range: [0, 255], addition_factor: [0, 0.0], threshold_factor: [0, 0.5], seed: null },
        expected: { additionFactor: [0, 0], thresholdFactor: [0, 0.5] },
      },
      { className: 'RandomGrayscale', config: { factor: 0.5, data_format: 'channels_last' }, expected: { factor: 0.5 } },
      {
        className: 'RandomColorJitter', config: { value_range: [0, 255], brightness_factor: 0.2, contrast_factor: [0.1, 0.2], saturation_factor: [0.4, 0.6], hue_factor: 0.1, seed: null },
        expected: { brightnessFactor: [-0.2, 0.2], contrastFactor: [0.1, 0.2], saturationFactor: [0.4, 0.6], hueFactor: [0, 0.1] },
      },
    ];
    for (const { className, config, expected } of cases) {
      const model = await pc.loadLayersModel(keras3Files({ inputs: [{ name: 'images', shape: [3, 3, 3] }], layers: [{ className, name: 'color', config }] }));
      const layer = model.layers[1]!;
      expect(layer.constructor.name).toBe(className);
      expect(layer.getConfig(), className).toMatchObject(expected);
      const y = model.predict(x) as pc.Tensor;
      expect(Array.from(y.dataSync()), `${className} passes images through at inference`).toEqual(Array.from(x.dataSync()));
      const z = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
      expect(z.shape).toEqual([...shape]);
      pc.dispose([y, z]);
      model.dispose();
    }
    x.dispose();
  });

  it('name a bad setting or input', () => {
    const zeroBased = (owner: string, option: string, lowest = '0') => `${owner}: ${option} must be a number in [0, 1] or [lower, upper] with ${lowest} ≤ lower ≤ upper ≤ 1, got`;
    expect(() => new pc.RandomHue(1.5)).toThrow(`${zeroBased('RandomHue', 'factor')} 1.5`);
    expect(() => new pc.RandomHue([-0.1, 0.2])).toThrow(`${zeroBased('RandomHue', 'factor')} [-0.1,0.2]`);
    expect(() => new pc.RandomSaturation([-1.5, 0.5])).toThrow(`${zeroBased('RandomSaturation', 'factor', '−1')} [-1.5,0.5]`);
    expect(() => new pc.RandomColorDegeneration(-0.2)).toThrow(`${zeroBased('RandomColorDegeneration', 'factor', '−1')} -0.2`);
    expect(() => new pc.RandomSharpness([0.6, 0.4])).toThrow(`${zeroBased('RandomSharpness', 'factor')} [0.6,0.4]`);
    expect(() => new pc.RandomInvert(2)).toThrow(`${zeroBased('RandomInvert', 'factor')} 2`);
    expect(() => new pc.Solarization({ thresholdFactor: 1.2 })).toThrow(`${zeroBased('Solarization', 'thresholdFactor')} 1.2`);
    expect(() => new pc.Solarization({ additionFactor: [0.5] as never })).toThrow(`${zeroBased('Solarization', 'additionFactor')} [0.5]`);
    const bits = 'RandomPosterization: factor must be a whole number in [1, 8] or [lower, upper] with whole 1 ≤ lower ≤ upper ≤ 8, got';
    expect(() => new pc.RandomPosterization(9)).toThrow(`${bits} 9`);
    expect(() => new pc.RandomPosterization(2.5)).toThrow(`${bits} 2.5`);
    expect(() => new pc.RandomPosterization([0, 4])).toThrow(`${bits} [0,4]`);
    expect(() => new pc.RandomGrayscale(1.2)).toThrow('RandomGrayscale: factor must be a chance in [0, 1], got 1.2');
    expect(() => new pc.RandomHue(0.2, { valueRange: [1, 0] })).toThrow('RandomHue: valueRange must be [low, high] with finite low < high, got [1,0]');
    expect(() => new pc.RandomColorJitter({ hueFactor: 2 })).toThrow(`${zeroBased('RandomColorJitter', 'hueFactor')} 2`);
    expect(() => new pc.RandomColorJitter({ contrastFactor: [-0.1, 0.1] })).toThrow('RandomColorJitter: contrastFactor must be a number in [0, 1] or [lower, upper] with 0 ≤ lower ≤ upper ≤ 1, got [-0.1,0.1]');
    expect(() => new pc.RandomColorJitter({ brightnessFactor: 1.5 })).toThrow('RandomColorJitter: brightnessFactor must be a number in [0, 1] or [lower, upper] with −1 ≤ lower ≤ upper ≤ 1, got 1.5');
    expect(() => new pc.RandomColorJitter({ value_range: [0, 1] } as never)).toThrow("RandomColorJitter: unknown option 'value_range'");
    const grey = pc.zeros([2, 3, 3, 1]);
    const rgb = 'expected RGB images with 3 channels in the last dimension, got shape [2,3,3,1]';
    for (const layer of [
      new pc.RandomHue(0.2, { name: 'hue' }), new pc.RandomSaturation(0.2, { name: 'hue' }), new pc.RandomColorDegeneration(0.2, { name: 'hue' }),
      new pc.RandomGrayscale(0.2, { name: 'hue' }), new pc.RandomColorJitter({ saturationFactor: 0.2, name: 'hue' }),
    ]) {
      expect(() => layer.apply(grey, { training: true })).toThrow(`${layer.constructor.name} 'hue': ${rgb}`);
    }
    // Steps that need no RGB take any channels.
    const jitter = new pc.RandomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.2 });
    const y = pc.tidy(() => jitter.apply(grey, { training: true }) as pc.Tensor);
    expect(y.shape).toEqual([2, 3, 3, 1]);
    pc.dispose([grey, y]);
  });
});
