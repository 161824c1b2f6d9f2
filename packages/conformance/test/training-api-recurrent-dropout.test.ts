// The recurrent layers' dropout and recurrentDropout, as Keras's: while training, one mask of the
// input features and one of the state's units for the whole sequence, the second where the
// recurrent kernel reads h (the state itself is carried whole); outside training nothing is
// dropped. A seeded layer's masks are replayed from its seed, so the float64 reference runs with
// the very masks the layer drew: values and finite-difference gradients.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { builtLayer } from './recurrent-layer-setup.js';
import { recurrentReference, type DropoutMasks, type RecurrentCase } from './recurrent-reference.js';
import { expectClose } from './training-api-helpers.js';
import { draws, errorRecorder, finiteDifferences } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

const SEED = 7;
const RATES = { dropout: 0.3, recurrentDropout: 0.4 };

type NamedCase = RecurrentCase & { name: string };

const CASES: NamedCase[] = [
  { name: 'SimpleRNN, sequences', kind: 'SimpleRNN', shape: [3, 4, 3], units: 3, config: { ...RATES, seed: SEED, returnSequences: true } },
  { name: 'LSTM, sequences, backwards', kind: 'LSTM', shape: [2, 4, 3], units: 3, config: { ...RATES, seed: SEED, returnSequences: true, goBackwards: true } },
  { name: 'GRU, last state', kind: 'GRU', shape: [3, 3, 4], units: 2, config: { ...RATES, seed: SEED } },
  { name: 'GRU resetAfter false, sequences', kind: 'GRU', shape: [2, 4, 3], units: 3, config: { ...RATES, seed: SEED, resetAfter: false, returnSequences: true } },
];

/** The masks a layer seeded with SEED draws in its first training call: the input's [batch, features], then the state's [batch, units]. */
function replayedMasks(c: RecurrentCase): DropoutMasks {
  const generator = new pc.RandomGenerator(SEED);
  const draw = (count: number, rate: number) => Array.from({ length: count }, () => (generator.nextFloat() >= rate ? 1 / (1 - rate) : 0));
  const [batch, , features] = c.shape;
  return { input: draw(batch * features, RATES.dropout), state: draw(batch * c.units, RATES.recurrentDropout) };
}

const recordError = errorRecorder('recurrent dropout');

for (const backend of MODEL_BACKENDS) {
  describe(`recurrent dropout on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
    });

    describe.each(CASES)('$name', (c) => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const xValues = draws(size, 1, -1, 1);

      it('while training, gives the float64 recurrence run with the masks its seed draws', () => {
        const { layer, weights } = builtLayer(c);
        const masks = replayedMasks(c);
        expect(masks.input!.filter((m) => m === 0).length, 'the draws drop some inputs').toBeGreaterThan(0);
        expect(masks.state!.filter((m) => m === 0).length, 'the draws drop some units').toBeGreaterThan(0);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape), { training: true }));
        const want = recurrentReference(c, xValues, weights, [], masks).output;
        recordError(`${c.kind} values while training`, y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-6);
        pc.dispose(y);
        layer.dispose();
      });

      it('outside training drops nothing', () => {
        const { layer, weights } = builtLayer(c);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)));
        expectClose(y.dataSync(), recurrentReference(c, xValues, weights).output, 1e-5, 1e-6);
        pc.dispose(y);
        layer.dispose();
      });

      it('the gradient through a training call matches finite differences of the masked recurrence', () => {
        const { layer, weights } = builtLayer(c);
        const masks = replayedMasks(c);
        const x = pc.tensor(xValues, c.shape);
        const outputSize = recurrentReference(c, xValues, weights).output.length;
        const w = draws(outputSize, 2, -1, 1);
        const tape = new pc.GradientTape();
        const loss = tape.record(() => {
          tape.watch(x);
          const y = layer.apply(x, { training: true });
          return pc.sum(pc.mul(y, pc.tensor(w, y.shape)));
        });
        const dx = tape.gradient(loss, x)!;
        const want = finiteDifferences(xValues, w, (moved) => recurrentReference(c, moved, weights, [], masks).output);
        recordError(`${c.kind} input gradient while training`, dx.dataSync(), want);
        expectClose(dx.dataSync(), want, 1e-3, 1e-5);
        pc.dispose([x, loss, dx]);
        layer.dispose();
      });
    });

    it('draws new masks for each training call, and the same ones again from the same seed', () => {
      const c = CASES[0]!;
      const x = pc.tensor(draws(36, 3, -1, 1), c.shape);
      const run = (layer: pc.Recurrent) => Array.from((layer.apply(x, { training: true }) as pc.Tensor).dataSync());
      const [first, second] = [builtLayer(c).layer, builtLayer(c).layer];
      const firstCalls = pc.tidy(() => [run(first), run(first)]);
      const secondCall = pc.tidy(() => run(second));
      expect(firstCalls[1]).not.toEqual(firstCalls[0]);
      expect(secondCall).toEqual(firstCalls[0]);
      pc.dispose(x);
      first.dispose();
      second.dispose();
    });
  });
}

describe('recurrent dropout settings', () => {
  it('keeps dropout, recurrentDropout and seed in the config, and rebuilds from it', () => {
    const layer = new pc.LSTM(4, { dropout: 0.25, recurrentDropout: 0.5, seed: 3 });
    const config = layer.getConfig();
    expect([config.dropout, config.recurrentDropout, config.seed]).toEqual([0.25, 0.5, 3]);
    const copy = pc.Layer.fromConfig(pc.LSTM as pc.LayerClass, config) as pc.LSTM;
    expect([copy.dropout, copy.recurrentDropout, copy.seed]).toEqual([0.25, 0.5, 3]);
    expect(new pc.GRU(2).getConfig()).toMatchObject({ dropout: 0, recurrentDropout: 0 });
    expect('seed' in new pc.GRU(2).getConfig()).toBe(false);
  });

  it('refuses rates outside [0, 1], naming the layer and the option', () => {
    expect(() => new pc.LSTM(2, { dropout: 1.5 })).toThrow('LSTM: dropout must be in [0, 1], got 1.5');
    expect(() => new pc.GRU(2, { recurrentDropout: -0.1 })).toThrow('GRU: recurrentDropout must be in [0, 1], got -0.1');
    expect(() => new pc.SimpleRNN(2, { dropout: '0.2' as never })).toThrow('SimpleRNN: dropout must be in [0, 1], got "0.2"');
  });
});
