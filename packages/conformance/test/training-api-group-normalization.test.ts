// GroupNormalization and UnitNormalization against float64 computations written here: values and
// gradients (central finite differences) over ranks 2–4, one group, one group per channel and
// counts between, channel axes not last, lists of axes and an all-zero slice; training without
// leaks, saving, a Keras 3 description, and bad settings and shapes.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import {
  coordinatesOf, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, tapeGradients,
} from './training-api-layer-checks.js';
import { blobs, MODEL_BACKENDS } from './training-api-model-support.js';
import { keras3Files } from './keras3-files.js';

/** Keras's default epsilon, which every case keeps. */
const EPSILON = 1e-3;

/** The entries of `values` gathered under their `keys`. */
function byKey(values: readonly number[], keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  values.forEach((v, i) => groups.set(keys[i]!, [...(groups.get(keys[i]!) ?? []), v]));
  return groups;
}

/**
 * Group normalization in float64, written from the definition: the entries of one sample whose
 * channel c (along `channel`) falls in run floor(c / (channels / groups)) share a mean and a
 * biased variance; then gamma and beta per channel.
 */
function groupNormReference(x: readonly number[], shape: readonly number[], channel: number, groups: number, gamma: readonly number[], beta: readonly number[]): number[] {
  const perGroup = shape[channel]! / groups;
  const coordinates = x.map((_, i) => coordinatesOf(i, shape));
  const keys = coordinates.map((c) => `${c[0]},${Math.floor(c[channel]! / perGroup)}`);
  const stats = new Map([...byKey(x, keys)].map(([key, members]) => {
    const mean = members.reduce((s, v) => s + v, 0) / members.length;
    return [key, { mean, variance: members.reduce((s, v) => s + (v - mean) ** 2, 0) / members.length }];
  }));
  return x.map((v, i) => {
    const { mean, variance } = stats.get(keys[i]!)!;
    const c = coordinates[i]![channel]!;
    return ((v - mean) / Math.sqrt(variance + EPSILON)) * gamma[c]! + beta[c]!;
  });
}

/** x / sqrt(max(Σx², 1e-12)) in float64, the sum over `axes` (non-negative) of each sample. */
function unitNormReference(x: readonly number[], shape: readonly number[], axes: readonly number[]): number[] {
  const keys = x.map((_, i) => coordinatesOf(i, shape).filter((_, d) => !axes.includes(d)).join(','));
  const squares = new Map([...byKey(x, keys)].map(([key, members]) => [key, members.reduce((s, v) => s + v * v, 0)]));
  return x.map((v, i) => v / Math.sqrt(Math.max(squares.get(keys[i]!)!, 1e-12)));
}

interface GroupCase {
  shape: number[];
  /** As the layer takes them. */
  groups: number;
  axis: number;
}

const GROUP_CASES: GroupCase[] = [
  { shape: [4, 6], groups: 3, axis: -1 },
  { shape: [3, 4], groups: 1, axis: -1 },
  { shape: [2, 5, 6], groups: 2, axis: -1 },
  { shape: [2, 4, 3], groups: -1, axis: -1 },
  { shape: [2, 3, 2, 4], groups: 4, axis: -1 },
  { shape: [2, 6, 3, 2], groups: 3, axis: 1 },
  { shape: [2, 4, 6], groups: 2, axis: -2 },
];

/** The case's channel axis counted from the start, and its groups with -1 resolved. */
function resolved(c: GroupCase): { channel: number; groups: number } {
  const channel = c.axis < 0 ? c.axis + c.shape.length : c.axis;
  return { channel, groups: c.groups === -1 ? c.shape[channel]! : c.groups };
}

/** `layer` built for `shape`, gamma and beta set to draws (the defaults 1 and 0 would hide mistakes). */
function withDrawnAffine(layer: pc.GroupNormalization, shape: number[]): { gamma: number[]; beta: number[] } {
  layer.ensureBuilt(shape);
  const [gamma, beta] = [draws(layer.gamma!.size, 3, 0.5, 2), draws(layer.beta!.size, 4, -1, 1)];
  pc.tidy(() => {
    layer.gamma!.assign(pc.tensor(gamma));
    layer.beta!.assign(pc.tensor(beta));
  });
  return { gamma, beta };
}

