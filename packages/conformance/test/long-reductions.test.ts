import { dispose, matMul, mean, RandomGenerator, reshape, sum, tensor } from '@perceptron/core';
import { expect, it } from 'vitest';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

/**
 * Long reductions, end to end through core's ops: a float32 chain of a million additions
 * drifts (its running total outgrows the terms), so the per-term bounds of the op table allow
 * it. Every backend here does better, summing in float64 or in blocks, and is held to 1e-5.
 */
const LENGTH = 1_000_000;

/** Values near 0.1: a running total near 10^5 has a float32 spacing of 2^-7. */
function valuesNearOneTenth(seed: number): Float32Array {
  const g = new RandomGenerator(seed);
  return Float32Array.from({ length: LENGTH }, () => 0.1 + 0.01 * g.nextFloat());
}

const a = valuesNearOneTenth(1);
const b = valuesNearOneTenth(2);
const float64 = (f: (i: number) => number): number => {
  let s = 0;
  for (let i = 0; i < LENGTH; i++) s += f(i);
  return s;
};
const exactSum = float64((i) => a[i]!);
const exactDot = float64((i) => a[i]! * b[i]!);

const relativeError = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

it('the cases are long enough for one float32 chain to drift past the bound', () => {
  let chain = 0;
  for (const v of a) chain = Math.fround(chain + v);
  expect(relativeError(chain, exactSum)).toBeGreaterThan(1e-4);
});

forEachBackend('long reductions', (backend) => {
  backendIt(backend, `sum and mean of ${LENGTH.toLocaleString('en-US')} values within 1e-5`, () => {
    const x = tensor(a);
    const [total, average] = [sum(x), mean(x)];
    expect(relativeError(total.dataSync()[0]!, exactSum)).toBeLessThan(1e-5);
    expect(relativeError(average.dataSync()[0]!, exactSum / LENGTH)).toBeLessThan(1e-5);
    dispose([x, total, average]);
  });

  backendIt(backend, `a dot product of length ${LENGTH.toLocaleString('en-US')} as matMul([1,n], [n,1]) within 1e-5`, () => {
    const [x, y] = [tensor(a), tensor(b)];
    const dot = matMul(reshape(x, [1, LENGTH]), reshape(y, [LENGTH, 1]));
    expect(relativeError(dot.dataSync()[0]!, exactDot)).toBeLessThan(1e-5);
    dispose([x, y, dot]);
  });
});

reportTally('long-reductions');
