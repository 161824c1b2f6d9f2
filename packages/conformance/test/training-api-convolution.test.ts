// Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D and Reshape against float64
// loops written here: values, gradients (central finite differences), output shapes, training,
// saving, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, stripeImages, tapeGradients } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Pair = [number, number];

interface Window {
  size: Pair;
  strides: Pair;
  dilation: Pair;
  padding: 'valid' | 'same';
}

/** Keras's geometry along one axis, written out again: output length and padding before. */
function axisGeometry(input: number, size: number, stride: number, dilation: number, padding: 'valid' | 'same'): { output: number; before: number } {
  const span = (size - 1) * dilation + 1;
  if (padding === 'valid') return { output: Math.floor((input - span) / stride) + 1, before: 0 };
  const output = Math.ceil(input / stride);
  return { output, before: Math.floor(Math.max((output - 1) * stride + span - input, 0) / 2) };
}

/**
 * Visits every output position of images [batch, height, width, channels] and, for each, the
 * window taps inside the image: visit(out, b, oy, ox, i, j, inputOffset) with inputOffset the
 * flat index of pixel (b, y, x, 0).
 */
function forEachTap(shape: number[], w: Window, visit: (b: number, oy: number, ox: number, i: number, j: number, at: number) => void): Pair {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const rows = axisGeometry(height, w.size[0], w.strides[0], w.dilation[0], w.padding);
  const cols = axisGeometry(width, w.size[1], w.strides[1], w.dilation[1], w.padding);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        for (let i = 0; i < w.size[0]; i++) {
          for (let j = 0; j < w.size[1]; j++) {
            const y = oy * w.strides[0] + i * w.dilation[0] - rows.before;
            const x = ox * w.strides[1] + j * w.dilation[1] - cols.before;
            if (y >= 0 && y < height && x >= 0 && x < width) visit(b, oy, ox, i, j, ((b * height + y) * width + x) * channels);
          }
        }
      }
    }
  }
  return [rows.output, cols.output];
}

/**
 * The convolution as plain loops in float64: [batch, outHeight, outWidth, filters]. With
 * `groups`, filter f reads only its group's channels, kernel [kh, kw, channels / groups, filters].
 */
function convReference(x: readonly number[], shape: number[], kernel: readonly number[], bias: readonly number[], w: Window, groups = 1): number[] {
  const channels = shape[3]! / groups;
  const filters = bias.length;
  const [outRows, outCols] = forEachTap(shape, w, () => {});
  const out = new Array<number>(shape[0]! * outRows * outCols * filters).fill(0);
  forEachTap(shape, w, (b, oy, ox, i, j, at) => {
    const o = ((b * outRows + oy) * outCols + ox) * filters;
    for (let f = 0; f < filters; f++) {
      const first = Math.floor(f / (filters / groups)) * channels;
      for (let c = 0; c < channels; c++) out[o + f]! += x[at + first + c]! * kernel[((i * w.size[1] + j) * channels + c) * filters + f]!;
    }
  });
  return out.map((v, k) => v + bias[k % filters]!);
}

