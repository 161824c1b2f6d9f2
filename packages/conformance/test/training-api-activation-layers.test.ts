// Keras 3's activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax) against float64 formulas
// written here from Keras's definitions: values (the kinks included), gradients by central finite
// differences (away from the kinks), PReLU's alpha and its shared axes, training with fit,
// saving, default names, bad configs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

interface ElementwiseCase {
  name: string;
  make: () => pc.Layer;
  /** The layer's function in float64. */
  f: (v: number) => number;
  /** Where f or its derivative jumps: finite differences stay away from them. */
  kinks: number[];
}

/** Keras's ReLU: min(v, maxValue) strictly above the threshold, negativeSlope·(v − threshold) at or below. */
function reluOf(maxValue: number | null, negativeSlope: number, threshold: number): (v: number) => number {
  return (v) => (v > threshold ? Math.min(v, maxValue ?? Infinity) : negativeSlope * (v - threshold));
}

const leakyReluOf = (negativeSlope: number) => (v: number): number => (v >= 0 ? v : negativeSlope * v);
const eluOf = (alpha: number) => (v: number): number => (v > 0 ? v : alpha * (Math.exp(v) - 1));

const ELEMENTWISE: ElementwiseCase[] = [
  { name: 'ReLU()', make: () => new pc.ReLU(), f: reluOf(null, 0, 0), kinks: [0] },
  { name: 'ReLU({maxValue: 1.5})', make: () => new pc.ReLU({ maxValue: 1.5 }), f: reluOf(1.5, 0, 0), kinks: [0, 1.5] },
  { name: 'ReLU({threshold: 0.5})', make: () => new pc.ReLU({ threshold: 0.5 }), f: reluOf(null, 0, 0.5), kinks: [0.5] },
  {
    name: 'ReLU({maxValue: 1.5, negativeSlope: 0.2, threshold: 0.5})',
    make: () => new pc.ReLU({ maxValue: 1.5, negativeSlope: 0.2, threshold: 0.5 }),
    f: reluOf(1.5, 0.2, 0.5),
    kinks: [0.5, 1.5],
  },
  { name: 'ReLU({negativeSlope: 0.1})', make: () => new pc.ReLU({ negativeSlope: 0.1 }), f: reluOf(null, 0.1, 0), kinks: [0] },
  { name: 'LeakyReLU() (slope 0.3)', make: () => new pc.LeakyReLU(), f: leakyReluOf(0.3), kinks: [0] },
  { name: 'LeakyReLU({negativeSlope: 1.7})', make: () => new pc.LeakyReLU({ negativeSlope: 1.7 }), f: leakyReluOf(1.7), kinks: [0] },
  { name: 'ELU() (alpha 1)', make: () => new pc.ELU(), f: eluOf(1), kinks: [0] },
  { name: 'ELU({alpha: 0.4})', make: () => new pc.ELU({ alpha: 0.4 }), f: eluOf(0.4), kinks: [0] },
  { name: 'ELU({alpha: -0.5})', make: () => new pc.ELU({ alpha: -0.5 }), f: eluOf(-0.5), kinks: [0] },
];

const SHAPE = [3, 2, 5];
const SIZE = 30;

/** Float32 draws moved at least 0.01 from every kink, so a central difference never straddles one. */
function awayFromKinks(values: readonly number[], kinks: readonly number[]): number[] {
  return values.map((v) => (kinks.some((k) => Math.abs(v - k) < 0.01) ? Math.fround(v + 0.05) : v));
}

/** Softmax of `x` (of `shape`) along `axis` in float64. */
function softmaxReference(x: readonly number[], shape: readonly number[], axis: number): number[] {
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const length = shape[axis]!;
  const lane = (i: number) => Array.from({ length }, (_, k) => i - (Math.floor(i / stride) % length) * stride + k * stride);
  return x.map((v, i) => {
    const others = lane(i).map((j) => x[j]!);
    const top = Math.max(...others);
    return Math.exp(v - top) / others.reduce((s, u) => s + Math.exp(u - top), 0);
  });
}

