import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, dispose, getBackend, getOptimizer, Lion, memory, Nadam, Optimizer, RMSprop, setBackend, SGD, tensor, tidy,
  variable, type Backend, type Variable,
} from '@perceptron/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS, expectClose } from './training-api-helpers.js';

// Float64 references: Keras 3's update rules written out on plain arrays. `s` holds the slots
// (zeros unless stated), `t` is the 1-based step.
type State = Record<string, number[]>;
type Reference = (w: number[], g: number[], s: State, t: number) => void;

const slot = (s: State, name: string, n: number, init = 0): number[] => (s[name] ??= new Array<number>(n).fill(init));

const sgdRef = (lr: number, momentum = 0, nesterov = false): Reference => (w, g, s) => {
  if (momentum === 0) {
    g.forEach((gi, i) => { w[i]! -= lr * gi; });
    return;
  }
  const m = slot(s, 'm', w.length);
  g.forEach((gi, i) => {
    m[i] = momentum * m[i]! - lr * gi;
    w[i]! += nesterov ? momentum * m[i]! - lr * gi : m[i]!;
  });
};

const adagradRef = (lr: number, init = 0.1, eps = 1e-7): Reference => (w, g, s) => {
  const acc = slot(s, 'acc', w.length, init);
  g.forEach((gi, i) => {
    acc[i]! += gi * gi;
    w[i]! -= (lr * gi) / Math.sqrt(acc[i]! + eps);
  });
};

const rmspropRef = (lr: number, rho = 0.9, momentum = 0, eps = 1e-7, centered = false): Reference => (w, g, s) => {
  const v = slot(s, 'v', w.length);
  const a = slot(s, 'a', w.length);
  const m = slot(s, 'm', w.length);
  g.forEach((gi, i) => {
    v[i] = rho * v[i]! + (1 - rho) * gi * gi;
    let denominator = v[i]!;
    if (centered) {
      a[i] = rho * a[i]! + (1 - rho) * gi;
      denominator -= a[i]! ** 2;
    }
    const increment = (lr * gi) / Math.sqrt(denominator + eps);
    if (momentum > 0) {
      m[i] = momentum * m[i]! + increment;
      w[i]! -= m[i]!;
    } else {
      w[i]! -= increment;
    }
  });
};

const adamRef = (lr: number, { b1 = 0.9, b2 = 0.999, eps = 1e-7, amsgrad = false, weightDecay = 0 } = {}): Reference => (w, g, s, t) => {
  const m = slot(s, 'm', w.length);
  const v = slot(s, 'v', w.length);
  const vHat = slot(s, 'vHat', w.length);
  const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  g.forEach((gi, i) => {
    w[i]! -= w[i]! * weightDecay * lr;
    m[i]! += (gi - m[i]!) * (1 - b1);
    v[i]! += (gi * gi - v[i]!) * (1 - b2);
    vHat[i] = Math.max(vHat[i]!, v[i]!);
    w[i]! -= (alpha * m[i]!) / (Math.sqrt(amsgrad ? vHat[i]! : v[i]!) + eps);
  });
};

const adamaxRef = (lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-7): Reference => (w, g, s, t) => {
  const m = slot(s, 'm', w.length);
  const u = slot(s, 'u', w.length);
  g.forEach((gi, i) => {
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    u[i] = Math.max(b2 * u[i]!, Math.abs(gi));
    w[i]! -= (lr * m[i]!) / ((1 - b1 ** t) * (u[i]! + eps));
  });
};

/** Dozat's Nadam as Keras 3 writes it, the momentum product taken afresh at every step. */
const nadamRef = (lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-7): Reference => (w, g, s, t) => {
  const m = slot(s, 'm', w.length);
  const v = slot(s, 'v', w.length);
  const mu = (k: number) => b1 * (1 - 0.5 * 0.96 ** k);
  let product = 1;
  for (let k = 1; k <= t; k++) product *= mu(k);
  g.forEach((gi, i) => {
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    const mHat = (mu(t + 1) * m[i]!) / (1 - product * mu(t + 1)) + ((1 - mu(t)) * gi) / (1 - product);
    const vHat = v[i]! / (1 - b2 ** t);
    w[i]! -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  });
};

