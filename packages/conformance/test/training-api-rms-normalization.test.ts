// RMSNormalization against float64 loops written here: each slice over the normalized axes
// divided by sqrt(mean(x²) + epsilon), times the scale at its position. Values, gradients
// (central finite differences), save and load, a Keras 3 description, bad settings.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { keras3Files } from './keras3-files.js';
import { expectClose } from './training-api-helpers.js';
import { coordinatesOf, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  shape: number[];
  /** Non-negative, sorted. */
  axes: number[];
  axis?: number | number[];
  epsilon?: number;
}

const CASES: Case[] = [
  { name: 'last axis of [3,5], default epsilon', shape: [3, 5], axes: [1] },
  { name: 'last axis of [2,3,4], epsilon 0.5 (large enough to show where it goes)', shape: [2, 3, 4], axes: [2], axis: -1, epsilon: 0.5 },
  { name: 'axes [1,2] of [2,3,2], epsilon 0.1', shape: [2, 3, 2], axes: [1, 2], axis: [-2, -1], epsilon: 0.1 },
  { name: 'axis 1 of [2,3,4] (the scale lined up with the middle axis), epsilon 0.2', shape: [2, 3, 4], axes: [1], axis: 1, epsilon: 0.2 },
];

/** RMSNormalization in float64: entries sharing every coordinate off `axes` form one slice. */
function reference(c: Case, x: readonly number[], scale: readonly number[]): number[] {
  const epsilon = c.epsilon ?? 1e-6;
  const at = x.map((_, i) => coordinatesOf(i, c.shape));
  const sliceKey = (coords: number[]) => coords.filter((_, a) => !c.axes.includes(a)).join(',');
  const scaleIndex = (coords: number[]) => c.axes.reduce((flat, a) => flat * c.shape[a]! + coords[a]!, 0);
  const squares = new Map<string, number[]>();
  at.forEach((coords, i) => squares.set(sliceKey(coords), [...(squares.get(sliceKey(coords)) ?? []), x[i]! * x[i]!]));
  return x.map((v, i) => {
    const own = squares.get(sliceKey(at[i]!))!;
    const meanSquare = own.reduce((s, q) => s + q, 0) / own.length;
    return (v / Math.sqrt(meanSquare + epsilon)) * scale[scaleIndex(at[i]!)]!;
  });
}

const layerOf = (c: Case): pc.RMSNormalization => new pc.RMSNormalization({ axis: c.axis, epsilon: c.epsilon });

const recordError = errorRecorder('RMSNormalization');

function model(): pc.Sequential {
  return new pc.Sequential([new pc.Dense(6, { inputShape: [4] }), new pc.Reshape([3, 2]), new pc.RMSNormalization({ axis: 1, epsilon: 1e-3 }), new pc.Flatten(), new pc.RMSNormalization(), new pc.Dense(2)]);
}

for (const backend of MODEL_BACKENDS) {
  describe(`RMSNormalization on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(CASES)('$name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);
      const scaleShape = c.axes.map((a) => c.shape[a]!);
      const scaleValues = draws(sizeOf(scaleShape), 2, -1.5, 1.5);

      it('makes a scale of ones over the axes; its output matches the float64 loops', () => {
        const layer = layerOf(c);
        layer.ensureBuilt(c.shape);
        expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([[`${layer.name}/scale`, scaleShape, true]]);
        expect(Array.from(layer.scale!.dataSync())).toEqual(scaleShape.length ? new Array(sizeOf(scaleShape)).fill(1) : []);
        pc.tidy(() => layer.scale!.assign(pc.tensor(scaleValues, scaleShape)));
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)) as pc.Tensor);
        const want = reference(c, xValues, scaleValues);
        recordError('forward', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...c.shape.slice(1)]);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input and scale match central finite differences', () => {
        const layer = layerOf(c);
        layer.ensureBuilt(c.shape);
        pc.tidy(() => layer.scale!.assign(pc.tensor(scaleValues, scaleShape)));
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.scale!], values: [xValues, scaleValues], names: ['input', 'scale'],
          reference: ([moved, s]) => reference(c, moved!, s!), seed: 3, record: recordError, label: 'RMSNormalization',
        });
        x.dispose();
        layer.dispose();
      });
    });

    it("Keras's docstring: built for [5,20,30,10], the scale is [10]", () => {
      const layer = new pc.RMSNormalization();
      layer.ensureBuilt([5, 20, 30, 10]);
      expect(layer.scale!.shape).toEqual([10]);
      layer.dispose();
    });

    it('a zero slice stays zero (epsilon keeps the division finite)', () => {
      const y = pc.tidy(() => new pc.RMSNormalization().apply(pc.zeros([2, 3])) as pc.Tensor);
      expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      y.dispose();
    });

    it('a training step leaves no tensor behind; save -> loadModel restores layers, weights and predictions', async () => {
      const m = model();
      const x = pc.tensor(draws(5 * 4, 5, -1, 1), [5, 4]);
      expectTrainingStepsLeakNothing(m, x);
      await expectSaveLoadRoundTrip(m, x, m.layers);
      expect(m.layers[2]!.getConfig()).toMatchObject({ axis: 1, epsilon: 1e-3 });
      expect(m.layers[4]!.getConfig()).toMatchObject({ axis: -1, epsilon: 1e-6 });
      x.dispose();
      m.dispose();
    });

    it('reads a Keras 3 description with its scale through loadLayersModel', async () => {
      const c = CASES[3]!;
      const scale = draws(3, 16, -1, 1);
      const loaded = await pc.loadLayersModel(keras3Files({
        inputs: [{ name: 'sequence', shape: c.shape.slice(1) }],
        layers: [{ className: 'RMSNormalization', name: 'rms_normalization', config: { axis: 1, epsilon: 0.2 } }],
        weights: [{ name: 'rms_normalization/scale:0', shape: [3], values: scale }],
      }));
      expect(loaded.layers[1]).toBeInstanceOf(pc.RMSNormalization);
      const xValues = draws(sizeOf(c.shape), 17, -2, 2);
      const x = pc.tensor(xValues, c.shape);
      const y = loaded.predict(x) as pc.Tensor;
      const want = reference(c, xValues, scale);
      recordError('Keras 3 model', y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      pc.dispose([x, y]);
      loaded.dispose();
    });
  });
}

describe('RMSNormalization settings', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['a negative epsilon', () => new pc.RMSNormalization({ epsilon: -1 }), 'RMSNormalization: epsilon must be a non-negative number, got -1'],
    ['a fractional axis', () => new pc.RMSNormalization({ axis: 1.5 }), 'RMSNormalization: axis must be an integer or a non-empty array of integers, got 1.5'],
    ['an unknown option', () => new pc.RMSNormalization({ center: true } as never), "RMSNormalization: unknown option 'center'"],
  ])('refuses %s, naming it', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses the batch axis, and inputs unlike those it was built for, naming the layer', () => {
    const [x, other] = [pc.ones([2, 3, 4]), pc.ones([2, 5, 4])];
    expect(() => new pc.RMSNormalization({ axis: 0, name: 'r' }).apply(x)).toThrow("RMSNormalization 'r': axis 0 is out of range for inputs of shape [2,3,4]");
    const layer = new pc.RMSNormalization({ axis: 1, name: 'r1' });
    pc.tidy(() => layer.apply(x));
    expect(() => pc.tidy(() => layer.apply(other))).toThrow("RMSNormalization 'r1': expected inputs of rank 3 with dimensions {1: 3}");
    pc.dispose([x, other]);
  });
});