/** PReLU in float64, alpha (of the sample's shape with shared axes 1) broadcast over `shape`. */
function preluReference(x: readonly number[], shape: readonly number[], alpha: readonly number[], alphaShape: readonly number[]): number[] {
  return x.map((v, i) => {
    // The alpha index: each axis of the sample, taken at 0 where alpha has size 1.
    let rest = i;
    let index = 0;
    let scale = 1;
    for (let axis = shape.length - 1; axis >= 1; axis--) {
      const coordinate = rest % shape[axis]!;
      rest = Math.floor(rest / shape[axis]!);
      index += (alphaShape[axis - 1] === 1 ? 0 : coordinate) * scale;
      scale *= alphaShape[axis - 1]!;
    }
    return Math.max(0, v) + alpha[index]! * Math.min(0, v);
  });
}

/** Σ weights·layer(x), its gradient w.r.t. x and each of `sources`, the tape disposed of. */
function gradients(layer: pc.Layer, x: pc.Tensor, weights: readonly number[], sources: pc.Variable[] = [], kwargs: pc.CallKwargs = {}): number[][] {
  const tape = new pc.GradientTape();
  const loss = tape.record(() => {
    tape.watch(x);
    const y = layer.apply(x, kwargs) as pc.Tensor;
    return pc.sum(pc.mul(y, pc.tensor(weights, y.shape)));
  });
  const grads = tape.gradient(loss, [x, ...sources]);
  const values = grads.map((g) => {
    expect(g, 'expected a gradient, got null').toBeTruthy();
    return Array.from(g!.dataSync());
  });
  pc.dispose([loss, ...grads.filter((g): g is pc.Tensor => g !== null)]);
  return values;
}

const recordError = errorRecorder('activation layers');

