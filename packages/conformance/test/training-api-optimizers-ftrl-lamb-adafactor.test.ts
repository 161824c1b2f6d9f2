import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { Adafactor, Ftrl, Lamb, type Optimizer } from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';
import { LINEAR, linearModel } from './training-api-model-support.js';
import { adafactorRef, ftrlRef, lambRef, type Reference, type State } from './optimizer-references.js';

/** Deterministic gradients: `steps` rows of `size` values of mixed sign and scale. */
const gradients = (steps: number, size: number): number[][] =>
  Array.from({ length: steps }, (_, k) => Array.from({ length: size }, (_, i) => Math.round(1000 * (k + 1) * 0.3 * Math.sin(1.3 * i + 0.7 * k + 0.1)) / 1000));

const W4 = [0.5, -1.2, 2.0, 0.0];
const G4 = [[0.1, -0.2, 0.3, 0.4], [-0.5, 0.25, 0.05, 0.0], [0.3, 0.3, -0.1, 1.5], [0.02, -0.01, 0.2, -0.3]];
const W6 = [0.5, -1.2, 2.0, 0.0, 0.3, -0.7];
const W12 = [...W6, -0.4, 0.9, 1.1, -0.05, 0.6, -1.5];

interface Case {
  name: string;
  make: () => Optimizer;
  reference: Reference;
  shape: number[];
  w0: number[];
  grads: number[][];
}

const CASES: Case[] = [
  { name: 'Ftrl (lr 0.1)', make: () => new Ftrl({ learningRate: 0.1 }), reference: ftrlRef({ lr: 0.1 }), shape: [2, 2], w0: W4, grads: G4 },
  {
    name: 'Ftrl l1 0.3, l2 0.1 (some elements exactly 0)', make: () => new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.3, l2RegularizationStrength: 0.1 }),
    reference: ftrlRef({ lr: 0.1, l1: 0.3, l2: 0.1 }), shape: [2, 2], w0: W4, grads: G4,
  },
  {
    name: 'Ftrl l2 shrinkage 0.2', make: () => new Ftrl({ learningRate: 0.1, l2ShrinkageRegularizationStrength: 0.2 }),
    reference: ftrlRef({ lr: 0.1, shrinkage: 0.2 }), shape: [2, 2], w0: W4, grads: G4,
  },
  {
    name: 'Ftrl beta 0.5, learningRatePower −0.3, initialAccumulatorValue 0.5',
    make: () => new Ftrl({ learningRate: 0.2, beta: 0.5, learningRatePower: -0.3, initialAccumulatorValue: 0.5 }),
    reference: ftrlRef({ lr: 0.2, beta: 0.5, power: -0.3, init: 0.5 }), shape: [4], w0: W4, grads: G4,
  },
  {
    name: 'Ftrl fixed rate (learningRatePower 0, initialAccumulatorValue 0)', make: () => new Ftrl({ learningRate: 0.1, learningRatePower: 0, initialAccumulatorValue: 0 }),
    reference: ftrlRef({ lr: 0.1, power: 0, init: 0 }), shape: [2, 2], w0: W4, grads: G4,
  },
  { name: 'Lamb (lr 0.1)', make: () => new Lamb({ learningRate: 0.1 }), reference: lambRef(0.1), shape: [2, 2], w0: W4, grads: G4 },
  { name: 'Lamb from a zero variable (trust ratio 1)', make: () => new Lamb({ learningRate: 0.1 }), reference: lambRef(0.1), shape: [2, 2], w0: [0, 0, 0, 0], grads: G4 },
  {
    name: 'Lamb with a zero first gradient (zero update norm: ratio 1, no NaN)', make: () => new Lamb({ learningRate: 0.1 }), reference: lambRef(0.1),
    shape: [2, 2], w0: W4, grads: [[0, 0, 0, 0], ...G4.slice(1)],
  },
  {
    name: 'Lamb beta1 0.8, beta2 0.99, weightDecay 0.05', make: () => new Lamb({ learningRate: 0.1, beta1: 0.8, beta2: 0.99, weightDecay: 0.05 }),
    reference: lambRef(0.1, { b1: 0.8, b2: 0.99, weightDecay: 0.05 }), shape: [4], w0: W4, grads: G4,
  },
  { name: 'Adafactor on a vector (unfactored)', make: () => new Adafactor({ learningRate: 0.01 }), reference: adafactorRef({ lr: 0.01 }), shape: [6], w0: W6, grads: gradients(4, 6) },
  {
    name: 'Adafactor on a matrix (factored; lr 0.8 capped at 1/√t from t = 2)', make: () => new Adafactor({ learningRate: 0.8 }), reference: adafactorRef({ lr: 0.8 }),
    shape: [2, 3], w0: W6, grads: gradients(4, 6),
  },
  {
    name: 'Adafactor on a matrix of 3 rows, 2 columns (factored)', make: () => new Adafactor({ learningRate: 0.3 }), reference: adafactorRef({ lr: 0.3 }),
    shape: [3, 2], w0: W6, grads: gradients(4, 6),
  },
  {
    name: 'Adafactor on rank 3 (the last two axes factored)', make: () => new Adafactor({ learningRate: 0.1 }), reference: adafactorRef({ lr: 0.1 }),
    shape: [2, 2, 3], w0: W12, grads: gradients(4, 12),
  },
  {
    name: 'Adafactor from a zero variable (step floored by epsilon2)', make: () => new Adafactor({ learningRate: 0.5, epsilon2: 0.01 }),
    reference: adafactorRef({ lr: 0.5, eps2: 0.01 }), shape: [2, 3], w0: [0, 0, 0, 0, 0, 0], grads: gradients(4, 6),
  },
  {
    name: 'Adafactor clipThreshold 0.5, beta2Decay −0.5, epsilon1 1e-3', make: () => new Adafactor({ learningRate: 0.1, clipThreshold: 0.5, beta2Decay: -0.5, epsilon1: 1e-3 }),
    reference: adafactorRef({ lr: 0.1, clip: 0.5, decay: -0.5, eps1: 1e-3 }), shape: [2, 3], w0: W6, grads: gradients(4, 6),
  },
  {
    name: 'Adafactor clipThreshold 0.5 on a vector', make: () => new Adafactor({ learningRate: 0.1, clipThreshold: 0.5 }),
    reference: adafactorRef({ lr: 0.1, clip: 0.5 }), shape: [6], w0: W6, grads: gradients(4, 6),
  },
];

