// MaxPooling1D, AveragePooling1D and the global poolings (1D and 2D, max and average) against
// float64 loops written here from Keras's definitions: values, gradients (central finite
// differences), output shapes, training, saving, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, stripeImages, tapeGradients } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Reduction = 'max' | 'average';

interface Pool1DCase {
  name: string;
  /** [batch, steps, features] */
  shape: [number, number, number];
  poolSize: number;
  /** null: Keras's default, the pool size. */
  strides: number | null;
  padding: 'valid' | 'same';
}

const CASES: Pool1DCase[] = [
  { name: 'valid, default strides, a step left over', shape: [2, 7, 3], poolSize: 2, strides: null, padding: 'valid' },
  { name: 'valid, pool 3, strides 1 (overlapping)', shape: [1, 6, 2], poolSize: 3, strides: 1, padding: 'valid' },
  { name: 'valid, pool 2, strides 3 (gaps)', shape: [2, 8, 2], poolSize: 2, strides: 3, padding: 'valid' },
  { name: 'same, pool 3, strides 2 (one padded step, after)', shape: [2, 8, 2], poolSize: 3, strides: 2, padding: 'same' },
  { name: 'same, pool 4, strides 1 (one before, two after)', shape: [1, 5, 3], poolSize: 4, strides: 1, padding: 'same' },
  { name: 'same, default strides, odd steps', shape: [2, 7, 2], poolSize: 2, strides: null, padding: 'same' },
];

/**
 * Keras's 1-D pooling in float64: y[b, o, f] = max or mean of x[b, o·s + t − before, f] over the
 * taps t < poolSize inside the sequence. 'valid': floor((steps − poolSize) / s) + 1 outputs, no
 * padding; 'same': ceil(steps / s) outputs, the padding split with the extra step after, and
 * padded steps neither win a max nor count in a mean.
 */
function pool1dReference(kind: Reduction, c: Pool1DCase, x: readonly number[]): number[] {
  const [batch, steps, features] = c.shape;
  const stride = c.strides ?? c.poolSize;
  let outputs = Math.floor((steps - c.poolSize) / stride) + 1;
  let before = 0;
  if (c.padding === 'same') {
    outputs = Math.ceil(steps / stride);
    before = Math.floor(Math.max((outputs - 1) * stride + c.poolSize - steps, 0) / 2);
  }
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outputs; o++) {
      for (let f = 0; f < features; f++) {
        const taps: number[] = [];
        for (let t = 0; t < c.poolSize; t++) {
          const step = o * stride + t - before;
          if (step >= 0 && step < steps) taps.push(x[(b * steps + step) * features + f]!);
        }
        y.push(kind === 'max' ? Math.max(...taps) : taps.reduce((s, v) => s + v, 0) / taps.length);
      }
    }
  }
  return y;
}

/** The max or mean of each channel of x [batch, ...spatial, channels] over its spatial entries, in float64. */
function globalPoolReference(kind: Reduction, shape: readonly number[], x: readonly number[]): number[] {
  const [batch, channels] = [shape[0]!, shape[shape.length - 1]!];
  const spatial = x.length / (batch * channels);
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const values = Array.from({ length: spatial }, (_, p) => x[(b * spatial + p) * channels + c]!);
      y.push(kind === 'max' ? Math.max(...values) : values.reduce((s, v) => s + v, 0) / spatial);
    }
  }
  return y;
}

/**
 * `count` distinct values spread over [-2, 2) in a seeded order: no two within 4/count of each
 * other, so no max has a tie, nor changes its pick, within a finite-difference step.
 */
function distinctDraws(count: number, seed: number): number[] {
  const order = draws(count, seed, 0, 1).map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const values = new Array<number>(count);
  order.forEach(([, i], rank) => (values[i] = Math.fround(-2 + (4 * rank) / count)));
  return values;
}

function pool1dLayer(kind: Reduction, c: Pool1DCase): pc.Pooling1D {
  const config = { poolSize: c.poolSize, strides: c.strides, padding: c.padding };
  return kind === 'max' ? new pc.MaxPooling1D(config) : new pc.AveragePooling1D(config);
}

interface GlobalCase {
  name: string;
  kind: Reduction;
  make: (config?: pc.GlobalPoolingConfig) => pc.GlobalPooling;
  shape: number[];
}

const GLOBAL_CASES: GlobalCase[] = [
  { name: 'GlobalAveragePooling1D', kind: 'average', make: (config) => new pc.GlobalAveragePooling1D(config), shape: [2, 5, 3] },
  { name: 'GlobalMaxPooling1D', kind: 'max', make: (config) => new pc.GlobalMaxPooling1D(config), shape: [2, 5, 3] },
  { name: 'GlobalAveragePooling2D', kind: 'average', make: (config) => new pc.GlobalAveragePooling2D(config), shape: [2, 3, 4, 2] },
  { name: 'GlobalMaxPooling2D', kind: 'max', make: (config) => new pc.GlobalMaxPooling2D(config), shape: [2, 3, 4, 2] },
];

