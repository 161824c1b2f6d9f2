// The volumetric layers (Conv3D, MaxPooling3D, AveragePooling3D, GlobalAveragePooling3D,
// GlobalMaxPooling3D, ZeroPadding3D, Cropping3D, UpSampling3D, SpatialDropout3D) against float64:
// the table's oracle, which loops over whole 3-D windows, and index arithmetic written here.
// Values, gradients (central finite differences), Keras's output shapes, a small model trained
// without leaks, save and load, a Keras 3 description read by loadLayersModel, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import * as ref from '../src/reference/index.js';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import {
  coordinatesOf, drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, tapeGradients,
} from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Triple = [number, number, number];
type Padding = 'valid' | 'same';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Conv3D in float64: the oracle's convolution, then the bias. */
function convReference(x: readonly number[], shape: number[], kernel: readonly number[], kernelShape: number[], bias: readonly number[], s: ref.Convolution3DSettings, groups = 1): number[] {
  const y = ref.conv3d(ref.ndarray(shape, x), ref.ndarray(kernelShape, kernel), s, groups);
  return Array.from(y.data, (v, k) => v + bias[k % bias.length]!);
}

function poolReference(kind: 'max' | 'average', x: readonly number[], shape: number[], s: ref.Pooling3DSettings): number[] {
  return Array.from((kind === 'max' ? ref.maxPool3d : ref.avgPool3d)(ref.ndarray(shape, x), s).data);
}

interface ConvCase {
  name: string;
  shape: number[];
  filters: number;
  kernelSize: Triple;
  settings: ref.Convolution3DSettings;
  groups?: number;
  /** Keras's output shape, batch null. */
  output: (number | null)[];
}

const conv = (strides: Triple, padding: Padding, dilations: Triple = [1, 1, 1]): ref.Convolution3DSettings => ({ strides, padding, dilations });

const CONV_CASES: ConvCase[] = [
  { name: '3×3×3 same, [2,4,4,4,2] → 3 filters', shape: [2, 4, 4, 4, 2], filters: 3, kernelSize: [3, 3, 3], settings: conv([1, 1, 1], 'same'), output: [null, 4, 4, 4, 3] },
  { name: '3×2×3 same strides 2 (the odd padding after), [1,5,5,6,2] → 2', shape: [1, 5, 5, 6, 2], filters: 2, kernelSize: [3, 2, 3], settings: conv([2, 2, 2], 'same'), output: [null, 3, 3, 3, 2] },
  { name: '2×2×2 valid strides [2,1,3], [1,6,4,7,1] → 2', shape: [1, 6, 4, 7, 1], filters: 2, kernelSize: [2, 2, 2], settings: conv([2, 1, 3], 'valid'), output: [null, 3, 3, 2, 2] },
  { name: '4×1×1 same (one depth before, two after), [1,5,3,3,2] → 2', shape: [1, 5, 3, 3, 2], filters: 2, kernelSize: [4, 1, 1], settings: conv([1, 1, 1], 'same'), output: [null, 5, 3, 3, 2] },
  { name: '3×3×2 dilation [2,1,1] same, [1,6,4,4,1] → 2', shape: [1, 6, 4, 4, 1], filters: 2, kernelSize: [3, 3, 2], settings: conv([1, 1, 1], 'same', [2, 1, 1]), output: [null, 6, 4, 4, 2] },
  { name: '2×3×3 same in 2 groups, [1,3,4,4,4] → 6', shape: [1, 3, 4, 4, 4], filters: 6, kernelSize: [2, 3, 3], settings: conv([1, 1, 1], 'same'), groups: 2, output: [null, 3, 4, 4, 6] },
];

function convLayer(c: ConvCase, config: Partial<pc.Conv3DConfig> = {}): pc.Conv3D {
  const { strides, padding, dilations } = c.settings;
  return new pc.Conv3D(c.filters, c.kernelSize, { strides, padding, dilationRate: dilations, groups: c.groups, ...config });
}