/** The variable's values after each of `grads`, applied one call at a time. */
function run(make: () => Optimizer, w0: readonly number[], shape: readonly number[], grads: readonly number[][]): number[][] {
  const w = pc.variable(pc.tensor([...w0], [...shape]));
  const opt = make();
  const seen = grads.map((g) => {
    pc.tidy(() => opt.applyGradients([pc.tensor(g, [...shape])], [w]));
    return Array.from(w.dataSync());
  });
  opt.dispose();
  w.dispose();
  return seen;
}

/** The float64 values after each step of `reference`. */
function expectedRun(reference: Reference, w0: readonly number[], shape: readonly number[], grads: readonly number[][]): number[][] {
  const w = [...w0];
  const state: State = {};
  return grads.map((g, t) => {
    reference(w, g, state, t + 1, shape);
    return [...w];
  });
}

/** y = x·kernel + bias under MSE over LINEAR's four samples: the float64 gradients of kernel [2, 1] and bias [1]. */
function linearGradients(kernel: readonly number[], bias: readonly number[]): [number[], number[]] {
  const residuals = LINEAR.x.map(([a, b], i) => a! * kernel[0]! + b! * kernel[1]! + bias[0]! - LINEAR.y[i]!);
  const scale = 2 / residuals.length;
  return [
    [0, 1].map((j) => scale * residuals.reduce((s, r, i) => s + r * LINEAR.x[i]![j]!, 0)),
    [scale * residuals.reduce((s, r) => s + r, 0)],
  ];
}

