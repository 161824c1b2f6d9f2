// Keras's augmentation layers: RandomFlip and RandomCrop (while training each image is one of the
// candidates Keras allows: flipped or not, one draw per image; one crop window per batch; both
// outcomes occur; a seed repeats the draws; at inference a flip passes images through and a crop
// resizes the whole image, the float64 resize oracle), RandomRotation, RandomTranslation and
// RandomZoom (a quarter turn, a shift by half the height and a 2× zoom against closed forms and
// the float64 transform oracle; each image its own draw); gradients reach the pixels kept; they
// train in a model leaking nothing, survive a save and name bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ndarray, resizeBilinear, transform } from '../src/reference/index.js';
import { expectClose } from './training-api-helpers.js';
import { draws, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** Image b of row-major `values` of [batch, height, width, channels] `shape`, with its rows and columns read in the given orders. */
function image(values: readonly number[], [, height, width, channels]: readonly number[], b: number, rows: 'down' | 'up', columns: 'right' | 'left'): number[] {
  const out: number[] = [];
  for (let r = 0; r < height!; r++) {
    for (let c = 0; c < width!; c++) {
      const [y, x] = [rows === 'down' ? r : height! - 1 - r, columns === 'right' ? c : width! - 1 - c];
      for (let k = 0; k < channels!; k++) out.push(values[((b * height! + y) * width! + x) * channels! + k]!);
    }
  }
  return out;
}

/** The images of a [batch, ...] result, one list each. */
const imagesOf = (t: pc.Tensor): number[][] => {
  const size = t.size / t.shape[0]!;
  return Array.from({ length: t.shape[0]! }, (_, b) => Array.from(t.dataSync().slice(b * size, (b + 1) * size)));
};

for (const backend of MODEL_BACKENDS) {
  describe(`augmentation layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(3);
    });

    it('RandomFlip flips each image or not, one draw per image; both occur; a seed repeats them; inference passes images through', () => {
      const shape = [32, 3, 4, 2];
      const values = draws(32 * 24, 1, -1, 1);
      const x = pc.tensor(values, shape);
      for (const [mode, rows, columns] of [['horizontal', 'down', 'left'], ['vertical', 'up', 'right'], ['horizontal_and_vertical', 'up', 'left']] as const) {
        const run = () => pc.tidy(() => new pc.RandomFlip(mode, { seed: 7 }).apply(x, { training: true }) as pc.Tensor);
        const [first, again] = [run(), run()];
        const flipped = imagesOf(first).map((got, b) => {
          const [same, turned] = [image(values, shape, b, 'down', 'right'), image(values, shape, b, rows, columns)];
          expect([same, turned]).toContainEqual(got);
          return got.every((v, i) => v === turned[i]);
        });
        expect(flipped.filter(Boolean).length, `${mode}: flips of 32`).toBeGreaterThan(4);
        expect(flipped.filter(Boolean).length, `${mode}: flips of 32`).toBeLessThan(28);
        expect(Array.from(again.dataSync())).toEqual(Array.from(first.dataSync()));
        pc.dispose([first, again]);
      }
      const passed = pc.tidy(() => new pc.RandomFlip().apply(x) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, passed]);
    });

    it('RandomCrop takes one window per batch at a random place while training, and resizes the whole image at inference', () => {
      const shape = [3, 6, 5, 1];
      const values = draws(90, 2, -1, 1);
      const x = pc.tensor(values, shape);
      const layer = new pc.RandomCrop(3, 2, { seed: 11 });
      const corners = new Set<string>();
      for (let call = 0; call < 12; call++) {
        const y = pc.tidy(() => layer.apply(x, { training: true }) as pc.Tensor);
        expect(y.shape).toEqual([3, 3, 2, 1]);
        // The window whose copy of image 0 this is; every image of the batch is cut there.
        const windows = [0, 1, 2, 3].flatMap((top) => [0, 1, 2, 3].map((left) => [top, left] as const));
        const window = (b: number, top: number, left: number) => [0, 1, 2].flatMap((r) => [0, 1].map((c) => values[(b * 6 + top + r) * 5 + left + c]!));
        const got = imagesOf(y);
        const [top, left] = windows.find(([t, l]) => window(0, t, l).every((v, i) => v === got[0]![i])) ?? expect.fail('no window of image 0 matches');
        got.forEach((g, b) => expect(g).toEqual(window(b, top, left)));
        corners.add(`${top},${left}`);
        y.dispose();
      }
      expect(corners.size).toBeGreaterThan(3);
      // Inference: the largest centred window of 3×2's ratio (6×4 at column 0, since 5·3/2 rounds to 7 > 6 and 6·2/3 = 4), resized.
      const inference = pc.tidy(() => layer.apply(x) as pc.Tensor);
      const windowOf = (b: number) => [0, 1, 2, 3, 4, 5].flatMap((r) => [0, 1, 2, 3].map((c) => values[(b * 6 + r) * 5 + c]!));
      expectClose(inference.dataSync(), resizeBilinear(ndarray([3, 6, 4, 1], [0, 1, 2].flatMap(windowOf)), [3, 2], { alignCorners: false, halfPixelCenters: true }).data, 1e-6, 1e-7);
      pc.dispose([x, inference]);
    });

    it('RandomRotation by a quarter turn moves each pixel as the closed form says, counter-clockwise; each image draws its own angle', () => {
      const shape = [2, 4, 4, 1];
      const values = draws(32, 4, -1, 1);
      const x = pc.tensor(values, shape);
      const turned = pc.tidy(() => new pc.RandomRotation([0.25, 0.25], { interpolation: 'nearest', seed: 1 }).apply(x, { training: true }) as pc.Tensor);
      // A quarter turn counter-clockwise: output (row y, column x) is input (row x, column 3 − y); the top row comes from the right column.
      expect(Array.from(turned.dataSync())).toEqual([0, 1].flatMap((b) => [0, 1, 2, 3].flatMap((y) => [0, 1, 2, 3].map((c) => values[(b * 4 + c) * 4 + 3 - y]!))));
      // The same image eight times: angles in ±0.2 of a turn differ per image.
      const same = pc.tensor(Array.from({ length: 8 }, () => values.slice(0, 16)).flat(), [8, 4, 4, 1]);
      const spun = pc.tidy(() => new pc.RandomRotation(0.2, { seed: 2 }).apply(same, { training: true }) as pc.Tensor);
      expect(new Set(imagesOf(spun).map((i) => i.join())).size).toBe(8);
      pc.dispose([x, turned, same, spun]);
    });

    it('RandomTranslation by half the height reflects the rows moved in; RandomZoom in by 2 matches the transform oracle about the centre', () => {
      const shape = [1, 4, 3, 2];
      const values = draws(24, 5, -1, 1);
      const x = pc.tensor(values, shape);
      const shifted = pc.tidy(() => new pc.RandomTranslation([0.5, 0.5], [0, 0], { seed: 3 }).apply(x, { training: true }) as pc.Tensor);
      // Two rows down; above, rows −2 and −1 reflect to 1 and 0 (dcba|abcd).
      const row = (r: number) => values.slice(r * 6, r * 6 + 6);
      expectClose(shifted.dataSync(), [1, 0, 0, 1].flatMap(row), 1e-6, 1e-7);
      const zoomed = pc.tidy(() => new pc.RandomZoom([-0.5, -0.5], null, { fillMode: 'constant', fillValue: 0.5, seed: 4 }).apply(x, { training: true }) as pc.Tensor);
      // A zoom of 0.5 about the centre ((w − 1) / 2, (h − 1) / 2).
      const want = transform(ndarray(shape, values), [[0.5, 0, 0.5, 0, 0.5, 0.75, 0, 0]], { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0.5, outputShape: null });
      expectClose(zoomed.dataSync(), want.data, 1e-6, 1e-7);
      const passed = pc.tidy(() => new pc.RandomZoom(0.3).apply(x) as pc.Tensor);
      expect(Array.from(passed.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, shifted, zoomed, passed]);
    });

    it('gradients reach the pixels kept, and a model with both layers trains leaking nothing and survives a save', async () => {
      const x = pc.tensor(draws(2 * 6 * 6 * 1, 3, 0, 1), [2, 6, 6, 1]);
      const pixels = pc.variable(x);
      const crop = new pc.RandomCrop(4, 4, { seed: 5 });
      const tape = new pc.GradientTape();
      const kept = tape.record(() => pc.sum(crop.apply(pixels, { training: true }) as pc.Tensor));
      const grad = tape.gradient(kept, pixels) as pc.Tensor;
      // Ones where the 4×4 window is, zeros elsewhere: 16 per image.
      expect(Array.from(grad.dataSync()).filter((g) => g === 1).length).toBe(32);
      expect(Array.from(grad.dataSync()).filter((g) => g !== 0 && g !== 1)).toEqual([]);
      const flip = new pc.RandomFlip('horizontal', { seed: 4, name: 'flip' });
      const affine = [new pc.RandomRotation(0.1, { seed: 6 }), new pc.RandomTranslation(0.2, [-0.1, 0.3], { fillMode: 'wrap', seed: 7 }), new pc.RandomZoom(0.2, [0, 0.4], { interpolation: 'nearest', seed: 8 })];
      const model = new pc.Sequential([pc.Input({ shape: [6, 6, 1] }), flip, ...affine, new pc.RandomCrop(4, 4, { seed: 9, name: 'crop' }), new pc.Flatten(), new pc.Dense(2)]);
      expectTrainingStepsLeakNothing(model, x);
      await expectSaveLoadRoundTrip(model, x, [flip, ...affine, model.layers[4]!]);
      pc.dispose([x, pixels, kept, grad]);
      model.dispose();
    });
  });
}

describe('augmentation layers', () => {
  it('name a bad setting, and are rebuilt from their configs', async () => {
    await pc.setBackend('naive');
    expect(() => new pc.RandomFlip('diagonal' as never)).toThrow('RandomFlip: mode must be one of horizontal, vertical, horizontal_and_vertical, got "diagonal"');
    expect(() => new pc.RandomCrop(0, 2)).toThrow('RandomCrop: height must be a positive integer, got 0');
    expect(() => new pc.RandomCrop(2, 2, { interpolation: 'nearest' } as never)).toThrow("RandomCrop: unknown option 'interpolation'");
    expect(() => new pc.RandomRotation(-0.1)).toThrow('RandomRotation: factor must be a number in [0, Infinity] or [lower, upper] with −Infinity ≤ lower ≤ upper ≤ Infinity, got -0.1');
    expect(() => new pc.RandomTranslation(0.1, [0.5, -0.5])).toThrow('RandomTranslation: widthFactor must be a number in [0, 1] or [lower, upper] with −1 ≤ lower ≤ upper ≤ 1, got [0.5,-0.5]');
    expect(() => new pc.RandomTranslation(1.5, 0)).toThrow('RandomTranslation: heightFactor must be a number in [0, 1]');
    expect(() => new pc.RandomZoom([-1.5, 0])).toThrow('RandomZoom: heightFactor must not go below −1 (a zoom of 0), got [-1.5,0]');
    expect(() => new pc.RandomZoom(0.2, null, { fillMode: 'mirror' as never })).toThrow("RandomZoom: fillMode must be 'reflect', 'wrap', 'nearest' or 'constant', got \"mirror\"");
    expect(() => new pc.RandomRotation(0.2, { interpolation: 'cubic' as never })).toThrow("RandomRotation: interpolation must be 'bilinear' or 'nearest', got \"cubic\"");
    expect(() => new pc.RandomFlip('vertical', { name: 'f' }).apply(pc.zeros([2, 3]))).toThrow("RandomFlip 'f': expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape [2,3]");
    const flip = pc.deserializeLayer({ className: 'RandomFlip', config: { name: 'flip', mode: 'vertical', seed: 3 } });
    const crop = pc.deserializeLayer({ className: 'RandomCrop', config: { name: 'crop', height: 2, width: 3, seed: 4 } });
    expect([flip.getConfig().mode, crop.getConfig().height, crop.getConfig().width, crop.getConfig().seed]).toEqual(['vertical', 2, 3, 4]);
  });
});
