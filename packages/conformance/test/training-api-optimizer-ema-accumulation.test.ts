import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { Adam, SGD, type Optimizer } from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';
import { LINEAR, linearModel } from './training-api-model-support.js';
import { adamRef, sgdRef, startRun, stepRun, type Reference, type StepSettings } from './optimizer-references.js';

const W4 = [0.5, -1.2, 2.0, 0.0];
const SHAPE = [2, 2];
/** Eight calls' gradients, of mixed sign and scale. */
const GRADS = Array.from({ length: 8 }, (_, k) => W4.map((_, i) => Math.round(1000 * 0.4 * Math.cos(1.7 * i + 0.9 * k)) / 1000));

/** clipnorm on the gradient the inner rule gets (the accumulated mean, when accumulating). */
const clipped = (clipnorm: number, inner: Reference): Reference => (w, g, s, t, shape) => {
  const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
  inner(w, g.map((x) => (x * clipnorm) / Math.max(norm, clipnorm)), s, t, shape);
};

/** Decoupled weight decay before the inner rule, as Keras applies it on each update. */
const decayed = (weightDecay: number, lr: number, inner: Reference): Reference => (w, g, s, t, shape) => {
  w.forEach((wi, i) => { w[i] = wi - wi * weightDecay * lr; });
  inner(w, g, s, t, shape);
};

interface Case {
  name: string;
  make: () => Optimizer;
  settings: StepSettings;
}

const fixed = (lr: number) => (): number => lr;

const CASES: Case[] = [
  { name: 'SGD useEma (momentum 0.9)', make: () => new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 }), settings: { lr: fixed(0.1), inner: sgdRef, ema: { momentum: 0.9 } } },
  {
    name: 'SGD useEma 0.8, overwriting every 3rd update', make: () => new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 3 }),
    settings: { lr: fixed(0.1), inner: sgdRef, ema: { momentum: 0.8, overwriteFrequency: 3 } },
  },
  {
    name: "Adam useEma 0.5 (the average after Adam's slots)", make: () => new Adam({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 }),
    settings: { lr: fixed(0.1), inner: (lr) => adamRef(lr), ema: { momentum: 0.5 } },
  },
  { name: 'SGD accumulating 3 steps', make: () => new SGD({ learningRate: 0.1, gradientAccumulationSteps: 3 }), settings: { lr: fixed(0.1), inner: sgdRef, accumulation: 3 } },
  {
    name: "Adam accumulating 2 steps (its bias correction counts updates)", make: () => new Adam({ learningRate: 0.1, gradientAccumulationSteps: 2 }),
    settings: { lr: fixed(0.1), inner: (lr) => adamRef(lr), accumulation: 2 },
  },
  {
    name: 'SGD accumulating 2 steps, ExponentialDecay seeing every call', make: () => new SGD({
      learningRate: new pc.ExponentialDecay({ initialLearningRate: 0.2, decaySteps: 1, decayRate: 0.5 }), gradientAccumulationSteps: 2,
    }),
    settings: { lr: (calls) => 0.2 * 0.5 ** calls, inner: sgdRef, accumulation: 2 },
  },
  {
    name: 'SGD accumulating 2 steps, clipnorm 0.3 on their mean', make: () => new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2, clipnorm: 0.3 }),
    settings: { lr: fixed(0.1), inner: (lr) => clipped(0.3, sgdRef(lr)), accumulation: 2 },
  },
  {
    name: 'SGD accumulating 2 steps, weightDecay 0.1 on updates only', make: () => new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2, weightDecay: 0.1 }),
    settings: { lr: fixed(0.1), inner: (lr) => decayed(0.1, lr, sgdRef(lr)), accumulation: 2 },
  },
  {
    name: 'SGD accumulating 2 steps with useEma 0.9 overwriting every 2nd update (averages move on every call)',
    make: () => new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 2 }),
    settings: { lr: fixed(0.1), inner: sgdRef, accumulation: 2, ema: { momentum: 0.9, overwriteFrequency: 2 } },
  },
];