const linearData = (): [pc.Tensor, pc.Tensor] => [pc.tensor(LINEAR.x), pc.tensor(LINEAR.y.map((v) => [v]))];
const weightValues = (model: pc.Model): number[][] => model.trainableWeights.map((w) => Array.from(w.dataSync()));

for (const backend of BACKENDS) {
  describe(`Ftrl, Lamb and Adafactor on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    for (const { name, make, reference, shape, w0, grads } of CASES) {
      it(`${name}: the first ${grads.length} updates match float64`, () => {
        const actual = run(make, w0, shape, grads);
        expectedRun(reference, w0, shape, grads).forEach((expected, t) => {
          expect(expected.every(Number.isFinite)).toBe(true);
          expectClose(actual[t]!, expected, 1e-5, 1e-6);
        });
      });
    }

    it('Ftrl with l1 sets the elements whose linear term stays within ±l1 to exactly 0, the others not', () => {
      const make = () => new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.3 });
      const expected = expectedRun(ftrlRef({ lr: 0.1, l1: 0.3 }), W4, [4], G4);
      const actual = run(make, W4, [4], G4);
      const zeros = expected.flat().filter((x) => x === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThan(expected.flat().length);
      expect(actual.flat().map((x) => x === 0)).toEqual(expected.flat().map((x) => x === 0));
    });

    it('Adafactor keeps row and column means for rank ≥ 2 (scalar placeholders below), in getWeights order', () => {
      for (const [shape, expected] of [
        [[6], [[], [], [], [6]]],
        [[2, 3], [[], [2], [3], [2, 3]]],
        [[4, 2, 3], [[], [4, 2], [4, 3], [4, 2, 3]]],
      ] as const) {
        const w = pc.variable(pc.zeros([...shape]));
        const opt = new Adafactor();
        opt.build([w]);
        const weights = opt.getWeights();
        expect(weights.map((t) => t.shape), `shape ${JSON.stringify(shape)}`).toEqual(expected);
        pc.dispose(weights);
        opt.dispose();
        w.dispose();
      }
    });

    it('Adafactor: relativeStep false gives the same steps (Keras 3 caps the rate at 1/√t either way); clipThreshold acts only above rms(u)', () => {
      const grads = gradients(4, 6);
      const on = run(() => new Adafactor({ learningRate: 0.8 }), W6, [2, 3], grads);
      expect(run(() => new Adafactor({ learningRate: 0.8, relativeStep: false }), W6, [2, 3], grads)).toEqual(on);
      const loose = run(() => new Adafactor({ learningRate: 0.1, clipThreshold: 100 }), W6, [6], grads);
      expect(run(() => new Adafactor({ learningRate: 0.1, clipThreshold: 1e6 }), W6, [6], grads)).toEqual(loose);
      expect(run(() => new Adafactor({ learningRate: 0.1, clipThreshold: 0.5 }), W6, [6], grads)[0]).not.toEqual(loose[0]);
    });

    it('a step leaks nothing once the slots exist', () => {
      const a = pc.variable(pc.tensor(W6, [2, 3]));
      const b = pc.variable(pc.tensor([0.1, -0.2]));
      for (const opt of [new Ftrl({ l1RegularizationStrength: 0.1 }), new Lamb(), new Adafactor(), new Lamb({ useEma: true, gradientAccumulationSteps: 2 })]) {
        const apply = (): void => pc.tidy(() => opt.applyGradients([pc.tensor(W6.map((x) => x / 3), [2, 3]), pc.tensor([0.3, 0.1])], [a, b]));
        apply();
        const withSlots = pc.memory().numTensors;
        apply();
        apply();
        expect(pc.memory().numTensors, opt.name).toBe(withSlots);
        opt.dispose();
      }
      pc.dispose([a, b]);
    });

    for (const [name, make, reference] of [
      ['Ftrl', () => new Ftrl({ learningRate: 0.5, l1RegularizationStrength: 0.01 }), ftrlRef({ lr: 0.5, l1: 0.01 })],
      ['Lamb', () => new Lamb({ learningRate: 0.05 }), lambRef(0.05)],
      ['Adafactor', () => new Adafactor({ learningRate: 0.2 }), adafactorRef({ lr: 0.2 })],
    ] as const) {
      it(`fit with ${name}: four full-batch epochs of a linear model under MSE match float64`, async () => {
        const model = linearModel();
        model.compile({ optimizer: make(), loss: 'meanSquaredError' });
        const [x, y] = linearData();
        await model.fit(x, y, { epochs: 4, batchSize: 4, shuffle: false, verbose: 0 });
        const kernel = [...LINEAR.kernel];
        const bias = [LINEAR.bias];
        const [kernelState, biasState]: State[] = [{}, {}];
        for (let t = 1; t <= 4; t++) {
          const [gk, gb] = linearGradients(kernel, bias);
          reference(kernel, gk, kernelState, t, [2, 1]);
          reference(bias, gb, biasState, t, [1]);
        }
        const [k, b] = weightValues(model);
        expectClose(k!, kernel, 1e-5, 1e-6);
        expectClose(b!, bias, 1e-5, 1e-6);
        expect(model.optimizer!.iterations).toBe(4);
        pc.dispose([x, y]);
        model.optimizer!.dispose();
        model.dispose();
      });
    }

    describe('saved with the model mid-training', () => {
      let dir = '';
      beforeEach(async () => {
        dir = await mkdtemp(join(tmpdir(), 'perceptron-optimizers-'));
      });
      afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
      });

      for (const make of [
        () => new Ftrl({ learningRate: 0.5, l1RegularizationStrength: 0.01, beta: 0.1 }),
        () => new Lamb({ learningRate: 0.05 }),
        () => new Adafactor({ learningRate: 0.2 }),
      ]) {
        it(`${make().className}: loadModel restores its slots and the run continues identically`, async () => {
          const model = linearModel();
          model.compile({ optimizer: make(), loss: 'meanSquaredError' });
          const [x, y] = linearData();
          await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
          await model.save(dir);
          const loaded = await pc.loadModel(dir);
          expect(loaded.optimizer!.className).toBe(model.optimizer!.className);
          expect(loaded.optimizer!.getConfig()).toEqual(model.optimizer!.getConfig());
          expect(loaded.optimizer!.iterations).toBe(2);
          // The same weights with a fresh optimizer (slots from their start) go elsewhere: the state matters.
          const fresh = linearModel();
          fresh.setWeights(loaded.weights);
          fresh.compile({ optimizer: make(), loss: 'meanSquaredError' });
          for (const m of [model, loaded, fresh]) await m.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
          expect(weightValues(loaded)).toEqual(weightValues(model));
          expect(weightValues(fresh)).not.toEqual(weightValues(model));
          pc.dispose([x, y]);
          [model, fresh].forEach((m) => m.optimizer!.dispose());
          [model, loaded, fresh].forEach((m) => m.dispose());
        });
      }
    });
  });
}

describe('Ftrl, Lamb and Adafactor: configs, names, errors', () => {
  const BASE = {
    clipnorm: null, clipvalue: null, globalClipnorm: null, weightDecay: null, useEma: false, emaMomentum: 0.99, emaOverwriteFrequency: null, gradientAccumulationSteps: null,
  };

  it('use the Keras 3 defaults', () => {
    expect(new Ftrl().getConfig()).toEqual({
      ...BASE, name: 'ftrl', learningRate: 0.001, learningRatePower: -0.5, initialAccumulatorValue: 0.1, l1RegularizationStrength: 0, l2RegularizationStrength: 0,
      l2ShrinkageRegularizationStrength: 0, beta: 0,
    });
    expect(new Lamb().getConfig()).toEqual({ ...BASE, name: 'lamb', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(new Adafactor().getConfig()).toEqual({
      ...BASE, name: 'adafactor', learningRate: 0.001, beta2Decay: -0.8, epsilon1: 1e-30, epsilon2: 1e-3, clipThreshold: 1, relativeStep: true,
    });
  });

  it('getOptimizer finds them by Keras name and rebuilds them from getConfig (through JSON)', () => {
    for (const [name, cls] of [['ftrl', Ftrl], ['Ftrl', Ftrl], ['lamb', Lamb], ['Lamb', Lamb], ['adafactor', Adafactor], ['Adafactor', Adafactor]] as const) {
      expect(pc.getOptimizer(name), name).toBeInstanceOf(cls);
    }
    for (const opt of [
      new Ftrl({ learningRate: 0.2, learningRatePower: -0.3, initialAccumulatorValue: 0.5, l1RegularizationStrength: 0.1, l2RegularizationStrength: 0.2, l2ShrinkageRegularizationStrength: 0.3, beta: 0.4, clipnorm: 1 }),
      new Lamb({ beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.01, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 }),
      new Adafactor({ beta2Decay: -0.5, epsilon1: 1e-20, epsilon2: 1e-2, clipThreshold: 2, relativeStep: false, gradientAccumulationSteps: 4, name: 'factored' }),
      new Adafactor({ learningRate: new pc.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }) }),
    ]) {
      const copy = pc.getOptimizer(JSON.parse(JSON.stringify({ className: opt.className, config: opt.getConfig() })));
      expect(copy.constructor).toBe(opt.constructor);
      expect(copy.getConfig()).toEqual(opt.getConfig());
    }
  });

  it('refuse bad settings, naming the optimizer, the option and the value', () => {
    const cases: [() => unknown, string][] = [
      [() => new Ftrl({ learningRatePower: 0.5 }), 'ftrl: learningRatePower must be a non-positive number (0 for a fixed rate), got 0.5'],
      [() => new Ftrl({ initialAccumulatorValue: -0.1 }), 'ftrl: initialAccumulatorValue must be a non-negative number, got -0.1'],
      [() => new Ftrl({ l1RegularizationStrength: -1 }), 'ftrl: l1RegularizationStrength must be a non-negative number, got -1'],
      [() => new Ftrl({ l2RegularizationStrength: -1 }), 'ftrl: l2RegularizationStrength must be a non-negative number, got -1'],
      [() => new Ftrl({ l2ShrinkageRegularizationStrength: -2 }), 'ftrl: l2ShrinkageRegularizationStrength must be a non-negative number, got -2'],
      [() => new Ftrl({ beta: Number.NaN }), 'ftrl: beta must be a non-negative number, got NaN'],
      [() => new Lamb({ beta1: 1 }), 'lamb: beta1 must be in [0, 1), got 1'],
      [() => new Lamb({ beta2: -0.1, name: 'mine' }), 'mine: beta2 must be in [0, 1), got -0.1'],
      [() => new Adafactor({ clipThreshold: 0 }), 'adafactor: clipThreshold must be a positive number, got 0'],
      [() => new Adafactor({ beta2Decay: 0.8 }), 'adafactor: beta2Decay must be a non-positive number, got 0.8'],
      [() => new Adafactor({ epsilon1: -1 }), 'adafactor: epsilon1 must be a non-negative number, got -1'],
      [() => new Adafactor({ epsilon2: -1 }), 'adafactor: epsilon2 must be a non-negative number, got -1'],
      [() => new Adafactor({ relativeStep: 'yes' as never }), 'adafactor: relativeStep must be true or false, got "yes"'],
      [() => new Lamb({ amsgrad: true } as never), "lamb: unknown option 'amsgrad'; expected one of learningRate, clipnorm, clipvalue, globalClipnorm, weightDecay, name, beta1, beta2, epsilon, useEma, emaMomentum, emaOverwriteFrequency, gradientAccumulationSteps"],
      [() => pc.getOptimizer({ className: 'Adafactor', config: { min_dim_size_to_factor: 128 } }), "adafactor: unknown option 'min_dim_size_to_factor'"],
    ];
    for (const [make, message] of cases) expect(make, message).toThrow(message);
  });
});