const adadeltaRef = (lr: number, rho = 0.95, eps = 1e-7): Reference => (w, g, s) => {
  const accumulatedGrad = slot(s, 'a', w.length);
  const accumulatedDelta = slot(s, 'd', w.length);
  g.forEach((gi, i) => {
    accumulatedGrad[i] = rho * accumulatedGrad[i]! + (1 - rho) * gi * gi;
    const delta = (-Math.sqrt(accumulatedDelta[i]! + eps) * gi) / Math.sqrt(accumulatedGrad[i]! + eps);
    accumulatedDelta[i] = rho * accumulatedDelta[i]! + (1 - rho) * delta * delta;
    w[i]! += lr * delta;
  });
};

const lionRef = (lr: number, b1 = 0.9, b2 = 0.99): Reference => (w, g, s) => {
  const m = slot(s, 'm', w.length);
  g.forEach((gi, i) => {
    w[i]! -= lr * Math.sign(b1 * m[i]! + (1 - b1) * gi);
    m[i] = b2 * m[i]! + (1 - b2) * gi;
  });
};

/** Keras's clipnorm on one variable's gradient, then `inner`. */
const clipnormRef = (clipnorm: number, inner: Reference): Reference => (w, g, s, t) => {
  const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
  inner(w, g.map((x) => (x * clipnorm) / Math.max(norm, clipnorm)), s, t);
};

const clipvalueRef = (clipvalue: number, inner: Reference): Reference => (w, g, s, t) =>
  inner(w, g.map((x) => Math.min(Math.max(x, -clipvalue), clipvalue)), s, t);

const W0 = [0.5, -1.2, 2.0, 0.0];
const GRADS = [[0.1, -0.2, 0.3, 0.4], [-0.5, 0.25, 0.05, 0.0], [0.3, 0.3, -0.1, 1.5]];

const CASES: [string, () => Optimizer, Reference][] = [
  ['SGD', () => new SGD({ learningRate: 0.1 }), sgdRef(0.1)],
  ['SGD momentum 0.9', () => new SGD({ learningRate: 0.1, momentum: 0.9 }), sgdRef(0.1, 0.9)],
  ['SGD nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), sgdRef(0.1, 0.9, true)],
  ['Adagrad', () => new Adagrad({ learningRate: 0.1 }), adagradRef(0.1)],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), rmspropRef(0.01)],
  ['RMSprop centered, momentum 0.5', () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }), rmspropRef(0.01, 0.9, 0.5, 1e-7, true)],
  ['Adam', () => new Adam({ learningRate: 0.1 }), adamRef(0.1)],
  ['Adam amsgrad', () => new Adam({ learningRate: 0.1, amsgrad: true }), adamRef(0.1, { amsgrad: true })],
  ['AdamW', () => new AdamW({ learningRate: 0.1 }), adamRef(0.1, { weightDecay: 0.004 })],
  ['Adamax', () => new Adamax({ learningRate: 0.1 }), adamaxRef(0.1)],
  ['Nadam', () => new Nadam({ learningRate: 0.1 }), nadamRef(0.1)],
  ['Adadelta', () => new Adadelta({ learningRate: 1, rho: 0.9 }), adadeltaRef(1, 0.9)],
  ['Lion', () => new Lion({ learningRate: 0.1, beta2: 0.9 }), lionRef(0.1, 0.9, 0.9)],
  ['SGD clipnorm 0.3', () => new SGD({ learningRate: 0.1, clipnorm: 0.3 }), clipnormRef(0.3, sgdRef(0.1))],
  ['Adam clipvalue 0.2', () => new Adam({ learningRate: 0.1, clipvalue: 0.2 }), clipvalueRef(0.2, adamRef(0.1))],
];

