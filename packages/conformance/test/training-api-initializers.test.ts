import {
  computeFans, Constant, getInitializer, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initializer, memory,
  Ones, Orthogonal, RandomNormal, RandomUniform, setBackend, setSeed, tidy, VarianceScaling, Zeros, type Tensor,
} from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS } from './training-api-helpers.js';

/** Sample mean, standard deviation and largest magnitude, in float64. */
function stats(t: Tensor): { mean: number; std: number; maxAbs: number; min: number; max: number } {
  const v = t.dataSync();
  let sum = 0;
  for (const x of v) sum += x;
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, std: Math.sqrt(sq / v.length), maxAbs: Math.max(...Array.from(v, Math.abs)), min: Math.min(...v), max: Math.max(...v) };
}

/**
 * Checks a draw of n values against the intended mean 0 and standard deviation: the sample
 * mean within 5 standard errors, the sample std within 3% (n = 60 000 gives a relative
 * standard error of about 0.3-0.4%).
 */
function expectMoments(t: Tensor, std: number): void {
  const s = stats(t);
  expect(Math.abs(s.mean)).toBeLessThan(5 * std / Math.sqrt(t.size));
  expect(s.std / std).toBeGreaterThan(0.97);
  expect(s.std / std).toBeLessThan(1.03);
}

for (const backend of BACKENDS) {
  describe(`initializers on ${backend}`, () => {
    beforeEach(async () => {
      await setBackend(backend);
      setSeed(91195003);
    });

    it('Zeros, Ones, Constant fill the shape in the requested dtype', () => {
      tidy(() => {
        expect(Array.from(new Zeros().apply([2, 3]).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
        const ones = new Ones().apply([4], 'int32');
        expect(ones.dtype).toBe('int32');
        expect(Array.from(ones.dataSync())).toEqual([1, 1, 1, 1]);
        expect(Array.from(new Constant({ value: 2.5 }).apply([2]).dataSync())).toEqual([2.5, 2.5]);
      });
    });

    it('RandomNormal defaults to Keras mean 0, stddev 0.05', () => {
      const init = new RandomNormal();
      expect(init.getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
      tidy(() => expectMoments(init.apply([300, 200]), 0.05));
    });

    it('RandomUniform defaults to Keras [-0.05, 0.05)', () => {
      tidy(() => {
        const t = new RandomUniform().apply([300, 200]);
        const s = stats(t);
        expect(s.min).toBeGreaterThanOrEqual(-0.05);
        expect(s.max).toBeLessThan(0.05);
        expectMoments(t, 0.1 / Math.sqrt(12));
      });
    });

    it('computes fans as Keras: scalar, vector, matrix, convolution kernel', () => {
      expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
      expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
      expect(computeFans([784, 16])).toEqual({ fanIn: 784, fanOut: 16 });
      expect(computeFans([3, 3, 4, 8])).toEqual({ fanIn: 36, fanOut: 72 });
    });

    it('GlorotUniform draws within ±sqrt(6/(fanIn+fanOut)) with variance 2/(fanIn+fanOut)', () => {
      tidy(() => {
        const t = new GlorotUniform().apply([300, 200]);
        const limit = Math.sqrt(6 / 500);
        expect(stats(t).maxAbs).toBeLessThanOrEqual(limit);
        expect(stats(t).maxAbs).toBeGreaterThan(0.99 * limit);
        expectMoments(t, Math.sqrt(2 / 500));
      });
    });

    it('GlorotNormal is a normal truncated at 2σ, σ = sqrt(2/(fanIn+fanOut))/0.87962566103423978, whose std is sqrt(2/(fanIn+fanOut))', () => {
      tidy(() => {
        const t = new GlorotNormal().apply([300, 200]);
        const sigma = Math.sqrt(2 / 500) / 0.87962566103423978;
        expect(stats(t).maxAbs).toBeLessThanOrEqual(2 * sigma * (1 + 1e-6));
        expect(stats(t).maxAbs).toBeGreaterThan(1.95 * sigma);
        expectMoments(t, Math.sqrt(2 / 500));
      });
    });

    it('HeNormal has std sqrt(2/fanIn); HeUniform limit sqrt(6/fanIn)', () => {
      tidy(() => {
        expectMoments(new HeNormal().apply([400, 150]), Math.sqrt(2 / 400));
        const u = new HeUniform().apply([400, 150]);
        expect(stats(u).maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 400));
        expectMoments(u, Math.sqrt(2 / 400));
      });
    });

    it('uses the fan-in of a convolution kernel (receptive field × input channels)', () => {
      tidy(() => expectMoments(new HeNormal().apply([5, 5, 40, 60]), Math.sqrt(2 / 1000)));
    });

    it('is reproducible: setSeed repeats the global stream, an explicit seed repeats every call', () => {
      const draw = (init: Initializer): number[] => tidy(() => Array.from(init.apply([50]).dataSync()));
      setSeed(42);
      const first = [draw(new GlorotUniform()), draw(new RandomNormal())];
      setSeed(42);
      const again = [draw(new GlorotUniform()), draw(new RandomNormal())];
      expect(again).toEqual(first);
      expect(first[1]).not.toEqual(draw(new RandomNormal()));

      const seeded = new HeNormal({ seed: 7 });
      expect(draw(seeded)).toEqual(draw(seeded));
      expect(draw(new HeNormal({ seed: 7 }))).toEqual(draw(seeded));
      expect(draw(new HeNormal({ seed: 8 }))).not.toEqual(draw(seeded));
    });

    it('leaves no tensor behind except the one returned', () => {
      const before = memory().numTensors;
      tidy(() => {
        new GlorotNormal().apply([10, 10]);
        new RandomUniform().apply([10]);
      });
      expect(memory().numTensors).toBe(before);
    });

    it('Orthogonal: a tall weight gets orthonormal columns times gain (QᵀQ = gain²·I), a seeded one repeats', () => {
      const init = new Orthogonal({ gain: 2, seed: 5 });
      const draw = (): number[] => {
        const t = init.apply([6, 3]);
        const values = Array.from(t.dataSync());
        t.dispose();
        return values;
      };
      const q = draw();
      const gram = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [0, 1, 2, 3, 4, 5].reduce((s, r) => s + q[r * 3 + i]! * q[r * 3 + j]!, 0)));
      gram.forEach((v, k) => expect(v).toBeCloseTo(k % 4 === 0 ? 4 : 0, 5));
      expect(draw()).toEqual(q);
      expect(() => init.apply([3])).toThrow('Orthogonal: expected a shape of rank >= 2, got [3]');
    });

    it('refuses to draw random integers', () => {
      expect(() => new RandomNormal().apply([2], 'int32')).toThrow(/RandomNormal: expected dtype float32, got int32/);
      expect(() => new GlorotUniform().apply([2, 2], 'int32')).toThrow(/GlorotUniform/);
    });
  });
}

