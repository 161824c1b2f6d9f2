// The layers that only move values (ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D,
// RepeatVector, Permute) against float64 references written here from Keras's definitions as
// index arithmetic: which input entry (or a zero) lands at each output position. Values, input
// gradients (central finite differences), symbolic shapes, configs, training, saving, bad
// settings and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

/** The input position an output position copies, or null where the output is a zero. */
type Source = (out: readonly number[]) => number[] | null;

interface ReshapingCase {
  name: string;
  make: () => pc.Layer;
  /** Keras's default name for the class. */
  defaultName: string;
  inputShape: number[];
  outputShape: number[];
  source: Source;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Every multi-index of `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  const all: number[][] = [[]];
  for (const d of shape) all.splice(0, all.length, ...all.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i])));
  return all;
}

/** The layer's output in float64: each output position reads its source in `x`. */
function gatherReference(c: ReshapingCase, x: readonly number[]): number[] {
  return indices(c.outputShape).map((out) => {
    const at = c.source(out);
    if (at === null) return 0;
    expect(at.every((v, i) => v >= 0 && v < c.inputShape[i]!), `source ${JSON.stringify(at)} of ${JSON.stringify(out)}`).toBe(true);
    return x[at.reduce((flat, v, i) => flat * c.inputShape[i]! + v, 0)]!;
  });
}

/** Zero padding: the input sits `before[a]` further along each spatial axis; outside it, zeros. */
const padded = (inputShape: readonly number[], before: readonly number[]): Source => (out) => {
  const at = out.map((v, i) => (i === 0 || i === out.length - 1 ? v : v - before[i - 1]!));
  return at.every((v, i) => v >= 0 && v < inputShape[i]!) ? at : null;
};
const cropped = (before: readonly number[]): Source => (out) => out.map((v, i) => (i === 0 || i === out.length - 1 ? v : v + before[i - 1]!));
const upSampled = (size: readonly number[]): Source => (out) => out.map((v, i) => (i === 0 || i === out.length - 1 ? v : Math.floor(v / size[i - 1]!)));
/** Output axis k (1-based, after the batch) is input axis dims[k − 1]. */
const permuted = (dims: readonly number[]): Source => (out) => {
  const at = [out[0]!];
  dims.forEach((d, k) => (at[d] = out[k + 1]!));
  return at;
};

const CASES: ReshapingCase[] = [
  { name: 'ZeroPadding1D, default 1', make: () => new pc.ZeroPadding1D(), defaultName: 'zero_padding1d', inputShape: [2, 4, 3], outputShape: [2, 6, 3], source: padded([2, 4, 3], [1]) },
  { name: 'ZeroPadding1D [1, 3]', make: () => new pc.ZeroPadding1D([1, 3]), defaultName: 'zero_padding1d', inputShape: [2, 4, 3], outputShape: [2, 8, 3], source: padded([2, 4, 3], [1]) },
  { name: 'ZeroPadding2D [[0, 2], [1, 3]]', make: () => new pc.ZeroPadding2D([[0, 2], [1, 3]]), defaultName: 'zero_padding2d', inputShape: [2, 3, 4, 2], outputShape: [2, 5, 8, 2], source: padded([2, 3, 4, 2], [0, 1]) },
  { name: 'ZeroPadding2D [1, 2] from a config', make: () => new pc.ZeroPadding2D({ padding: [1, 2] }), defaultName: 'zero_padding2d', inputShape: [1, 2, 3, 3], outputShape: [1, 4, 7, 3], source: padded([1, 2, 3, 3], [1, 2]) },
  { name: 'Cropping1D, default 1', make: () => new pc.Cropping1D(), defaultName: 'cropping1d', inputShape: [2, 5, 3], outputShape: [2, 3, 3], source: cropped([1]) },
  { name: 'Cropping1D [0, 2]', make: () => new pc.Cropping1D([0, 2]), defaultName: 'cropping1d', inputShape: [2, 5, 3], outputShape: [2, 3, 3], source: cropped([0]) },
  { name: 'Cropping2D [[1, 0], [2, 1]]', make: () => new pc.Cropping2D([[1, 0], [2, 1]]), defaultName: 'cropping2d', inputShape: [2, 4, 5, 2], outputShape: [2, 3, 2, 2], source: cropped([1, 2]) },
  { name: 'Cropping2D 1 (each side)', make: () => new pc.Cropping2D(1), defaultName: 'cropping2d', inputShape: [1, 4, 3, 2], outputShape: [1, 2, 1, 2], source: cropped([1, 1]) },
  { name: 'UpSampling1D 3', make: () => new pc.UpSampling1D(3), defaultName: 'up_sampling1d', inputShape: [2, 3, 2], outputShape: [2, 9, 2], source: upSampled([3]) },
  { name: 'UpSampling2D [2, 3]', make: () => new pc.UpSampling2D([2, 3]), defaultName: 'up_sampling2d', inputShape: [2, 3, 2, 2], outputShape: [2, 6, 6, 2], source: upSampled([2, 3]) },
  { name: 'UpSampling2D, default 2', make: () => new pc.UpSampling2D(), defaultName: 'up_sampling2d', inputShape: [1, 2, 3, 1], outputShape: [1, 4, 6, 1], source: upSampled([2, 2]) },
  { name: 'RepeatVector 3', make: () => new pc.RepeatVector(3), defaultName: 'repeat_vector', inputShape: [2, 4], outputShape: [2, 3, 4], source: (out) => [out[0]!, out[2]!] },
  { name: 'Permute [2, 1]', make: () => new pc.Permute([2, 1]), defaultName: 'permute', inputShape: [2, 3, 4], outputShape: [2, 4, 3], source: permuted([2, 1]) },
  { name: 'Permute [3, 1, 2]', make: () => new pc.Permute([3, 1, 2]), defaultName: 'permute', inputShape: [2, 2, 3, 4], outputShape: [2, 4, 2, 3], source: permuted([3, 1, 2]) },
];

const recordError = errorRecorder('reshaping layers');

/** `model` fit to (x, y) ends below 0.3× its first loss, saves and loads, and a training step leaks nothing; then x, y and the model are freed. */
async function expectLearnsSavesAndLeaksNothing(model: pc.Model, x: pc.Tensor, y: pc.Tensor): Promise<void> {
  model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0 });
  const losses = history.history.loss!;
  expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.3);
  await expectSaveLoadRoundTrip(model, x, model.layers);
  expectTrainingStepsLeakNothing(model, x);
  pc.dispose([x, y]);
  model.dispose();
}

for (const backend of MODEL_BACKENDS) {
  describe(`reshaping layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(product(c.inputShape), 1, -2, 2);