/** Max or average pooling as plain loops in float64; the average is over the taps inside the image, as Keras's 'same'. */
function poolReference(kind: 'max' | 'average', x: readonly number[], shape: number[], w: Window): number[] {
  const channels = shape[3]!;
  const [outRows, outCols] = forEachTap(shape, w, () => {});
  const size = shape[0]! * outRows * outCols * channels;
  const best = new Array<number>(size).fill(-Infinity);
  const total = new Array<number>(size).fill(0);
  const count = new Array<number>(size).fill(0);
  forEachTap(shape, w, (b, oy, ox, _i, _j, at) => {
    const o = ((b * outRows + oy) * outCols + ox) * channels;
    for (let c = 0; c < channels; c++) {
      best[o + c] = Math.max(best[o + c]!, x[at + c]!);
      total[o + c]! += x[at + c]!;
      count[o + c]!++;
    }
  });
  return kind === 'max' ? best : total.map((t, k) => t / count[k]!);
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const recordError = errorRecorder('convolution');

interface ConvCase {
  name: string;
  shape: number[];
  filters: number;
  window: Window;
  groups?: number;
}

const window = (size: Pair, strides: Pair, padding: 'valid' | 'same', dilation: Pair = [1, 1]): Window => ({ size, strides, padding, dilation });

const CONV_CASES: ConvCase[] = [
  { name: '3×3 same, [2,5,5,2] → 3 filters', shape: [2, 5, 5, 2], filters: 3, window: window([3, 3], [1, 1], 'same') },
  { name: '3×2 same strides 2, [2,7,6,3] → 2 filters', shape: [2, 7, 6, 3], filters: 2, window: window([3, 2], [2, 2], 'same') },
  { name: '3×3 valid strides 2, [1,6,5,2] → 4 filters', shape: [1, 6, 5, 2], filters: 4, window: window([3, 3], [2, 2], 'valid') },
  { name: '2×3 valid strides [1,2], [3,5,7,1] → 2 filters', shape: [3, 5, 7, 1], filters: 2, window: window([2, 3], [1, 2], 'valid') },
  { name: '4×4 same (padding 1 before, 2 after), [2,5,6,1] → 2 filters', shape: [2, 5, 6, 1], filters: 2, window: window([4, 4], [1, 1], 'same') },
  { name: '3×3 dilation 2 same, [1,7,6,2] → 2 filters', shape: [1, 7, 6, 2], filters: 2, window: window([3, 3], [1, 1], 'same', [2, 2]) },
  { name: '3×3 same, [2,5,5,4] → 6 filters in 2 groups', shape: [2, 5, 5, 4], filters: 6, window: window([3, 3], [1, 1], 'same'), groups: 2 },
  { name: '2×2 valid strides 2, [1,6,6,3] → 3 filters in 3 groups', shape: [1, 6, 6, 3], filters: 3, window: window([2, 2], [2, 2], 'valid'), groups: 3 },
];

interface PoolCase {
  name: string;
  shape: number[];
  window: Window;
}

const POOL_CASES: PoolCase[] = [
  { name: '2×2 valid (tiles; the odd row and column left out), [2,5,5,2]', shape: [2, 5, 5, 2], window: window([2, 2], [2, 2], 'valid') },
  { name: '2×2 same (tiles; padded bottom and right), [2,5,7,2]', shape: [2, 5, 7, 2], window: window([2, 2], [2, 2], 'same') },
  { name: '3×3 strides 2 valid (overlapping), [1,7,6,3]', shape: [1, 7, 6, 3], window: window([3, 3], [2, 2], 'valid') },
  { name: '3×3 strides 1 same, [2,4,5,1]', shape: [2, 4, 5, 1], window: window([3, 3], [1, 1], 'same') },
  { name: '2×3 strides [2,1] same, [1,5,5,2]', shape: [1, 5, 5, 2], window: window([2, 3], [2, 1], 'same') },
];

function convLayer(c: ConvCase, config: Partial<pc.Conv2DConfig> = {}): pc.Conv2D {
  return new pc.Conv2D(c.filters, c.window.size, { strides: c.window.strides, padding: c.window.padding, dilationRate: c.window.dilation, groups: c.groups, ...config });
}

/** A Conv2D built for the case with a drawn kernel and a drawn (non-zero) bias. */
function builtConv(c: ConvCase): { layer: pc.Conv2D; kernel: number[]; bias: number[] } {
  const layer = convLayer(c);
  layer.ensureBuilt(c.shape);
  return { layer, ...drawKernelAndBias(layer) };
}

function poolLayer(kind: 'max' | 'average', c: PoolCase): pc.Pooling2D {
  const config = { poolSize: c.window.size, strides: c.window.strides, padding: c.window.padding };
  return kind === 'max' ? new pc.MaxPooling2D(config) : new pc.AveragePooling2D(config);
}


for (const backend of MODEL_BACKENDS) {
  describe(`convolution layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CONV_CASES)('Conv2D $name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);

      it('forward matches the float64 loops; computeOutputShape agrees', () => {
        const { layer, kernel, bias } = builtConv(c);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)));
        const want = convReference(xValues, c.shape, kernel, bias, c.window, c.groups);
        recordError('Conv2D forward', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...y.shape.slice(1)]);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel and bias match central finite differences', () => {
        const { layer, kernel, bias } = builtConv(c);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => convReference(moved!, c.shape, k!, b!, c.window, c.groups), seed: 2, record: recordError, label: 'Conv2D',
        });
        x.dispose();
        layer.dispose();
      });
    });

    describe.each(POOL_CASES)('pooling $name', (c) => {
      const xValues = draws(sizeOf(c.shape), 5, -2, 2);

      it.each(['max', 'average'] as const)('%s: forward and input gradient match the float64 loops; computeOutputShape agrees', (kind) => {
        const layer = poolLayer(kind, c);
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x));
        const want = poolReference(kind, xValues, c.shape, c.window);
        recordError(`${kind} pooling forward`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-6, 1e-6);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...y.shape.slice(1)]);
        const w = draws(want.length, 6, -1, 1);
        const [got] = tapeGradients(layer, x, w);
        const fd = finiteDifferences(xValues, w, (moved) => poolReference(kind, moved, c.shape, c.window));
        recordError(`${kind} pooling gradient w.r.t. input`, got!, fd);
        expectClose(got!, fd, 1e-4, 1e-4);
        pc.dispose([x, y]);
      });
    });

    it('MaxPooling2D gives a window\'s gradient to the first of its tied maxima, row-major (TensorFlow\'s rule)', () => {
      const x = pc.tensor([1, 3, 3, 2, 0, 3, 3, 3], [1, 2, 4, 1]);
      const [grad] = tapeGradients(new pc.MaxPooling2D({ poolSize: [2, 2], strides: [1, 2] }), x, [1, 2]);
      expect(grad).toEqual([0, 1, 2, 0, 0, 0, 0, 0]);
      x.dispose();
    });

    it('GlobalAveragePooling2D and Reshape: values, gradients and shapes', () => {
      const xValues = draws(2 * 3 * 4 * 2, 7, -1, 1);
      const x = pc.tensor(xValues, [2, 3, 4, 2]);
      const gap = new pc.GlobalAveragePooling2D();
      const want = [0, 1, 2, 3].map((k) => {
        const [b, c] = [Math.floor(k / 2), k % 2];
        return xValues.filter((_, i) => Math.floor(i / 24) === b && i % 2 === c).reduce((s, v) => s + v, 0) / 12;
      });
      const [y, kept] = pc.tidy(() => [gap.apply(x), new pc.GlobalAveragePooling2D({ keepdims: true }).apply(x)]);
      expectClose(y!.dataSync(), want, 1e-6, 1e-7);
      expect(kept!.shape).toEqual([2, 1, 1, 2]);
      expect(gap.computeOutputShape([null, 3, 4, 2])).toEqual([null, 2]);
      const [grad] = tapeGradients(gap, x, [1, 2, 3, 4]);
      expectClose(grad!, xValues.map((_, i) => (Math.floor(i / 24) * 2 + (i % 2) + 1) / 12), 1e-6, 1e-7);

      const reshape = new pc.Reshape([4, -1]);
      const r = pc.tidy(() => reshape.apply(x));
      expect(r.shape).toEqual([2, 4, 6]);
      expect(Array.from(r.dataSync())).toEqual(Array.from(x.dataSync()));
      expect(reshape.computeOutputShape([null, 3, 4, 2])).toEqual([null, 4, 6]);
      expect(reshape.computeOutputShape([null, null, 4, 2])).toEqual([null, 4, null]);
      expect(new pc.Reshape({ targetShape: [28, 28, 1] }).computeOutputShape([null, 784])).toEqual([null, 28, 28, 1]);
      pc.dispose([x, y!, kept!, r]);
    });

    it('Conv2D options: no bias, a non-fused activation, regularizers joining the losses', () => {
      const c = CONV_CASES[0]!;
      const xValues = draws(sizeOf(c.shape), 8, -2, 2);
      const layer = convLayer(c, { useBias: false, activation: 'softplus', kernelRegularizer: new pc.L2({ l2: 0.1 }) });
      const x = pc.tensor(xValues, c.shape);
      const y = pc.tidy(() => layer.apply(x));
      expect(layer.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 3]]);
      const kernel = Array.from(layer.kernel!.dataSync());
      const want = convReference(xValues, c.shape, kernel, [0, 0, 0], c.window).map((v) => Math.log1p(Math.exp(v)));
      expectClose(y.dataSync(), want, 1e-5, 1e-5);
      const penalty = pc.tidy(() => layer.losses.map((loss) => loss.dataSync()[0]!));
      expectClose(penalty, [0.1 * kernel.reduce((s, k) => s + k * k, 0)], 1e-5);
      pc.dispose([x, y]);
      layer.dispose();
    });

    it('a small CNN Sequential trains with fit: the loss falls', async () => {
      const { x, y } = stripes(64, 13);
      const model = cnn();
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.5 * losses[0]!);
      expect(model.outputShape).toEqual([null, 2]);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('save -> loadModel restores every layer, the weights and predictions; configs round trip', async () => {
      const { x, y } = stripes(16, 14);
      const model = cnn();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      await expectSaveLoadRoundTrip(model, x, model.layers);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.Conv2D(0, 3)).toThrow('Conv2D: filters must be a positive integer, got 0');
      expect(() => new pc.Conv2D(4, [3, 0])).toThrow('Conv2D: kernelSize must be a positive integer or two of them [height, width], got [3,0]');
      expect(() => new pc.Conv2D(4, 2.5)).toThrow('Conv2D: kernelSize must be a positive integer or two of them [height, width], got 2.5');
      expect(() => new pc.Conv2D(4, 3, { strides: [1, 2, 3] as unknown as [number, number] })).toThrow('Conv2D: strides must be a positive integer or two of them [height, width], got [1,2,3]');
      expect(() => new pc.Conv2D(4, 3, { padding: 'causal' as 'same' })).toThrow("Conv2D: padding must be 'valid' or 'same', got \"causal\"");
      expect(() => new pc.Conv2D(4, 3, { strides: 2, dilationRate: 2 })).toThrow('Conv2D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate [2,2] and strides [2,2]');
      expect(() => new pc.Conv2D(4, 3, { groups: 3 })).toThrow('Conv2D: filters must be a multiple of groups, got filters 4 and groups 3');
      expect(() => new pc.Conv2D(4, 3, { groups: 0 })).toThrow('Conv2D: groups must be a positive integer, got 0');
      const [grouped, odd] = [new pc.Conv2D(4, 1, { groups: 2, name: 'g2' }), pc.ones([1, 3, 3, 3])];
      expect(() => grouped.apply(odd)).toThrow("Conv2D 'g2': the input's channels must be a multiple of groups, got 3 channels and groups 2");
      expect(grouped.built).toBe(false);
      odd.dispose();
      expect(() => new pc.MaxPooling2D({ poolSize: 0 })).toThrow('MaxPooling2D: poolSize must be a positive integer or two of them [height, width], got 0');
      expect(() => new pc.AveragePooling2D({ padding: 'full' as 'same' })).toThrow("AveragePooling2D: padding must be 'valid' or 'same', got \"full\"");
      expect(() => new pc.Reshape([2, -1, -1])).toThrow('Reshape: targetShape must be an array of positive integers with at most one -1, got [2,-1,-1]');

      const flat = pc.ones([2, 12]);
      const small = pc.ones([1, 2, 4, 1]);
      expect(() => new pc.Conv2D(4, 3, { name: 'c' }).apply(flat)).toThrow("Conv2D 'c': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
      expect(() => new pc.MaxPooling2D({ name: 'p' }).apply(flat)).toThrow("MaxPooling2D 'p': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
      expect(() => new pc.GlobalAveragePooling2D({ name: 'g' }).apply(flat)).toThrow("GlobalAveragePooling2D 'g': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
      expect(() => new pc.Conv2D(4, 3, { name: 'c2' }).apply(small)).toThrow("Conv2D 'c2': with padding 'valid' the input must be at least as large as the 3×3 window, got 2×4 (shape [1,2,4,1])");
      expect(() => new pc.Conv2D(4, 3, { name: 'c3', dilationRate: 2 }).computeOutputShape([null, 4, null, 1])).toThrow("Conv2D 'c3': with padding 'valid' the input must be at least as large as the 5×5 window, got 4×any (shape [-1,4,-1,1])");
      expect(() => new pc.AveragePooling2D({ name: 'a', poolSize: 3 }).apply(small)).toThrow("AveragePooling2D 'a': with padding 'valid' the input must be at least as large as the 3×3 window, got 2×4");
      expect(() => new pc.Reshape([5, 5], { name: 'r' }).apply(flat)).toThrow("Reshape 'r': cannot reshape samples of shape [12] (12 values) into target shape [5,5] (25 values)");
      expect(() => new pc.Reshape([5, -1], { name: 'r2' }).apply(flat)).toThrow("Reshape 'r2': cannot reshape samples of shape [12] (12 values) into target shape [5,-1] (a multiple of 5 values)");
      const built = new pc.Conv2D(2, 1, { name: 'c4' });
      pc.tidy(() => built.apply(pc.ones([1, 3, 3, 2])));
      expect(() => built.apply(pc.ones([1, 3, 3, 5]))).toThrow("Layer 'c4': expected inputs with last dimension 2");
      // Only the channels are tied to the kernel: other image sizes are fine, as in Keras.
      expect(pc.tidy(() => built.apply(pc.ones([2, 5, 4, 2])).shape)).toEqual([2, 5, 4, 2]);
      pc.dispose([flat, small]);
      built.dispose();
    });

    it('a training step leaves no tensor behind', () => {
      const model = cnn();
      const { x } = stripes(4, 15);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });
  });
}

/** Reshape → Conv2D same → MaxPooling2D → Conv2D valid strides 2 → AveragePooling2D same → GlobalAveragePooling2D → Dense. */
function cnn(): pc.Sequential {
  return new pc.Sequential([
    new pc.Reshape([8, 8, 1], { inputShape: [64] }),
    new pc.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
    new pc.MaxPooling2D(),
    new pc.Conv2D(6, 2, { strides: 2, activation: 'relu' }),
    new pc.AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }),
    new pc.GlobalAveragePooling2D(),
    new pc.Dense(2, { activation: 'softmax' }),
  ]);
}

/** 8×8 images (flattened) of a vertical (label 0) or horizontal (label 1) bright stripe at a random place, with noise. */
function stripes(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const { pixels, labels } = stripeImages(n, 8, seed);
  return { x: pc.tensor(pixels, [n, 64]), y: pc.tensor(labels, [n], 'int32') };
}