describe('getInitializer', () => {
  it('accepts camelCase, snake_case and class names', () => {
    const cases: [string, new () => Initializer][] = [
      ['zeros', Zeros], ['ones', Ones], ['randomNormal', RandomNormal], ['random_normal', RandomNormal],
      ['randomUniform', RandomUniform], ['random_uniform', RandomUniform], ['glorotUniform', GlorotUniform],
      ['glorot_uniform', GlorotUniform], ['GlorotUniform', GlorotUniform], ['glorotNormal', GlorotNormal],
      ['glorot_normal', GlorotNormal], ['heNormal', HeNormal], ['he_normal', HeNormal], ['heUniform', HeUniform],
      ['he_uniform', HeUniform], ['orthogonal', Orthogonal],
    ];
    for (const [name, cls] of cases) expect(getInitializer(name), name).toBeInstanceOf(cls);
  });

  it('returns an instance as is and rebuilds {className, config}', () => {
    const init = new RandomNormal({ mean: 1, stddev: 2, seed: 3 });
    expect(getInitializer(init)).toBe(init);
    const copy = getInitializer({ className: init.className, config: init.getConfig() });
    expect(copy).toBeInstanceOf(RandomNormal);
    expect(copy.getConfig()).toEqual({ mean: 1, stddev: 2, seed: 3 });
    const scaling = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: null } });
    expect(scaling).toBeInstanceOf(VarianceScaling);
    expect(scaling.getConfig()).toEqual({ scale: 2, mode: 'fanOut', distribution: 'uniform', seed: null });
    expect(getInitializer({ className: 'Constant', config: { value: 4 } }).getConfig()).toEqual({ value: 4 });
  });

  it('names the known initializers when the name is unknown', () => {
    expect(() => getInitializer('glorot_magic')).toThrow(/getInitializer: unknown initializer 'glorot_magic'; expected one of zeros, ones, .*glorotUniform.*heUniform/);
  });

  it('refuse an option they do not know, listing theirs', () => {
    expect(() => new RandomNormal({ stdev: 2 } as never)).toThrow("RandomNormal: unknown option 'stdev'; expected one of mean, stddev, seed");
    expect(() => new RandomUniform({ min: -1 } as never)).toThrow("RandomUniform: unknown option 'min'; expected one of minval, maxval, seed");
    expect(() => new Constant({ val: 1 } as never)).toThrow("Constant: unknown option 'val'; expected one of value");
    expect(() => new Orthogonal({ scale: 2 } as never)).toThrow("Orthogonal: unknown option 'scale'; expected one of gain, seed");
    expect(() => new VarianceScaling({ fanMode: 'fanIn' } as never)).toThrow("VarianceScaling: unknown option 'fanMode'; expected one of scale, mode, distribution, seed");
    // A Glorot or He initializer takes its seed alone (its scale, mode and distribution are its definition).
    expect(() => getInitializer({ className: 'HeNormal', config: { seed: 1, scale: 3 } })).toThrow("HeNormal: unknown option 'scale'; expected one of seed");
    expect(() => new GlorotUniform({ sead: 1 } as never)).toThrow("GlorotUniform: unknown option 'sead'; expected one of seed");
  });
});