interface PoolCase {
  name: string;
  shape: number[];
  settings: ref.Pooling3DSettings;
  output: (number | null)[];
}

const pool = (poolSize: Triple, strides: Triple, padding: Padding): ref.Pooling3DSettings => ({ poolSize, strides, padding });

const POOL_CASES: PoolCase[] = [
  { name: '2×2×2 valid (the odd depth and row left out), [2,5,5,3,2]', shape: [2, 5, 5, 3, 2], settings: pool([2, 2, 2], [2, 2, 2], 'valid'), output: [null, 2, 2, 1, 2] },
  { name: '2×2×2 same (padded after), [1,5,3,5,2]', shape: [1, 5, 3, 5, 2], settings: pool([2, 2, 2], [2, 2, 2], 'same'), output: [null, 3, 2, 3, 2] },
  { name: '3×3×3 strides 1 same (the padding left out of the mean), [1,4,4,5,1]', shape: [1, 4, 4, 5, 1], settings: pool([3, 3, 3], [1, 1, 1], 'same'), output: [null, 4, 4, 5, 1] },
  { name: '3×2×2 strides [2,1,2] valid (overlapping along depth), [2,7,4,5,1]', shape: [2, 7, 4, 5, 1], settings: pool([3, 2, 2], [2, 1, 2], 'valid'), output: [null, 3, 3, 2, 1] },
  { name: '4×1×1 strides 1 same (one depth before, two after), [1,5,2,2,2]', shape: [1, 5, 2, 2, 2], settings: pool([4, 1, 1], [1, 1, 1], 'same'), output: [null, 5, 2, 2, 2] },
];

function poolLayer(kind: 'max' | 'average', { poolSize, strides, padding }: ref.Pooling3DSettings): pc.Pooling3D {
  return kind === 'max' ? new pc.MaxPooling3D({ poolSize, strides, padding }) : new pc.AveragePooling3D({ poolSize, strides, padding });
}

/** A layer that moves values, and the input position each output position reads (null: a zero). */
interface MovingCase {
  name: string;
  make: () => pc.Layer;
  shape: number[];
  output: number[];
  source: (out: number[]) => number[] | null;
}

/** `out` with each spatial coordinate mapped by `f(value, axis)`. */
const spatial = (out: number[], f: (v: number, axis: number) => number): number[] => out.map((v, i) => (i === 0 || i === 4 ? v : f(v, i - 1)));

const MOVING_CASES: MovingCase[] = [
  { name: 'ZeroPadding3D, default 1', make: () => new pc.ZeroPadding3D(), shape: [1, 2, 2, 3, 2], output: [1, 4, 4, 5, 2], source: (out) => spatial(out, (v) => v - 1) },
  {
    name: 'ZeroPadding3D [[0,1],[2,0],[1,1]]', make: () => new pc.ZeroPadding3D([[0, 1], [2, 0], [1, 1]]), shape: [2, 2, 3, 2, 1], output: [2, 3, 5, 4, 1],
    source: (out) => spatial(out, (v, a) => v - [0, 2, 1][a]!),
  },
  { name: 'Cropping3D, default 1', make: () => new pc.Cropping3D(), shape: [1, 4, 3, 4, 2], output: [1, 2, 1, 2, 2], source: (out) => spatial(out, (v) => v + 1) },
  { name: 'Cropping3D [1,0,2]', make: () => new pc.Cropping3D([1, 0, 2]), shape: [2, 4, 3, 6, 1], output: [2, 2, 3, 2, 1], source: (out) => spatial(out, (v, a) => v + [1, 0, 2][a]!) },
  { name: 'Cropping3D [[0,2],[1,0],[1,1]]', make: () => new pc.Cropping3D([[0, 2], [1, 0], [1, 1]]), shape: [1, 4, 3, 4, 2], output: [1, 2, 2, 2, 2], source: (out) => spatial(out, (v, a) => v + [0, 1, 1][a]!) },
  { name: 'UpSampling3D, default 2', make: () => new pc.UpSampling3D(), shape: [1, 2, 2, 2, 2], output: [1, 4, 4, 4, 2], source: (out) => spatial(out, (v) => Math.floor(v / 2)) },
  { name: 'UpSampling3D [2,1,3]', make: () => new pc.UpSampling3D([2, 1, 3]), shape: [2, 2, 3, 2, 1], output: [2, 4, 3, 6, 1], source: (out) => spatial(out, (v, a) => Math.floor(v / [2, 1, 3][a]!)) },
];