      it('values match the float64 index loop, the symbolic shape agrees, and the default name is Keras\'s', () => {
        pc.clearSession();
        const layer = c.make();
        expect(layer.name).toBe(c.defaultName);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.inputShape)) as pc.Tensor);
        expect(y.shape).toEqual(c.outputShape);
        // Moving values is exact: float32 in, the same float32 out.
        expect(Array.from(y.dataSync())).toEqual(gatherReference(c, xValues));
        expect(layer.computeOutputShape([null, ...c.inputShape.slice(1)])).toEqual([null, ...c.outputShape.slice(1)]);
        y.dispose();
      });

      it('the gradient w.r.t. the input matches central finite differences', () => {
        const layer = c.make();
        const x = pc.tensor(xValues, c.inputShape);
        const weights = draws(product(c.outputShape), 5, -1, 1);
        const tape = new pc.GradientTape();
        const loss = tape.record(() => {
          tape.watch(x);
          return pc.sum(pc.mul(layer.apply(x) as pc.Tensor, pc.tensor(weights, c.outputShape)));
        });
        const [dx] = tape.gradient(loss, [x]);
        const want = finiteDifferences(xValues, weights, (moved) => gatherReference(c, moved));
        recordError('gradient w.r.t. input', dx!.dataSync(), want);
        expectClose(dx!.dataSync(), want, 1e-4, 1e-4);
        pc.dispose([x, loss, dx!]);
      });

      it('rebuilds from its serialized config, computing the same', () => {
        const layer = c.make();
        const again = pc.deserializeLayer(JSON.parse(JSON.stringify(pc.serializeLayer(layer))) as pc.SerializedLayer);
        expect(again.constructor).toBe(layer.constructor);
        expect(again.getConfig()).toEqual(layer.getConfig());
        const [y, yAgain] = [layer, again].map((l) => pc.tidy(() => l.apply(pc.tensor(xValues, c.inputShape)) as pc.Tensor));
        expect(Array.from(yAgain!.dataSync())).toEqual(Array.from(y!.dataSync()));
        pc.dispose([y!, yAgain!]);
      });
    });

    it('spatial layers keep an unknown spatial size unknown in computeOutputShape', () => {
      expect(new pc.ZeroPadding2D([[0, 2], [1, 3]]).computeOutputShape([null, null, 5, 2])).toEqual([null, null, 9, 2]);
      expect(new pc.Cropping1D([1, 2]).computeOutputShape([4, null, 3])).toEqual([4, null, 3]);
      expect(new pc.UpSampling2D([2, 3]).computeOutputShape([null, 4, null, 1])).toEqual([null, 8, null, 1]);
      expect(new pc.Permute([2, 1]).computeOutputShape([null, null, 7])).toEqual([null, 7, null]);
      expect(new pc.RepeatVector(5).computeOutputShape([null, null])).toEqual([null, 5, null]);
    });

    it('a 1-D model of RepeatVector, Permute, ZeroPadding1D, UpSampling1D and Cropping1D learns with fit, saves, loads and leaks nothing', async () => {
      const n = 32;
      const x = pc.tensor(draws(n * 4, 7, -1, 1), [n, 4]);
      const y = pc.tidy(() => pc.sum(pc.mul(x, pc.tensor([0.5, -1, 0.25, 1], [1, 4])), 1, true));
      const model = new pc.Sequential([
        pc.Input({ shape: [4] }),
        new pc.Dense(3),
        new pc.RepeatVector(5), // [5, 3]
        new pc.Permute([2, 1]), // [3, 5]
        new pc.ZeroPadding1D([1, 2]), // [6, 5]
        new pc.UpSampling1D(2), // [12, 5]
        new pc.Cropping1D([3, 1]), // [8, 5]
        new pc.Conv1D(2, 3, { activation: 'tanh' }), // [6, 2]
        new pc.Flatten(),
        new pc.Dense(1),
      ]);
      await expectLearnsSavesAndLeaksNothing(model, x, y);
    });

    it('a 2-D model of ZeroPadding2D, UpSampling2D and Cropping2D learns with fit, saves, loads and leaks nothing', async () => {
      const n = 32;
      const x = pc.tensor(draws(n * 16, 8, 0, 1), [n, 4, 4, 1]);
      // The target: the mean brightness of the image's top half minus that of its bottom half.
      const y = pc.tidy(() => pc.reshape(pc.sub(pc.mean(pc.slice(x, [0, 0], [-1, 2]), [1, 2, 3]), pc.mean(pc.slice(x, [0, 2], [-1, 2]), [1, 2, 3])), [n, 1]));
      const model = new pc.Sequential([
        pc.Input({ shape: [4, 4, 1] }),
        new pc.ZeroPadding2D(1), // [6, 6, 1]
        new pc.Conv2D(2, 3, { activation: 'tanh' }), // [4, 4, 2]
        new pc.UpSampling2D([2, 1]), // [8, 4, 2]
        new pc.Cropping2D([[1, 1], [0, 1]]), // [6, 3, 2]
        new pc.Flatten(),
        new pc.Dense(1),
      ]);
      await expectLearnsSavesAndLeaksNothing(model, x, y);
    });

    it('refuses bad settings, naming the layer, what was expected and what was given', () => {
      expect(() => new pc.ZeroPadding1D(-1)).toThrow('ZeroPadding1D: padding must be a non-negative integer or a pair of them [before, after], got -1');
      expect(() => new pc.ZeroPadding1D([1, 2, 3] as never)).toThrow('ZeroPadding1D: padding must be a non-negative integer or a pair of them [before, after], got [1,2,3]');
      expect(() => new pc.ZeroPadding2D([[1, 1], [1]] as never)).toThrow(
        'ZeroPadding2D: padding must be a non-negative integer, one per axis [height, width], or a pair per axis [[top, bottom], [left, right]], got [[1,1],[1]]',
      );
      expect(() => new pc.Cropping2D([1, -2])).toThrow('Cropping2D: cropping must be a non-negative integer, one per axis [height, width], or a pair per axis [[top, bottom], [left, right]], got [1,-2]');
      expect(() => new pc.Cropping1D(1.5)).toThrow('Cropping1D: cropping must be a non-negative integer or a pair of them [before, after], got 1.5');
      expect(() => new pc.UpSampling1D(0)).toThrow('UpSampling1D: size must be a positive integer, got 0');
      expect(() => new pc.UpSampling1D([2] as never)).toThrow('UpSampling1D: size must be a positive integer, got [2]');
      expect(() => new pc.UpSampling2D([2, 0])).toThrow('UpSampling2D: size must be a positive integer or 2 of them [height, width], got [2,0]');
      expect(() => new pc.UpSampling2D(2, { interpolation: 'bicubic' as never })).toThrow(
        "UpSampling2D: interpolation must be 'nearest' or 'bilinear' (the ones implemented here), got \"bicubic\"",
      );
      expect(() => new pc.RepeatVector(0)).toThrow('RepeatVector: n must be a positive integer, got 0');
      expect(() => new pc.Permute([1, 1])).toThrow("Permute: dims must be a permutation of 1..n over the sample's axes (the batch axis 0 is not among them), got [1,1]");
      expect(() => new pc.Permute([0, 1])).toThrow('got [0,1]');
      expect(() => new pc.Permute([1, 3])).toThrow('got [1,3]');
    });

    it('refuses inputs of the wrong rank or too small to crop, naming the layer, what was expected and what was given', () => {
      const x3 = pc.ones([1, 4, 2]);
      const x4 = pc.ones([1, 3, 4, 2]);
      expect(() => new pc.ZeroPadding2D(1, { name: 'zp' }).apply(x3)).toThrow("ZeroPadding2D 'zp': expected inputs of rank 4 [batch, height, width, channels], got shape [1,4,2]");
      expect(() => new pc.UpSampling1D(2, { name: 'up' }).apply(x4)).toThrow("UpSampling1D 'up': expected inputs of rank 3 [batch, steps, channels], got shape [1,3,4,2]");
      expect(() => new pc.Cropping1D(2, { name: 'c1' }).apply(x3)).toThrow("Cropping1D 'c1': cropping 2 + 2 along steps needs more than 4 entries there, got 4 (shape [1,4,2])");
      expect(() => new pc.Cropping2D([[0, 0], [3, 2]], { name: 'c2' }).apply(x4)).toThrow("Cropping2D 'c2': cropping 3 + 2 along width needs more than 5 entries there, got 4 (shape [1,3,4,2])");
      expect(() => new pc.Cropping2D([[3, 0], [0, 0]], { name: 'c3' }).computeOutputShape([null, 3, 4, 2])).toThrow("Cropping2D 'c3': cropping 3 + 0 along height needs more than 3 entries there, got 3");
      expect(() => new pc.RepeatVector(2, { name: 'rv' }).apply(x3)).toThrow("RepeatVector 'rv': expected inputs of rank 2 [batch, features], got shape [1,4,2]");
      expect(() => new pc.Permute([2, 1], { name: 'p' }).apply(x4)).toThrow("Permute 'p': dims [2,1] expect inputs of rank 3 (the batch and 2 axes), got shape [1,3,4,2]");
      pc.dispose([x3, x4]);
    });
  });
}
