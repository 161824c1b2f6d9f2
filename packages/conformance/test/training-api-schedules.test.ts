import * as pc from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

// Learning-rate schedules against float64 closed forms of Keras 3's formulas
// (keras/src/optimizers/schedules/learning_rate_schedule.py), and optimizers driven by them.

/** The schedule's rate at each step, to a float64 rounding error of `expected`. */
function expectRates(schedule: pc.LearningRateSchedule, expected: Record<number, number>): void {
  for (const [step, rate] of Object.entries(expected)) {
    const actual = schedule.call(Number(step));
    if (!(Math.abs(actual - rate) <= 1e-15 + 1e-12 * Math.abs(rate))) expect.fail(`${schedule.className} at step ${step}: got ${actual}, expected ${rate}`);
  }
}

describe('learning-rate schedules', () => {
  it('ExponentialDecay: initial · rate^(step / decaySteps), floored with staircase', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    expectRates(new pc.ExponentialDecay(config), { 0: 0.1, 1: 0.1 * 0.5 ** 0.1, 5: 0.1 * Math.SQRT1_2, 10: 0.05, 15: 0.1 * 0.5 ** 1.5, 20: 0.025 });
    expectRates(new pc.ExponentialDecay({ ...config, staircase: true }), { 0: 0.1, 1: 0.1, 9: 0.1, 10: 0.05, 15: 0.05, 19: 0.05, 20: 0.025 });
  });

  it('InverseTimeDecay: initial / (1 + rate · step / decaySteps), floored with staircase', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    expectRates(new pc.InverseTimeDecay(config), { 0: 0.1, 1: 0.1 / 1.05, 5: 0.08, 10: 0.1 / 1.5, 20: 0.05 });
    expectRates(new pc.InverseTimeDecay({ ...config, staircase: true }), { 0: 0.1, 5: 0.1, 10: 0.1 / 1.5, 15: 0.1 / 1.5, 20: 0.05 });
  });

  it('PiecewiseConstantDecay: values[0] up to and including the first boundary, the last value past the last', () => {
    const schedule = new pc.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expectRates(schedule, { 0: 1, 10: 1, 11: 0.5, 20: 0.5, 21: 0.1, 1000: 0.1 });
  });

  it('PolynomialDecay: (initial − end)(1 − min(step, D)/D)^power + end; cycle stretches D to the next multiple', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2 };
    expectRates(new pc.PolynomialDecay(config), { 0: 0.1, 1: 0.09 * 0.81 + 0.01, 5: 0.09 * 0.25 + 0.01, 10: 0.01, 15: 0.01 });
    // Cycling: D = 10·ceil(step / 10), and 10 at step 0.
    expectRates(new pc.PolynomialDecay({ ...config, cycle: true }), { 0: 0.1, 5: 0.09 * 0.25 + 0.01, 10: 0.01, 15: 0.09 * 0.25 ** 2 + 0.01, 20: 0.01, 25: 0.09 * (1 - 25 / 30) ** 2 + 0.01 });
    // Keras's defaults: endLearningRate 1e-4, power 1.
    expectRates(new pc.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }), { 5: (0.1 - 1e-4) * 0.5 + 1e-4, 10: 1e-4 });
  });

  it('CosineDecay: initial·((1 − alpha)·½(1 + cos(π·min(step, D)/D)) + alpha)', () => {
    const cosine = (fraction: number, alpha: number) => (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
    expectRates(new pc.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1 }), {
      0: 0.1, 1: 0.1 * cosine(0.1, 0.1), 5: 0.055, 10: 0.01, 20: 0.01,
    });
    expectRates(new pc.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }), { 5: 0.05, 10: 0, 11: 0 });
  });

  it('CosineDecay with warmup: linear from initial to warmupTarget over warmupSteps, then the cosine from warmupTarget', () => {
    const schedule = new pc.CosineDecay({ initialLearningRate: 0.02, decaySteps: 10, warmupTarget: 0.1, warmupSteps: 4, alpha: 0.1 });
    expectRates(schedule, {
      0: 0.02, 1: 0.02 + 0.08 / 4, 2: 0.06, 3: 0.02 + 0.08 * 0.75,
      4: 0.1, 9: 0.055, 14: 0.01, 100: 0.01,
    });
  });

  describe('CosineDecayRestarts', () => {
    /** Where each period starts and how long it lasts, summed one period at a time. */
    function periods(firstDecaySteps: number, tMul: number, count: number): { start: number; length: number }[] {
      const found: { start: number; length: number }[] = [];
      for (let i = 0, start = 0, length = firstDecaySteps; i < count; i++, start += length, length *= tMul) found.push({ start, length });
      return found;
    }

    /** Keras's rate at fraction f of period i: initial·((1 − alpha)·mMul^i·½(1 + cos(π·f)) + alpha). */
    const rate = (initial: number, mMul: number, alpha: number, i: number, f: number) =>
      initial * ((1 - alpha) * mMul ** i * 0.5 * (1 + Math.cos(Math.PI * f)) + alpha);

    it('restarts at firstDecaySteps·(1 + tMul + tMul² …), each period tMul times longer, from mMul times the last start', () => {
      // tMul 1.5 from 16 steps: periods start at 16, 40, 76, 130, 211. At 211 the closed form's
      // logarithms put the step just short of period 5.
      const config = { initialLearningRate: 0.1, firstDecaySteps: 16, tMul: 1.5, mMul: 0.5, alpha: 0.1 };
      const expected: Record<number, number> = {};
      periods(16, 1.5, 6).forEach(({ start, length }, i) => {
        expected[start] = rate(0.1, 0.5, 0.1, i, 0);
        expected[start + length / 2] = rate(0.1, 0.5, 0.1, i, 0.5);
        expected[start + length - 1] = rate(0.1, 0.5, 0.1, i, (length - 1) / length);
      });
      expectRates(new pc.CosineDecayRestarts(config), expected);
    });

    it('Keras\'s defaults (tMul 2, mMul 1, alpha 0) restart at 10, 30, 70, 150 from 10 steps', () => {
      expectRates(new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }), {
        0: 0.1, 5: 0.05, 9: rate(0.1, 1, 0, 0, 0.9), 10: 0.1, 20: 0.05, 29: rate(0.1, 1, 0, 1, 19 / 20),
        30: 0.1, 50: 0.05, 70: 0.1, 110: 0.05, 150: 0.1, 1000: rate(0.1, 1, 0, 6, (1000 - 630) / 640),
      });
    });

    it('tMul 1: every period as long as the first', () => {
      expectRates(new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.5 }), {
        0: 0.1, 5: 0.05, 10: 0.05, 15: 0.025, 25: 0.0125, 99: rate(0.1, 0.5, 0, 9, 0.9),
      });
    });
  });

  it('getConfig names every argument as Keras does, camelCased; getLearningRateSchedule rebuilds it', () => {
    const schedules = [
      new pc.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      new pc.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, name: 'inverse' }),
      new pc.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] }),
      new pc.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
      new pc.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 0.2, warmupSteps: 3 }),
      new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 4, tMul: 1.5, mMul: 0.5, alpha: 0.1 }),
    ];
    expect(schedules.map((s) => s.getConfig())).toEqual([
      { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true, name: 'ExponentialDecay' },
      { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: false, name: 'inverse' },
      { boundaries: [10, 20], values: [1, 0.5, 0.1], name: 'PiecewiseConstant' },
      { initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.0001, power: 1, cycle: true, name: 'PolynomialDecay' },
      { initialLearningRate: 0.1, decaySteps: 10, alpha: 0, warmupTarget: 0.2, warmupSteps: 3, name: 'CosineDecay' },
      { initialLearningRate: 0.1, firstDecaySteps: 4, tMul: 1.5, mMul: 0.5, alpha: 0.1, name: 'SGDRDecay' },
    ]);
    expect(new pc.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig()).toMatchObject({ warmupTarget: null, warmupSteps: 0 });
    expect(new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }).getConfig()).toMatchObject({ tMul: 2, mMul: 1, alpha: 0 });
    for (const schedule of schedules) {
      const saved = JSON.parse(JSON.stringify({ className: schedule.className, config: schedule.getConfig() }));
      const copy = pc.getLearningRateSchedule(saved);
      expect(copy).toBeInstanceOf(schedule.constructor);
      expect(copy.getConfig()).toEqual(schedule.getConfig());
      for (const step of [0, 1, 7, 10, 15, 25]) expect(copy.call(step)).toBe(schedule.call(step));
    }
    expect(pc.getLearningRateSchedule(schedules[0]!)).toBe(schedules[0]);
    expect(() => pc.getLearningRateSchedule({ className: 'StepDecay', config: {} })).toThrow(/unknown learning rate schedule 'StepDecay'; expected one of exponentialDecay/);
  });

  it('refuses bad arguments, naming the schedule, the argument, what was expected and what was given', () => {
    const base = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    const cases: [() => unknown, RegExp][] = [
      [() => new pc.ExponentialDecay({ ...base, decaySteps: 0 }), /^ExponentialDecay: decaySteps must be a positive number, got 0$/],
      [() => new pc.ExponentialDecay({ ...base, staircase: 'yes' as unknown as boolean }), /^ExponentialDecay: staircase must be true or false, got "yes"$/],
      [() => new pc.InverseTimeDecay({ ...base, decayRate: NaN }), /^InverseTimeDecay: decayRate must be a finite number, got NaN$/],
      [() => new pc.InverseTimeDecay({ ...base, initialLearningRate: -0.1 }), /^InverseTimeDecay: initialLearningRate must be a non-negative number, got -0.1$/],
      [() => new pc.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5] }), /^PiecewiseConstantDecay: values must have one more entry than boundaries.*got 2 boundaries and 2 values$/],
      [() => new pc.PiecewiseConstantDecay({ boundaries: [20, 10], values: [1, 0.5, 0.1] }), /^PiecewiseConstantDecay: boundaries must be strictly increasing, got \[20,10\]$/],
      [() => new pc.PiecewiseConstantDecay({ boundaries: [10], values: [1, '0.5' as unknown as number] }), /^PiecewiseConstantDecay: values\[1\] must be a non-negative number, got "0.5"$/],
      [() => new pc.PiecewiseConstantDecay({ boundaries: 10 as unknown as number[], values: [1, 0.5] }), /^PiecewiseConstantDecay: boundaries must be an array of numbers, got 10$/],
      [() => new pc.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: -1 }), /^PolynomialDecay: power must be a non-negative number, got -1$/],
      [() => new pc.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: -5 }), /^PolynomialDecay: decaySteps must be a positive number, got -5$/],
      [() => new pc.CosineDecay({ initialLearningRate: '0.1' as unknown as number, decaySteps: 10 }), /^CosineDecay: initialLearningRate must be a non-negative number, got "0.1"$/],
      [() => new pc.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: Infinity }), /^CosineDecay: warmupSteps must be a non-negative number, got Infinity$/],
      [() => new pc.CosineDecay({ initialLearningRate: 0.1 } as pc.CosineDecayConfig), /^CosineDecay: decaySteps must be a positive number, got undefined$/],
      [() => new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 0 }), /^CosineDecayRestarts: firstDecaySteps must be a positive number, got 0$/],
      [() => new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0 }), /^CosineDecayRestarts: tMul must be a positive number, got 0$/],
      [() => new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, mMul: -0.5 }), /^CosineDecayRestarts: mMul must be a non-negative number, got -0.5$/],
      [() => new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, alpha: NaN }), /^CosineDecayRestarts: alpha must be a finite number, got NaN$/],
    ];
    for (const [make, message] of cases) expect(make).toThrow(message);
  });
});