/** The moving layer in float64: each output position reads its source in `x`, or is 0. */
function movingReference(c: MovingCase, x: readonly number[]): number[] {
  return Array.from({ length: sizeOf(c.output) }, (_, k) => {
    const at = c.source(coordinatesOf(k, c.output));
    const inside = at?.every((v, i) => v >= 0 && v < c.shape[i]!);
    return inside ? x[at!.reduce((flat, v, i) => flat * c.shape[i]! + v, 0)]! : 0;
  });
}

/**
 * 4×6×6 volumes (flattened) holding a bright line along the depth (label 0) or along the width
 * (label 1) at a random place, plus noise: a task a small 3-D CNN learns in a few epochs.
 */
function bars(n: number, seed: number): { x: pc.Tensor; y: pc.Tensor } {
  const generator = new pc.RandomGenerator(seed);
  const [depth, side] = [4, 6];
  const voxels = new Float32Array(n * depth * side * side);
  const labels = Int32Array.from({ length: n }, (_, s) => s % 2);
  for (let s = 0; s < n; s++) {
    const [a, b] = [generator.nextInt(side), generator.nextInt(labels[s] ? depth : side)];
    for (let v = 0; v < depth * side * side; v++) {
      const [d, h, w] = coordinatesOf(v, [depth, side, side]) as Triple;
      const onLine = labels[s] ? d === b && h === a : h === a && w === b;
      voxels[s * depth * side * side + v] = (onLine ? 1 : 0) + 0.1 * generator.nextNormal();
    }
  }
  return { x: pc.tensor(voxels, [n, depth * side * side]), y: pc.tensor(labels, [n], 'int32') };
}

/** Every volumetric layer, in one Sequential from flat 4×6×6 volumes to two classes. */
function volumeModel(): pc.Sequential {
  return new pc.Sequential([
    new pc.Reshape([4, 6, 6, 1], { inputShape: [144] }),
    new pc.ZeroPadding3D([0, 1, 1]),
    new pc.Conv3D(4, 3, { padding: 'same', activation: 'relu' }),
    new pc.MaxPooling3D({ poolSize: [1, 2, 2] }),
    new pc.SpatialDropout3D(0.2, { seed: 3 }),
    new pc.Conv3D(6, [2, 3, 3], { strides: [2, 1, 1], activation: 'relu', kernelRegularizer: 'l2' }),
    new pc.UpSampling3D([1, 2, 2]),
    new pc.Cropping3D([0, 1, 1]),
    new pc.AveragePooling3D({ poolSize: 2, strides: 1, padding: 'same' }),
    new pc.GlobalAveragePooling3D(),
    new pc.Dense(2, { activation: 'softmax' }),
  ]);
}

const recordError = errorRecorder('volumetric layers');