/** Runs `fn` with the active backend's fused adamUpdate replaced (undefined = composite path). */
function withAdamKernel<T>(kernel: Backend['adamUpdate'], fn: () => T): T {
  const backend = getBackend();
  const had = Object.prototype.hasOwnProperty.call(backend, 'adamUpdate');
  const previous = backend.adamUpdate;
  backend.adamUpdate = kernel;
  try {
    return fn();
  } finally {
    if (had) backend.adamUpdate = previous;
    else delete backend.adamUpdate;
  }
}

function step(opt: Optimizer, w: Variable, g: number[]): void {
  tidy(() => opt.applyGradients([tensor(g, w.shape)], [w]));
}

for (const backend of BACKENDS) {
  describe(`optimizers on ${backend}`, () => {
    beforeEach(async () => {
      await setBackend(backend);
    });
    afterEach(() => vi.restoreAllMocks());

    for (const [name, make, reference] of CASES) {
      it(`${name}: the first three updates match float64 (composite ops)`, () => {
        withAdamKernel(undefined, () => {
          const w = variable(tensor(W0, [2, 2]));
          const opt = make();
          const expected = [...W0];
          const state: State = {};
          GRADS.forEach((g, i) => {
            step(opt, w, g);
            reference(expected, g, state, i + 1);
            expectClose(w.dataSync(), expected, 1e-5, 1e-7);
          });
          expect(opt.iterations).toBe(3);
          opt.dispose();
          w.dispose();
        });
      });
    }

    it('clipnorm rescales each variable by its own norm', () => {
      const a = variable(tensor([1, 1]));
      const b = variable(tensor([1, 1]));
      const opt = new SGD({ learningRate: 1, clipnorm: 1 });
      tidy(() => opt.applyGradients([tensor([3, 4]), tensor([0.3, 0.4])], [a, b]));
      expectClose(a.dataSync(), [1 - 0.6, 1 - 0.8]);
      expectClose(b.dataSync(), [1 - 0.3, 1 - 0.4]);
      [a, b].forEach((v) => v.dispose());
    });

    it('globalClipnorm rescales all gradients by their joint norm, keeping their directions', () => {
      const a = variable(tensor([1, 1]));
      const b = variable(tensor([1, 1]));
      const opt = new SGD({ learningRate: 1, globalClipnorm: 1 });
      tidy(() => opt.applyGradients([tensor([3, 4]), tensor([0.3, 0.4])], [a, b]));
      const scale = 1 / Math.hypot(3, 4, 0.3, 0.4);
      expectClose(a.dataSync(), [1 - 3 * scale, 1 - 4 * scale]);
      expectClose(b.dataSync(), [1 - 0.3 * scale, 1 - 0.4 * scale]);
      // Gradients already inside the norm are left as they are.
      tidy(() => opt.applyGradients([tensor([0.1, 0]), tensor([0, -0.2])], [a, b]));
      expectClose(a.dataSync(), [1 - 3 * scale - 0.1, 1 - 4 * scale]);
      expectClose(b.dataSync(), [1 - 0.3 * scale, 1 - 0.4 * scale + 0.2]);
      const restored = getOptimizer({ className: 'SGD', config: opt.getConfig() });
      expect(restored.globalClipnorm).toBe(1);
      [a, b].forEach((v) => v.dispose());
    });

    it('clipnorm, clipvalue and globalClipnorm 0 are off, as in Keras (not a zero or NaN step)', () => {
      const w = variable(tensor([1, 2]));
      for (const opt of [new SGD({ learningRate: 0.1, clipnorm: 0 }), new SGD({ learningRate: 0.1, clipvalue: 0 }), new SGD({ learningRate: 0.1, globalClipnorm: 0 })]) {
        tidy(() => w.assign(tensor([1, 2])));
        tidy(() => opt.applyGradients([tensor([0.5, -1])], [w]));
        tidy(() => opt.applyGradients([tensor([0, 0])], [w]));
        expectClose(w.dataSync(), [1 - 0.05, 2 + 0.1]);
      }
      w.dispose();
    });

    it("Adam runs the backend's fused adamUpdate when offered, with the same result", () => {
      const calls: number[] = [];
      // A float64 kernel on the backend's own storage, standing in for a backend's fused one.
      const fused: Backend['adamUpdate'] = (variable0, gradient, m0, v0, { lr, beta1, beta2, epsilon, step: t }) => {
        const b = getBackend();
        calls.push(t);
        const [w, g, m, v] = [variable0, gradient, m0, v0].map((x) => Float64Array.from(b.read(x)));
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        g!.forEach((gi, i) => {
          m![i]! += (gi - m![i]!) * (1 - beta1);
          v![i]! += (gi * gi - v![i]!) * (1 - beta2);
          w![i]! -= (alpha * m![i]!) / (Math.sqrt(v![i]!) + epsilon);
        });
        const up = (x: Float64Array): unknown => b.upload(Float32Array.from(x), variable0.shape, 'float32');
        return [up(w!), up(m!), up(v!)];
      };
      const w = variable(tensor(W0, [2, 2]));
      const opt = new Adam({ learningRate: 0.1 });
      const expected = [...W0];
      const state: State = {};
      withAdamKernel(fused, () => {
        step(opt, w, GRADS[0]!);
        const before = memory().numTensors;
        GRADS.slice(1).forEach((g) => step(opt, w, g));
        expect(memory().numTensors).toBe(before);
      });
      GRADS.forEach((g, i) => adamRef(0.1)(expected, g, state, i + 1));
      expect(calls).toEqual([1, 2, 3]);
      expectClose(w.dataSync(), expected, 1e-5, 1e-7);
      opt.dispose();
      w.dispose();
    });

    it('accepts zipped [gradient, variable] pairs like the two-list form', () => {
      const a = variable(tensor([1, 2]));
      const b = variable(tensor([1, 2]));
      const zipped = new Adam({ learningRate: 0.1 });
      const lists = new Adam({ learningRate: 0.1 });
      tidy(() => {
        zipped.applyGradients([[tensor([0.5, -0.5]), a]]);
        lists.applyGradients([tensor([0.5, -0.5])], [b]);
      });
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      [zipped, lists].forEach((o) => o.dispose());
      [a, b].forEach((v) => v.dispose());
    });

    it('skips null gradients with one warning per variable; all null is an error', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const a = variable(tensor([1, 2]), { name: 'frozen' });
      const b = variable(tensor([1, 2]));
      const opt = new SGD({ learningRate: 1 });
      tidy(() => opt.applyGradients([null, tensor([1, 1])], [a, b]));
      tidy(() => opt.applyGradients([[null, a], [tensor([1, 1]), b]]));
      expect(Array.from(a.dataSync())).toEqual([1, 2]);
      expect(Array.from(b.dataSync())).toEqual([-1, 0]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/gradients do not exist for variables \[frozen\]/);
      expect(opt.iterations).toBe(2);
      expect(() => opt.applyGradients([null], [a])).toThrow(/no gradients provided for any variable .*frozen/);
      expect(() => opt.applyGradients([tensor([1, 2, 3])], [a])).toThrow(/variable 'frozen' \(float32 \[2\]\) needs a float32 gradient of its shape, got float32 \[3\]/);
      expect(() => opt.applyGradients([tensor([1, 2])], [a, b])).toThrow(/one gradient per variable, got 1 gradients for 2 variables/);
      [a, b].forEach((v) => v.dispose());
    });

    it('a step leaks nothing: slots appear once, later steps keep memory().numTensors unchanged', () => {
      const a = variable(tensor([1, 2]));
      const b = variable(tensor([[1], [2]]));
      for (const opt of [
        new Adam(), new RMSprop({ centered: true, momentum: 0.9 }), new SGD({ momentum: 0.9, clipnorm: 1 }), new AdamW({ clipvalue: 1 }),
        new Adamax(), new Nadam(), new Adadelta(), new Lion({ globalClipnorm: 1 }),
      ]) {
        withAdamKernel(undefined, () => {
          const before = memory().numTensors;
          const grads = (): void => tidy(() => opt.applyGradients([tensor([0.1, 0.2]), tensor([[0.3], [0.4]])], [a, b]));
          grads();
          const weights = opt.getWeights();
          const slots = weights.length - 1;
          dispose(weights);
          const withSlots = memory().numTensors;
          expect(withSlots).toBe(before + slots);
          grads();
          grads();
          expect(memory().numTensors).toBe(withSlots);
          opt.dispose();
        });
      }
      [a, b].forEach((v) => v.dispose());
    });

    it('getWeights lists iterations then slots; setWeights restores the state', () => {
      withAdamKernel(undefined, () => {
        const w1 = variable(tensor(W0, [2, 2]));
        const opt1 = new Adam({ learningRate: 0.1 });
        step(opt1, w1, GRADS[0]!);
        step(opt1, w1, GRADS[1]!);
        const weights = opt1.getWeights();
        expect(weights.map((t) => t.shape)).toEqual([[], [2, 2], [2, 2]]);
        expect(weights[0]!.dataSync()[0]).toBe(2);
        // m after two steps: 0.1·g1·0.9 + 0.1·g2, elementwise.
        expectClose(weights[1]!.dataSync(), GRADS[0]!.map((g, i) => 0.9 * 0.1 * g + 0.1 * GRADS[1]![i]!), 1e-6, 1e-8);

        const w2 = variable(tensor(Array.from(w1.dataSync()), [2, 2]));
        const opt2 = new Adam({ learningRate: 0.1 });
        expect(() => opt2.setWeights(weights)).toThrow(/expected 1 tensors \(iterations, then 0 slots\), got 3; call build/);
        opt2.build([w2]);
        opt2.setWeights(weights);
        weights.forEach((t) => t.dispose());
        expect(opt2.iterations).toBe(2);
        step(opt1, w1, GRADS[2]!);
        step(opt2, w2, GRADS[2]!);
        expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
        [opt1, opt2].forEach((o) => o.dispose());
        [w1, w2].forEach((v) => v.dispose());
      });
    });

    it('Nadam resumed from getWeights continues its momentum schedule where it stopped', () => {
      const w1 = variable(tensor(W0, [2, 2]));
      const opt1 = new Nadam({ learningRate: 0.1 });
      GRADS.slice(0, 2).forEach((g) => step(opt1, w1, g));
      const weights = opt1.getWeights();
      const w2 = variable(tensor(Array.from(w1.dataSync()), [2, 2]));
      const opt2 = new Nadam({ learningRate: 0.1 });
      opt2.build([w2]);
      opt2.setWeights(weights);
      dispose(weights);
      step(opt1, w1, GRADS[2]!);
      step(opt2, w2, GRADS[2]!);
      expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
      [opt1, opt2].forEach((o) => o.dispose());
      [w1, w2].forEach((v) => v.dispose());
    });
  });
}