for (const backend of MODEL_BACKENDS) {
  describe(`activation layers on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each(ELEMENTWISE)('$name', (c) => {
      it('values match the float64 formula, at and around the kinks, leaking nothing', () => {
        const values = [...draws(SIZE - 2 * c.kinks.length, 1, -3, 3), ...c.kinks, ...c.kinks.map((k) => -k)];
        const layer = c.make();
        const before = pc.memory().numTensors;
        const y = pc.tidy(() => layer.apply(pc.tensor(values, SHAPE)) as pc.Tensor);
        expect(pc.memory().numTensors).toBe(before + 1);
        const want = values.map(c.f);
        recordError(`${c.name} values`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        expect(y.shape).toEqual(SHAPE);
        expect(layer.computeOutputShape([null, 2, 5])).toEqual([null, 2, 5]);
        y.dispose();
      });

      it('the gradient w.r.t. the input matches central finite differences', () => {
        const values = awayFromKinks(draws(SIZE, 2, -3, 3), c.kinks);
        const weights = draws(SIZE, 3, -1, 1);
        const x = pc.tensor(values, SHAPE);
        const [dx] = gradients(c.make(), x, weights);
        const want = finiteDifferences(values, weights, (moved) => moved.map(c.f));
        recordError(`${c.name} gradient`, dx!, want);
        expectClose(dx!, want, 1e-3, 1e-4);
        x.dispose();
      });
    });

    describe.each([
      { shape: [2, 3, 4], axis: 1 },
      { shape: [2, 3, 4], axis: -1 },
      { shape: [2, 3, 4], axis: 0 },
      { shape: [3, 5], axis: -2 },
      { shape: [2, 3, 2, 2], axis: 2 },
    ])('Softmax({axis: $axis}) on $shape', ({ shape, axis }) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const positive = axis < 0 ? shape.length + axis : axis;

      it('values match the float64 formula and sum to 1 along the axis', () => {
        const values = draws(size, 4, -4, 4);
        const layer = new pc.Softmax({ axis });
        const y = pc.tidy(() => layer.apply(pc.tensor(values, shape)) as pc.Tensor);
        const want = softmaxReference(values, shape, positive);
        recordError('Softmax values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-7);
        expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...shape.slice(1)]);
        y.dispose();
      });

      it('the gradient w.r.t. the input matches central finite differences', () => {
        const values = draws(size, 5, -2, 2);
        const weights = draws(size, 6, -1, 1);
        const x = pc.tensor(values, shape);
        const [dx] = gradients(new pc.Softmax({ axis }), x, weights);
        const want = finiteDifferences(values, weights, (moved) => softmaxReference(moved, shape, positive));
        recordError('Softmax gradient', dx!, want);
        expectClose(dx!, want, 1e-3, 1e-5);
        x.dispose();
      });
    });

    describe('Softmax with a mask', () => {
      /** The float64 softmax along `axis` of the entries `kept(i)` keeps; the others 0. */
      const maskedReference = (values: number[], shape: number[], axis: number, kept: (i: number) => boolean): number[] =>
        softmaxReference(values.map((v, i) => (kept(i) ? v : -Infinity)), shape, axis);

      it("a mask of the inputs' shape gives its false entries no weight (Keras's attention scores)", () => {
        const values = draws(8, 7, -3, 3);
        const mask = [true, true, false, true, false, true, false, false];
        const y = pc.tidy(() => new pc.Softmax().apply(pc.tensor(values, [2, 4]), { mask: pc.tensor(mask, [2, 4], 'bool') }) as pc.Tensor);
        const want = maskedReference(values, [2, 4], 1, (i) => mask[i]!);
        expectClose(y.dataSync(), want, 1e-6, 1e-9);
        expect(Array.from(y.dataSync()).filter((_, i) => !mask[i])).toEqual([0, 0, 0, 0]);
        y.dispose();
      });

      it("a sequence's [batch, steps] mask hides whole steps from a softmax over the steps, and its gradient there is 0", () => {
        const values = draws(12, 8, -3, 3);
        const stepKept = [[1, 0, 1], [1, 1, 0]];
        const kept = (i: number) => stepKept[Math.floor(i / 6)]![Math.floor(i / 2) % 3] === 1; // [2, 3, 2]
        const weights = draws(12, 9, -1, 1);
        const x = pc.tensor(values, [2, 3, 2]);
        const layer = new pc.Softmax({ axis: 1 });
        const mask = pc.tensor(stepKept.flat(), [2, 3]); // numeric: nonzero is data, as Keras reads it
        const y = pc.tidy(() => layer.apply(x, { mask }) as pc.Tensor);
        expectClose(y.dataSync(), maskedReference(values, [2, 3, 2], 1, kept), 1e-6, 1e-9);
        const [dx] = gradients(layer, x, weights, [], { mask });
        const want = finiteDifferences(values, weights, (moved) => maskedReference(moved, [2, 3, 2], 1, kept));
        expectClose(dx!, want, 1e-3, 1e-5);
        expect(dx!.filter((_, i) => !kept(i))).toEqual([0, 0, 0, 0]);
        pc.dispose([x, y, mask]);
      });

      it("leaves a softmax within each step alone under a [batch, steps] mask, and passes the mask on", () => {
        const values = draws(12, 10, -3, 3);
        const mask = pc.tensor([true, false, true, true, true, false], [2, 3], 'bool');
        const layer = new pc.Softmax();
        const y = pc.tidy(() => layer.apply(pc.tensor(values, [2, 3, 2]), { mask }) as pc.Tensor);
        expectClose(y.dataSync(), softmaxReference(values, [2, 3, 2], 2), 1e-6, 1e-9);
        expect(layer.computeMask(y, mask)).toBe(mask);
        pc.dispose([y, mask]);
      });

      it('refuses a mask that does not cover leading dimensions of the inputs, naming both shapes', () => {
        const layer = new pc.Softmax({ name: 's', axis: 0 });
        expect(() => pc.tidy(() => layer.apply(pc.ones([2, 3]), { mask: pc.ones([3], 'bool') }))).toThrow("Softmax 's': expected a mask covering the leading dimensions of the inputs [2,3], got shape [3]");
      });
    });

    describe.each([
      { sharedAxes: null, alphaShape: [3, 4] },
      { sharedAxes: [1], alphaShape: [1, 4] },
      { sharedAxes: 2, alphaShape: [3, 1] },
      { sharedAxes: [1, 2], alphaShape: [1, 1] },
    ])('PReLU({sharedAxes: $sharedAxes})', ({ sharedAxes, alphaShape }) => {
      const shape = [2, 3, 4];
      const size = 24;

      /** The layer built for `shape`, alpha set to draws (its initial zeros would hide a wrong alpha). */
      function builtPReLU(): { layer: pc.PReLU; alpha: number[] } {
        const layer = new pc.PReLU({ sharedAxes });
        layer.ensureBuilt(shape);
        expect(layer.alpha!.shape).toEqual(alphaShape);
        expect(layer.alpha!.name).toBe(`${layer.name}/alpha`);
        const alpha = draws(layer.alpha!.size, 7, -0.5, 1.5);
        pc.tidy(() => layer.alpha!.assign(pc.tensor(alpha, alphaShape)));
        return { layer, alpha };
      }

      it('alpha has the sample\'s shape with the shared axes 1, and values match the float64 formula', () => {
        const { layer, alpha } = builtPReLU();
        const values = draws(size, 8, -3, 3);
        const y = pc.tidy(() => layer.apply(pc.tensor(values, shape)) as pc.Tensor);
        const want = preluReference(values, shape, alpha, alphaShape);
        recordError('PReLU values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-6, 1e-7);
        expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 3, 4]);
        // Another batch size is fine; so is another size along a shared axis.
        const other = [5, ...shape.slice(1).map((d, i) => (alphaShape[i] === 1 ? d + 1 : d))];
        const z = pc.tidy(() => layer.apply(pc.ones(other)) as pc.Tensor);
        expect(z.shape).toEqual(other);
        pc.dispose([y, z]);
        layer.dispose();
      });

      it('gradients w.r.t. the input and alpha match central finite differences', () => {
        const { layer, alpha } = builtPReLU();
        const values = awayFromKinks(draws(size, 9, -3, 3), [0]);
        const weights = draws(size, 10, -1, 1);
        const x = pc.tensor(values, shape);
        const [dx, dAlpha] = gradients(layer, x, weights, [layer.alpha!]);
        const wantDx = finiteDifferences(values, weights, (moved) => preluReference(moved, shape, alpha, alphaShape));
        const wantDAlpha = finiteDifferences(alpha, weights, (moved) => preluReference(values, shape, moved, alphaShape));
        recordError('PReLU gradient w.r.t. input', dx!, wantDx);
        recordError('PReLU gradient w.r.t. alpha', dAlpha!, wantDAlpha);
        expectClose(dx!, wantDx, 1e-3, 1e-4);
        expectClose(dAlpha!, wantDAlpha, 1e-3, 1e-4);
        x.dispose();
        layer.dispose();
      });
    });

    it('PReLU starts as a ReLU (alpha zeros), takes an initializer and a regularizer on alpha', () => {
      const plain = new pc.PReLU();
      const values = [-2, -0.5, 0, 0.5, 2, 3];
      const y = pc.tidy(() => plain.apply(pc.tensor(values, [2, 3])) as pc.Tensor);
      expect(Array.from(y.dataSync())).toEqual(values.map((v) => Math.max(0, v)));
      const penalized = new pc.PReLU({ alphaInitializer: new pc.Constant({ value: 0.25 }), alphaRegularizer: new pc.L2({ l2: 0.1 }) });
      const z = pc.tidy(() => penalized.apply(pc.tensor(values, [2, 3])) as pc.Tensor);
      expectClose(z.dataSync(), values.map((v) => (v > 0 ? v : 0.25 * v)), 1e-7, 0);
      // L2: 0.1 · Σ alpha² over the 3 alphas.
      const losses = penalized.losses;
      expect(losses).toHaveLength(1);
      expectClose(losses[0]!.dataSync(), [0.1 * 3 * 0.0625], 1e-6, 0);
      pc.dispose([y, z, ...losses]);
      plain.dispose();
      penalized.dispose();
    });

    it('default names are Keras\'s, and each config round-trips through serializeLayer', () => {
      pc.clearSession();
      const layers = [
        new pc.ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.2 }),
        new pc.LeakyReLU({ negativeSlope: 0.05 }),
        new pc.PReLU({ alphaInitializer: 'ones', alphaRegularizer: 'l2', sharedAxes: [1, 2] }),
        new pc.ELU({ alpha: 0.7 }),
        new pc.Softmax({ axis: 1 }),
        new pc.ReLU(),
      ];
      expect(layers.map((l) => l.name)).toEqual(['re_lu', 'leaky_re_lu', 'p_re_lu', 'elu', 'softmax', 're_lu_1']);
      expect(layers.map((l) => l.getConfig())).toMatchObject([
        { maxValue: 6, negativeSlope: 0.1, threshold: 0.2 },
        { negativeSlope: 0.05 },
        { alphaInitializer: 'ones', alphaRegularizer: { className: 'L2' }, sharedAxes: [1, 2] },
        { alpha: 0.7 },
        { axis: 1 },
        { maxValue: null, negativeSlope: 0, threshold: 0 },
      ]);
      for (const layer of layers) {
        const again = pc.deserializeLayer(pc.serializeLayer(layer));
        expect(again.constructor).toBe(layer.constructor);
        expect(again.getConfig()).toEqual(layer.getConfig());
      }
      expect(new pc.LeakyReLU().negativeSlope).toBe(0.3);
      expect(new pc.ELU().alpha).toBe(1);
      expect(new pc.Softmax().axis).toBe(-1);
      expect(new pc.PReLU({ sharedAxes: 2 }).getConfig().sharedAxes).toEqual([2]);
    });

    it('a network of all five learns a 3-class problem with fit (loss falls, alpha moves), saves and loads, and leaks nothing', async () => {
      const n = 96;
      const generator = new pc.RandomGenerator(12);
      const x = new Float32Array(n * 4);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = i % 3;
        for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === y[i] ? 1.5 : 0) + 0.4 * generator.nextNormal();
      }
      const prelu = new pc.PReLU({ sharedAxes: [2] });
      const model = new pc.Sequential([
        pc.Input({ shape: [4] }),
        new pc.Dense(12),
        new pc.Reshape([3, 4]),
        prelu,
        new pc.Softmax({ axis: 1 }),
        new pc.Flatten(),
        new pc.Dense(8),
        new pc.LeakyReLU(),
        new pc.Dense(8),
        new pc.ELU({ alpha: 0.5 }),
        new pc.Dense(8),
        new pc.ReLU({ maxValue: 6, negativeSlope: 0.05 }),
        new pc.Dense(3),
        new pc.Softmax(),
      ]);
      expect(prelu.alpha!.shape).toEqual([3, 1]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const [xs, ys] = [pc.tensor(x, [n, 4]), pc.tensor(y, [n], 'int32')];
      const history = await model.fit(xs, ys, { epochs: 20, batchSize: 16, verbose: 0 });
      const losses = history.history.loss!;
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
      expect(history.history.accuracy!.at(-1)!).toBeGreaterThan(0.9);
      expect(Array.from(prelu.alpha!.dataSync()).every((a) => a !== 0)).toBe(true);
      await expectSaveLoadRoundTrip(model, xs, model.layers);
      expectTrainingStepsLeakNothing(model, xs);
      pc.dispose([xs, ys]);
      model.dispose();
    }, 30_000);

    it('refuses bad settings and inputs, naming the layer, what was expected and what was given', () => {
      expect(() => new pc.ReLU({ maxValue: -1 })).toThrow('ReLU: maxValue must be a non-negative number (or null for no limit), got -1');
      expect(() => new pc.ReLU({ negativeSlope: -0.1 })).toThrow('ReLU: negativeSlope must be a non-negative number, got -0.1');
      expect(() => new pc.ReLU({ threshold: -1 })).toThrow('ReLU: threshold must be a non-negative number, got -1');
      expect(() => new pc.ReLU({ threshold: '1' as never })).toThrow('ReLU: threshold must be a non-negative number, got "1"');
      expect(() => new pc.LeakyReLU({ negativeSlope: -0.3 })).toThrow('LeakyReLU: negativeSlope must be a non-negative number, got -0.3');
      expect(() => new pc.LeakyReLU({ negativeSlope: NaN })).toThrow('LeakyReLU: negativeSlope must be a non-negative number, got NaN');
      expect(() => new pc.ELU({ alpha: Infinity })).toThrow('ELU: alpha must be a finite number, got Infinity');
      expect(() => new pc.Softmax({ axis: 1.5 })).toThrow('Softmax: axis must be an integer, got 1.5');
      expect(() => new pc.Softmax({ axis: [1, 2] as never })).toThrow('Softmax: axis must be one integer (a list of axes is not supported), got [1,2]');
      expect(() => new pc.Softmax({ name: 's', axis: 3 }).apply(pc.ones([2, 3, 4]))).toThrow("Softmax 's': for axis 3 expected inputs of rank >= 4, got shape [2,3,4]");
      expect(() => new pc.Softmax({ name: 's', axis: -3 }).computeOutputShape([null, 4])).toThrow("Softmax 's': for axis -3 expected inputs of rank >= 3, got shape [-1,4]");
      for (const sharedAxes of [[0], [1, 1], 1.5, ['1']]) {
        expect(() => new pc.PReLU({ sharedAxes: sharedAxes as never })).toThrow(
          `PReLU: sharedAxes must be distinct axes of the sample, integers >= 1 (the batch axis 0 is not among them), got ${JSON.stringify(sharedAxes)}`,
        );
      }
      expect(() => new pc.PReLU({ name: 'p', sharedAxes: [3] }).apply(pc.ones([2, 3, 4]))).toThrow(
        "PReLU 'p': expected inputs of rank >= 4 (a batch axis, then sharedAxes [3]), got shape [2,3,4]",
      );
      expect(() => new pc.PReLU({ name: 'p' }).apply(pc.ones([5]))).toThrow("PReLU 'p': expected inputs of rank >= 2 (a batch axis, then the sample), got shape [5]");
      expect(() => new pc.PReLU({ name: 'p' }).computeOutputShape([null, null, 4])).toThrow(
        "PReLU 'p': alpha needs the size of axis 1, unknown in shape [-1,-1,4]; share alpha along it with sharedAxes, or give its size",
      );
      expect(new pc.PReLU({ sharedAxes: [1] }).computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
      const built = new pc.PReLU({ name: 'p', sharedAxes: [1] });
      pc.tidy(() => built.apply(pc.ones([2, 3, 4])));
      expect(() => built.apply(pc.ones([2, 3, 5]))).toThrow("PReLU 'p': expected inputs of shape [-1,-1,4] (-1: any), as alpha was built for, got shape [2,3,5]");
      expect(() => built.apply(pc.ones([2, 3, 4, 1]))).toThrow("PReLU 'p': expected inputs of shape [-1,-1,4] (-1: any), as alpha was built for, got shape [2,3,4,1]");
      built.dispose();
    });
  });
}
