// Keras's Resizing and CenterCrop layers and UpSampling2D's bilinear interpolation against the
// float64 resize oracle (TensorFlow 2's pixel-centre sampling) and closed forms: crop to the
// aspect ratio gives block means of the centred window, padding keeps the image between rows of
// the fill value, a centre crop copies the middle; saved and loaded, read from a Keras 3
// description, bad settings named.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ndarray, resizeBilinear } from '../src/reference/index.js';
import { expectClose } from './training-api-helpers.js';
import { draws, expectSaveLoadRoundTrip } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

const KERAS_SAMPLING = { alignCorners: false, halfPixelCenters: true };

/** Entry [b, y, x, c] of row-major `values` of `shape`. */
const entry = (values: readonly number[], [, height, width, channels]: readonly number[]) => (b: number, y: number, x: number, c: number): number =>
  values[((b * height! + y) * width! + x) * channels! + c]!;


for (const backend of MODEL_BACKENDS) {
  describe(`Resizing and bilinear UpSampling2D on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it('resizes up and down by bilinear interpolation between pixel centres, as float32, and keeps its settings through a save', async () => {
      const shape = [2, 5, 4, 3];
      const values = draws(120, 1, -2, 2);
      const x = pc.tensor(values, shape);
      for (const [height, width] of [[3, 7], [8, 2]] as const) {
        const layer = new pc.Resizing(height, width, { name: `resize_${height}x${width}` });
        const model = new pc.Sequential([pc.Input({ shape: shape.slice(1) }), layer]);
        expect(model.outputShape).toEqual([null, height, width, 3]);
        const y = model.predict(x) as pc.Tensor;
        expect(y.shape).toEqual([2, height, width, 3]);
        expectClose(y.dataSync(), resizeBilinear(ndarray(shape, values), [height, width], KERAS_SAMPLING).data, 1e-6, 1e-6);
        await expectSaveLoadRoundTrip(model, x, [layer]);
        pc.dispose(y);
        model.dispose();
      }
      x.dispose();
    });

    it('nearest repeats each pixel when the size doubles, and integer pixels come out as float32', () => {
      const pixels = pc.tensor(Int32Array.from([0, 51, 255, 128, 7, 90]), [1, 2, 3, 1], 'int32');
      const y = pc.tidy(() => new pc.Resizing({ height: 4, width: 6, interpolation: 'nearest' }).apply(pixels) as pc.Tensor);
      expect(y.dtype).toBe('float32');
      const at = entry([0, 51, 255, 128, 7, 90], [1, 2, 3, 1]);
      expect(Array.from(y.dataSync())).toEqual(Array.from({ length: 24 }, (_, i) => at(0, Math.floor(Math.floor(i / 6) / 2), Math.floor((i % 6) / 2), 0)));
      pc.dispose([pixels, y]);
    });

    it('cropToAspectRatio takes the centred square of a 4×6 image: halving it then averages 2×2 blocks', () => {
      const shape = [1, 4, 6, 2];
      const values = draws(48, 2, -1, 1);
      const x = pc.tensor(values, shape);
      const y = pc.tidy(() => new pc.Resizing({ height: 2, width: 2, cropToAspectRatio: true }).apply(x) as pc.Tensor);
      const at = entry(values, shape);
      // The window is columns 1 to 4; output (r, s) is the mean of its block of rows 2r, 2r+1 and columns 1+2s, 2+2s.
      const block = (r: number, s: number, c: number) => [0, 1].flatMap((dy) => [0, 1].map((dx) => at(0, 2 * r + dy, 1 + 2 * s + dx, c))).reduce((a, b) => a + b) / 4;
      expectClose(y.dataSync(), [0, 1].flatMap((r) => [0, 1].flatMap((s) => [0, 1].map((c) => block(r, s, c)))), 1e-6, 1e-7);
      pc.dispose([x, y]);
    });

    it('padToAspectRatio puts a 2×4 image between rows of the fill value, the same number above and below', () => {
      const values = draws(8, 3, -1, 1);
      const x = pc.tensor(values, [1, 2, 4, 1]);
      const y = pc.tidy(() => new pc.Resizing({ height: 4, width: 4, padToAspectRatio: true, fillValue: -5 }).apply(x) as pc.Tensor);
      expectClose(y.dataSync(), [-5, -5, -5, -5, ...values, -5, -5, -5, -5], 1e-6, 1e-7);
      pc.dispose([x, y]);
    });

    it('CenterCrop copies the centred window, and resizes the largest centred window of the aspect ratio of an image too small', async () => {
      const shape = [2, 5, 7, 1];
      const values = draws(70, 6, -1, 1);
      const x = pc.tensor(values, shape);
      const crop = new pc.CenterCrop(2, 4, { name: 'middle' });
      const model = new pc.Sequential([pc.Input({ shape: [5, 7, 1] }), crop]);
      expect(model.outputShape).toEqual([null, 2, 4, 1]);
      const y = model.predict(x) as pc.Tensor;
      const at = entry(values, shape);
      // (5 − 2) / 2 and (7 − 4) / 2, rounded down: rows 1 and 2, columns 1 to 4.
      expect(Array.from(y.dataSync())).toEqual([0, 1].flatMap((b) => [1, 2].flatMap((r) => [1, 2, 3, 4].map((c) => at(b, r, c, 0)))));
      await expectSaveLoadRoundTrip(model, x, [crop]);
      // 8 rows are more than 5: the window of 8×3's ratio is 5×1 (7·8/3 rounded down is more than 5;
      // 5·3/8 rounds down to 1), at column 3, stretched to 8×3.
      const stretched = pc.tidy(() => new pc.CenterCrop(8, 3).apply(x) as pc.Tensor);
      const column = [0, 1].flatMap((b) => [0, 1, 2, 3, 4].map((r) => at(b, r, 3, 0)));
      expectClose(stretched.dataSync(), resizeBilinear(ndarray([2, 5, 1, 1], column), [8, 3], KERAS_SAMPLING).data, 1e-6, 1e-7);
      pc.dispose([x, y, stretched]);
      model.dispose();
    });

    it('UpSampling2D with bilinear interpolation is the resize to size times the input\'s, between pixel centres', () => {
      const shape = [1, 3, 2, 2];
      const values = draws(12, 4, -1, 1);
      const x = pc.tensor(values, shape);
      const y = pc.tidy(() => new pc.UpSampling2D([2, 3], { interpolation: 'bilinear' }).apply(x) as pc.Tensor);
      expect(y.shape).toEqual([1, 6, 6, 2]);
      expectClose(y.dataSync(), resizeBilinear(ndarray(shape, values), [6, 6], KERAS_SAMPLING).data, 1e-6, 1e-7);
      pc.dispose([x, y]);
    });
  });
}

describe('Resizing', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it("reads Keras 3's Resizing, CenterCrop and bilinear UpSampling2D", async () => {
    const values = draws(2 * 4 * 6 * 1, 5, -1, 1);
    const x = pc.tensor(values, [2, 4, 6, 1]);
    const imagesThen = (className: string, config: Record<string, unknown>) => keras3Files({ inputs: [{ name: 'images', shape: [4, 6, 1] }], layers: [{ className, name: 'resize', config: { dtype: 'float32', ...config } }] });
    const resizing = await pc.loadLayersModel(imagesThen('Resizing', {
      height: 2, width: 3, interpolation: 'nearest', crop_to_aspect_ratio: false, pad_to_aspect_ratio: true, fill_mode: 'constant', fill_value: 0.0, data_format: 'channels_last',
    }));
    const centerCrop = await pc.loadLayersModel(imagesThen('CenterCrop', { height: 2, width: 2, data_format: 'channels_last' }));
    const upSampling = await pc.loadLayersModel(imagesThen('UpSampling2D', { size: [2, 2], data_format: 'channels_last', interpolation: 'bilinear' }));
    // 4×6 already has 2×3's aspect ratio: nothing is padded, and nearest halving takes rows 1, 3 and columns 1, 3, 5.
    const at = entry(values, [2, 4, 6, 1]);
    const y = resizing.predict(x) as pc.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 1].flatMap((b) => [1, 3].flatMap((r) => [1, 3, 5].map((c) => at(b, r, c, 0)))));
    const cropped = centerCrop.predict(x) as pc.Tensor;
    expect(Array.from(cropped.dataSync())).toEqual([0, 1].flatMap((b) => [1, 2].flatMap((r) => [2, 3].map((c) => at(b, r, c, 0)))));
    const z = upSampling.predict(x) as pc.Tensor;
    expectClose(z.dataSync(), resizeBilinear(ndarray([2, 4, 6, 1], values), [8, 12], KERAS_SAMPLING).data, 1e-6, 1e-7);
    pc.dispose([x, y, cropped, z]);
    centerCrop.dispose();
    resizing.dispose();
    upSampling.dispose();
  });

  it('names a bad setting and inputs that are not images', () => {
    expect(() => new pc.Resizing(0, 4)).toThrow('Resizing: height must be a positive integer, got 0');
    expect(() => new pc.Resizing({ height: 2 } as never)).toThrow('Resizing: width must be a positive integer, got undefined');
    expect(() => new pc.Resizing(2, 2, { interpolation: 'bicubic' as never })).toThrow("Resizing: interpolation must be 'bilinear' or 'nearest' (the ones implemented here), got \"bicubic\"");
    expect(() => new pc.Resizing(2, 2, { cropToAspectRatio: true, padToAspectRatio: true })).toThrow('Resizing: cropToAspectRatio and padToAspectRatio cannot both be true');
    expect(() => new pc.Resizing(2, 2, { fillMode: 'reflect' as never })).toThrow("Resizing: fillMode must be 'constant' (the only one Keras has), got \"reflect\"");
    expect(() => new pc.Resizing(2, 2, { fillValue: Number.NaN })).toThrow('Resizing: fillValue must be a finite number, got NaN');
    expect(() => new pc.Resizing(2, 2, { antialias: true } as never)).toThrow("Resizing: unknown option 'antialias'");
    expect(() => new pc.CenterCrop(3, 1.5)).toThrow('CenterCrop: width must be a positive integer, got 1.5');
    expect(() => new pc.CenterCrop(3, 3, { interpolation: 'nearest' } as never)).toThrow("CenterCrop: unknown option 'interpolation'");
    const before = pc.memory().numTensors;
    const flat = pc.zeros([2, 3]);
    expect(() => new pc.Resizing(2, 2, { name: 'r' }).apply(flat)).toThrow("Resizing 'r': expected images of rank 4 [batch, height, width, channels] or 3 [height, width, channels], got shape [2,3]");
    expect(() => new pc.Sequential([pc.Input({ shape: [3] }), new pc.Resizing(2, 2, { name: 's' })])).toThrow("Resizing 's': expected images of rank 4");
    flat.dispose();
    expect(pc.memory().numTensors).toBe(before);
  });
});
