import { dispose, randomNormal, randomUniform, setSeed, truncatedNormal, type Tensor } from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { onBackend } from './support/on-backend.js';

// Random values are drawn in TypeScript and uploaded, so one seed must give bit-identical
// tensors on every backend. naive's values are the yardstick; each draw is also checked
// against its distribution's bounds.
const DRAWS: Record<string, () => Tensor> = {
  'randomUniform float32 [-2, 3)': () => randomUniform([257], -2, 3, 'float32', 7),
  'randomUniform int32 [0, 10)': () => randomUniform([100], 0, 10, 'int32', 8),
  'randomNormal mean 1 stddev 2': () => randomNormal([257], 1, 2, 'float32', 9),
  'truncatedNormal within 2 stddev': () => truncatedNormal([257], -1, 0.5, 'float32', 10),
  'global seed via setSeed': () => {
    setSeed(1234);
    return randomNormal([64]);
  },
};

const bounds: Record<string, (v: number) => boolean> = {
  'randomUniform float32 [-2, 3)': (v) => v >= -2 && v < 3,
  'randomUniform int32 [0, 10)': (v) => Number.isInteger(v) && v >= 0 && v < 10,
  'randomNormal mean 1 stddev 2': (v) => Number.isFinite(v),
  'truncatedNormal within 2 stddev': (v) => v >= -2 && v <= 0,
  'global seed via setSeed': (v) => Number.isFinite(v),
};

const read = (draw: () => Tensor): number[] => {
  const t = draw();
  const values = Array.from(t.dataSync());
  dispose(t);
  return values;
};

forEachBackend('random', (backend) => {
  const onNaive: Record<string, number[]> = {};
  beforeAll(async () => {
    for (const [name, draw] of Object.entries(DRAWS)) onNaive[name] = await onBackend('naive', () => read(draw));
  });

  for (const [name, draw] of Object.entries(DRAWS)) {
    backendIt(backend, `${name}: bit-identical to naive, repeatable, within bounds`, () => {
      const values = read(draw);
      expect(values).toEqual(onNaive[name]);
      expect(read(draw)).toEqual(values);
      expect(values.every(bounds[name]!)).toBe(true);
      expect(new Set(values).size).toBeGreaterThan(values.length / 20);
    });
  }

  backendIt(backend, 'randomNormal has the requested mean and stddev', () => {
    const values = read(() => randomNormal([4000], 1, 2, 'float32', 11));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // 5 standard errors: fails for a wrong transform, not by chance.
    expect(Math.abs(mean - 1)).toBeLessThan((5 * 2) / Math.sqrt(4000));
    expect(Math.abs(sd - 2)).toBeLessThan(0.12);
  });
});

reportTally('random');