/** 12-step sequences with one feature, rising (label 1) or falling (label 0), with noise. */
function slopes(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const x = new Float32Array(n * 12);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const start = generator.nextFloat();
    for (let t = 0; t < 12; t++) x[i * 12 + t] = start + (y[i] ? 1 : -1) * 0.1 * t + 0.05 * generator.nextNormal();
  }
  return { x: pc.tensor(x, [n, 12, 1]), y: pc.tensor(y, [n], 'int32') };
}

/** 6×6 images with a bright horizontal (label 1) or vertical (label 0) line somewhere, with noise. */
function lines(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const { pixels, labels } = stripeImages(n, 6, seed);
  return { x: pc.tensor(pixels, [n, 6, 6, 1]), y: pc.tensor(labels, [n], 'int32') };
}

/** Conv1D → MaxPooling1D → AveragePooling1D same → GlobalAveragePooling1D (keepdims) → GlobalMaxPooling1D → Dense. */
function sequenceModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [12, 1] }),
    new pc.Conv1D(4, 3, { padding: 'same', activation: 'relu' }),
    new pc.MaxPooling1D(),
    new pc.AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }),
    new pc.Conv1D(4, 1, { activation: 'relu' }),
    new pc.GlobalAveragePooling1D({ keepdims: true }),
    new pc.GlobalMaxPooling1D(),
    new pc.Dense(2, { activation: 'softmax' }),
  ]);
}

/** Conv2D → GlobalMaxPooling2D → Dense: a line detector whose position the global max forgets. */
function imageModel(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [6, 6, 1] }),
    new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
    new pc.GlobalMaxPooling2D(),
    new pc.Dense(2, { activation: 'softmax' }),
  ]);
}

const recordError = errorRecorder('pooling-1d');