describe('optimizer defaults, configs and getOptimizer', () => {
  it('use the Keras 3 defaults', () => {
    expect(new SGD().getConfig()).toEqual({ name: 'SGD', learningRate: 0.01, clipnorm: null, clipvalue: null, globalClipnorm: null, weightDecay: null, useEma: false, emaMomentum: 0.99, emaOverwriteFrequency: null, gradientAccumulationSteps: null, momentum: 0, nesterov: false });
    expect(new Adam().getConfig()).toEqual({ name: 'adam', learningRate: 0.001, clipnorm: null, clipvalue: null, globalClipnorm: null, weightDecay: null, useEma: false, emaMomentum: 0.99, emaOverwriteFrequency: null, gradientAccumulationSteps: null, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(new AdamW().getConfig()).toMatchObject({ name: 'adamw', weightDecay: 0.004, learningRate: 0.001 });
    expect(new RMSprop().getConfig()).toMatchObject({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(new Adagrad().getConfig()).toMatchObject({ learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(new Adamax().getConfig()).toMatchObject({ name: 'adamax', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(new Nadam().getConfig()).toMatchObject({ name: 'nadam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(new Adadelta().getConfig()).toMatchObject({ name: 'adadelta', learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
    expect(new Lion().getConfig()).toMatchObject({ name: 'lion', learningRate: 0.001, beta1: 0.9, beta2: 0.99 });
  });

  it('getOptimizer resolves names, instances and {className, config}', () => {
    const cases: [string, abstract new (...args: never[]) => Optimizer][] = [
      ['sgd', SGD], ['SGD', SGD], ['adam', Adam], ['Adam', Adam], ['adamw', AdamW], ['rmsprop', RMSprop], ['RMSprop', RMSprop], ['adagrad', Adagrad],
      ['adadelta', Adadelta], ['Adamax', Adamax], ['nadam', Nadam], ['Lion', Lion],
    ];
    for (const [name, cls] of cases) expect(getOptimizer(name), name).toBeInstanceOf(cls);
    expect(getOptimizer('adam')).not.toBeInstanceOf(AdamW);
    const opt = new SGD({ learningRate: 0.5, momentum: 0.8, nesterov: true, clipvalue: 2 });
    expect(getOptimizer(opt)).toBe(opt);
    const copy = getOptimizer({ className: opt.className, config: opt.getConfig() });
    expect(copy).toBeInstanceOf(SGD);
    expect(copy.getConfig()).toEqual(opt.getConfig());
    for (const other of [new Nadam({ beta1: 0.8, epsilon: 1e-6 }), new Lion({ beta2: 0.95, globalClipnorm: 1 })]) {
      expect(getOptimizer({ className: other.className, config: other.getConfig() }).getConfig()).toEqual(other.getConfig());
    }
    expect(() => getOptimizer('adabelief')).toThrow(/getOptimizer: unknown optimizer 'adabelief'; expected one of sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam, lion, ftrl, lamb, adafactor/);
  });

  it('rejects invalid settings naming them', () => {
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm can be set, got clipnorm 1 and clipvalue 1/);
    expect(() => new Adam({ clipvalue: 0, globalClipnorm: 1 })).toThrow('adam: only one of clipnorm, clipvalue and globalClipnorm can be set, got clipvalue 0 and globalClipnorm 1');
    expect(() => new SGD({ globalClipnorm: -1 })).toThrow('SGD: globalClipnorm must be a non-negative number, got -1');
    expect(() => new Adam({ beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    expect(() => new Nadam({ beta2: -0.1 })).toThrow('nadam: beta2 must be in [0, 1), got -0.1');
    expect(() => new Lion({ beta1: 0 })).toThrow('lion: beta1 must be in (0, 1], got 0');
    expect(() => new Adadelta({ rho: 1.5 })).toThrow('adadelta: rho must be in [0, 1], got 1.5');
    expect(() => new SGD({ momentum: 2 })).toThrow('SGD: momentum must be in [0, 1], got 2');
    expect(() => new SGD({ learningRate: -1 })).toThrow(/learningRate must be a non-negative number, got -1/);
  });

  it('refuses an option it does not know (a misspelling, Python spelling, another optimizer\'s), listing the ones it takes', () => {
    expect(() => new Adam({ learningrate: 0.01 } as never)).toThrow(
      "adam: unknown option 'learningrate'; expected one of learningRate, clipnorm, clipvalue, globalClipnorm, weightDecay, name, beta1, beta2, epsilon, amsgrad",
    );
    expect(() => new SGD({ nesterov: true, rho: 0.9 } as never)).toThrow("SGD: unknown option 'rho'; expected one of learningRate, clipnorm, clipvalue, globalClipnorm, weightDecay, name, momentum, nesterov");
    expect(() => getOptimizer({ className: 'RMSprop', config: { learning_rate: 0.1 } })).toThrow("rmsprop: unknown option 'learning_rate'");
    // A saved config's unset options (null) are accepted, as getConfig writes them.
    expect(getOptimizer({ className: 'Lion', config: new Lion({ learningRate: 0.1 }).getConfig() }).learningRate).toBeCloseTo(0.1, 9);
  });
});