const UNIT_CASES: { shape: number[]; axis: number | number[]; axes: number[] }[] = [
  { shape: [4, 5], axis: -1, axes: [1] },
  { shape: [2, 3, 4], axis: 1, axes: [1] },
  { shape: [2, 3, 4], axis: [1, 2], axes: [1, 2] },
  { shape: [2, 3, 2, 2], axis: [-1, 1], axes: [1, 3] },
];

const recordError = errorRecorder('group and unit normalization');

for (const backend of MODEL_BACKENDS) {
  describe(`GroupNormalization and UnitNormalization on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(GROUP_CASES)('GroupNormalization of $shape, groups $groups, axis $axis', (c) => {
      const xValues = draws(pc.sizeOf(c.shape), 1, -2, 3);
      const { channel, groups } = resolved(c);

      it('forward matches the float64 computation', () => {
        const layer = new pc.GroupNormalization({ groups: c.groups, axis: c.axis });
        const { gamma, beta } = withDrawnAffine(layer, c.shape);
        const y = pc.tidy(() => Array.from(layer.apply(pc.tensor(xValues, c.shape)).dataSync()));
        const want = groupNormReference(xValues, c.shape, channel, groups, gamma, beta);
        recordError(`${backend}: GroupNormalization forward`, y, want);
        expectClose(y, want, 1e-5, 1e-5);
        layer.dispose();
      });

      it('gradients w.r.t. input, gamma and beta match central finite differences', () => {
        const layer = new pc.GroupNormalization({ groups: c.groups, axis: c.axis });
        const { gamma, beta } = withDrawnAffine(layer, c.shape);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.gamma!, layer.beta!], values: [xValues, gamma, beta], names: ['input', 'gamma', 'beta'], seed: 2,
          reference: ([moved, g, b]) => groupNormReference(moved!, c.shape, channel, groups, g!, b!),
          record: recordError, label: `${backend}: GroupNormalization`,
        });
        x.dispose();
        layer.dispose();
      });
    });

    describe.each(UNIT_CASES)('UnitNormalization of $shape, axis $axis', (c) => {
      const xValues = draws(pc.sizeOf(c.shape), 5, -2, 2);

      it('forward and the gradient w.r.t. the input match the float64 computation', () => {
        const layer = new pc.UnitNormalization({ axis: c.axis });
        const x = pc.tensor(xValues, c.shape);
        const y = pc.tidy(() => Array.from(layer.apply(x).dataSync()));
        const want = unitNormReference(xValues, c.shape, c.axes);
        recordError(`${backend}: UnitNormalization forward`, y, want);
        expectClose(y, want, 1e-5, 1e-6);
        expectReferenceGradients({
          layer, x, variables: [], values: [xValues], names: ['input'], seed: 6,
          reference: ([moved]) => unitNormReference(moved!, c.shape, c.axes), record: recordError, label: `${backend}: UnitNormalization`,
        });
        x.dispose();
      });
    });

    it('UnitNormalization: an all-zero slice gives zeros and the finite gradient w / sqrt(1e-12), not NaN', () => {
      const shape = [3, 4];
      const xValues = [...draws(4, 7, -2, 2), 0, 0, 0, 0, ...draws(4, 8, -2, 2)];
      const layer = new pc.UnitNormalization();
      const x = pc.tensor(xValues, shape);
      const y = pc.tidy(() => Array.from(layer.apply(x).dataSync()));
      expect(y.slice(4, 8)).toEqual([0, 0, 0, 0]);
      expectClose(y, unitNormReference(xValues, shape, [1]), 1e-5, 1e-6);
      const w = draws(12, 9, -1, 1);
      const [gradient] = tapeGradients(layer, x, w) as [number[]];
      expect(gradient.every(Number.isFinite)).toBe(true);
      // Under the floor the layer is x / 1e-6, so Σ w·y has gradient w · 1e6 there.
      expectClose(gradient.slice(4, 8), w.slice(4, 8).map((v) => v * 1e6), 1e-5);
      // Elsewhere, finite differences (the floor puts a kink at 0, so not in the zero row).
      const want = finiteDifferences(xValues, w, (moved) => unitNormReference(moved, shape, [1]));
      const kept = [0, 1, 2, 3, 8, 9, 10, 11];
      expectClose(kept.map((i) => gradient[i]!), kept.map((i) => want[i]!), 1e-4, 1e-4);
      x.dispose();
    });

    it('a training step through both layers leaves no tensor behind', () => {
      const model = new pc.Sequential([
        pc.Input({ shape: [3, 4] }), new pc.Dense(6), new pc.GroupNormalization({ groups: 3 }), new pc.UnitNormalization({ axis: [1, 2] }), new pc.Dense(1),
      ]);
      const x = pc.tensor(draws(60, 10, -1, 1), [5, 3, 4]);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.dispose();
    });

    it('a Sequential with both layers learns with fit, and save -> loadModel restores it; configs round trip', async () => {
      const { x, y } = blobs(48, 4, 12);
      const grouped = new pc.GroupNormalization({ groups: 3, epsilon: 1e-2, gammaInitializer: new pc.RandomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }), betaRegularizer: 'l2' });
      const instance = new pc.GroupNormalization({ groups: -1, axis: 1, scale: false });
      const unit = new pc.UnitNormalization({ axis: [1, 2] });
      const model = new pc.Sequential([
        pc.Input({ shape: [4] }), new pc.Dense(6), grouped, new pc.Reshape([3, 2]), instance, unit, new pc.Flatten(), new pc.Dense(2, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy' });
      const losses = (await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 })).history['loss']!;
      expect(losses[losses.length - 1]!).toBeLessThan(0.7 * losses[0]!);
      // -1 stays -1 (Keras writes the channel count once built): the config means the same for any width.
      expect(instance.getConfig()).toMatchObject({ groups: -1, axis: 1, scale: false, center: true });
      expect(instance.weights.map((w) => w.shape)).toEqual([[3]]);
      await expectSaveLoadRoundTrip(model, x, [grouped, instance, unit]);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('reads a Keras 3 description of both layers with its weights through loadLayersModel', async () => {
      const shape = [4, 6];
      const [gamma, beta] = [draws(6, 11, 0.5, 2), draws(6, 12, -1, 1)];
      const model = await pc.loadLayersModel(kerasFiles(shape, gamma, beta));
      const [grouped, unit] = [model.layers.find((l) => l instanceof pc.GroupNormalization)!, model.layers.find((l) => l instanceof pc.UnitNormalization)!];
      expect(grouped.getConfig()).toMatchObject({ name: 'group_normalization', groups: 3, axis: -1, epsilon: EPSILON, center: true, scale: true });
      expect(unit.getConfig()).toMatchObject({ name: 'unit_normalization', axis: [1, 2] });
      const xValues = draws(2 * pc.sizeOf(shape), 13, -2, 3);
      const y = model.predict(pc.tensor(xValues, [2, ...shape])) as pc.Tensor;
      const want = unitNormReference(groupNormReference(xValues, [2, ...shape], 2, 3, gamma, beta), [2, ...shape], [1, 2]);
      recordError(`${backend}: the Keras 3 model`, y.dataSync(), want);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      y.dispose();
      model.dispose();
    });
  });
}

/** A converter's files for a Keras 3 functional model: an input of `shape`, GroupNormalization (3 groups), UnitNormalization over [1, 2]. */
function kerasFiles(shape: number[], gamma: number[], beta: number[]): pc.FileStore {
  const initializer = (className: string) => ({ module: 'keras.initializers', class_name: className, config: {}, registered_name: null });
  return keras3Files({
    inputs: [{ name: 'features', shape }],
    layers: [
      {
        className: 'GroupNormalization', name: 'group_normalization', built: true,
        config: {
          groups: 3, axis: -1, epsilon: 0.001, center: true, scale: true, beta_initializer: initializer('Zeros'), gamma_initializer: initializer('Ones'),
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
        },
      },
      { className: 'UnitNormalization', name: 'unit_normalization', built: true, config: { axis: [1, 2] } },
    ],
    weights: [{ name: 'group_normalization/gamma', shape: [shape.at(-1)!], values: gamma }, { name: 'group_normalization/beta', shape: [shape.at(-1)!], values: beta }],
  });
}

describe('GroupNormalization and UnitNormalization settings and shapes', () => {
  beforeEach(async () => {
    await pc.setBackend('naive');
  });

  it.each([
    ['groups 0', () => new pc.GroupNormalization({ groups: 0 }), 'GroupNormalization: groups must be a positive integer, or -1 for one group per channel, got 0'],
    ['groups -2', () => new pc.GroupNormalization({ groups: -2 }), 'GroupNormalization: groups must be a positive integer, or -1 for one group per channel, got -2'],
    ['groups 2.5', () => new pc.GroupNormalization({ groups: 2.5 }), 'GroupNormalization: groups must be a positive integer, or -1 for one group per channel, got 2.5'],
    ['groups as a string', () => new pc.GroupNormalization({ groups: '4' as unknown as number }), 'GroupNormalization: groups must be a positive integer, or -1 for one group per channel, got "4"'],
    ['a list of axes', () => new pc.GroupNormalization({ axis: [1, 2] as unknown as number }), 'GroupNormalization: axis must be one integer (the channel axis), got [1,2]'],
    ['axis 1.5', () => new pc.GroupNormalization({ axis: 1.5 }), 'GroupNormalization: axis must be an integer, got 1.5'],
    ['epsilon 0', () => new pc.GroupNormalization({ epsilon: 0 }), 'GroupNormalization: epsilon must be a finite number > 0, got 0'],
    ['a constraint, which Perceptron has not', () => new pc.GroupNormalization({ gammaConstraint: 'nonNeg' } as pc.GroupNormalizationConfig), "GroupNormalization: unknown option 'gammaConstraint'"],
    ['no axes', () => new pc.UnitNormalization({ axis: [] }), 'UnitNormalization: axis must be an integer or a non-empty array of integers, got []'],
    ['a fractional axis', () => new pc.UnitNormalization({ axis: [1, 0.5] }), 'UnitNormalization: axis must be an integer or a non-empty array of integers, got [1,0.5]'],
    ['an axis by name', () => new pc.UnitNormalization({ axis: 'last' as unknown as number }), 'UnitNormalization: axis must be an integer or a non-empty array of integers, got "last"'],
  ])('refuses %s, naming the setting, what it expected and what it got', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses shapes the groups do not fit before any weight exists: the layer stays unbuilt and nothing leaks', () => {
    const before = pc.memory().numTensors;
    const x = pc.ones([2, 6]);
    const refused: [pc.Layer, string][] = [
      [new pc.GroupNormalization({ groups: 4, name: 'gn' }), "GroupNormalization 'gn': expected a channel count that is a multiple of groups 4, got 6 channels (axis -1 of inputs of shape [2,6])"],
      [new pc.GroupNormalization({ name: 'gn32' }), "GroupNormalization 'gn32': expected a channel count that is a multiple of groups 32, got 6 channels"],
      [new pc.GroupNormalization({ axis: 0, groups: 2, name: 'gn0' }), "GroupNormalization 'gn0': axis 0 is out of range for inputs of shape [2,6]; expected 1 <= axis <= 1 or -1 <= axis <= -1 (axis 0 is the batch)"],
      [new pc.GroupNormalization({ axis: -3, groups: 2, name: 'gn3' }), "GroupNormalization 'gn3': axis -3 is out of range for inputs of shape [2,6]"],
    ];
    for (const [layer, message] of refused) {
      expect(() => layer.apply(x)).toThrow(message);
      expect([layer.built, layer.weights.length]).toEqual([false, 0]);
    }
    // The first layer still builds once given a shape it fits.
    const first = refused[0]![0] as pc.GroupNormalization;
    expect(pc.tidy(() => first.apply(pc.ones([2, 8])).shape)).toEqual([2, 8]);
    expect(first.weights.map((w) => [w.name, w.shape])).toEqual([['gn/gamma', [8]], ['gn/beta', [8]]]);
    refused.forEach(([layer]) => layer.dispose());
    x.dispose();
    expect(pc.memory().numTensors).toBe(before);
  });

  it('a built layer refuses another channel count (with or without weights) and keeps its weights; the model is refused as it is defined', () => {
    const layer = new pc.GroupNormalization({ groups: 2, axis: 1, name: 'built' });
    pc.tidy(() => layer.apply(pc.ones([2, 4, 3])));
    const gamma = Array.from(layer.gamma!.dataSync());
    expect(() => pc.tidy(() => layer.apply(pc.ones([2, 6, 3])))).toThrow("GroupNormalization 'built': expected inputs of rank 3 with dimensions {1: 4} (it was built for shape [-1,4,3], -1: any), got shape [2,6,3]");
    expect(Array.from(layer.gamma!.dataSync())).toEqual(gamma);
    // Another length off the channel axis is fine, as in Keras.
    expect(pc.tidy(() => layer.apply(pc.ones([2, 4, 7])).shape)).toEqual([2, 4, 7]);
    const bare = new pc.GroupNormalization({ groups: 3, center: false, scale: false, name: 'bare' });
    pc.tidy(() => bare.apply(pc.ones([2, 6])));
    expect(bare.weights).toEqual([]);
    expect(() => pc.tidy(() => bare.apply(pc.ones([2, 4])))).toThrow("GroupNormalization 'bare': expected a channel count that is a multiple of groups 3, got 4 channels");
    expect(() => new pc.Sequential([pc.Input({ shape: [6] }), new pc.GroupNormalization({ groups: 4, name: 'defined' })])).toThrow("GroupNormalization 'defined': expected a channel count that is a multiple of groups 4, got 6 channels");
    layer.dispose();
  });

  it('UnitNormalization refuses axes its inputs lack, naming the shape; it normalizes integers as floats', () => {
    const x = pc.ones([2, 3]);
    expect(() => new pc.UnitNormalization({ axis: 2, name: 'un' }).apply(x)).toThrow("UnitNormalization 'un': axis 2 is out of range for inputs of shape [2,3]");
    expect(() => new pc.UnitNormalization({ axis: [1, -1], name: 'un2' }).apply(x)).toThrow("UnitNormalization 'un2': axis [1,-1] names the same input axis twice for inputs of rank 2");
    expect(() => new pc.UnitNormalization({ name: 'un3' }).apply(pc.ones([3]))).toThrow("UnitNormalization 'un3': expected inputs of rank >= 2 (batch first), got shape [3]");
    const y = pc.tidy(() => new pc.UnitNormalization().apply(pc.tensor([3, 4, 0, -2], [2, 2], 'int32')));
    expect(y.dtype).toBe('float32');
    expectClose(y.dataSync(), [0.6, 0.8, 0, -1], 1e-7);
    pc.dispose([x, y]);
  });

  it('gamma and beta regularizers join the layer losses; center and scale false leave no weights; both layers keep masks', () => {
    const layer = new pc.GroupNormalization({ groups: 2, gammaRegularizer: new pc.L2({ l2: 0.1 }), betaRegularizer: 'l1' });
    layer.ensureBuilt([2, 4]);
    expectClose(pc.tidy(() => layer.losses.map((loss) => loss.dataSync()[0]!)), [0.1 * 4, 0], 1e-6);
    const bare = new pc.GroupNormalization({ groups: 2, center: false, scale: false });
    const xValues = draws(8, 14, -1, 1);
    const y = pc.tidy(() => Array.from(bare.apply(pc.tensor(xValues, [2, 4])).dataSync()));
    expect(bare.weights).toEqual([]);
    expectClose(y, groupNormReference(xValues, [2, 4], 1, 2, [1, 1, 1, 1], [0, 0, 0, 0]), 1e-5, 1e-5);
    expect([layer.supportsMasking, new pc.UnitNormalization().supportsMasking]).toEqual([true, true]);
    layer.dispose();
  });
});