for (const backend of MODEL_BACKENDS) {
  describe(`1D and global pooling layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = distinctDraws(c.shape.reduce((a, b) => a * b, 1), 1);

      it.each(['max', 'average'] as const)('%s: values and input gradient match the float64 loop; computeOutputShape agrees', (kind) => {
        const layer = pool1dLayer(kind, c);
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        const want = pool1dReference(kind, c, xValues);
        recordError(`${kind} pooling 1D forward`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-6, 1e-6);
        expect(layer.computeOutputShape([null, c.shape[1], c.shape[2]])).toEqual([null, ...y.shape.slice(1)]);
        expect(layer.computeOutputShape([null, null, c.shape[2]])).toEqual([null, null, c.shape[2]]);
        const weights = draws(want.length, 2, -1, 1);
        const got = tapeGradients(layer, x, weights)[0]!;
        const fd = finiteDifferences(xValues, weights, (moved) => pool1dReference(kind, c, moved));
        recordError(`${kind} pooling 1D gradient w.r.t. input`, got, fd);
        expectClose(got, fd, 1e-4, 1e-4);
        pc.dispose([x, y]);
      });
    });

    describe.each(GLOBAL_CASES)('$name', (g) => {
      const xValues = distinctDraws(g.shape.reduce((a, b) => a * b, 1), 3);
      const spatialOnes = g.shape.slice(1, -1).map(() => 1);

      it('values and input gradient match the float64 loop; keepdims and computeOutputShape agree with the output', () => {
        const [layer, kept] = [g.make(), g.make({ keepdims: true })];
        const x = pc.tensor(xValues, g.shape);
        const [y, yKept] = pc.tidy(() => [layer.apply(x) as pc.Tensor, kept!.apply(x) as pc.Tensor]);
        const want = globalPoolReference(g.kind, g.shape, xValues);
        recordError(`${g.name} forward`, y!.dataSync(), want);
        expectClose(y!.dataSync(), want, 1e-6, 1e-6);
        expectClose(yKept!.dataSync(), want, 1e-6, 1e-6);
        const [batch, channels] = [g.shape[0]!, g.shape.at(-1)!];
        expect(y!.shape).toEqual([batch, channels]);
        expect(yKept!.shape).toEqual([batch, ...spatialOnes, channels]);
        const symbolic = [null, ...g.shape.slice(1, -1).map(() => null), channels];
        expect(layer.computeOutputShape(symbolic)).toEqual([null, channels]);
        expect(kept!.computeOutputShape(symbolic)).toEqual([null, ...spatialOnes, channels]);
        const weights = draws(want.length, 4, -1, 1);
        const got = tapeGradients(layer, x, weights)[0]!;
        const fd = finiteDifferences(xValues, weights, (moved) => globalPoolReference(g.kind, g.shape, moved));
        recordError(`${g.name} gradient w.r.t. input`, got, fd);
        expectClose(got, fd, 1e-4, 1e-4);
        pc.dispose([x, y!, yKept!]);
      });
    });

    it('default names, defaults and configs follow Keras', () => {
      pc.clearSession();
      expect(new pc.MaxPooling1D().name).toBe('max_pooling1d');
      expect(new pc.AveragePooling1D().name).toBe('average_pooling1d');
      expect(new pc.GlobalAveragePooling1D().name).toBe('global_average_pooling1d');
      expect(new pc.GlobalMaxPooling1D().name).toBe('global_max_pooling1d');
      expect(new pc.GlobalMaxPooling2D().name).toBe('global_max_pooling2d');
      expect(new pc.MaxPooling1D().name).toBe('max_pooling1d_1');
      const pooling = new pc.MaxPooling1D({ name: 'p', poolSize: 3 });
      expect(pooling.getConfig()).toMatchObject({ name: 'p', poolSize: 3, strides: 3, padding: 'valid' });
      expect(new pc.AveragePooling1D({ poolSize: 4, strides: null }).strides).toEqual([4]);
      // Keras writes its sizes as lists of one; those are taken too.
      expect(new pc.AveragePooling1D({ poolSize: [3], strides: [2], padding: 'same' }).getConfig()).toMatchObject({ poolSize: 3, strides: 2, padding: 'same' });
      expect(new pc.GlobalMaxPooling2D().getConfig()).toMatchObject({ keepdims: false });
      expect(new pc.GlobalAveragePooling1D({ keepdims: true }).getConfig()).toMatchObject({ keepdims: true });
    });

    it('a small Sequential using them trains with fit (the loss falls) and saves and loads; configs round trip', async () => {
      const models = [[sequenceModel(), slopes(64, 21)], [imageModel(), lines(64, 22)]] as const;
      for (const [model, { x, y }] of models) {
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
        const history = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
        const losses = history.history['loss']!;
        expect(losses.at(-1)!).toBeLessThan(0.6 * losses[0]!);
        expect(model.outputShape).toEqual([null, 2]);
        const alone = [new pc.AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }), new pc.GlobalAveragePooling2D({ keepdims: true })];
        await expectSaveLoadRoundTrip(model, x, [...model.layers, ...alone]);
        pc.dispose([x, y]);
        model.dispose();
      }
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.MaxPooling1D({ poolSize: 0 })).toThrow('MaxPooling1D: poolSize must be a positive integer, got 0');
      expect(() => new pc.AveragePooling1D({ poolSize: 2.5 })).toThrow('AveragePooling1D: poolSize must be a positive integer, got 2.5');
      expect(() => new pc.AveragePooling1D({ strides: [2, 2] as unknown as [number] })).toThrow('AveragePooling1D: strides must be a positive integer, got [2,2]');
      expect(() => new pc.MaxPooling1D({ padding: 'causal' as 'same' })).toThrow("MaxPooling1D: padding must be 'valid' or 'same', got \"causal\"");
      expect(() => new pc.GlobalMaxPooling2D({ keepdims: 'yes' as unknown as boolean })).toThrow('GlobalMaxPooling2D: keepdims must be true or false, got "yes"');

      const image = pc.ones([1, 2, 3, 4]);
      const short = pc.ones([1, 2, 2]);
      expect(() => new pc.MaxPooling1D({ name: 'm' }).apply(image)).toThrow("MaxPooling1D 'm': expected inputs of rank 3 [batch, steps, channels], got shape [1,2,3,4]");
      expect(() => new pc.AveragePooling1D({ name: 'a', poolSize: 3 }).apply(short)).toThrow("AveragePooling1D 'a': with padding 'valid' the input needs at least 3 steps (the pooling window's span), got 2 (shape [1,2,2])");
      expect(() => new pc.MaxPooling1D({ name: 'm2', poolSize: 4 }).computeOutputShape([null, 3, 1])).toThrow("MaxPooling1D 'm2': with padding 'valid' the input needs at least 4 steps (the pooling window's span), got 3 (shape [-1,3,1])");
      expect(() => new pc.GlobalMaxPooling1D({ name: 'g1' }).apply(image)).toThrow("GlobalMaxPooling1D 'g1': expected inputs of rank 3 [batch, steps, channels], got shape [1,2,3,4]");
      expect(() => new pc.GlobalAveragePooling1D({ name: 'g2' }).computeOutputShape([null, 4])).toThrow("GlobalAveragePooling1D 'g2': expected inputs of rank 3 [batch, steps, channels], got shape [-1,4]");
      expect(() => new pc.GlobalMaxPooling2D({ name: 'g3' }).apply(short)).toThrow("GlobalMaxPooling2D 'g3': expected inputs of rank 4 [batch, height, width, channels], got shape [1,2,2]");
      // 'same' needs no minimum length: a window is never empty.
      expect(pc.tidy(() => (new pc.MaxPooling1D({ poolSize: 3, padding: 'same' }).apply(short) as pc.Tensor).shape)).toEqual([1, 1, 2]);
      pc.dispose([image, short]);
    });

    it('a training step leaves no tensor behind', () => {
      for (const [model, data] of [[sequenceModel(), slopes(4, 23)], [imageModel(), lines(4, 24)]] as const) {
        expectTrainingStepsLeakNothing(model, data.x);
        pc.dispose([data.x, data.y]);
        model.dispose();
      }
    });
  });
}