/** Plain gradient descent with decoupled weight decay (Keras 3 SGD), in float64, at the given rate per step. */
function sgdReference(w0: readonly number[], gradients: readonly number[][], rates: readonly number[], weightDecay = 0): number[] {
  const w = [...w0];
  gradients.forEach((g, step) => {
    g.forEach((gi, i) => {
      w[i]! -= w[i]! * weightDecay * rates[step]!;
      w[i]! -= rates[step]! * gi;
    });
  });
  return w;
}

const W0 = [0.5, -1.2, 2.0, 0.0];
const GRADS = [[0.1, -0.2, 0.3, 0.4], [-0.5, 0.25, 0.05, 0.0], [0.3, 0.3, -0.1, 1.5]];

function train(optimizer: pc.Optimizer, steps = GRADS.length): { weights: number[]; rates: number[] } {
  const w = pc.variable(pc.tensor(W0, [2, 2]));
  const rates: number[] = [];
  for (const g of GRADS.slice(0, steps)) {
    rates.push(optimizer.learningRate);
    pc.tidy(() => optimizer.applyGradients([pc.tensor(g, [2, 2])], [w]));
  }
  const weights = Array.from(w.dataSync());
  w.dispose();
  optimizer.dispose();
  return { weights, rates };
}

for (const backend of BACKENDS) {
  describe(`optimizers with a learning-rate schedule on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    it('SGD evaluates the schedule at iterations (0, 1, 2) for each update', () => {
      const schedule = new pc.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
      const { weights, rates } = train(new pc.SGD({ learningRate: schedule }));
      expect(rates).toEqual([0.1, 0.05, 0.025]);
      expectClose(weights, sgdReference(W0, GRADS, [0.1, 0.05, 0.025]), 1e-6, 1e-7);
    });

    it('the decoupled weight decay uses the scheduled rate too', () => {
      const schedule = new pc.PiecewiseConstantDecay({ boundaries: [0, 1], values: [0.2, 0.1, 0.05] });
      const { weights } = train(new pc.SGD({ learningRate: schedule, weightDecay: 0.5 }));
      expectClose(weights, sgdReference(W0, GRADS, [0.2, 0.1, 0.05], 0.5), 1e-6, 1e-7);
    });

    it('learningRate reads the rate the next update will use, as Keras\'s optimizer.learning_rate', () => {
      const schedule = new pc.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 1 });
      const optimizer = new pc.SGD({ learningRate: schedule });
      expect(optimizer.learningRate).toBe(0.1);
      expect(optimizer.learningRateSchedule).toBe(schedule);
      const w = pc.variable(pc.tensor([1, 2]));
      pc.tidy(() => optimizer.applyGradients([pc.tensor([1, 1])], [w]));
      expect(optimizer.learningRate).toBe(0.05);
      pc.tidy(() => optimizer.applyGradients([pc.tensor([1, 1])], [w]));
      expect(optimizer.learningRate).toBe(0.1 / 3);
      expectClose(w.dataSync(), [1 - 0.1 - 0.05, 2 - 0.1 - 0.05]);
      w.dispose();
      optimizer.dispose();
    });

    it('a schedule\'s constant rate updates exactly as the same number does', () => {
      const { weights } = train(new pc.SGD({ learningRate: 0.1 }));
      const again = train(new pc.SGD({ learningRate: new pc.PiecewiseConstantDecay({ boundaries: [1000], values: [0.1, 0] }) }));
      expect(again.weights).toEqual(weights);
    });
  });
}

describe('setting an optimizer\'s learning rate', () => {
  it('a number replaces a number; a schedule replaces either; a number cannot replace a schedule (as Keras)', () => {
    const optimizer = new pc.Adam({ learningRate: 0.01 });
    expect(optimizer.learningRateSchedule).toBeNull();
    optimizer.learningRate = 0.005;
    expect(optimizer.learningRate).toBe(0.005);
    expect(() => { optimizer.learningRate = -1; }).toThrow(/^adam: learningRate must be a non-negative number, got -1/);
    const schedule = new pc.CosineDecay({ initialLearningRate: 0.2, decaySteps: 100 });
    optimizer.learningRate = schedule;
    expect(optimizer.learningRate).toBe(0.2);
    expect(() => { optimizer.learningRate = 0.1; })
      .toThrow(/^adam: the learning rate follows a LearningRateSchedule \(CosineDecay\) and cannot be set to a number \(got 0.1\)/);
    optimizer.learningRate = new pc.ExponentialDecay({ initialLearningRate: 0.3, decaySteps: 1, decayRate: 0.5 });
    expect(optimizer.learningRate).toBe(0.3);
  });

  it('the constructor refuses what is neither a non-negative number nor a schedule', () => {
    expect(() => new pc.SGD({ learningRate: { className: 'ExponentialDecay' } as unknown as number }))
      .toThrow(/^SGD: learningRate must be a non-negative number, got \{"className":"ExponentialDecay"\} \(a LearningRateSchedule is also accepted\)$/);
  });
});

describe('optimizer configs with a schedule', () => {
  it('getConfig saves the schedule as {className, config}; getOptimizer rebuilds it, JSON round trip included', () => {
    const schedule = new pc.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: true });
    const optimizer = new pc.SGD({ learningRate: schedule, momentum: 0.9 });
    const config = optimizer.getConfig();
    expect(config).toEqual({
      name: 'SGD', clipnorm: null, clipvalue: null, globalClipnorm: null, weightDecay: null, useEma: false, emaMomentum: 0.99, emaOverwriteFrequency: null, gradientAccumulationSteps: null, momentum: 0.9, nesterov: false,
      learningRate: { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: true, name: 'ExponentialDecay' } },
    });
    const copy = pc.getOptimizer(JSON.parse(JSON.stringify({ className: 'SGD', config })));
    expect(copy.learningRateSchedule).toBeInstanceOf(pc.ExponentialDecay);
    expect(copy.getConfig()).toEqual(config);
    expect(() => pc.getOptimizer({ className: 'Adam', config: { learningRate: { className: 'StepDecay', config: {} } } }))
      .toThrow(/getLearningRateSchedule: unknown learning rate schedule 'StepDecay'/);
  });
});

/** A schedule of the user's own, saveable but unknown to getLearningRateSchedule. */
class HalvingSchedule extends pc.LearningRateSchedule {
  readonly className = 'HalvingSchedule';
  call(step: number): number {
    return 0.1 / 2 ** step;
  }
  override getConfig(): pc.ScheduleSettings {
    return {};
  }
}

for (const backend of MODEL_BACKENDS) {
  describe(`save / load with a schedule on ${backend}`, () => {
    let store: pc.FileStore;
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(5);
      store = pc.memoryStore();
    });
    afterEach(() => {
      pc.setSeed(5);
    });

    function regression(optimizer: pc.Optimizer): { model: pc.Sequential; x: pc.Tensor; y: pc.Tensor } {
      const model = new pc.Sequential([pc.Input({ shape: [3] }), new pc.Dense(2, { name: 'out' })]);
      model.compile({ optimizer, loss: 'mse' });
      const x = pc.tensor([[1, 2, 3], [0, -1, 1], [2, 0, -1], [1, 1, 1]]);
      const y = pc.tensor([[1, 0], [0, 1], [1, 1], [0.5, 0.5]]);
      return { model, x, y };
    }

    // Each schedule with its rate after the 6 updates of the fit below.
    const SAVED: [string, () => pc.LearningRateSchedule, number][] = [
      ['PolynomialDecay', () => new pc.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 8, power: 2 }), (0.1 - 1e-4) * (1 - 6 / 8) ** 2 + 1e-4],
      // Step 6 is a quarter into the second period (steps 4 to 12), which starts from 0.1 · 0.5.
      ['CosineDecayRestarts', () => new pc.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 4, mMul: 0.5 }), 0.1 * 0.5 * 0.5 * (1 + Math.SQRT1_2)],
    ];
    for (const [className, makeSchedule, rateAfterFit] of SAVED) {
      it(`${className}: the schedule and its position come back, the next update uses the same rate`, async () => {
        const schedule = makeSchedule();
        const { model, x, y } = regression(new pc.SGD({ learningRate: schedule }));
        await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
        await model.save(store);
        const loaded = await pc.loadModel(store);
        const optimizer = loaded.optimizer!;
        expect(optimizer.learningRateSchedule).toBeInstanceOf(schedule.constructor);
        expect(optimizer.learningRateSchedule!.getConfig()).toEqual(schedule.getConfig());
        expect(optimizer.iterations).toBe(6);
        expect(optimizer.learningRate).toBe(model.optimizer!.learningRate);
        expect(optimizer.learningRate).toBeCloseTo(rateAfterFit, 15);
        model.trainStep(x, y);
        loaded.trainStep(x, y);
        expect(loaded.weights.map((w) => Array.from(w.dataSync()))).toEqual(model.weights.map((w) => Array.from(w.dataSync())));
        pc.dispose([x, y]);
        model.dispose();
        loaded.dispose();
      });
    }

    it('a schedule class of the user\'s own is named, with the way to load anyway', async () => {
      const { model, x, y } = regression(new pc.SGD({ learningRate: new HalvingSchedule() }));
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      await model.save(store);
      await expect(pc.loadModel(store)).rejects.toThrow(/cannot compile the model with the settings saved in .*load it with compile: false.*HalvingSchedule/);
      const uncompiled = await pc.loadModel(store, { compile: false });
      expect(uncompiled.optimizer).toBeNull();
      pc.dispose([x, y]);
      model.dispose();
      uncompiled.dispose();
    });
  });
}
