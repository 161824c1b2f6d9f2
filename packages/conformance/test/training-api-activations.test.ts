// Every activation a layer takes by name, through the Activation layer, against float64 formulas
// written here from Keras 3's definitions: values across [-6, 6] and in the tails, gradients by
// central finite differences away from the kinks, both spellings of the names, and the error for
// an unknown one.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { erf } from '../src/reference/index.js';
import { expectClose } from './training-api-helpers.js';
import { errorRecorder, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const softplus = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const hardSigmoid = (v: number): number => Math.min(Math.max(v + 3, 0), 6) / 6;
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

interface ActivationCase {
  name: pc.ActivationIdentifier;
  /** The activation of one value in float64; for the row-wise ones, of the whole row. */
  f: (v: number, row: readonly number[]) => number;
  /** Where f or its derivative jumps: finite differences stay away from them. */
  kinks: number[];
}

const CASES: ActivationCase[] = [
  { name: 'linear', f: (v) => v, kinks: [] },
  { name: 'relu', f: (v) => Math.max(v, 0), kinks: [0] },
  { name: 'relu6', f: (v) => Math.min(Math.max(v, 0), 6), kinks: [0, 6] },
  { name: 'elu', f: (v) => (v > 0 ? v : Math.expm1(v)), kinks: [0] },
  { name: 'selu', f: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), kinks: [0] },
  { name: 'gelu', f: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)), kinks: [] },
  { name: 'leakyRelu', f: (v) => (v >= 0 ? v : 0.2 * v), kinks: [0] },
  { name: 'sigmoid', f: sigmoid, kinks: [] },
  { name: 'hardSigmoid', f: hardSigmoid, kinks: [-3, 3] },
  { name: 'hardSigmoidKeras2', f: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1), kinks: [-2.5, 2.5] },
  { name: 'tanh', f: Math.tanh, kinks: [] },
  { name: 'softmax', f: (v, row) => Math.exp(v - Math.max(...row)) / row.reduce((s, u) => s + Math.exp(u - Math.max(...row)), 0), kinks: [] },
  { name: 'logSoftmax', f: (v, row) => v - Math.max(...row) - Math.log(row.reduce((s, u) => s + Math.exp(u - Math.max(...row)), 0)), kinks: [] },
  { name: 'softplus', f: softplus, kinks: [] },
  { name: 'softsign', f: (v) => v / (1 + Math.abs(v)), kinks: [] },
  { name: 'swish', f: (v) => v * sigmoid(v), kinks: [] },
  { name: 'silu', f: (v) => v * sigmoid(v), kinks: [] },
  { name: 'hardSilu', f: (v) => v * hardSigmoid(v), kinks: [-3, 3] },
  { name: 'mish', f: (v) => v * Math.tanh(softplus(v)), kinks: [] },
  { name: 'exponential', f: Math.exp, kinks: [] },
];

const SHAPE = [5, 6];
/** −6 to 6 in steps of 0.4, moved 0.07 off the grid so that no value sits on a kink. */
const GRID = Array.from({ length: 30 }, (_, i) => Math.fround(-6 + 0.4 * i + 0.07));

/** f over each row of `values` (rows of SHAPE[1]). */
function reference(c: ActivationCase, values: readonly number[]): number[] {
  const width = SHAPE[1]!;
  return values.map((v, i) => c.f(v, values.slice(i - (i % width), i - (i % width) + width)));
}

const recordError = errorRecorder('activations');

describe('the float64 erf the references use', () => {
  it('gives erf at known points', () => {
    // erf(0.5), erf(1), erf(2) to 12 digits, from the tables (Abramowitz & Stegun, table 7.1).
    expect(erf(0.5)).toBeCloseTo(0.520499877813, 11);
    expect(erf(1)).toBeCloseTo(0.842700792950, 11);
    expect(erf(2)).toBeCloseTo(0.995322265019, 11);
    expect(erf(-1)).toBeCloseTo(-0.842700792950, 11);
  });
});

for (const backend of MODEL_BACKENDS) {
  describe(`activations by name on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    describe.each(CASES)('$name', (c) => {
      it('values match the float64 formula from -6 to 6, leaking nothing', () => {
        const before = pc.memory().numTensors;
        const y = pc.tidy(() => new pc.Activation(c.name).apply(pc.tensor(GRID, SHAPE)) as pc.Tensor);
        expect(pc.memory().numTensors).toBe(before + 1);
        const want = reference(c, GRID);
        recordError(`${c.name} values`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 2e-6, 1e-6);
        y.dispose();
      });

      it('the gradient matches central finite differences of the float64 formula', () => {
        const weights = GRID.map((_, i) => Math.fround(Math.sin(i + 1)));
        const x = pc.tensor(GRID, SHAPE);
        const tape = new pc.GradientTape();
        const loss = tape.record(() => {
          tape.watch(x);
          return pc.sum(pc.mul(new pc.Activation(c.name).apply(x) as pc.Tensor, pc.tensor(weights, SHAPE)));
        });
        const dx = tape.gradient(loss, x)!;
        const want = finiteDifferences(GRID, weights, (moved) => reference(c, moved));
        recordError(`${c.name} gradient`, dx.dataSync(), want);
        expectClose(dx.dataSync(), want, 1e-4, 2e-5);
        pc.dispose([x, loss, dx]);
      });
    });

    it('gelu, mish and softplus keep their tails far from 0 (no overflow, no NaN)', () => {
      const tails = [-40, -12, 12, 40];
      for (const c of CASES.filter((k) => ['gelu', 'mish', 'softplus'].includes(k.name))) {
        const y = pc.tidy(() => new pc.Activation(c.name).apply(pc.tensor(tails)) as pc.Tensor);
        expectClose(y.dataSync(), tails.map((v) => c.f(v, tails)), 1e-6, 1e-9);
        y.dispose();
      }
    });
  });
}

describe('activation names', () => {
  it("takes Keras's snake_case and tfjs's camelCase, and keeps silu and swish apart as names", () => {
    const names = ['leaky_relu', 'hard_sigmoid', 'hard_silu', 'log_softmax', 'gelu', 'silu', 'swish'];
    expect(names.map((name) => new pc.Activation(name).activation)).toEqual(['leakyRelu', 'hardSigmoid', 'hardSilu', 'logSoftmax', 'gelu', 'silu', 'swish']);
    expect(new pc.Dense(2, { activation: 'gelu' }).getConfig().activation).toBe('gelu');
  });

  it('names the unknown activation and lists the known ones', () => {
    expect(() => new pc.Activation('gelu_tanh')).toThrow(`Unknown activation 'gelu_tanh'; expected one of ${CASES.map((c) => c.name).join(', ')}`);
  });
});