for (const backend of MODEL_BACKENDS) {
  describe(`volumetric layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CONV_CASES)('Conv3D $name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);
      const kernelShape = [...c.kernelSize, c.shape[4]! / (c.groups ?? 1), c.filters];

      it("makes Keras's kernel, and its output matches the float64 loops in Keras's shape", () => {
        const layer = convLayer(c);
        layer.ensureBuilt(c.shape);
        expect(layer.weights.map((w) => w.shape)).toEqual([kernelShape, [c.filters]]);
        const { kernel, bias } = drawKernelAndBias(layer);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)) as pc.Tensor);
        const want = convReference(xValues, c.shape, kernel, kernelShape, bias, c.settings, c.groups);
        recordError('Conv3D forward', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual(c.output);
        expect(y.shape).toEqual([c.shape[0], ...c.output.slice(1)]);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel and bias match central finite differences', () => {
        const layer = convLayer(c);
        layer.ensureBuilt(c.shape);
        const { kernel, bias } = drawKernelAndBias(layer);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => convReference(moved!, c.shape, k!, kernelShape, b!, c.settings, c.groups), seed: 2, record: recordError, label: 'Conv3D',
        });
        x.dispose();
        layer.dispose();
      });
    });

    describe.each(POOL_CASES)('pooling $name', (c) => {
      const xValues = draws(sizeOf(c.shape), 5, -2, 2);

      it.each(['max', 'average'] as const)('%s: forward and input gradient match the float64 loops; the output shape is Keras\'s', (kind) => {
        const layer = poolLayer(kind, c.settings);
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
        const want = poolReference(kind, xValues, c.shape, c.settings);
        recordError(`${kind} pooling forward`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-6, 1e-6);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual(c.output);
        const w = draws(want.length, 6, -1, 1);
        const [got] = tapeGradients(layer, x, w);
        const fd = finiteDifferences(xValues, w, (moved) => poolReference(kind, moved, c.shape, c.settings));
        recordError(`${kind} pooling gradient w.r.t. input`, got!, fd);
        expectClose(got!, fd, 1e-4, 1e-4);
        pc.dispose([x, y]);
      });
    });

    it("MaxPooling3D gives a window's gradient to the first of its tied maxima in (depth, row, column) order", () => {
      const x = pc.tensor([1, 0, 3, 3, 2, 3, 3, 3], [1, 2, 2, 2, 1]);
      const [grad] = tapeGradients(new pc.MaxPooling3D(), x, [5]);
      expect(grad).toEqual([0, 0, 5, 0, 0, 0, 0, 0]);
      x.dispose();
    });

    it.each(MOVING_CASES)('$name: values, input gradient and output shape', (c) => {
      const xValues = draws(sizeOf(c.shape), 7, -2, 2);
      const layer = c.make();
      const x = pc.tensor(xValues, c.shape);
      const y = pc.tidy(() => layer.apply(x) as pc.Tensor);
      expect(y.shape).toEqual(c.output);
      expect(Array.from(y.dataSync())).toEqual(movingReference(c, xValues));
      expect(layer.computeOutputShape([null, ...c.shape.slice(1, -1).map(() => null), c.shape[4]!])).toEqual([null, null, null, null, c.shape[4]]);
      expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...c.output.slice(1)]);
      const w = draws(sizeOf(c.output), 8, -1, 1);
      const [got] = tapeGradients(layer, x, w);
      expectClose(got!, finiteDifferences(xValues, w, (moved) => movingReference(c, moved)), 1e-6, 1e-6);
      pc.dispose([x, y]);
    });

    it.each(['average', 'max'] as const)('Global %s pooling over depth, height and width: values, keepdims, gradient', (kind) => {
      const shape = [2, 3, 2, 4, 2];
      const xValues = draws(sizeOf(shape), 9, -2, 2);
      const reference = (values: readonly number[]) => [0, 1, 2, 3].map((k) => {
        const [b, c] = [Math.floor(k / 2), k % 2];
        const own = values.filter((_, i) => Math.floor(i / 48) === b && i % 2 === c);
        return kind === 'max' ? Math.max(...own) : own.reduce((s, v) => s + v, 0) / own.length;
      });
      const make = (keepdims: boolean) => (kind === 'max' ? new pc.GlobalMaxPooling3D({ keepdims }) : new pc.GlobalAveragePooling3D({ keepdims }));
      const x = pc.tensor(xValues, shape);
      const [y, kept] = pc.tidy(() => [make(false).apply(x) as pc.Tensor, make(true).apply(x) as pc.Tensor]);
      expectClose(y!.dataSync(), reference(xValues), 1e-6, 1e-7);
      expect([y!.shape, kept!.shape]).toEqual([[2, 2], [2, 1, 1, 1, 2]]);
      expect(make(true).computeOutputShape([null, null, 4, 5, 3])).toEqual([null, 1, 1, 1, 3]);
      const [got] = tapeGradients(make(false), x, [1, -2, 3, 0.5]);
      expectClose(got!, finiteDifferences(xValues, [1, -2, 3, 0.5], reference), 1e-5, 1e-6);
      pc.dispose([x, y!, kept!]);
    });

    it('SpatialDropout3D drops whole channels of each volume while training, nothing otherwise', () => {
      const shape = [3, 2, 3, 2, 4];
      const xValues = draws(sizeOf(shape), 10, 0.5, 2);
      const layer = new pc.SpatialDropout3D(0.5, { seed: 11 });
      const x = pc.tensor(xValues, shape);
      const [training, inference] = pc.tidy(() => [layer.apply(x, { training: true }) as pc.Tensor, layer.apply(x) as pc.Tensor]);
      const scales = Array.from(training!.dataSync(), (v, i) => v / xValues[i]!);
      const perChannel = scales.map((s, i) => `${Math.floor(i / 48)},${i % 4}:${Math.round(s * 1e5)}`);
      expect(new Set(perChannel).size, 'one scale per sample and channel').toBe(12);
      expect(new Set(scales.map((s) => Math.round(s * 1e5) / 1e5))).toEqual(new Set([0, 2]));
      expect(Array.from(inference!.dataSync())).toEqual(Array.from(x.dataSync()));
      pc.dispose([x, training!, inference!]);
    });

    it('a small 3-D CNN of every volumetric layer trains with fit: the loss falls', async () => {
      const { x, y } = bars(48, 13);
      const model = volumeModel();
      expect(model.outputShape).toEqual([null, 2]);
      expect(model.layers.slice(1, 9).map((l) => l.outputShape)).toEqual([
        [null, 4, 8, 8, 1], [null, 4, 8, 8, 4], [null, 4, 4, 4, 4], [null, 4, 4, 4, 4], [null, 2, 2, 2, 6], [null, 2, 4, 4, 6], [null, 2, 2, 2, 6], [null, 2, 2, 2, 6],
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.6 * losses[0]!);
      pc.dispose([x, y]);
      model.dispose();
    }, 30_000);

    it('a training step leaves no tensor behind', () => {
      const model = volumeModel();
      const { x } = bars(4, 14);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });

    it('save -> loadModel restores every layer, the weights and predictions; configs round trip', async () => {
      const { x, y } = bars(16, 15);
      const model = volumeModel();
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expect(model.layers[2]!.getConfig()).toMatchObject({ filters: 4, kernelSize: [3, 3, 3], strides: [1, 1, 1], padding: 'same', dilationRate: [1, 1, 1], groups: 1, activation: 'relu' });
      expect(model.layers[1]!.getConfig()).toMatchObject({ padding: [[0, 0], [1, 1], [1, 1]] });
      expect(model.layers[6]!.getConfig()).toMatchObject({ size: [1, 2, 2] });
      pc.dispose([x, y]);
      model.dispose();
    }, 30_000);

    it('reads a Keras 3 description of every volumetric layer with its weights through loadLayersModel', async () => {
      const [kernel, bias] = [draws(2 * 3 * 2 * 2 * 3, 16, -1, 1), draws(3, 17, -0.5, 0.5)];
      const model = await pc.loadLayersModel(kerasFiles(kernel, bias));
      expect(model.layers.map((l) => l.constructor)).toEqual([
        pc.InputLayer, pc.ZeroPadding3D, pc.Cropping3D, pc.Conv3D, pc.SpatialDropout3D, pc.MaxPooling3D, pc.AveragePooling3D, pc.UpSampling3D, pc.GlobalMaxPooling3D,
      ]);
      const xValues = draws(2 * 4 * 4 * 4 * 2, 18, -2, 2);
      const x = pc.tensor(xValues, [2, 4, 4, 4, 2]);
      const [averaged, globalMax] = model.predict(x) as pc.Tensor[];
      const convolved = convReference(xValues, [2, 4, 4, 4, 2], kernel, [2, 3, 2, 2, 3], bias, conv([1, 1, 1], 'same')).map((v) => Math.max(v, 0));
      const maxed = poolReference('max', convolved, [2, 4, 4, 4, 3], pool([2, 2, 2], [2, 2, 2], 'same'));
      const want = poolReference('average', maxed, [2, 2, 2, 2, 3], pool([1, 2, 2], [1, 1, 1], 'same'));
      recordError('values of the Keras 3 model', averaged!.dataSync(), want);
      expectClose(averaged!.dataSync(), want, 1e-5, 1e-6);
      // Repeating voxels leaves each channel's largest value as it was.
      const channelMax = [0, 1, 2, 3, 4, 5].map((k) => Math.max(...want.filter((_, i) => Math.floor(i / 24) === Math.floor(k / 3) && i % 3 === k % 3)));
      expect(globalMax!.shape).toEqual([2, 1, 1, 1, 3]);
      expectClose(globalMax!.dataSync(), channelMax, 1e-6, 1e-7);
      pc.dispose([x, averaged!, globalMax!]);
      model.dispose();
    });
  });
}

/** A converter's files for a Keras 3 functional model of the volumetric layers: model.json and the Conv3D's float32 weights. */
function kerasFiles(kernel: number[], bias: number[]): pc.FileStore {
  const chain: [string, string, Record<string, unknown>][] = [
    ['ZeroPadding3D', 'zero_padding3d', { padding: [[1, 1], [1, 1], [1, 1]], data_format: 'channels_last' }],
    ['Cropping3D', 'cropping3d', { cropping: [[1, 1], [1, 1], [1, 1]], data_format: 'channels_last' }],
    ['Conv3D', 'conv3d', {
      filters: 3, kernel_size: [2, 3, 2], strides: [1, 1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1, 1], groups: 1, activation: 'relu', use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    }],
    ['SpatialDropout3D', 'spatial_dropout3d', { rate: 0.3, seed: null, data_format: 'channels_last' }],
    ['MaxPooling3D', 'max_pooling3d', { pool_size: [2, 2, 2], padding: 'same', strides: [2, 2, 2], data_format: 'channels_last' }],
    ['AveragePooling3D', 'average_pooling3d', { pool_size: [1, 2, 2], padding: 'same', strides: [1, 1, 1], data_format: 'channels_last' }],
    ['UpSampling3D', 'up_sampling3d', { size: [2, 1, 1], data_format: 'channels_last' }],
    ['GlobalMaxPooling3D', 'global_max_pooling3d', { data_format: 'channels_last', keepdims: true }],
  ];
  return keras3Files({
    inputs: [{ name: 'volumes', shape: [4, 4, 4, 2] }],
    layers: chain.map(([className, name, config]) => ({ className, name, config })),
    outputs: ['average_pooling3d', 'global_max_pooling3d'],
    weights: [{ name: 'conv3d/kernel:0', shape: [2, 3, 2, 2, 3], values: kernel }, { name: 'conv3d/bias:0', shape: [3], values: bias }],
  });
}

describe('volumetric layer settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['a kernel of two sizes', () => new pc.Conv3D(4, [3, 3] as unknown as Triple), 'Conv3D: kernelSize must be a positive integer or three of them [depth, height, width], got [3,3]'],
    ['no filters', () => new pc.Conv3D(0, 3), 'Conv3D: filters must be a positive integer, got 0'],
    ['dilation with strides', () => new pc.Conv3D(4, 3, { strides: [1, 1, 2], dilationRate: 2 }), 'Conv3D: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate [2,2,2] and strides [1,1,2]'],
    ['filters not a multiple of groups', () => new pc.Conv3D(4, 3, { groups: 3 }), 'Conv3D: filters must be a multiple of groups, got filters 4 and groups 3'],
    ["padding 'causal'", () => new pc.Conv3D(4, 3, { padding: 'causal' as Padding }), "Conv3D: padding must be 'valid' or 'same', got \"causal\""],
    ['an unknown option', () => new pc.Conv3D(4, 3, { depthMultiplier: 2 } as never), "Conv3D: unknown option 'depthMultiplier'"],
    ['a zero pool size', () => new pc.MaxPooling3D({ poolSize: [2, 0, 2] }), 'MaxPooling3D: poolSize must be a positive integer or three of them [depth, height, width], got [2,0,2]'],
    ['strides of two sizes', () => new pc.AveragePooling3D({ strides: [2, 2] as unknown as Triple }), 'AveragePooling3D: strides must be a positive integer or three of them [depth, height, width], got [2,2]'],
    ['padding of two axes', () => new pc.ZeroPadding3D([1, 2]), 'ZeroPadding3D: padding must be a non-negative integer, one per axis [depth, height, width], or a pair per axis [[front, back], [top, bottom], [left, right]], got [1,2]'],
    ['a negative cropping', () => new pc.Cropping3D(-1), 'Cropping3D: cropping must be a non-negative integer'],
    ['a size of two axes', () => new pc.UpSampling3D([2, 2] as never), 'UpSampling3D: size must be a positive integer or 3 of them [depth, height, width], got [2,2]'],
    ['a noise shape', () => new pc.SpatialDropout3D(0.5, { noiseShape: [null, 1, 1, 1, null] } as never), "SpatialDropout3D: unknown option 'noiseShape'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses inputs that are not volumes, or too small for a valid window, naming the layer', () => {
    const [images, small] = [pc.ones([1, 4, 4, 2]), pc.ones([1, 2, 4, 4, 1])];
    const apply = (layer: pc.Layer, x: pc.Tensor) => () => pc.tidy(() => layer.apply(x, { training: true }));
    const rank = (label: string) => `${label}: expected inputs of rank 5 [batch, depth, height, width, channels], got shape [1,4,4,2]`;
    expect(apply(new pc.Conv3D(2, 3, { name: 'c' }), images)).toThrow(rank("Conv3D 'c'"));
    expect(apply(new pc.MaxPooling3D({ name: 'm' }), images)).toThrow(rank("MaxPooling3D 'm'"));
    expect(apply(new pc.GlobalAveragePooling3D({ name: 'g' }), images)).toThrow(rank("GlobalAveragePooling3D 'g'"));
    expect(apply(new pc.ZeroPadding3D(1, { name: 'z' }), images)).toThrow(rank("ZeroPadding3D 'z'"));
    expect(apply(new pc.UpSampling3D(2, { name: 'u' }), images)).toThrow(rank("UpSampling3D 'u'"));
    expect(apply(new pc.SpatialDropout3D(0.5, { name: 's' }), images)).toThrow(rank("SpatialDropout3D 's'"));
    expect(apply(new pc.Conv3D(2, 3, { name: 'c2' }), small)).toThrow("Conv3D 'c2': with padding 'valid' the input must be at least as large as the 3×3×3 window, got 2×4×4 (shape [1,2,4,4,1])");
    expect(apply(new pc.AveragePooling3D({ name: 'a', poolSize: [1, 5, 1] }), small)).toThrow("AveragePooling3D 'a': with padding 'valid' the input must be at least as large as the 1×5×1 window, got 2×4×4");
    expect(apply(new pc.Cropping3D([1, 0, 0], { name: 'k' }), small)).toThrow("Cropping3D 'k': cropping 1 + 1 along depth needs more than 2 entries there, got 2 (shape [1,2,4,4,1])");
    const grouped = new pc.Conv3D(4, 1, { groups: 2, name: 'g2' });
    expect(apply(grouped, pc.ones([1, 2, 2, 2, 3]))).toThrow("Conv3D 'g2': the input's channels must be a multiple of groups, got 3 channels and groups 2");
    pc.dispose([images, small]);
  });
});