const linearData = (): [pc.Tensor, pc.Tensor] => [pc.tensor(LINEAR.x), pc.tensor(LINEAR.y.map((v) => [v]))];
const weightValues = (model: pc.Model): number[][] => model.trainableWeights.map((w) => Array.from(w.dataSync()));

/** The float64 MSE gradients of the linear model's kernel [2, 1] and bias [1] over LINEAR's samples `rows`. */
function linearGradients(kernel: readonly number[], bias: readonly number[], rows: readonly number[]): [number[], number[]] {
  const residuals = rows.map((i) => LINEAR.x[i]![0]! * kernel[0]! + LINEAR.x[i]![1]! * kernel[1]! + bias[0]! - LINEAR.y[i]!);
  const scale = 2 / rows.length;
  return [
    [0, 1].map((j) => scale * residuals.reduce((s, r, n) => s + r * LINEAR.x[rows[n]!]![j]!, 0)),
    [scale * residuals.reduce((s, r) => s + r, 0)],
  ];
}

for (const backend of BACKENDS) {
  describe(`moving average and gradient accumulation on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });
    afterEach(() => vi.restoreAllMocks());

    for (const { name, make, settings } of CASES) {
      it(`${name}: variable, average, accumulator and iterations match float64 over ${GRADS.length} calls`, () => {
        const w = pc.variable(pc.tensor(W4, SHAPE));
        const opt = make();
        const expected = startRun(W4);
        const n = settings.accumulation ?? 1;
        GRADS.forEach((g) => {
          pc.tidy(() => opt.applyGradients([pc.tensor(g, SHAPE)], [w]));
          stepRun(expected, g, settings, SHAPE);
          expectClose(w.dataSync(), expected.w, 1e-5, 1e-6);
          expect(opt.iterations).toBe(Math.floor(expected.calls / n));
          const [calls, ...state] = opt.getWeights();
          expect(calls!.dataSync()[0]).toBe(expected.calls);
          const extra = state.slice(opt.slotNames.length).map((t) => Array.from(t.dataSync()));
          const kept = [...(settings.ema ? [expected.average] : []), ...(settings.accumulation ? [expected.accumulator] : [])];
          expect(extra.length).toBe(kept.length);
          extra.forEach((values, i) => expectClose(values, kept[i]!, 1e-5, 1e-6));
          pc.dispose([calls!, ...state]);
        });
        opt.dispose();
        w.dispose();
      });
    }

    it('finalizeVariableValues gives each variable its average with useEma; without, or for a variable never updated, it changes nothing', () => {
      const a = pc.variable(pc.tensor(W4, SHAPE));
      const untouched = pc.variable(pc.tensor([1, 2]));
      const ema = new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 });
      const expected = startRun(W4);
      GRADS.slice(0, 3).forEach((g) => {
        pc.tidy(() => ema.applyGradients([pc.tensor(g, SHAPE)], [a]));
        stepRun(expected, g, { lr: fixed(0.1), inner: sgdRef, ema: { momentum: 0.9 } }, SHAPE);
      });
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(Float32Array.from(expected.average)));
      ema.finalizeVariableValues([a, untouched]);
      expectClose(a.dataSync(), expected.average, 1e-5, 1e-6);
      expect(Array.from(untouched.dataSync())).toEqual([1, 2]);
      const plain = new SGD({ learningRate: 0.1 });
      pc.tidy(() => plain.applyGradients([pc.tensor([0.5, 0.5])], [untouched]));
      plain.finalizeVariableValues([untouched]);
      expectClose(untouched.dataSync(), [0.95, 1.95]);
      [ema, plain].forEach((o) => o.dispose());
      pc.dispose([a, untouched]);
    });

    it('accumulation with a null gradient: only the given ones gather, and every accumulator empties on the update (Keras)', () => {
      const a = pc.variable(pc.tensor([1, 1]), { name: 'a' });
      const b = pc.variable(pc.tensor([1, 1]), { name: 'b' });
      const opt = new SGD({ learningRate: 1, gradientAccumulationSteps: 2 });
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      pc.tidy(() => opt.applyGradients([pc.tensor([0.2, 0.4]), pc.tensor([1, 1])], [a, b]));
      pc.tidy(() => opt.applyGradients([pc.tensor([0.6, 0.0]), null], [a, b]));
      expect(warn).toHaveBeenCalledTimes(1);
      expectClose(a.dataSync(), [1 - 0.4, 1 - 0.2]);
      expect(Array.from(b.dataSync())).toEqual([1, 1]);
      pc.tidy(() => opt.applyGradients([pc.tensor([0, 0]), pc.tensor([0.5, 0.5])], [a, b]));
      pc.tidy(() => opt.applyGradients([pc.tensor([0, 0]), pc.tensor([0.5, 0.5])], [a, b]));
      // b's gradient of the first call went with the first update's reset.
      expectClose(b.dataSync(), [0.5, 0.5]);
      opt.dispose();
      pc.dispose([a, b]);
    });

    it('fit with useEma ends with the weights set to their moving averages (Keras calls finalize_variable_values)', async () => {
      for (const [settings, options] of [
        [{ momentum: 0.5 }, { emaMomentum: 0.5 }],
        [{ momentum: 0.7, overwriteFrequency: 2 }, { emaMomentum: 0.7, emaOverwriteFrequency: 2 }],
      ] as const) {
        const model = linearModel();
        model.compile({ optimizer: new SGD({ learningRate: 0.05, useEma: true, ...options }), loss: 'meanSquaredError' });
        const [x, y] = linearData();
        await model.fit(x, y, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0 });
        const [kernel, bias] = [startRun(LINEAR.kernel), startRun([LINEAR.bias])];
        for (let t = 0; t < 5; t++) {
          const [gk, gb] = linearGradients(kernel.w, bias.w, [0, 1, 2, 3]);
          stepRun(kernel, gk, { lr: fixed(0.05), inner: sgdRef, ema: settings }, [2, 1]);
          stepRun(bias, gb, { lr: fixed(0.05), inner: sgdRef, ema: settings }, [1]);
        }
        const [k, b] = weightValues(model);
        expectClose(k!, kernel.average, 1e-5, 1e-6);
        expectClose(b!, bias.average, 1e-5, 1e-6);
        expect(k).not.toEqual(Array.from(Float32Array.from(kernel.w)));
        pc.dispose([x, y]);
        model.optimizer!.dispose();
        model.dispose();
      }
    });

    it('fit with gradientAccumulationSteps 2 over half batches updates as full-batch SGD does, every second batch', async () => {
      const model = linearModel();
      model.compile({ optimizer: new SGD({ learningRate: 0.05, gradientAccumulationSteps: 2 }), loss: 'meanSquaredError' });
      const [x, y] = linearData();
      await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      const kernel = [...LINEAR.kernel];
      const bias = [LINEAR.bias];
      for (let t = 0; t < 3; t++) {
        // The mean of the two half batches' MSE gradients at the same weights is the full batch's.
        const [gk, gb] = linearGradients(kernel, bias, [0, 1, 2, 3]);
        sgdRef(0.05)(kernel, gk, {}, t + 1, [2, 1]);
        sgdRef(0.05)(bias, gb, {}, t + 1, [1]);
      }
      const [k, b] = weightValues(model);
      expectClose(k!, kernel, 1e-5, 1e-6);
      expectClose(b!, bias, 1e-5, 1e-6);
      expect(model.optimizer!.iterations).toBe(3);
      pc.dispose([x, y]);
      model.optimizer!.dispose();
      model.dispose();
    });

    describe('saved with the model', () => {
      let dir = '';
      beforeEach(async () => {
        dir = await mkdtemp(join(tmpdir(), 'perceptron-ema-'));
      });
      afterEach(async () => {
        await rm(dir, { recursive: true, force: true });
      });

      it('mid-accumulation, with averages: loadModel restores calls, accumulators and averages, and the run continues identically', async () => {
        const make = () => new Adam({ learningRate: 0.05, gradientAccumulationSteps: 3, useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 2 });
        const model = linearModel();
        model.compile({ optimizer: make(), loss: 'meanSquaredError' });
        const [x, y] = linearData();
        // Two batches an epoch: four calls are one update and one gradient gathered.
        await model.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
        await model.save(dir);
        const loaded = await pc.loadModel(dir);
        expect(loaded.optimizer!.getConfig()).toEqual(model.optimizer!.getConfig());
        expect(loaded.optimizer!.iterations).toBe(1);
        const state = loaded.optimizer!.getWeights();
        expect(state[0]!.dataSync()[0]).toBe(4);
        pc.dispose(state);
        for (const m of [model, loaded]) await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
        expect(weightValues(loaded)).toEqual(weightValues(model));
        expect(loaded.optimizer!.iterations).toBe(3);
        pc.dispose([x, y]);
        model.optimizer!.dispose();
        [model, loaded].forEach((m) => m.dispose());
      });

      it('before the first update: the gathered gradients are saved and restored, so the run continues identically', async () => {
        const model = linearModel();
        model.compile({ optimizer: new Adam({ learningRate: 0.05, gradientAccumulationSteps: 3 }), loss: 'meanSquaredError' });
        const [x, y] = linearData();
        // Two calls gathered, no update yet.
        await model.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
        expect(model.optimizer!.iterations).toBe(0);
        await model.save(dir);
        const loaded = await pc.loadModel(dir);
        const state = loaded.optimizer!.getWeights();
        expect(state[0]!.dataSync()[0]).toBe(2);
        pc.dispose(state);
        for (const m of [model, loaded]) await m.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
        expect(weightValues(loaded)).toEqual(weightValues(model));
        expect(loaded.optimizer!.iterations).toBe(2);
        pc.dispose([x, y]);
        model.optimizer!.dispose();
        [model, loaded].forEach((m) => m.dispose());
      });
    });
  });
}

describe('moving-average and accumulation options', () => {
  it('are in every optimizer config and survive getOptimizer', () => {
    const opt = new Adam({ useEma: true, emaMomentum: 0.95, emaOverwriteFrequency: 10, gradientAccumulationSteps: 4 });
    expect(opt.getConfig()).toMatchObject({ useEma: true, emaMomentum: 0.95, emaOverwriteFrequency: 10, gradientAccumulationSteps: 4 });
    expect(new SGD().getConfig()).toMatchObject({ useEma: false, emaMomentum: 0.99, emaOverwriteFrequency: null, gradientAccumulationSteps: null });
    expect(pc.getOptimizer({ className: 'Adam', config: opt.getConfig() }).getConfig()).toEqual(opt.getConfig());
  });

  it('0 turns accumulation and overwriting off, as Keras\'s falsy values; the EMA settings are checked only with useEma, as in Keras', () => {
    expect(new SGD({ gradientAccumulationSteps: 0 }).gradientAccumulationSteps).toBeUndefined();
    expect(new SGD({ useEma: true, emaOverwriteFrequency: 0 }).emaOverwriteFrequency).toBeUndefined();
    expect(new SGD({ emaMomentum: 2 }).emaMomentum).toBe(2);
  });

  it('refuse bad values, naming the optimizer, the option and the value', () => {
    const cases: [() => unknown, string][] = [
      [() => new SGD({ gradientAccumulationSteps: 1 }), 'SGD: gradientAccumulationSteps must be an integer >= 2, got 1'],
      [() => new Adam({ gradientAccumulationSteps: 2.5 }), 'adam: gradientAccumulationSteps must be an integer >= 2, got 2.5'],
      [() => new Adam({ useEma: true, emaMomentum: 1.5 }), 'adam: emaMomentum must be in [0, 1], got 1.5'],
      [() => new Adam({ useEma: true, emaMomentum: -0.1 }), 'adam: emaMomentum must be in [0, 1], got -0.1'],
      [() => new SGD({ useEma: true, emaOverwriteFrequency: 1.5 }), 'SGD: emaOverwriteFrequency must be an integer >= 1 or null, got 1.5'],
      [() => new SGD({ useEma: 'yes' as never }), 'SGD: useEma must be true or false, got "yes"'],
      [() => pc.getOptimizer({ className: 'SGD', config: { use_ema: true } }), "SGD: unknown option 'use_ema'"],
    ];
    for (const [make, message] of cases) expect(make, message).toThrow(message);
  });
});
