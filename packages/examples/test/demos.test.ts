import { memory, setBackend } from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, registerNodeBackends } from '../src/backends.js';
import { runLossesDemo } from '../src/demos/losses.js';
import { runTapeDemo } from '../src/demos/tape.js';
import { loopDot, runVectorizationDemo } from '../src/demos/vectorization.js';

await registerNodeBackends();
const backends = availableBackends();

function collect(run: (print: (line: string) => void) => void): string[] {
  const lines: string[] = [];
  run((line) => lines.push(line));
  return lines;
}

describe.each(backends)('demos on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('tape: the lab slides’ numbers, and an explanation for the non-trainable Variable', () => {
    const before = memory().numTensors;
    const lines = collect(runTapeDemo);
    const numbers = lines.filter((l) => /^d\w+ = /.test(l));
    expect(numbers).toEqual([
      'dz_dx = 8', 'dz_dx = 8', 'dz_dx = 8', 'dz_dx = 8',
      'dy_dx = 10', 'dz_dx = 500',
      'dy_dx = 3', 'd2y_dx2 = 6',
      'dy_dx = null',
    ]);
    expect(lines).toContain('Tensor([[8,8],[8,8]], shape=[2,2], dtype=float32)');
    expect(lines.join('\n')).toMatch(/trainable: false, so neither tape watched it/);
    expect(memory().numTensors).toBe(before);
  });

  it('losses: the MAE / MSE / RMSE tables of the lab', () => {
    const lines: string[] = [];
    const [first, second] = runLossesDemo((l) => lines.push(l));
    expect(first!.mae).toBeCloseTo(2, 6);
    expect(first!.mse).toBeCloseTo(5, 6);
    expect(first!.rmse).toBeCloseTo(Math.sqrt(5), 6);
    expect(second!.mae).toBeCloseTo(2.5, 6);
    expect(second!.mse).toBeCloseTo(25, 5);
    expect(second!.rmse).toBeCloseTo(5, 6);
    expect(lines.filter((l) => /^\d/.test(l) && l.split(/\s+/).length === 3)).toEqual(['2       5       2.24', '2.5     25      5']);
    expect(lines).toContain('4   10      10       100');
  });
});

describe('vectorization demo', () => {
  it('the loop computes the dot product', () => {
    expect(loopDot(Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6))).toBe(32);
  });

  it('every backend’s vectorised ops agree with the loop, and E[a·b] = 1/4 for uniform a, b', async () => {
    const n = 20_000;
    const lines: string[] = [];
    const report = await runVectorizationDemo((l) => lines.push(l), backends, n);
    // mean of n products of independent U(0,1): 1/4 with std sqrt(7/144/n) ≈ 0.0016
    expect(Math.abs(report.loop.result / n - 0.25)).toBeLessThan(0.01);
    expect(report.vectorised.map((v) => v.backend)).toEqual(backends.flatMap((b) => [b, b]));
    for (const v of report.vectorised) expect(Math.abs(v.result - report.loop.result) / report.loop.result).toBeLessThan(1e-4);
    expect(lines.filter((l) => l.startsWith('Vectorized version'))).toHaveLength(2 * backends.length);
  });
});
